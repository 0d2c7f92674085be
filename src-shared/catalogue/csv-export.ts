/**
 * The catalogue as a CSV file in the import's format (csv-format.ts), so that
 * dryRunCatalogueCsv(exportCatalogueCsv(products)).products equals the products.
 * Pure TypeScript: no Buffer.
 */
import { BARCODE_SEPARATOR, CATALOGUE_CSV_COLUMNS, formatPriceYuan, type CatalogueCsvColumn } from './csv-format';
import type { CatalogueProduct } from './product';

export interface CatalogueExportOptions {
  /**
   * Write all-digit SKUs and barcode cells as ="6901234567892" (default true). Excel and WPS
   * open a CSV with every number in a "General" cell: a 13-digit code shows as 6.90123E+12 and
   * is saved back that way, and leading zeros vanish, so a file edited there and imported again
   * would lose its codes. The import reads ="..." as the text inside. Turn off for other programs.
   */
  excelTextCodes?: boolean;
}

const UTF8_BOM = '\ufeff';
// RFC 4180 line ends, which Excel expects.
const EOL = '\r\n';

function quote(field: string): string {
  // Quote whatever a CSV reader could split or trim: separators, quotes, line breaks, edge spaces.
  return /[",\r\n]|^\s|\s$/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function excelText(cell: string, enabled: boolean): string {
  return enabled && /^[0-9]+$/.test(cell) ? `="${cell}"` : cell;
}

function cellsOf(p: CatalogueProduct, excelCodes: boolean): Record<CatalogueCsvColumn, string> {
  return {
    sku: excelText(p.sku, excelCodes),
    barcodes: excelText(p.barcodes.join(BARCODE_SEPARATOR), excelCodes),
    name_zh_hans: p.names['zh-Hans'],
    name_zh_hant: p.names['zh-Hant'],
    name_en: p.names.en,
    category: p.category,
    price: formatPriceYuan(p.unitPriceMinor),
    active: p.active ? '1' : '0',
    measure: p.measure,
    mnemonic: p.mnemonic ?? '',
  };
}

/** The CSV text (no BOM): the header, then one row per product in the order given. */
export function catalogueCsvText(products: Iterable<CatalogueProduct>, options: CatalogueExportOptions = {}): string {
  const excelCodes = options.excelTextCodes ?? true;
  const lines = [CATALOGUE_CSV_COLUMNS.join(',')];
  for (const p of products) {
    const cells = cellsOf(p, excelCodes);
    lines.push(CATALOGUE_CSV_COLUMNS.map((c) => quote(cells[c])).join(','));
  }
  return lines.join(EOL) + EOL;
}

/** The CSV file: UTF-8 with a byte order mark, so Excel reads the Chinese names as UTF-8 rather than the system code page. */
export function exportCatalogueCsv(products: Iterable<CatalogueProduct>, options: CatalogueExportOptions = {}): Uint8Array {
  return new TextEncoder().encode(UTF8_BOM + catalogueCsvText(products, options));
}
