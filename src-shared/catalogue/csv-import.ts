/**
 * The dry run of a catalogue import: reads a CSV file's bytes (format: csv-format.ts) and returns
 * every problem, row by row and column by column, with the products the file would upsert. It
 * imports nothing: the caller writes the products only when there is no issue at all
 * (assertImportable), so a file goes in whole or not at all.
 *
 * Pure TypeScript over csv-parse's synchronous parser, which runs wherever a global Buffer
 * exists (the core and the server; not the renderer, which sends the bytes to the core).
 */
import { CsvError, parse } from 'csv-parse/sync';
import { DomainError } from '../errors/domain-error';
import {
  BARCODE_SEPARATOR,
  CATALOGUE_CSV_COLUMNS,
  formatPriceYuan,
  parseActiveFlag,
  parsePriceYuan,
  REQUIRED_CATALOGUE_CSV_COLUMNS,
  unwrapExcelText,
  type CatalogueCsvColumn,
  type PriceProblem,
} from './csv-format';
import { normaliseProductCode } from './gtin';
import {
  isCatalogueCategory,
  MAX_BARCODES_PER_PRODUCT,
  MAX_MNEMONIC_LENGTH,
  MAX_NAME_LENGTH,
  MAX_SKU_LENGTH,
  MAX_UNIT_PRICE_MINOR,
  MNEMONIC_PATTERN,
  SKU_PATTERN,
  type CatalogueProduct,
  type ProductMeasure,
} from './product';
import type { CatalogueImportIssue, CatalogueIssueCode } from './import-issues';
import { decodeCatalogueBytes, unreadable, type CatalogueEncoding, type Gb18030Decoder } from './text-encoding';
import { layoutForCode, type VariableMeasureLayouts } from './variable-measure';

export interface CatalogueDryRun {
  encoding: CatalogueEncoding;
  /** Product rows read (blank rows not counted). */
  rowCount: number;
  /** Every problem, by row; in a row, its own problems (column null) first, then by column in the format's order. */
  issues: CatalogueImportIssue[];
  /** The rows without a problem of their own, in file order, in stored form; to upsert only when `issues` is empty. */
  products: CatalogueProduct[];
}

export interface CatalogueDryRunOptions {
  /**
   * The SKU of the existing product that holds this code (in lookup form), if any. A code held by
   * another SKU is a conflict unless that SKU is in the file too and no longer lists the code.
   * Called once per code of the file; it must be synchronous (a prepared statement or a Map).
   */
  existingBarcodeOwner?: (code: string) => string | null | undefined;
  /** The till's scale-label layouts: a fixed product code inside one of their prefixes could never be scanned as itself. */
  layouts?: VariableMeasureLayouts;
  /** GB18030 decoding (default: TextDecoder); the core may pass iconv-lite's. */
  decodeGb18030?: Gb18030Decoder;
}

const MAX_PARAM_LENGTH = 40;
const cut = (s: string): string => (s.length > MAX_PARAM_LENGTH ? `${s.slice(0, MAX_PARAM_LENGTH - 1)}…` : s);
const COLUMN_ORDER = new Map<CatalogueCsvColumn | null, number>(CATALOGUE_CSV_COLUMNS.map((c, i) => [c, i]));
const NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\ufffd]/;
const NAME_COLUMNS = [
  ['zh-Hans', 'name_zh_hans'],
  ['zh-Hant', 'name_zh_hant'],
  ['en', 'name_en'],
] as const;

interface Header {
  index: Partial<Record<CatalogueCsvColumn, number>>;
  width: number;
  /** Every required column is there: without one, no row makes a product. */
  complete: boolean;
}

function readHeader(record: readonly string[] | undefined, issues: CatalogueImportIssue[]): Header {
  const index: Partial<Record<CatalogueCsvColumn, number>> = {};
  const cells = record ?? [];
  // Empty cells at the end of the header are a spreadsheet's used range, not columns.
  let width = cells.length;
  while (width > 0 && (cells[width - 1] ?? '').trim() === '') width -= 1;
  cells.slice(0, width).forEach((cell, i) => {
    const name = cell.normalize('NFKC').replace(/^\ufeff/, '').trim().toLowerCase();
    const column = CATALOGUE_CSV_COLUMNS.find((c) => c === name);
    if (column === undefined) issues.push({ row: 1, column: null, code: 'unknown_column', params: { column: cut(cell.trim()) } });
    else if (index[column] !== undefined) issues.push({ row: 1, column, code: 'duplicate_column', params: { column } });
    else index[column] = i;
  });
  for (const column of REQUIRED_CATALOGUE_CSV_COLUMNS) {
    if (index[column] === undefined) issues.push({ row: 1, column, code: 'missing_column', params: { column } });
  }
  // One cell holding the column names with ';' or tabs between them: saved with another separator.
  const only = cells.length === 1 ? (cells[0] ?? '') : '';
  if (/[;\t]/.test(only) && /sku/i.test(only)) issues.push({ row: 1, column: null, code: 'wrong_delimiter', params: {} });
  return { index, width: cells.length, complete: REQUIRED_CATALOGUE_CSV_COLUMNS.every((c) => index[c] !== undefined) };
}

/** A row's product, or null when it has a problem (reported in `issues`), and its SKU and codes for the checks across rows. */
interface RowResult {
  product: CatalogueProduct | null;
  sku: string | null;
  barcodes: string[];
}

function readRow(
  record: readonly string[],
  row: number,
  header: Header,
  layouts: VariableMeasureLayouts | undefined,
  issues: CatalogueImportIssue[],
): RowResult {
  const before = issues.length;
  const issue = (column: CatalogueCsvColumn | null, code: CatalogueIssueCode, params: Record<string, string | number> = {}) =>
    issues.push({ row, column, code, params });
  const cell = (column: CatalogueCsvColumn): string | undefined => {
    const i = header.index[column];
    if (i === undefined) return undefined;
    const value = record[i] ?? '';
    // Only the code columns are written as ="..." by the export; a name may start with = itself.
    return column === 'sku' || column === 'barcodes' ? unwrapExcelText(value) : value;
  };
  const required = (column: CatalogueCsvColumn): string | undefined => {
    const value = cell(column);
    if (value === undefined) return undefined; // the missing column is reported once, on row 1
    if (value.trim() === '') {
      issue(column, 'required');
      return undefined;
    }
    return value;
  };

  // A row wider than the header: a separator inside an unquoted value shifted it, so none of
  // its cells can be trusted. (A narrower row is one whose last cells are empty.)
  if (record.length > header.width) {
    issue(null, 'wrong_field_count', { expected: header.width, actual: record.length });
    return { product: null, sku: null, barcodes: [] };
  }

  let sku: string | null = null;
  const skuCell = required('sku');
  if (skuCell !== undefined) {
    const s = skuCell.trim();
    if (s.length > MAX_SKU_LENGTH || !SKU_PATTERN.test(s)) issue('sku', 'sku_invalid', { value: cut(s), max: MAX_SKU_LENGTH });
    else sku = s;
  }

  const barcodes: string[] = [];
  const codesCell = required('barcodes');
  if (codesCell !== undefined) {
    const parts = codesCell.split(BARCODE_SEPARATOR).map((p) => unwrapExcelText(p).trim()).filter((p) => p !== '');
    if (parts.length === 0) issue('barcodes', 'required');
    if (parts.length > MAX_BARCODES_PER_PRODUCT) issue('barcodes', 'too_many_barcodes', { max: MAX_BARCODES_PER_PRODUCT });
    for (const part of parts) {
      const code = normaliseProductCode(part);
      if (!code.ok) {
        const codeIssue = code.reason === 'bad_check_digit' ? 'barcode_check_digit' : code.reason === 'scientific_notation' ? 'barcode_scientific' : 'barcode_invalid';
        issue('barcodes', codeIssue, { value: cut(part) });
      } else if (barcodes.includes(code.code)) {
        issue('barcodes', 'barcode_repeated', { barcode: code.code });
      } else {
        const layout = layouts !== undefined && code.code.length === 13 ? layoutForCode(code.code, layouts) : undefined;
        if (layout !== undefined) issue('barcodes', 'barcode_variable_measure', { barcode: code.code, layout: layout.id });
        barcodes.push(code.code);
      }
    }
  }

  const names = { 'zh-Hans': '', 'zh-Hant': '', en: '' };
  let namesPresent = true;
  for (const [language, column] of NAME_COLUMNS) {
    const value = cell(column);
    if (value === undefined) {
      namesPresent = false;
      continue;
    }
    const name = value.trim();
    if (name.length > MAX_NAME_LENGTH) issue(column, 'name_too_long', { max: MAX_NAME_LENGTH });
    else if (NAME_FORBIDDEN.test(name)) issue(column, 'name_invalid');
    else names[language] = name;
  }
  if (namesPresent && NAME_COLUMNS.every(([, column]) => (cell(column) ?? '').trim() === '')) issue(null, 'name_missing');

  const categoryCell = required('category');
  const category = categoryCell?.normalize('NFKC').trim().toLowerCase();
  if (category !== undefined && !isCatalogueCategory(category)) issue('category', 'unknown_category', { value: cut(categoryCell?.trim() ?? '') });

  let unitPriceMinor = 0;
  const priceCell = required('price');
  if (priceCell !== undefined) {
    const price = parsePriceYuan(priceCell);
    if (price.ok) unitPriceMinor = price.minor;
    // The limit as text: the renderer formats number parameters without decimals.
    else issue('price', price.problem satisfies PriceProblem, { value: cut(priceCell.trim()), max: formatPriceYuan(MAX_UNIT_PRICE_MINOR) });
  }

  let active = false;
  const activeCell = required('active');
  if (activeCell !== undefined) {
    const flag = parseActiveFlag(activeCell);
    if (flag === null) issue('active', 'active_invalid', { value: cut(activeCell.trim()) });
    else active = flag;
  }

  let measure: ProductMeasure = 'each';
  const measureCell = cell('measure')?.trim().toLowerCase() ?? '';
  if (measureCell === 'weight') measure = 'weight';
  else if (measureCell !== '' && measureCell !== 'each') issue('measure', 'measure_invalid', { value: cut(measureCell) });

  let mnemonic: string | undefined;
  const mnemonicCell = cell('mnemonic')?.normalize('NFKC').trim().toUpperCase() ?? '';
  if (mnemonicCell !== '') {
    if (mnemonicCell.length > MAX_MNEMONIC_LENGTH || !MNEMONIC_PATTERN.test(mnemonicCell)) {
      issue('mnemonic', 'mnemonic_invalid', { value: cut(mnemonicCell), max: MAX_MNEMONIC_LENGTH });
    } else mnemonic = mnemonicCell;
  }

  if (issues.length !== before || !header.complete || sku === null || category === undefined || !isCatalogueCategory(category) || !namesPresent) {
    return { product: null, sku, barcodes };
  }
  const product: CatalogueProduct = { sku, barcodes, names, category, unitPriceMinor, active, measure };
  if (mnemonic !== undefined) product.mnemonic = mnemonic;
  return { product, sku, barcodes };
}

function parseCsv(text: string): string[][] {
  try {
    // relax_quotes: a quote inside an unquoted cell is text (="00123" typed by hand); a cell
    // that opens a quote must still close it.
    return parse(text, { bom: false, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: false }) as string[][];
  } catch (e) {
    if (e instanceof CsvError) {
      const line = typeof e['lines'] === 'number' ? e['lines'] : null;
      throw unreadable('csv_syntax', `The file is not valid CSV near line ${String(line ?? '?')} (${e.code}); check the quotes in that row.`, { line, csvCode: e.code });
    }
    throw e;
  }
}

/**
 * Reads a catalogue CSV file and reports every problem without importing anything. Throws
 * DomainError CATALOGUE_FILE_UNREADABLE only when the file as a whole cannot be read (its
 * encoding, an .xlsx, broken quoting); everything else is an issue in the result.
 */
export function dryRunCatalogueCsv(bytes: Uint8Array, options: CatalogueDryRunOptions = {}): CatalogueDryRun {
  const decoded = decodeCatalogueBytes(bytes, options.decodeGb18030);
  const records = parseCsv(decoded.text);
  const issues: CatalogueImportIssue[] = [];
  const header = readHeader(records[0], issues);

  const rows: (RowResult & { row: number })[] = [];
  const skuRows = new Map<string, number>();
  const codeRows = new Map<string, { row: number; sku: string | null }>();
  for (let r = 1; r < records.length; r += 1) {
    const record = records[r] ?? [];
    if (record.every((c) => c.trim() === '')) continue; // a blank row (and Excel's ",,,,,,,")
    const row = r + 1;
    const result = readRow(record, row, header, options.layouts, issues);
    if (result.sku !== null) {
      const first = skuRows.get(result.sku);
      if (first !== undefined) {
        issues.push({ row, column: 'sku', code: 'duplicate_sku', params: { sku: result.sku, otherRow: first } });
        result.product = null;
      } else skuRows.set(result.sku, row);
    }
    for (const code of result.barcodes) {
      const first = codeRows.get(code);
      if (first !== undefined) {
        issues.push({ row, column: 'barcodes', code: 'duplicate_barcode', params: { barcode: code, otherRow: first.row, otherSku: first.sku ?? '' } });
        result.product = null;
      } else codeRows.set(code, { row, sku: result.sku });
    }
    rows.push({ ...result, row });
  }

  // Against the products already in the till. A code whose owner is in this file and no longer
  // lists it moves with this import; if the owner still lists it, the file conflict above said so.
  const owner = options.existingBarcodeOwner;
  if (owner !== undefined) {
    for (const r of rows) {
      for (const code of r.barcodes) {
        const holder = owner(code);
        if (holder === null || holder === undefined || holder === r.sku || skuRows.has(holder)) continue;
        issues.push({ row: r.row, column: 'barcodes', code: 'barcode_taken', params: { barcode: code, otherSku: holder } });
        r.product = null;
      }
    }
  }

  issues.sort((a, b) => a.row - b.row || (COLUMN_ORDER.get(a.column) ?? -1) - (COLUMN_ORDER.get(b.column) ?? -1));
  const products = rows.flatMap((r) => (r.product === null ? [] : [r.product]));
  return { encoding: decoded.encoding, rowCount: rows.length, issues, products };
}

/** The products of a dry run with no issue, or DomainError CATALOGUE_IMPORT_INVALID (details count, firstRow). */
export function assertImportable(run: CatalogueDryRun): CatalogueProduct[] {
  const first = run.issues[0];
  if (first !== undefined) {
    throw new DomainError('CATALOGUE_IMPORT_INVALID', `The file has ${String(run.issues.length)} problem(s), the first on row ${String(first.row)}; nothing was imported.`, {
      count: run.issues.length,
      firstRow: first.row,
    });
  }
  return run.products;
}
