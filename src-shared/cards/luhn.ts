/**
 * Luhn (mod 10) check digits for member card numbers, and masking for display.
 * Pure TypeScript: no node:* imports, no Buffer.
 */

const DIGITS_ONLY = /^[0-9]+$/;

/** Sum of the Luhn weights over `digits`, doubling every second digit from the right end of `digits`. */
function luhnSum(digits: string, doubleFromRightmost: boolean): number {
  let sum = 0;
  let double = doubleFromRightmost;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum;
}

/**
 * True when `digits` is a non-empty string of ASCII digits (at least two) whose last
 * digit is the correct Luhn check digit. Anything else (spaces, dashes, letters) is false:
 * normalise first.
 */
export function luhnValid(digits: string): boolean {
  if (digits.length < 2 || !DIGITS_ONLY.test(digits)) return false;
  return luhnSum(digits, false) % 10 === 0;
}

/**
 * The Luhn check digit ('0'..'9') to append to `first15` (normally the first 15 digits of a
 * member card number; any non-empty digit string works). Throws a RangeError on anything
 * that is not ASCII digits.
 */
export function luhnCheckDigit(first15: string): string {
  if (first15.length === 0 || !DIGITS_ONLY.test(first15)) {
    throw new RangeError('luhnCheckDigit expects a non-empty string of digits');
  }
  const sum = luhnSum(first15, true);
  return String((10 - (sum % 10)) % 10);
}

/**
 * A card number for display: every digit except the last four replaced by '*', grouped by
 * four ("**** **** **** 0366"). Spaces and dashes in the input are ignored; other characters
 * are dropped. Four digits or fewer are fully masked, so a short string never leaks.
 */
export function maskCardNumber(cardNumber: string): string {
  const digits = cardNumber.replace(/[^0-9]/g, '');
  if (digits.length === 0) return '';
  const visible = digits.length > 4 ? 4 : 0;
  const masked = '*'.repeat(digits.length - visible) + digits.slice(digits.length - visible);
  const groups: string[] = [];
  // group from the right so the visible last four always stand together
  for (let end = masked.length; end > 0; end -= 4) groups.unshift(masked.slice(Math.max(0, end - 4), end));
  return groups.join(' ');
}
