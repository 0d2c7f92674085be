/**
 * The problems a catalogue import's dry run reports, in a module of their own (no CSV parser
 * behind it) so the renderer can list and word them.
 */
import type { CatalogueCsvColumn } from './csv-format';

/** Every problem the dry run reports. The renderer has words for each (src-renderer/i18n/errors.ts). */
export const CATALOGUE_ISSUE_CODES = [
  // the header (row 1)
  'missing_column',
  'unknown_column',
  'duplicate_column',
  'wrong_delimiter',
  // the shape of a row
  'wrong_field_count',
  'required',
  // sku
  'sku_invalid',
  'duplicate_sku',
  // barcodes
  'barcode_invalid',
  'barcode_check_digit',
  'barcode_scientific',
  'barcode_repeated',
  'too_many_barcodes',
  'duplicate_barcode',
  'barcode_taken',
  'barcode_variable_measure',
  // names
  'name_missing',
  'name_too_long',
  'name_invalid',
  // the rest
  'unknown_category',
  'price_not_a_number',
  'price_negative',
  'price_zero',
  'price_too_many_decimals',
  'price_too_large',
  'active_invalid',
  'measure_invalid',
  'mnemonic_invalid',
] as const;
export type CatalogueIssueCode = (typeof CATALOGUE_ISSUE_CODES)[number];

export interface CatalogueImportIssue {
  /** The spreadsheet row: the header is 1, the first product 2; blank rows count. */
  row: number;
  /** The column the problem is in; null when it is the row's (a missing name, a wrong field count) or an unknown header. */
  column: CatalogueCsvColumn | null;
  code: CatalogueIssueCode;
  /** The message's parameters: the offending value (cut to 40 characters), the other row or SKU, a limit. */
  params: Record<string, string | number>;
}
