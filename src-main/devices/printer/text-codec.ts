/**
 * Turns text into the bytes a given printer prints, and says how many columns each character
 * takes. The width comes from the encoding itself: in Chinese mode a double-byte character is
 * a 24x24 glyph, i.e. 2 columns of the 12x24 font A; a single byte is 1 column. Layout
 * (layout.ts) uses the same widths, so what we measure is what the printer prints.
 */
import iconv from 'iconv-lite';
import type { PrinterProfile } from './profile';

export interface EncodedChar {
  bytes: Uint8Array;
  /** Columns in font A at normal size. */
  width: number;
  /** True when the character could not be printed and '?' (or a fold) was used instead. */
  replaced: boolean;
}

export interface EncodedText {
  bytes: Uint8Array;
  width: number;
  /** Characters that could not be encoded and were printed as '?'. */
  replaced: number;
}

const QUESTION = new Uint8Array([0x3f]);
const SPACE = new Uint8Array([0x20]);

/**
 * Characters replaced before encoding. In Chinese mode the half-width yen/yuan sign U+00A5 has
 * no double-byte code (GB18030 gives the 4-byte 81 30 84 36, GBK and Big5 have nothing), and a
 * single byte >= 0x80 would be read as a lead byte; the full-width U+FFE5 is A3 A4 in GB and
 * A2 44 in Big5.
 */
const CHINESE_MODE_FOLDS: ReadonlyMap<string, string> = new Map([
  ['\u00a5', '\uffe5'], // ¥ -> ￥
  ['\u00a0', ' '], // no-break space
  ['\u20ac', 'EUR'], // € is the single byte 0x80 in GBK, absent from Big5
]);

const SINGLE_BYTE_FOLDS: ReadonlyMap<string, string> = new Map([
  ['\uffe5', '\u00a5'], // ￥ -> ¥ (0x9D in CP437, 0xBE in CP850/858)
  ['\u00a0', ' '],
]);

function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

function isValidDoubleByte(bytes: Uint8Array, encoding: PrinterProfile['cjkEncoding']): boolean {
  if (bytes.length !== 2) return false;
  const lead = bytes[0] ?? 0;
  const trail = bytes[1] ?? 0;
  if (encoding === 'big5') {
    // Standard Big5 only: iconv-lite's big5 is Big5-HKSCS, whose extra lead bytes
    // (0x87-0xA0, 0xFA-0xFE) are not in printer fonts.
    return lead >= 0xa1 && lead <= 0xf9 && ((trail >= 0x40 && trail <= 0x7e) || (trail >= 0xa1 && trail <= 0xfe));
  }
  return lead >= 0x81 && lead <= 0xfe && trail >= 0x40 && trail <= 0xfe && trail !== 0x7f;
}

export class PrinterTextCodec {
  private readonly cache = new Map<string, EncodedChar>();

  constructor(readonly profile: PrinterProfile) {}

  /** Encodes one character (one code point). Control characters become a space. */
  encodeChar(ch: string): EncodedChar {
    const cached = this.cache.get(ch);
    if (cached !== undefined) return cached;
    const result = this.encodeCharUncached(ch);
    if (this.cache.size < 4096) this.cache.set(ch, result);
    return result;
  }

  private encodeCharUncached(ch: string): EncodedChar {
    const cp = ch.codePointAt(0) ?? 0;
    if (isControl(cp)) return { bytes: SPACE, width: 1, replaced: true };
    if (cp < 0x7f) return { bytes: new Uint8Array([cp]), width: 1, replaced: false };

    const folds = this.profile.chineseMode ? CHINESE_MODE_FOLDS : SINGLE_BYTE_FOLDS;
    const folded = folds.get(ch);
    if (folded !== undefined) {
      const parts = [...folded].map((c) => this.encodeChar(c));
      const bytes = concatBytes(parts.map((p) => p.bytes));
      return { bytes, width: parts.reduce((w, p) => w + p.width, 0), replaced: parts.some((p) => p.replaced) };
    }

    if (this.profile.chineseMode) {
      const enc = this.profile.cjkEncoding;
      const bytes = new Uint8Array(iconv.encode(ch, enc));
      if (isValidDoubleByte(bytes, enc)) return { bytes, width: 2, replaced: false };
      if (
        enc === 'gb18030' &&
        this.profile.allowGb18030FourByte === true &&
        bytes.length === 4 &&
        (bytes[1] ?? 0) >= 0x30 &&
        (bytes[1] ?? 0) <= 0x39
      ) {
        return { bytes, width: 2, replaced: false };
      }
      return { bytes: QUESTION, width: 1, replaced: true };
    }

    const bytes = new Uint8Array(iconv.encode(ch, this.profile.codePage));
    if (bytes.length === 1 && !(bytes[0] === 0x3f && ch !== '?')) return { bytes, width: 1, replaced: false };
    return { bytes: QUESTION, width: 1, replaced: true };
  }

  /** Columns `ch` takes at normal size. */
  charWidth(ch: string): number {
    return this.encodeChar(ch).width;
  }

  /** Columns `text` takes at normal size. */
  width(text: string): number {
    let w = 0;
    for (const ch of normalise(text)) w += this.encodeChar(ch).width;
    return w;
  }

  /** Encodes a run of text (no line feed added). Newlines and other controls become spaces. */
  encode(text: string): EncodedText {
    const parts: Uint8Array[] = [];
    let width = 0;
    let replaced = 0;
    let size = 0;
    for (const ch of normalise(text)) {
      const e = this.encodeChar(ch);
      parts.push(e.bytes);
      size += e.bytes.length;
      width += e.width;
      if (e.replaced && !isControl(ch.codePointAt(0) ?? 0)) replaced += 1;
    }
    const bytes = new Uint8Array(size);
    let off = 0;
    for (const p of parts) {
      bytes.set(p, off);
      off += p.length;
    }
    return { bytes, width, replaced };
  }

  /** True when every character of `text` prints as itself (nothing becomes '?'). */
  canPrint(text: string): boolean {
    for (const ch of normalise(text)) {
      const cp = ch.codePointAt(0) ?? 0;
      if (!isControl(cp) && this.encodeChar(ch).replaced) return false;
    }
    return true;
  }
}

/** NFC so that decomposed accents meet the precomposed characters the code tables hold. */
export function normalise(text: string): string {
  return text.normalize('NFC');
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
