/**
 * GTIN check digits (EAN-13, EAN-8, UPC-A) and the product codes a catalogue stores.
 * Pure TypeScript: no node:*, no Buffer.
 *
 * One lookup key per product code, so a code scanned in any of its forms finds its product:
 *   EAN-13   13 digits, stored as is;
 *   UPC-A    12 digits, stored in its EAN-13 form ('0' + the 12 digits). The check digit is the
 *            same in both forms (the leading 0 weighs nothing), so a UPC-A and the EAN-13 that a
 *            scanner set to "UPC-A as EAN-13" sends are one key; so is an EAN-13 whose leading 0
 *            a spreadsheet dropped;
 *   EAN-8    8 digits, stored as is (an EAN-8 is not the EAN-13 with five leading zeros: GS1
 *            never issues EAN-13s that start 00000, and scanners send the 8 digits);
 *   internal any other store code: 1 to 20 of A-Z, 0-9, '-' (letters upper-cased). An all-digit
 *            internal code of up to 7 digits is a PLU number, so its leading zeros do not count
 *            ('00123' is '123'): that is how the item code of a scale label finds its product
 *            (see variable-measure.ts). All-digit codes of 8, 12 or 13 digits are GTINs and
 *            must have a valid check digit; they are never internal codes. Longer all-digit
 *            codes (9 to 11, 14 to 20 digits) are kept as they are.
 * Normalising is idempotent: a stored code normalises to itself (stripping zeros only ever
 * shortens a code of at most 7 digits, so it never becomes GTIN-length).
 * UPC-E and GTIN-14 (ITF-14 case codes) are not read: a 6/7/8-digit UPC-E would be taken for
 * an EAN-8 or an internal code. Scanners expand UPC-E to UPC-A when told to.
 */

import { gtinCheckDigit, upcACheckDigit } from '../barcodes/gtin';

export type GtinKind = 'ean13' | 'ean8' | 'upca';

const DIGITS = /^[0-9]+$/;

// One implementation of the GS1 check digit for the scanner and the catalogue (barcodes/gtin.ts).
export { ean13CheckDigit, ean8CheckDigit } from '../barcodes/gtin';
/** The GS1 mod-10 check digit for `body` (any length); a RangeError on an empty or non-digit body. */
export const gs1CheckDigit = gtinCheckDigit;
/** The UPC-A check digit for the first 11 digits. */
export const upcaCheckDigit = upcACheckDigit;

/** True when `code` is all digits, at least two, and its last digit is the GS1 check digit of the rest. */
export function gs1CheckDigitValid(code: string): boolean {
  if (code.length < 2 || !DIGITS.test(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === code.charAt(code.length - 1);
}

const GTIN_KIND_BY_LENGTH: Readonly<Record<number, GtinKind>> = { 8: 'ean8', 12: 'upca', 13: 'ean13' };

/** The GTIN kind an all-digit code of this length would be, or null (8, 12, 13 digits only). */
export function gtinKindOfLength(length: number): GtinKind | null {
  return GTIN_KIND_BY_LENGTH[length] ?? null;
}

/** The EAN-13 form of a UPC-A: '0' + the 12 digits (the check digit is unchanged). */
export function upcaToEan13(upca: string): string {
  if (upca.length !== 12 || !DIGITS.test(upca)) throw new RangeError('upcaToEan13 expects 12 digits');
  return `0${upca}`;
}

/** The UPC-A an EAN-13 starting with 0 is, or null for any other EAN-13. */
export function ean13ToUpca(ean13: string): string | null {
  if (ean13.length !== 13 || !DIGITS.test(ean13)) throw new RangeError('ean13ToUpca expects 13 digits');
  return ean13.startsWith('0') ? ean13.slice(1) : null;
}

export type GtinParse =
  | {
      ok: true;
      kind: GtinKind;
      /** The lookup key: the EAN-13 form for EAN-13 and UPC-A, the 8 digits for EAN-8. */
      key: string;
    }
  | { ok: false; reason: 'not_digits' | 'bad_length' | 'bad_check_digit'; kind: GtinKind | null };

/** Reads an EAN-13, UPC-A or EAN-8 given as bare digits (normalise scanner noise first). */
export function parseGtin(digits: string): GtinParse {
  if (!DIGITS.test(digits)) return { ok: false, reason: 'not_digits', kind: null };
  const kind = gtinKindOfLength(digits.length);
  if (kind === null) return { ok: false, reason: 'bad_length', kind: null };
  if (!gs1CheckDigitValid(digits)) return { ok: false, reason: 'bad_check_digit', kind };
  return { ok: true, kind, key: kind === 'upca' ? upcaToEan13(digits) : digits };
}

export type ProductCodeKind = GtinKind | 'internal';

export type ProductCodeParse =
  | { ok: true; kind: ProductCodeKind; code: string }
  | {
      ok: false;
      /**
       * empty: nothing after trimming; bad_characters: not A-Z, 0-9, '-'; too_long: over
       * MAX_INTERNAL_CODE_LENGTH; bad_check_digit: 8, 12 or 13 digits failing the GTIN check;
       * scientific_notation: a spreadsheet turned the code into a number like 6.9E+12.
       */
      reason: 'empty' | 'bad_characters' | 'too_long' | 'bad_check_digit' | 'scientific_notation';
      kind: GtinKind | null;
    };

export const MAX_INTERNAL_CODE_LENGTH = 20;
/** All-digit internal codes up to this length are PLU numbers (leading zeros dropped). */
export const MAX_PLU_DIGITS = 7;

const INTERNAL_CODE = /^[0-9A-Z][0-9A-Z-]*$/;
// What Excel and WPS show (and save to CSV) for a long number in a "General" cell: 6.90123E+12.
const SCIENTIFIC = /^[0-9](?:\.[0-9]+)?E\+?[0-9]+$/;
// Whitespace, BOM and zero-width characters that keyboards, scanners and spreadsheets leave around a code.
const SURROUNDING_NOISE = /^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$/g;

/**
 * The stored (lookup) form of a product code typed, scanned or imported: NFKC (full-width
 * digits typed under a Chinese input method become ASCII), trimmed, upper-cased; UPC-A to its
 * EAN-13 form; leading zeros of an all-digit internal code dropped. Never throws.
 */
export function normaliseProductCode(raw: string): ProductCodeParse {
  const s = raw.normalize('NFKC').replace(SURROUNDING_NOISE, '').toUpperCase();
  if (s.length === 0) return { ok: false, reason: 'empty', kind: null };
  if (SCIENTIFIC.test(s)) return { ok: false, reason: 'scientific_notation', kind: null };
  if (DIGITS.test(s)) {
    const kind = gtinKindOfLength(s.length);
    if (kind !== null) {
      const gtin = parseGtin(s);
      return gtin.ok ? { ok: true, kind, code: gtin.key } : { ok: false, reason: 'bad_check_digit', kind };
    }
    if (s.length > MAX_INTERNAL_CODE_LENGTH) return { ok: false, reason: 'too_long', kind: null };
    // A PLU number: '00123' and '123' are one code. All zeros stays '0'.
    const code = s.length <= MAX_PLU_DIGITS ? s.replace(/^0+(?=[0-9])/, '') : s;
    return { ok: true, kind: 'internal', code };
  }
  if (s.length > MAX_INTERNAL_CODE_LENGTH) return { ok: false, reason: 'too_long', kind: null };
  if (!INTERNAL_CODE.test(s)) return { ok: false, reason: 'bad_characters', kind: null };
  return { ok: true, kind: 'internal', code: s };
}
