/**
 * The catalogue CSV format, shared by the import and the export.
 *
 * One header row, then one row per product. Columns, in the order the export writes them (the
 * import takes them in any order; header names are matched trimmed and case-insensitively):
 *
 *   sku           required  letters, digits, '.', '_', '-' (at most 32); case counts
 *   barcodes      required  one or more codes separated by '|': EAN-13, EAN-8, UPC-A or internal
 *                           codes (see gtin.ts); ="6901234567892" is read as 6901234567892
 *   name_zh_hans  required  the Simplified Chinese name   } each may be empty,
 *   name_zh_hant  required  the Traditional Chinese name  } but not all three;
 *   name_en       required  the English name              } at most 100 characters
 *   category      required  one of CATALOGUE_CATEGORIES (product.ts)
 *   price         required  yuan with at most 2 decimals (12.9, 12.90, ¥1,299.00); per kg for
 *                           weighed goods; 0.01 to 999999.99
 *   active        required  1/0, true/false, yes/no, y/n, 是/否
 *   measure       optional  each (default) or weight
 *   mnemonic      optional  the 助记码, letters and digits (at most 16); empty: none
 *
 * Rows are numbered as a spreadsheet numbers them: the header is row 1, blank rows count (and
 * are skipped, as are rows of empty cells). Cells are separated by commas and quoted as RFC 4180
 * says; a row with more cells than the header is refused whole (a comma in an unquoted value
 * shifted it), a row with fewer has its last cells empty; empty header cells at the end are
 * ignored. The export writes UTF-8 with a BOM and CRLF line ends; the import also reads
 * GB18030 (text-encoding.ts).
 */
import { MAX_UNIT_PRICE_MINOR } from './product';

export const CATALOGUE_CSV_COLUMNS = [
  'sku',
  'barcodes',
  'name_zh_hans',
  'name_zh_hant',
  'name_en',
  'category',
  'price',
  'active',
  'measure',
  'mnemonic',
] as const;
export type CatalogueCsvColumn = (typeof CATALOGUE_CSV_COLUMNS)[number];

export const REQUIRED_CATALOGUE_CSV_COLUMNS: readonly CatalogueCsvColumn[] = [
  'sku',
  'barcodes',
  'name_zh_hans',
  'name_zh_hant',
  'name_en',
  'category',
  'price',
  'active',
];

export const BARCODE_SEPARATOR = '|';

/** '1290' fen -> '12.90': always two decimals, no separators, no currency sign. */
export function formatPriceYuan(minor: number): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError('formatPriceYuan expects a non-negative whole number of fen');
  return `${String(Math.floor(minor / 100))}.${String(minor % 100).padStart(2, '0')}`;
}

export type PriceProblem = 'price_not_a_number' | 'price_negative' | 'price_zero' | 'price_too_many_decimals' | 'price_too_large';

/**
 * A price in yuan as typed in a spreadsheet, to fen, exactly (no floating point): optional ¥,
 * optional thousands separators in groups of three, at most two decimals that are not zero
 * (12.500 is 12.50, 12.505 is refused rather than rounded).
 */
export function parsePriceYuan(text: string): { ok: true; minor: number } | { ok: false; problem: PriceProblem } {
  let s = text.normalize('NFKC').trim().replace(/^¥\s*/, '');
  const negative = s.startsWith('-');
  if (negative) s = s.slice(1).replace(/^¥\s*/, '');
  if (/^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$/.test(s)) s = s.replace(/,/g, '');
  const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(s);
  if (m === null) return { ok: false, problem: 'price_not_a_number' };
  const whole = (m[1] ?? '').replace(/^0+(?=[0-9])/, '');
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) return { ok: false, problem: 'price_too_many_decimals' };
  // Compare lengths before converting, so no huge number ever becomes an inexact float.
  if (whole.length > String(Math.floor(MAX_UNIT_PRICE_MINOR / 100)).length) return { ok: false, problem: negative ? 'price_negative' : 'price_too_large' };
  const minor = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (minor === 0) return { ok: false, problem: 'price_zero' };
  if (negative) return { ok: false, problem: 'price_negative' };
  if (minor > MAX_UNIT_PRICE_MINOR) return { ok: false, problem: 'price_too_large' };
  return { ok: true, minor };
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', '是']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', '否']);

/** The active column: true, false, or null for anything else. */
export function parseActiveFlag(text: string): boolean | null {
  const s = text.normalize('NFKC').trim().toLowerCase();
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  return null;
}

/**
 * A cell as Excel writes a forced-text value, ="0012345", read as its text. Any other cell is
 * returned unchanged.
 */
export function unwrapExcelText(cell: string): string {
  const m = /^\s*="((?:[^"]|"")*)"\s*$/.exec(cell);
  return m === null ? cell : (m[1] ?? '').replace(/""/g, '"');
}
