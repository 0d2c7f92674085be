/**
 * Codes whose check digit vouches for every other digit: what a keyboard-wedge scan split by a
 * late keystroke may be rejoined into. Pure TypeScript: no node:*, no Buffer.
 *
 * A checked code is, after an optional AIM symbology identifier (`]` + two characters):
 *   - a member card number: 16 digits with a Luhn check digit, bare, as `TSM1:<16 digits>` (QR),
 *     or as track 2 of a magnetic stripe, `;<16 digits>[=<anything>]?` (and an optional LRC);
 *   - a product barcode: EAN-13, UPC-A (12 digits) or EAN-8 with its GS1 check digit.
 * NFC ids and Code 128 payloads without a check digit are never checked codes.
 *
 * `mayBeginCheckedCode` is the shape alone: whether more characters could still make a checked
 * code of this text. A detector waits for a continuation only then, so a person typing letters
 * never waits on it.
 */
import { gtinValid } from '../barcodes/gtin';
import { luhnValid } from './luhn';
import { CARD_NUMBER_LENGTH } from './classify';

const AIM_ID = /^\][A-Za-z][0-9A-Za-z]/;
const TSM_PREFIX = 'TSM1:';
const TRACK2 = /^;([0-9]+)(?:=[^?]*)?\?.?$/;

function withoutAim(code: string): string {
  return AIM_ID.test(code) ? code.slice(3) : code;
}

/** True when `code` is a member card number (Luhn) or a product barcode (GS1) in a form listed above. */
export function isCheckedCode(code: string): boolean {
  const s = withoutAim(code);
  if (/^[0-9]+$/.test(s)) return s.length === CARD_NUMBER_LENGTH ? luhnValid(s) : gtinValid(s);
  if (s.slice(0, TSM_PREFIX.length).toUpperCase() === TSM_PREFIX) {
    const digits = s.slice(TSM_PREFIX.length);
    return digits.length === CARD_NUMBER_LENGTH && luhnValid(digits);
  }
  const track = TRACK2.exec(s);
  if (track !== null) {
    const digits = track[1] ?? '';
    return digits.length === CARD_NUMBER_LENGTH && luhnValid(digits);
  }
  return false;
}

/**
 * True when `prefix` is the start of some checked code that is longer than it: more characters
 * could still complete it. False for anything else, and for a code that is already complete
 * and can only grow into something else (16 bare digits).
 */
export function mayBeginCheckedCode(prefix: string): boolean {
  if (prefix === ']' || /^\][A-Za-z]$/.test(prefix)) return true;
  const s = withoutAim(prefix);
  if (/^[0-9]*$/.test(s)) return s.length < CARD_NUMBER_LENGTH;
  if (s.startsWith(';')) {
    const digits = /^;([0-9]*)/.exec(s)?.[1] ?? '';
    if (digits.length + 1 === s.length) return digits.length <= CARD_NUMBER_LENGTH;
    // After the number and its '=' comes whatever the card holds, up to the end sentinel.
    return digits.length === CARD_NUMBER_LENGTH && s.charAt(digits.length + 1) === '=' && !s.includes('?');
  }
  const upper = s.toUpperCase();
  if (upper.length <= TSM_PREFIX.length) return TSM_PREFIX.startsWith(upper);
  const digits = s.slice(TSM_PREFIX.length);
  return upper.startsWith(TSM_PREFIX) && /^[0-9]*$/.test(digits) && digits.length < CARD_NUMBER_LENGTH;
}
