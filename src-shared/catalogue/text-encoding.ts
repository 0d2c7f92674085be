/**
 * The text of a catalogue file from its bytes. Stores send UTF-8 (with or without a BOM: Excel
 * writes one, most tools do not) or GB18030 (Excel and WPS on Chinese Windows save "CSV" in the
 * system code page, GBK, which GB18030 contains). Pure TypeScript: no Buffer, no iconv.
 *
 * Detection: bytes that are valid UTF-8 are UTF-8 (a GBK file of Chinese text is practically
 * never valid UTF-8: its lead bytes are not followed by UTF-8 continuation bytes; the one case
 * that happens, a file of a few characters that UTF-8 reads as Cyrillic or Greek, is caught
 * below). Otherwise the
 * file is GB18030, unless some of its lines are valid UTF-8 with Chinese characters in them
 * while others are not: rows pasted from files of both encodings, which no single decoding reads
 * correctly, so the file is refused naming one line of each.
 */
import { DomainError } from '../errors/domain-error';

export type CatalogueEncoding = 'utf-8' | 'gb18030';

export interface DecodedCatalogueText {
  encoding: CatalogueEncoding;
  /** The file started with a UTF-8 byte order mark (removed from `text`). */
  bom: boolean;
  text: string;
}

/**
 * Decodes GB18030 bytes, turning undecodable bytes into U+FFFD (as iconv-lite and a non-fatal
 * TextDecoder both do). The core may pass iconv-lite's decoder; the default is the WHATWG
 * TextDecoder's, present in Node (full ICU, the default build), Electron and browsers.
 */
export type Gb18030Decoder = (bytes: Uint8Array) => string;

export const textDecoderGb18030: Gb18030Decoder = (bytes) => new TextDecoder('gb18030').decode(bytes);

/** Why a catalogue file cannot be read at all (DomainError CATALOGUE_FILE_UNREADABLE, details.reason). */
export type UnreadableReason = 'utf16' | 'spreadsheet' | 'mixed_encodings' | 'undecodable' | 'csv_syntax';

export function unreadable(reason: UnreadableReason, message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('CATALOGUE_FILE_UNREADABLE', message, { reason, ...details });
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
// A Han character, CJK punctuation or a full-width form: what a Chinese catalogue's non-ASCII text is.
const CJK_TEXT = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
const BEYOND_U07FF = /[\u0800-\uffff]/;
const U0370_TO_U07FF = /[\u0370-\u07ff]/;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

let strictUtf8: { decode(bytes: Uint8Array): string } | null = null;

function utf8OrNull(bytes: Uint8Array): string | null {
  strictUtf8 ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

const INVALID_LINE = 0;
const UTF8_LINE = 1;
const UTF8_CJK_LINE = 2;

/** True for the code points CJK_TEXT matches (Han, CJK punctuation, full-width forms). */
function isCjk(cp: number): boolean {
  return (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xffef);
}

/**
 * Whether bytes[start, end) are valid UTF-8 (no overlong forms, no surrogates, nothing above
 * U+10FFFF, as the fatal TextDecoder requires), and whether they hold a CJK character. A loop
 * over the bytes: a GB18030 file of 100,000 lines is checked without decoding a line.
 */
function classifyLine(bytes: Uint8Array, start: number, end: number): typeof INVALID_LINE | typeof UTF8_LINE | typeof UTF8_CJK_LINE {
  let cjk = false;
  for (let i = start; i < end; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // The continuation bytes a lead byte announces, and the smallest code point it may carry
    // (anything smaller is an overlong form).
    let need = 3;
    let cp = b & 0x07;
    let min = 0x10000;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0x0f;
      min = 0x800;
    } else if (b < 0xf0 || b > 0xf4) {
      return INVALID_LINE;
    }
    if (i + need >= end) return INVALID_LINE;
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return INVALID_LINE;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return INVALID_LINE;
    if (isCjk(cp)) cjk = true;
    i += need + 1;
  }
  return cjk ? UTF8_CJK_LINE : UTF8_LINE;
}

/** Lines (split at LF, 1-based) of a file that is not valid UTF-8, for the mixed-encoding check. */
function findMixedLines(bytes: Uint8Array, bom: boolean): { utf8Line: number; otherLine: number } | null {
  let utf8Line = bom ? 1 : 0;
  let otherLine = 0;
  let start = 0;
  for (let line = 1; start <= bytes.length && (utf8Line === 0 || otherLine === 0); line += 1) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const kind = classifyLine(bytes, start, end);
    if (kind === INVALID_LINE) otherLine ||= line;
    else if (kind === UTF8_CJK_LINE) utf8Line ||= line;
    start = end + 1;
  }
  return utf8Line !== 0 && otherLine !== 0 ? { utf8Line, otherLine } : null;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

/**
 * Decodes a catalogue file. Throws DomainError CATALOGUE_FILE_UNREADABLE (details.reason):
 *   utf16            a UTF-16 byte order mark ("Unicode text" from Excel): save as CSV UTF-8;
 *   spreadsheet      an .xlsx/.xls file rather than CSV;
 *   mixed_encodings  lines in UTF-8 and lines in another encoding (details utf8Line, otherLine);
 *   undecodable      bytes that are not GB18030 either (details line).
 */
export function decodeCatalogueBytes(bytes: Uint8Array, decodeGb18030: Gb18030Decoder = textDecoderGb18030): DecodedCatalogueText {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    throw unreadable('utf16', 'The file is UTF-16 ("Unicode text"); save it as "CSV UTF-8" or plain CSV.');
  }
  // .xlsx is a zip (PK\3\4); .xls is an OLE compound file.
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
    throw unreadable('spreadsheet', 'The file is a spreadsheet, not CSV; save it as CSV first.');
  }
  const bom = startsWith(bytes, UTF8_BOM);
  const body = bom ? bytes.subarray(UTF8_BOM.length) : bytes;
  const utf8 = utf8OrNull(body);
  if (utf8 !== null) {
    // A short GB18030 file can be valid UTF-8 by chance: 一 is D2 BB in GB18030, which UTF-8
    // reads as the Cyrillic һ. Text with Greek, Cyrillic, Hebrew or Arabic letters and no
    // character from U+0800 up (so no Chinese at all) is no Chinese catalogue in UTF-8; if the
    // same bytes are clean GB18030 with Chinese in them, they are that.
    if (!bom && !BEYOND_U07FF.test(utf8) && U0370_TO_U07FF.test(utf8)) {
      const gb = decodeGb18030(body);
      if (!gb.includes('\ufffd') && CJK_TEXT.test(gb)) return { encoding: 'gb18030', bom: false, text: gb };
    }
    return { encoding: 'utf-8', bom, text: utf8 };
  }

  // With a BOM the file declares UTF-8 (line 1 counts as a UTF-8 line), so any line that is not
  // UTF-8 makes it mixed. UTF-8 never spans a line feed (0x0A is never a continuation byte), so
  // a file that is not valid UTF-8 has at least one line that is not.
  const mixed = findMixedLines(body, bom);
  if (mixed !== null) {
    throw unreadable(
      'mixed_encodings',
      `The file mixes encodings: line ${String(mixed.utf8Line)} is UTF-8, line ${String(mixed.otherLine)} is not. Save it again in one encoding.`,
      mixed,
    );
  }
  const text = decodeGb18030(body);
  const bad = text.indexOf('\ufffd');
  if (bad >= 0) {
    const line = lineOf(text, bad);
    throw unreadable('undecodable', `Line ${String(line)} is neither UTF-8 nor GB18030 text.`, { line });
  }
  return { encoding: 'gb18030', bom: false, text };
}
