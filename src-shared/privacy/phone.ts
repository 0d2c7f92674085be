import { DomainError } from '../errors/domain-error';

/**
 * Normalises a phone number to E.164 (+ and 8 to 15 digits). Spaces, dashes, dots and
 * brackets are ignored; `00` becomes `+`; an 11-digit Chinese mobile (1xxxxxxxxxx) gets +86.
 * Throws INVALID_INPUT with a message a cashier understands.
 */
export function normalisePhone(input: string, defaultCountryCode = '86'): string {
  const compact = input.trim().replace(/[\s\-.()]/g, '');
  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else if (/^1\d{10}$/.test(compact) && defaultCountryCode === '86') digits = `86${compact}`;
  else digits = compact;
  if (!/^\d{8,15}$/.test(digits) || digits.startsWith('0')) {
    throw new DomainError('INVALID_INPUT', 'That is not a valid phone number. Type the full mobile number, e.g. 13812345678 or +85291234567.', {
      field: 'phone',
    });
  }
  return `+${digits}`;
}

/** True when the text looks like a whole phone number rather than a name or last four digits. */
export function looksLikePhone(text: string): boolean {
  const compact = text.trim().replace(/[\s\-.()]/g, '');
  return /^(\+|00)?\d{8,15}$/.test(compact);
}

/** The last four digits, used for the quick look-up. */
export function lastFourDigits(e164: string): string {
  return e164.slice(-4);
}
