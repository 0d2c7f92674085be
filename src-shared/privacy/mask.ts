/** Masking for screens and receipts: enough to recognise, not enough to misuse. */

/** +8613812341234 -> 138****1234; other numbers keep their first 3 and last 4 digits of the national part. */
export function maskPhone(e164: string | null): string | null {
  if (!e164) return null;
  const national = e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
  if (national.length <= 7) return `${national.slice(0, 1)}***${national.slice(-2)}`;
  return `${national.slice(0, 3)}${'*'.repeat(national.length - 7)}${national.slice(-4)}`;
}

/**
 * Chinese names keep the family name (first character): 王小明 -> 王**;
 * Latin names keep the first name and the initial of the last: Alice Smith -> Alice S.
 */
export function maskName(name: string | null): string | null {
  if (!name) return null;
  const trimmed = name.trim();
  if (/^[\p{Script=Han}\u00b7]+$/u.test(trimmed)) {
    const chars = Array.from(trimmed);
    return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
  }
  const parts = trimmed.split(/\s+/);
  if (parts.length === 1) return parts[0]!.slice(0, 1) + '*'.repeat(Math.max(1, parts[0]!.length - 1));
  return `${parts[0]} ${parts[parts.length - 1]!.slice(0, 1)}.`;
}

/** 6222 **** **** 1234 for a 16-digit card number; NFC:AB****EF for tag ids. */
export function maskCardCode(code: string): string {
  if (/^\d{16}$/.test(code)) return `${code.slice(0, 4)} **** **** ${code.slice(12)}`;
  if (code.startsWith('NFC:')) {
    const hex = code.slice(4);
    return `NFC:${hex.slice(0, 2)}${'*'.repeat(Math.max(0, hex.length - 4))}${hex.slice(-2)}`;
  }
  return code.length > 4 ? `${'*'.repeat(code.length - 4)}${code.slice(-4)}` : code;
}
