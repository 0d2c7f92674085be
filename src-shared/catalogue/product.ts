/**
 * A catalogue product as every part of the till agrees on it: the import, the search index, the
 * checkout's look-up. The schema both checks and normalises (codes to their lookup form, names
 * trimmed, the mnemonic upper-cased), so z.output is the stored form and parsing a stored
 * product again gives the same product. Money in fen (integer minor units).
 */
import { z } from 'zod';
import { normaliseProductCode, type ProductCodeParse } from './gtin';

/**
 * The store's categories. The same ten as the demo catalogue (src-main/seed/catalogue.ts), whose
 * CATEGORIES should be this list once the catalogue lives in the database.
 */
export const CATALOGUE_CATEGORIES = [
  'grocery',
  'fresh',
  'dairy',
  'beverage',
  'snacks',
  'household',
  'personal_care',
  'baby',
  'eco',
  'bakery',
] as const;
export type CatalogueCategory = (typeof CATALOGUE_CATEGORIES)[number];

export function isCatalogueCategory(value: string): value is CatalogueCategory {
  return (CATALOGUE_CATEGORIES as readonly string[]).includes(value);
}

/** The languages a product is named in; the keys of `names`. */
export const PRODUCT_NAME_LANGUAGES = ['zh-Hans', 'zh-Hant', 'en'] as const;
export type ProductNameLanguage = (typeof PRODUCT_NAME_LANGUAGES)[number];

/** ¥999,999.99: above any price a store sells one item at, below where a mistyped price would do harm. */
export const MAX_UNIT_PRICE_MINOR = 99_999_999;
export const MAX_BARCODES_PER_PRODUCT = 20;
export const MAX_NAME_LENGTH = 100;
export const MAX_SKU_LENGTH = 32;
export const MAX_MNEMONIC_LENGTH = 16;

/** each: sold by the piece; weight: sold by weight, unitPriceMinor is the price per kilogram. */
export const PRODUCT_MEASURES = ['each', 'weight'] as const;
export type ProductMeasure = (typeof PRODUCT_MEASURES)[number];

/** Letters, digits, '.', '_', '-'; starts with a letter or digit. Case is kept and counts. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A 助记码: letters and digits, stored upper-case (LJC for 龙井茶). */
export const MNEMONIC_PATTERN = /^[A-Z0-9]+$/;
// Control characters (tabs and line breaks included) and U+FFFD, what undecodable bytes become.
const NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\ufffd]/;

export const skuSchema = z.string().trim().min(1).max(MAX_SKU_LENGTH).regex(SKU_PATTERN, 'a SKU is letters, digits, ".", "_" and "-"');

const REASON_TEXT: Readonly<Record<Extract<ProductCodeParse, { ok: false }>['reason'], string>> = {
  empty: 'a barcode is empty',
  bad_characters: 'a barcode is letters, digits and "-"',
  too_long: 'a barcode is at most 20 characters',
  bad_check_digit: 'the barcode fails its check digit',
  scientific_notation: 'the barcode was turned into a number like 6.9E+12',
};

/** One product code in any accepted form, out in its lookup form (see gtin.ts). */
export const barcodeSchema = z.string().transform((raw, ctx) => {
  const parsed = normaliseProductCode(raw);
  if (parsed.ok) return parsed.code;
  ctx.addIssue({ code: 'custom', message: REASON_TEXT[parsed.reason], params: { reason: parsed.reason } });
  return z.NEVER;
});

const nameSchema = z
  .string()
  .trim()
  .max(MAX_NAME_LENGTH)
  .refine((s) => !NAME_FORBIDDEN.test(s), 'a name has no control characters or line breaks');

export const productNamesSchema = z
  .object({ 'zh-Hans': nameSchema, 'zh-Hant': nameSchema, en: nameSchema })
  .refine((n) => n['zh-Hans'] !== '' || n['zh-Hant'] !== '' || n.en !== '', 'a product needs a name in at least one language');

export const mnemonicSchema = z
  .string()
  .trim()
  .max(MAX_MNEMONIC_LENGTH)
  .transform((s) => s.normalize('NFKC').toUpperCase())
  .refine((s) => MNEMONIC_PATTERN.test(s), 'a mnemonic is letters and digits');

export const productSchema = z.object({
  sku: skuSchema,
  /** At least one; stored in lookup form, none twice (a UPC-A and its EAN-13 form are the same code). */
  barcodes: z
    .array(barcodeSchema)
    .min(1)
    .max(MAX_BARCODES_PER_PRODUCT)
    .refine((codes) => new Set(codes).size === codes.length, 'a barcode is listed twice'),
  /** Every language is present; '' means "not named in this language" (at least one is not ''). */
  names: productNamesSchema,
  category: z.enum(CATALOGUE_CATEGORIES),
  unitPriceMinor: z.number().int().min(1).max(MAX_UNIT_PRICE_MINOR),
  active: z.boolean(),
  /** The editable 助记码; absent when the store has not set one (search then uses the pinyin initials). */
  mnemonic: mnemonicSchema.optional(),
  measure: z.enum(PRODUCT_MEASURES),
});

/** A product in its stored form. */
export type CatalogueProduct = z.output<typeof productSchema>;
/** What a caller may hand in (codes in any accepted form, untrimmed names). */
export type CatalogueProductInput = z.input<typeof productSchema>;

/** The product's name in `language`, falling back to zh-Hans, zh-Hant, en (whichever is set first). */
export function productDisplayName(product: Pick<CatalogueProduct, 'names'>, language: ProductNameLanguage): string {
  const n = product.names;
  return n[language] || n['zh-Hans'] || n['zh-Hant'] || n.en;
}
