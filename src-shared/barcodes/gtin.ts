/**
 * GS1 check digits of product barcodes: EAN-13, EAN-8 and UPC-A (GTIN-13, GTIN-8, GTIN-12).
 * Pure TypeScript: no node:* imports, no Buffer.
 *
 * All three use one mod-10 rule: counting from the check digit leftwards, the digits of the
 * body are weighted 3, 1, 3, 1, ...; the check digit brings the sum up to a multiple of ten.
 * Because the weights run from the right, a UPC-A with a leading 0 is the EAN-13 of the same
 * product and has the same check digit.
 */

const DIGITS_ONLY = /^[0-9]+$/;

/** Lengths (check digit included) of the GTINs this module knows. */
export const GTIN_LENGTHS = { ean8: 8, upcA: 12, ean13: 13 } as const;

/** Weighted sum of `body` with weights 3, 1, 3, ... from its rightmost digit. */
function gtinSum(body: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = body.length - 1; i >= 0; i -= 1) {
    sum += (body.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return sum;
}

/**
 * The check digit ('0'..'9') for a GTIN body (every digit but the check digit, any length).
 * Throws a RangeError on an empty string or anything that is not ASCII digits.
 */
export function gtinCheckDigit(body: string): string {
  if (body.length === 0 || !DIGITS_ONLY.test(body)) throw new RangeError('gtinCheckDigit expects a non-empty string of digits');
  return String((10 - (gtinSum(body) % 10)) % 10);
}

/** True when `code` is `length` ASCII digits whose last is the GS1 check digit of the others. */
function validOfLength(code: string, length: number): boolean {
  if (code.length !== length || !DIGITS_ONLY.test(code)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === code.charAt(length - 1);
}

/** True when `digits` is 13 digits whose last is the EAN-13 check digit. */
export function ean13Valid(digits: string): boolean {
  return validOfLength(digits, GTIN_LENGTHS.ean13);
}

/** True when `digits` is 8 digits whose last is the EAN-8 check digit. */
export function ean8Valid(digits: string): boolean {
  return validOfLength(digits, GTIN_LENGTHS.ean8);
}

/** True when `digits` is 12 digits whose last is the UPC-A check digit. */
export function upcAValid(digits: string): boolean {
  return validOfLength(digits, GTIN_LENGTHS.upcA);
}

/** True when `digits` is a valid EAN-13, EAN-8 or UPC-A. */
export function gtinValid(digits: string): boolean {
  return ean13Valid(digits) || ean8Valid(digits) || upcAValid(digits);
}

/** The EAN-13 check digit for the first 12 digits (weights 1,3,1,3,... from the left). */
export function ean13CheckDigit(first12: string): string {
  if (first12.length !== 12 || !DIGITS_ONLY.test(first12)) throw new RangeError('ean13CheckDigit expects 12 digits');
  return gtinCheckDigit(first12);
}

/** The EAN-8 check digit for the first 7 digits. */
export function ean8CheckDigit(first7: string): string {
  if (first7.length !== 7 || !DIGITS_ONLY.test(first7)) throw new RangeError('ean8CheckDigit expects 7 digits');
  return gtinCheckDigit(first7);
}

/** The UPC-A check digit for the first 11 digits. */
export function upcACheckDigit(first11: string): string {
  if (first11.length !== 11 || !DIGITS_ONLY.test(first11)) throw new RangeError('upcACheckDigit expects 11 digits');
  return gtinCheckDigit(first11);
}
