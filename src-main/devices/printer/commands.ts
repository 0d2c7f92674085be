/**
 * ESC/POS command bytes used by Tillsmith. Each function returns the exact bytes of one
 * command; the encoder (encoder.ts) strings them together. Byte values follow the Epson
 * ESC/POS reference and were cross-checked against @point-of-sale/receipt-printer-encoder
 * 4.0.1 output recorded in shared/design/research-hardware.md section 4.1.
 */

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

export type Alignment = 'left' | 'center' | 'right';
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';
export type CutMode = 'full' | 'partial';

function byte(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new RangeError(`${what} must be an integer 0..255, got ${n}`);
  return n;
}

/** ESC @ : initialise the printer (clears modes, keeps the buffer of received data). */
export function initialize(): number[] {
  return [ESC, 0x40];
}

/** ESC R n : international character set; 0 = USA keeps 0x23/0x24/0x5C... as plain ASCII. */
export function internationalCharset(n: number): number[] {
  return [ESC, 0x52, byte(n, 'charset')];
}

/** ESC t n : select a single-byte character code table (used only outside Chinese mode). */
export function codeTable(n: number): number[] {
  return [ESC, 0x74, byte(n, 'code table')];
}

/** FS & : select Chinese (double-byte) character mode. */
export function chineseModeOn(): number[] {
  return [FS, 0x26];
}

/** FS . : cancel Chinese character mode; every byte is then one single-byte character. */
export function chineseModeOff(): number[] {
  return [FS, 0x2e];
}

/** ESC a n : justification (takes effect at the start of a line). */
export function align(a: Alignment): number[] {
  return [ESC, 0x61, a === 'left' ? 0 : a === 'center' ? 1 : 2];
}

/** ESC E n : emphasised (bold) on/off. */
export function bold(on: boolean): number[] {
  return [ESC, 0x45, on ? 1 : 0];
}

/**
 * GS ! n : character size, width and height magnification 1..8 each
 * (bits 4-6 = width - 1, bits 0-2 = height - 1). GS ! applies to single-byte characters and,
 * on Epson, to Kanji/Chinese; FS ! (below) is sent as well for Chinese-brand printers.
 */
export function characterSize(width: number, height: number): number[] {
  if (!Number.isInteger(width) || width < 1 || width > 8) throw new RangeError('width must be 1..8');
  if (!Number.isInteger(height) || height < 1 || height > 8) throw new RangeError('height must be 1..8');
  return [GS, 0x21, ((width - 1) << 4) | (height - 1)];
}

/** FS ! n : Chinese character print mode; bit 2 = double width, bit 3 = double height. */
export function chineseCharacterMode(doubleWidth: boolean, doubleHeight: boolean): number[] {
  return [FS, 0x21, (doubleWidth ? 0x04 : 0) | (doubleHeight ? 0x08 : 0)];
}

/** LF : print the line buffer and feed one line. */
export function lineFeed(): number[] {
  return [LF];
}

/** ESC d n : print and feed n lines. */
export function feedLines(n: number): number[] {
  return [ESC, 0x64, byte(n, 'feed lines')];
}

function qrFunction(fn: number, params: readonly number[]): number[] {
  const len = params.length + 2; // cn (0x31) + fn + params
  return [GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, fn, ...params];
}

/** GS ( k fn 65 : QR model (1 or 2). */
export function qrModel(model: 1 | 2): number[] {
  return qrFunction(0x41, [model === 1 ? 0x31 : 0x32, 0x00]);
}

/** GS ( k fn 67 : QR module size in dots, 1..16. */
export function qrModuleSize(size: number): number[] {
  if (!Number.isInteger(size) || size < 1 || size > 16) throw new RangeError('QR module size must be 1..16');
  return qrFunction(0x43, [size]);
}

/** GS ( k fn 69 : QR error correction level. */
export function qrErrorCorrection(level: QrErrorCorrection): number[] {
  const n = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 }[level];
  return qrFunction(0x45, [n]);
}

/** Maximum bytes a model 2 QR code can hold (version 40, level L, byte mode). */
export const QR_MAX_BYTES = 7089;

/** GS ( k fn 80 : store QR data in the symbol storage area. */
export function qrStore(data: Uint8Array): number[] {
  if (data.length === 0) throw new RangeError('QR data must not be empty');
  if (data.length > QR_MAX_BYTES) throw new RangeError(`QR data is limited to ${QR_MAX_BYTES} bytes`);
  const len = data.length + 3; // cn + fn + m
  const out = [GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30];
  for (const b of data) out.push(b);
  return out;
}

/** GS ( k fn 81 : print the stored QR symbol. */
export function qrPrint(): number[] {
  return qrFunction(0x51, [0x30]);
}

/**
 * ESC J n : print the buffer and feed n motion units (1/180 or 1/203 inch, about a dot row):
 * the space under a picture line, sent as 3 bytes instead of blank raster rows.
 */
export function feedDots(n: number): number[] {
  return [ESC, 0x4a, byte(n, 'feed units')];
}

/** GS V m : cut the paper (m = 0 full, 1 partial). Feed past the cutter first (feedLines). */
export function cut(mode: CutMode): number[] {
  return [GS, 0x56, mode === 'full' ? 0x00 : 0x01];
}

/**
 * ESC p m t1 t2 : cash-drawer kick pulse. `pin` 2 (m = 0) or 5 (m = 1); on/off times in
 * milliseconds, sent in units of 2 ms (so 100 ms on / 500 ms off -> 0x32 0xFA).
 */
export function drawerKick(pin: 2 | 5 = 2, onMs = 100, offMs = 500): number[] {
  const t1 = Math.round(onMs / 2);
  const t2 = Math.round(offMs / 2);
  return [ESC, 0x70, pin === 2 ? 0 : 1, byte(t1, 'drawer on time / 2ms'), byte(t2, 'drawer off time / 2ms')];
}

/** DLE EOT n : real-time status transmission, n = 1..4 (printer, offline cause, error cause, paper). */
export function realtimeStatus(n: 1 | 2 | 3 | 4): number[] {
  return [DLE, EOT, n];
}

/**
 * GS v 0 m xL xH yL yH : header of a raster bit image (normal density, m = 0), followed by
 * `widthBytes * heightDots` data bytes. `widthBytes` = dots across / 8; rows are packed MSB
 * first, 1 = black.
 */
export function rasterImageHeader(widthBytes: number, heightDots: number): number[] {
  if (!Number.isInteger(widthBytes) || widthBytes < 1 || widthBytes > 0xffff) throw new RangeError('bad raster width');
  if (!Number.isInteger(heightDots) || heightDots < 1 || heightDots > 0xffff) throw new RangeError('bad raster height');
  return [GS, 0x76, 0x30, 0x00, widthBytes & 0xff, widthBytes >> 8, heightDots & 0xff, heightDots >> 8];
}

/** GS a n bits: which status changes the printer reports by itself. */
export const ASB_DRAWER = 0x01;
export const ASB_ONLINE = 0x02;
export const ASB_ERROR = 0x04;
export const ASB_PAPER = 0x08;
/** Drawer, online/offline, error and roll-paper sensor. */
export const ASB_ALL = ASB_DRAWER | ASB_ONLINE | ASB_ERROR | ASB_PAPER;

/**
 * GS a n : Automatic Status Back. With n != 0 the printer sends a 4-byte status frame at once
 * and again whenever one of the selected statuses changes (n = 0 turns it off).
 */
export function automaticStatusBack(n: number): number[] {
  return [GS, 0x61, byte(n, 'ASB mask')];
}

/** The second byte of the real-time commands a printer executes wherever they appear: DLE EOT, DLE ENQ, DLE DC4. */
export const REALTIME_COMMAND_SECOND_BYTES: ReadonlySet<number> = new Set([0x04, 0x05, 0x14]);
