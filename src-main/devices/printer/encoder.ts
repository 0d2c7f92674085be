/**
 * Tillsmith's own ESC/POS encoder: a small builder over the commands in commands.ts and the
 * text codec in text-codec.ts. See docs/hardware.md for why we do not use an npm encoder
 * (none of them handles Chinese mode, double-byte widths and status read-back correctly).
 *
 *   const bytes = new EscPosEncoder(PROFILE_80MM_GB18030)
 *     .initialize().align('center').size(2, 2).line('收银台').size(1, 1)
 *     .qr('R-0001').feed(3).cut('partial').encode();
 */
import * as cmd from './commands';
import type { Alignment, CutMode, QrErrorCorrection } from './commands';
import { CODE_TABLE_NUMBER, type PrinterProfile } from './profile';
import { PrinterTextCodec } from './text-codec';

/** A 1-bit image, rows packed MSB first (bit 7 of byte 0 is the top-left dot), 1 = black. */
export interface MonoBitmap {
  widthDots: number;
  heightDots: number;
  data: Uint8Array;
}

export interface QrOptions {
  model?: 1 | 2;
  /** Module size in dots, 1..16 (default 6: about 25 mm for a short receipt id). */
  size?: number;
  errorCorrection?: QrErrorCorrection;
}

/** Growable byte buffer (amortised doubling), so a receipt is built without many small arrays. */
class ByteSink {
  private buf = new Uint8Array(2048);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  pushArray(bytes: readonly number[]): void {
    this.ensure(bytes.length);
    for (const b of bytes) this.buf[this.len++] = b;
  }

  pushBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  get length(): number {
    return this.len;
  }

  toUint8Array(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export class EscPosEncoder {
  readonly codec: PrinterTextCodec;
  private readonly sink = new ByteSink();
  private widthScale = 1;
  /** Characters that printed as '?' so far (for logs and tests). */
  replacedCharacters = 0;

  constructor(readonly profile: PrinterProfile) {
    if (!Number.isInteger(profile.columns) || profile.columns < 16) {
      throw new RangeError('printer columns must be an integer >= 16');
    }
    this.codec = new PrinterTextCodec(profile);
  }

  /** Columns available at the current character width. */
  get columns(): number {
    return Math.floor(this.profile.columns / this.widthScale);
  }

  /**
   * ESC @, ESC R 0 (plain ASCII), then the printer's character mode: FS & when the profile
   * uses Chinese mode, otherwise FS . and ESC t with the profile's code page; then GS a when the
   * profile has Automatic Status Back.
   */
  initialize(): this {
    this.widthScale = 1;
    this.sink.pushArray(cmd.initialize());
    this.sink.pushArray(cmd.internationalCharset(0));
    if (this.profile.chineseMode) {
      this.sink.pushArray(cmd.chineseModeOn());
    } else {
      this.sink.pushArray(cmd.chineseModeOff());
      this.sink.pushArray(cmd.codeTable(CODE_TABLE_NUMBER[this.profile.codePage]));
    }
    // In case the model resets Automatic Status Back with ESC @: switch it on again.
    if (this.profile.autoStatusBack === true) this.sink.pushArray(cmd.automaticStatusBack(cmd.ASB_ALL));
    return this;
  }

  align(a: Alignment): this {
    this.sink.pushArray(cmd.align(a));
    return this;
  }

  bold(on: boolean): this {
    this.sink.pushArray(cmd.bold(on));
    return this;
  }

  /** Character magnification (1 or 2 each way is what receipts use). Also sets FS ! in Chinese mode. */
  size(width: 1 | 2, height: 1 | 2): this {
    this.widthScale = width;
    this.sink.pushArray(cmd.characterSize(width, height));
    if (this.profile.chineseMode) this.sink.pushArray(cmd.chineseCharacterMode(width === 2, height === 2));
    return this;
  }

  /** Text without a line feed. Control characters in `text` are printed as spaces, never sent. */
  text(text: string): this {
    const e = this.codec.encode(text);
    this.replacedCharacters += e.replaced;
    this.sink.pushBytes(e.bytes);
    return this;
  }

  /** Text then LF. */
  line(text = ''): this {
    if (text !== '') this.text(text);
    this.sink.pushArray(cmd.lineFeed());
    return this;
  }

  /** ESC d n: print and feed n lines (n = 0 only prints the buffer). */
  feed(lines: number): this {
    this.sink.pushArray(cmd.feedLines(lines));
    return this;
  }

  /** ESC J n: feed n motion units (about n dot rows). */
  feedDots(units: number): this {
    this.sink.pushArray(cmd.feedDots(units));
    return this;
  }

  /** A QR code of `data` (UTF-8 bytes): model, module size, error correction, store, print. */
  qr(data: string, options: QrOptions = {}): this {
    const bytes = new TextEncoder().encode(data);
    this.sink.pushArray(cmd.qrModel(options.model ?? 2));
    this.sink.pushArray(cmd.qrModuleSize(options.size ?? 6));
    this.sink.pushArray(cmd.qrErrorCorrection(options.errorCorrection ?? 'M'));
    this.sink.pushArray(cmd.qrStore(bytes));
    this.sink.pushArray(cmd.qrPrint());
    return this;
  }

  /** Feeds `feedLines` lines (to bring the last line past the cutter) then GS V. */
  cut(mode: CutMode = 'partial', feedLines = 4): this {
    if (feedLines > 0) this.sink.pushArray(cmd.feedLines(feedLines));
    this.sink.pushArray(cmd.cut(mode));
    return this;
  }

  /** ESC p: open the cash drawer (pin 2 by default, 100 ms pulse). */
  openDrawer(pin: 2 | 5 = 2, onMs = 100, offMs = 500): this {
    this.sink.pushArray(cmd.drawerKick(pin, onMs, offMs));
    return this;
  }

  /**
   * GS v 0: a raster image (logo, or text rendered to pixels for printers without a Chinese
   * font). Printers execute the real-time commands DLE EOT, DLE ENQ and DLE DC4 (a drawer kick,
   * even a power-off) wherever their bytes appear, image data included; so where the image
   * holds 0x10 followed by 0x04, 0x05 or 0x14, that one 0x10 byte's single dot is left white.
   */
  raster(image: MonoBitmap): this {
    const widthBytes = Math.ceil(image.widthDots / 8);
    if (image.data.length !== widthBytes * image.heightDots) {
      throw new RangeError('bitmap data length does not match widthDots x heightDots');
    }
    this.sink.pushArray(cmd.rasterImageHeader(widthBytes, image.heightDots));
    this.sink.pushBytes(withoutRealtimeCommands(image.data));
    return this;
  }

  /** Raw bytes, for commands this encoder does not model. */
  raw(bytes: Uint8Array | readonly number[]): this {
    if (bytes instanceof Uint8Array) this.sink.pushBytes(bytes);
    else this.sink.pushArray(bytes);
    return this;
  }

  get length(): number {
    return this.sink.length;
  }

  encode(): Uint8Array {
    return this.sink.toUint8Array();
  }
}

/** A copy of raster data in which no 0x10 byte is followed by a real-time command's second byte. */
export function withoutRealtimeCommands(data: Uint8Array): Uint8Array {
  let out: Uint8Array | null = null;
  for (let i = 0; i + 1 < data.length; i++) {
    if (data[i] === cmd.DLE && cmd.REALTIME_COMMAND_SECOND_BYTES.has(data[i + 1] ?? 0)) {
      out ??= Uint8Array.from(data);
      out[i] = 0x00;
    }
  }
  return out ?? data;
}
