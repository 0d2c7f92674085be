/**
 * A receipt as plain data, ready to print: every string is already what the customer should
 * read (the time is formatted, the phone is masked), every amount is an integer in minor units
 * (fen/cents) and every point count an integer. No floats anywhere.
 *
 * The printer layer (src-main/devices/printer) turns this into ESC/POS bytes; the renderer
 * can show the same data on screen for "reprint last receipt".
 */

export interface ReceiptCurrency {
  /** ISO 4217 code, e.g. 'CNY', 'TWD'. Informational. */
  code: string;
  /** Printed before amounts, e.g. '¥' (folded to the full-width '￥' on Chinese printers), 'NT$'. */
  symbol: string;
  /** Digits after the decimal point: 2 for CNY, 0 for TWD receipts in whole dollars. */
  minorDigits: number;
}

export interface ReceiptStore {
  name: string;
  /** One printed line per entry. */
  addressLines: string[];
  phone?: string;
}

export interface ReceiptLine {
  description: string;
  /** Integer quantity (units). */
  qty: number;
  unitMinor: number;
  /** qty x unit - line discount, as computed by the domain layer. */
  lineMinor: number;
}

export interface ReceiptTotals {
  grossMinor: number;
  /** Points spent on this sale (0 when none). */
  pointsRedeemed: number;
  /** What those points took off the bill, in minor units (0 when none). */
  pointsRedeemedValueMinor: number;
  /** What the customer paid. */
  paidMinor: number;
}

/** How the sale was paid (or the refund paid back): one row per tender, names in the receipt's language. */
export interface ReceiptPayment {
  tenders: { name: string; amountMinor: number; reference: string | null }[];
  /** Cash rounding of the cash part (signed; 0 when none). */
  roundingMinor: number;
  /** Cash handed over and change given (null without cash). */
  cash: { tenderedMinor: number; changeMinor: number } | null;
  /** Cash moved (or a tender set to open the drawer was used): the printer kicks the drawer open. */
  opensDrawer: boolean;
}

export interface ReceiptMember {
  /** Already masked, e.g. '138****5678'. The printer masks it again if it looks unmasked. */
  maskedPhone: string;
  /** Display name of the tier, e.g. 'Gold' / '金卡'. */
  tier: string;
  pointsEarned: number;
  pointsRedeemed: number;
  newBalance: number;
  /** Points that expire soon, or null when none do. `date` is already formatted. */
  expiringSoon: { points: number; date: string } | null;
}

export interface ReceiptDoc {
  store: ReceiptStore;
  /** Printed centred and bold under the store header, e.g. 'REFUND' or 'REPRINT'; none for a plain sale. */
  title?: string;
  /** Terminal name or id as shown to staff, e.g. 'T01'. */
  terminal: string;
  cashier: string;
  receiptId: string;
  /** Already formatted in the store's locale and time zone. */
  time: string;
  currency: ReceiptCurrency;
  lines: ReceiptLine[];
  totals: ReceiptTotals;
  /** Absent when the money was taken at another register. */
  payment?: ReceiptPayment;
  member: ReceiptMember | null;
  ruleSetVersion: string;
  /** One printed line per entry (centred). */
  footer: string[];
  /** Content of the receipt's QR code; defaults to `receiptId`. */
  qrContent?: string;
}

/** Throws unless `n` is a safe integer (the only kind of number allowed for money and points). */
export function assertWhole(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a whole number, got ${String(n)}`);
}

/**
 * Formats integer minor units as a money string without floating point:
 * formatMinor(123456, {symbol:'¥', minorDigits:2}) === '¥1234.56'; negatives as '-¥5.00'.
 * `thousands` inserts a separator every three integer digits (none by default).
 */
export function formatMinor(
  minor: number,
  currency: Pick<ReceiptCurrency, 'symbol' | 'minorDigits'>,
  thousands = '',
): string {
  assertWhole(minor, 'amount');
  if (!Number.isInteger(currency.minorDigits) || currency.minorDigits < 0 || currency.minorDigits > 6) {
    throw new RangeError('minorDigits must be an integer from 0 to 6');
  }
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(currency.minorDigits + 1, '0');
  let whole = digits.slice(0, digits.length - currency.minorDigits);
  const fraction = digits.slice(digits.length - currency.minorDigits);
  if (thousands !== '') whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
  const body = currency.minorDigits > 0 ? `${whole}.${fraction}` : whole;
  return `${negative ? '-' : ''}${currency.symbol}${body}`;
}

/**
 * Makes sure a phone number is masked before it is printed: a string that already contains
 * '*' is returned as is; otherwise every digit except the first three and last four is masked
 * ('13812345678' -> '138****5678'). Short numbers keep only their last two digits.
 */
export function ensureMaskedPhone(phone: string): string {
  if (phone.includes('*')) return phone;
  const positions: number[] = [];
  for (let i = 0; i < phone.length; i += 1) {
    const c = phone.charCodeAt(i);
    if (c >= 48 && c <= 57) positions.push(i);
  }
  if (positions.length === 0) return phone;
  const keepHead = positions.length >= 9 ? 3 : 0;
  const keepTail = positions.length >= 9 ? 4 : Math.min(2, positions.length - 1);
  const masked = new Set(positions.slice(keepHead, positions.length - keepTail));
  let out = '';
  for (let i = 0; i < phone.length; i += 1) out += masked.has(i) ? '*' : phone.charAt(i);
  return out;
}
