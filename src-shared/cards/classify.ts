/**
 * Classifies one raw scan (from any scanner source or typed by the cashier) as a member card,
 * a product barcode, or something unknown with a reason. Pure TypeScript: no node:*, no Buffer.
 *
 * Accepted member-card formats (all normalise to the same lookup `code`):
 *   printed   4000 1234 5678 9017 / 4000-1234-5678-9017 (16 digits, Luhn check digit)
 *   barcode   Code 128 carrying the 16 digits (optionally with an AIM id such as `]C0`)
 *   qr        `TSM1:<16 digits>`, the bare digits with a `]Q1` AIM id, or a URL ending `/c/<16 digits>`
 *   track2    `;<16 digits>=<anything>?` (sentinels stripped; a track 1 before it and the LRC after it are ignored)
 *   nfc       a 4, 7 or 10 byte UID in hex, with or without `:`/space/`-` separators, any case, optional `NFC:` prefix
 * Products: EAN-13 (13 digits with a valid check digit; the GS1 check digits are in ../barcodes/gtin.ts).
 */
import { ean13Valid } from '../barcodes/gtin';
import { luhnValid } from './luhn';

export type MemberCardSource = 'printed' | 'barcode' | 'qr' | 'track2' | 'nfc';

export type ScanRejectReason =
  | 'empty'
  | 'bad_luhn'
  | 'bad_length'
  | 'bad_ean_checksum'
  | 'control_characters'
  | 'unrecognised';

export type ScanResult =
  | {
      kind: 'member_card';
      source: MemberCardSource;
      /** Canonical lookup key: the 16-digit card number, or 'NFC:' + uppercase hex UID. */
      code: string;
    }
  | { kind: 'product'; ean13: string }
  | { kind: 'unknown'; reason: ScanRejectReason; message: string; raw: string };

export interface ClassifyOptions {
  /**
   * The text was typed by the cashier rather than scanned: bare 16 digits are then reported
   * as source 'printed' (the number printed on the card) instead of 'barcode'.
   */
  manualEntry?: boolean;
}

/** Longer input is rejected before any parsing (no code we accept is anywhere near this). */
export const MAX_SCAN_LENGTH = 512;

export const CARD_NUMBER_LENGTH = 16;
/** Valid NFC UID lengths in bytes (ISO/IEC 14443-3 single, double and triple size). */
export const NFC_UID_BYTES: readonly number[] = [4, 7, 10];

// C0 controls, DEL, C1 controls and U+FFFD (what undecodable bytes from a scanner turn into).
const CONTROL_OR_GARBAGE = /[\u0000-\u001f\u007f-\u009f\ufffd]/;
// Whitespace, controls, BOM and zero-width characters that scanners and keyboards add around a code.
const SURROUNDING_NOISE = /^[\s\u0000-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]+|[\s\u0000-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]+$/g;
// AIM symbology identifier: ']' + code character + modifier, e.g. ]C0 (Code 128), ]Q1 (QR), ]E0 (EAN-13).
const AIM_ID = /^\]([A-Za-z])([0-9A-Za-z])/;
const DIGITS_WITH_SEPARATORS = /^[0-9](?:[0-9 -]*[0-9])?$/;
const HEX_PAIRS_SEPARATED = /^[0-9a-f]{2}([: -])[0-9a-f]{2}(?:\1[0-9a-f]{2})*$/i;
const TSM_QR = /^TSM1:(.*)$/i;
const CARD_URL = /^https?:\/\/[^/\s?#]+(?:\/[^\s?#]*)?\/c\/([^/\s?#]+)\/?(?:[?#]\S*)?$/i;
const ANY_URL = /^[a-z][a-z0-9+.-]*:\/\//i;
const NFC_PREFIX = /^NFC\s*:?\s*/i;

function reject(raw: string, reason: ScanRejectReason, message: string): ScanResult {
  return { kind: 'unknown', reason, message, raw };
}

function cardFromDigits(raw: string, digits: string, source: MemberCardSource): ScanResult {
  if (digits.length !== CARD_NUMBER_LENGTH) {
    return reject(
      raw,
      'bad_length',
      `A member card number has ${CARD_NUMBER_LENGTH} digits; this one has ${digits.length}.`,
    );
  }
  if (!luhnValid(digits)) {
    return reject(
      raw,
      'bad_luhn',
      'The card number fails its check digit, so it was mistyped or misread. Check the number and try again.',
    );
  }
  return { kind: 'member_card', source, code: digits };
}

function nfcFromHex(raw: string, hex: string): ScanResult {
  const compact = hex.replace(/^0x/i, '').replace(/[: -]/g, '');
  if (compact.length === 0 || !/^[0-9a-f]+$/i.test(compact)) {
    return reject(raw, 'unrecognised', 'The NFC card id is not a hexadecimal number.');
  }
  const bytes = compact.length / 2;
  if (!Number.isInteger(bytes) || !NFC_UID_BYTES.includes(bytes)) {
    return reject(
      raw,
      'bad_length',
      `An NFC card id has 4, 7 or 10 bytes (8, 14 or 20 hex digits); this one has ${compact.length} hex digits.`,
    );
  }
  return { kind: 'member_card', source: 'nfc', code: `NFC:${compact.toUpperCase()}` };
}

function fromMagneticStripe(raw: string, s: string): ScanResult {
  const start = s.indexOf(';');
  if (start < 0) {
    return reject(
      raw,
      'unrecognised',
      'Only track 1 of the magnetic stripe was read; the member number is on track 2. Swipe the card again.',
    );
  }
  let body = s.slice(start + 1);
  const end = body.indexOf('?');
  // Whatever follows the end sentinel (the LRC character, a CR, another track) is ignored.
  if (end >= 0) body = body.slice(0, end);
  if (/^E/i.test(body)) {
    return reject(raw, 'unrecognised', 'The card reader could not read the magnetic stripe. Swipe the card again.');
  }
  const match = /^([0-9]+)(?:=.*)?$/.exec(body);
  if (match === null || match[1] === undefined) {
    return reject(raw, 'unrecognised', 'The magnetic stripe does not hold a member card number.');
  }
  return cardFromDigits(raw, match[1], 'track2');
}

/**
 * Classifies a raw scan. Never throws; a rejection carries a `reason` for the UI to translate
 * and an English `message`. The `raw` input is echoed back unchanged on rejection only.
 */
export function classifyScan(raw: string, options: ClassifyOptions = {}): ScanResult {
  if (raw.length > MAX_SCAN_LENGTH) {
    return reject(
      raw,
      'bad_length',
      `The scan is ${raw.length} characters long; no card or product code is longer than ${MAX_SCAN_LENGTH}.`,
    );
  }
  // NFKC folds full-width digits, letters and colons (typed under a Chinese input method) to ASCII.
  let s = raw.normalize('NFKC').replace(SURROUNDING_NOISE, '');
  if (s.length === 0) {
    return reject(
      raw,
      'empty',
      raw.length === 0 ? 'Nothing was scanned.' : 'The scan held only blanks or control characters.',
    );
  }
  if (CONTROL_OR_GARBAGE.test(s)) {
    return reject(
      raw,
      'control_characters',
      'The scan contains control characters or unreadable bytes. Scan again, or check the scanner settings (baud rate, keyboard layout).',
    );
  }

  let aim: string | null = null;
  const aimMatch = AIM_ID.exec(s);
  if (aimMatch !== null && aimMatch[1] !== undefined) {
    aim = aimMatch[1];
    s = s.slice(3).trim();
    if (s.length === 0) {
      return reject(raw, 'empty', 'The scanner sent a symbology identifier but no data.');
    }
  }

  // Magnetic stripe: track 2 (';'), possibly preceded by track 1 ('%').
  if (s.startsWith(';') || s.startsWith('%')) return fromMagneticStripe(raw, s);

  // NFC with an explicit prefix.
  const nfcPrefix = NFC_PREFIX.exec(s);
  if (nfcPrefix !== null) return nfcFromHex(raw, s.slice(nfcPrefix[0].length));

  // Tillsmith QR payload.
  const qr = TSM_QR.exec(s);
  if (qr !== null) {
    const payload = (qr[1] ?? '').trim();
    if (!DIGITS_WITH_SEPARATORS.test(payload)) {
      return reject(raw, 'unrecognised', 'The QR code has the Tillsmith card prefix but no card number after it.');
    }
    return cardFromDigits(raw, payload.replace(/[ -]/g, ''), 'qr');
  }
  const url = CARD_URL.exec(s);
  if (url !== null) {
    const tail = url[1] ?? '';
    if (!/^[0-9]+$/.test(tail)) {
      return reject(raw, 'unrecognised', 'The QR code links to a card page but holds no card number.');
    }
    return cardFromDigits(raw, tail, 'qr');
  }
  if (ANY_URL.test(s)) {
    return reject(raw, 'unrecognised', 'The QR code holds a web address that is not a Tillsmith member card.');
  }

  // Digits, possibly grouped with spaces or dashes: a card number or an EAN-13.
  if (DIGITS_WITH_SEPARATORS.test(s)) {
    const digits = s.replace(/[ -]/g, '');
    const hadSeparators = digits.length !== s.length;
    if (digits.length === CARD_NUMBER_LENGTH) {
      let source: MemberCardSource;
      if (aim === 'Q') source = 'qr';
      else if (aim !== null) source = 'barcode';
      else source = hadSeparators || options.manualEntry === true ? 'printed' : 'barcode';
      return cardFromDigits(raw, digits, source);
    }
    if (digits.length === 13) {
      if (!ean13Valid(digits)) {
        return reject(
          raw,
          'bad_ean_checksum',
          'The product barcode fails its check digit, so it was misread. Scan it again or type the number.',
        );
      }
      return { kind: 'product', ean13: digits };
    }
    return reject(
      raw,
      'bad_length',
      `A member card number has ${CARD_NUMBER_LENGTH} digits and a product barcode 13; this code has ${digits.length}.`,
    );
  }

  // NFC UID without a prefix: hex pairs with separators, or a bare hex string with at least
  // one letter (an all-digit string is read as a number above; configure readers to add 'NFC:').
  if (HEX_PAIRS_SEPARATED.test(s)) return nfcFromHex(raw, s);
  if (/^[0-9a-f]+$/i.test(s) && /[a-f]/i.test(s) && NFC_UID_BYTES.includes(s.length / 2)) {
    return nfcFromHex(raw, s);
  }

  return reject(
    raw,
    'unrecognised',
    'This code is not a member card, a Tillsmith QR code, an NFC card or a product barcode.',
  );
}
