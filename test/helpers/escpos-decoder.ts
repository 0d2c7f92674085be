/**
 * Test-side ESC/POS decoder: plays the part of a printer's command interpreter, so tests can
 * check what a receipt would print (text decoded from GB18030/GBK/Big5 or a code page,
 * alignment, bold, size, QR payloads, cuts, drawer kicks, raster images) and a simulated
 * printer can answer real-time status queries. Written independently of the encoder in
 * src-main/devices/printer (it only shares iconv-lite for the character tables).
 *
 * Streaming: `push(bytes)` returns the events completed so far and keeps an incomplete
 * command for the next push, so it can sit on the far end of a serial link.
 */
import iconv from 'iconv-lite';

export type DecoderCjkEncoding = 'gb18030' | 'gbk' | 'big5';
export type DecoderAlign = 'left' | 'center' | 'right';

export interface DecodedLine {
  text: string;
  align: DecoderAlign;
  bold: boolean;
  widthScale: number;
  heightScale: number;
  /** Printed width in font-A columns: 1 per single byte, 2 per double-byte character, times widthScale. */
  columns: number;
}

export interface DecodedQr {
  payload: string;
  model: number;
  size: number;
  errorCorrection: 'L' | 'M' | 'Q' | 'H' | '?';
}

export type DecodedEvent =
  | { type: 'init' }
  | { type: 'line'; line: DecodedLine }
  | { type: 'feed'; lines: number }
  | { type: 'qr'; qr: DecodedQr }
  | { type: 'cut'; mode: 'full' | 'partial' }
  | { type: 'drawer'; pin: 2 | 5; onMs: number; offMs: number }
  | { type: 'status_query'; n: number }
  | { type: 'chinese_mode'; on: boolean }
  | { type: 'code_table'; n: number }
  | { type: 'raster'; widthBytes: number; heightDots: number; data: Uint8Array }
  /** GS a n: Automatic Status Back switched on (n != 0: which statuses) or off. */
  | { type: 'asb'; n: number }
  | { type: 'unknown'; bytes: number[] };

export interface DecoderOptions {
  cjkEncoding: DecoderCjkEncoding;
  /** Power-on state of Chinese mode (Chinese-brand printers: on). Default true. */
  chineseModeAtPowerOn?: boolean;
}

const CODE_TABLES: Record<number, string> = { 0: 'cp437', 2: 'cp850', 19: 'cp858' };
const EC_LEVELS: Record<number, DecodedQr['errorCorrection']> = { 0x30: 'L', 0x31: 'M', 0x32: 'Q', 0x33: 'H' };

export class EscPosDecoder {
  private buf: number[] = [];
  private chinese: boolean;
  private codeTable = 0;
  private align: DecoderAlign = 'left';
  private bold = false;
  private widthScale = 1;
  private heightScale = 1;
  private lineText = '';
  private lineColumns = 0;
  private lineAlign: DecoderAlign = 'left';
  private lineBold = false;
  private lineWidthScale = 1;
  private lineHeightScale = 1;
  private qrModel = 2;
  private qrSize = 3;
  private qrEc: DecodedQr['errorCorrection'] = 'L';
  private qrData: Uint8Array = new Uint8Array(0);

  constructor(private readonly options: DecoderOptions) {
    this.chinese = options.chineseModeAtPowerOn ?? true;
  }

  push(bytes: Uint8Array | readonly number[]): DecodedEvent[] {
    for (const b of bytes) this.buf.push(b);
    const events: DecodedEvent[] = [];
    let pos = 0;
    for (;;) {
      const used = this.step(pos, events);
      if (used === 0) break;
      pos += used;
    }
    this.buf = this.buf.slice(pos);
    return events;
  }

  /** Flushes a line left without LF and reports leftover bytes of an incomplete command. */
  end(): DecodedEvent[] {
    const events: DecodedEvent[] = [];
    if (this.lineText !== '') this.flushLine(events);
    if (this.buf.length > 0) events.push({ type: 'unknown', bytes: this.buf });
    this.buf = [];
    return events;
  }

  private resetModes(): void {
    this.align = 'left';
    this.bold = false;
    this.widthScale = 1;
    this.heightScale = 1;
    this.codeTable = 0;
    this.chinese = this.options.chineseModeAtPowerOn ?? true;
  }

  private flushLine(events: DecodedEvent[]): void {
    events.push({
      type: 'line',
      line: {
        text: this.lineText,
        align: this.lineText === '' ? this.align : this.lineAlign,
        bold: this.lineBold,
        widthScale: this.lineText === '' ? this.widthScale : this.lineWidthScale,
        heightScale: this.lineText === '' ? this.heightScale : this.lineHeightScale,
        columns: this.lineColumns,
      },
    });
    this.lineText = '';
    this.lineColumns = 0;
    this.lineBold = false;
  }

  private addText(text: string, columns: number): void {
    if (this.lineText === '') {
      this.lineAlign = this.align;
      this.lineWidthScale = this.widthScale;
      this.lineHeightScale = this.heightScale;
    }
    this.lineText += text;
    this.lineColumns += columns * this.widthScale;
    if (this.bold) this.lineBold = true;
  }

  /** Decodes one item at `pos`; returns bytes consumed, or 0 when more input is needed. */
  private step(pos: number, events: DecodedEvent[]): number {
    const b = this.buf;
    const avail = b.length - pos;
    if (avail <= 0) return 0;
    const at = (i: number): number => b[pos + i] ?? 0;
    const c = at(0);

    if (c === 0x0a) {
      this.flushLine(events);
      return 1;
    }
    if (c === 0x0d) return 1;

    if (c === 0x1b) {
      if (avail < 2) return 0;
      const k = at(1);
      const need = (n: number): boolean => avail >= n;
      switch (k) {
        case 0x40:
          this.resetModes();
          events.push({ type: 'init' });
          return 2;
        case 0x52: // ESC R n
        case 0x21: // ESC ! n
        case 0x2d: // ESC - n
        case 0x33: // ESC 3 n
        case 0x4d: // ESC M n
        case 0x4a: // ESC J n
          return need(3) ? 3 : 0;
        case 0x74:
          if (!need(3)) return 0;
          this.codeTable = at(2);
          events.push({ type: 'code_table', n: at(2) });
          return 3;
        case 0x61:
          if (!need(3)) return 0;
          this.align = at(2) === 1 || at(2) === 0x31 ? 'center' : at(2) === 2 || at(2) === 0x32 ? 'right' : 'left';
          return 3;
        case 0x45:
          if (!need(3)) return 0;
          this.bold = (at(2) & 1) === 1;
          return 3;
        case 0x64:
          if (!need(3)) return 0;
          if (this.lineText !== '') this.flushLine(events);
          events.push({ type: 'feed', lines: at(2) });
          return 3;
        case 0x70:
          if (!need(5)) return 0;
          events.push({ type: 'drawer', pin: at(2) === 0 || at(2) === 0x30 ? 2 : 5, onMs: at(3) * 2, offMs: at(4) * 2 });
          return 5;
        case 0x32:
          return 2;
        default:
          events.push({ type: 'unknown', bytes: [c, k] });
          return 2;
      }
    }

    if (c === 0x1d) {
      if (avail < 2) return 0;
      const k = at(1);
      switch (k) {
        case 0x21: {
          if (avail < 3) return 0;
          const n = at(2);
          this.widthScale = ((n >> 4) & 0x07) + 1;
          this.heightScale = (n & 0x07) + 1;
          return 3;
        }
        case 0x56: {
          if (avail < 3) return 0;
          const m = at(2);
          const len = m >= 65 ? 4 : 3;
          if (avail < len) return 0;
          if (this.lineText !== '') this.flushLine(events);
          events.push({ type: 'cut', mode: m === 0 || m === 0x30 || m === 65 ? 'full' : 'partial' });
          return len;
        }
        case 0x28: {
          if (avail < 5) return 0;
          const len = at(3) + at(4) * 256;
          if (avail < 5 + len) return 0;
          if (at(2) === 0x6b) this.qrFunction(b.slice(pos + 5, pos + 5 + len), events);
          else events.push({ type: 'unknown', bytes: b.slice(pos, pos + 5 + len) });
          return 5 + len;
        }
        case 0x76: {
          if (avail < 8) return 0;
          const wb = at(4) + at(5) * 256;
          const h = at(6) + at(7) * 256;
          if (avail < 8 + wb * h) return 0;
          events.push({ type: 'raster', widthBytes: wb, heightDots: h, data: Uint8Array.from(b.slice(pos + 8, pos + 8 + wb * h)) });
          return 8 + wb * h;
        }
        case 0x61:
          if (avail < 3) return 0;
          events.push({ type: 'asb', n: at(2) });
          return 3;
        case 0x72:
        case 0x49:
        case 0x68:
        case 0x77:
        case 0x48:
        case 0x66:
          return avail >= 3 ? 3 : 0;
        default:
          events.push({ type: 'unknown', bytes: [c, k] });
          return 2;
      }
    }

    if (c === 0x1c) {
      if (avail < 2) return 0;
      const k = at(1);
      if (k === 0x26) {
        this.chinese = true;
        events.push({ type: 'chinese_mode', on: true });
        return 2;
      }
      if (k === 0x2e) {
        this.chinese = false;
        events.push({ type: 'chinese_mode', on: false });
        return 2;
      }
      if (k === 0x21 || k === 0x43) return avail >= 3 ? 3 : 0;
      events.push({ type: 'unknown', bytes: [c, k] });
      return 2;
    }

    if (c === 0x10) {
      if (avail < 3) return 0;
      if (at(1) === 0x04) {
        events.push({ type: 'status_query', n: at(2) });
        return 3;
      }
      events.push({ type: 'unknown', bytes: [c, at(1), at(2)] });
      return 3;
    }

    if (c < 0x20 || c === 0x7f) {
      events.push({ type: 'unknown', bytes: [c] });
      return 1;
    }

    if (c < 0x80) {
      this.addText(String.fromCharCode(c), 1);
      return 1;
    }

    if (this.chinese) {
      const enc = this.options.cjkEncoding;
      if (c === 0x80 || c === 0xff) {
        this.addText('\ufffd', 1);
        return 1;
      }
      if (avail < 2) return 0;
      let len = 2;
      if (enc === 'gb18030' && at(1) >= 0x30 && at(1) <= 0x39) {
        if (avail < 4) return 0;
        len = 4;
      }
      const text = iconv.decode(Buffer.from(b.slice(pos, pos + len)), enc);
      this.addText(text, 2);
      return len;
    }

    const table = CODE_TABLES[this.codeTable] ?? 'cp437';
    this.addText(iconv.decode(Buffer.from([c]), table), 1);
    return 1;
  }

  private qrFunction(body: number[], events: DecodedEvent[]): void {
    const fn = body[1] ?? 0;
    if (body[0] !== 0x31) return;
    if (fn === 0x41) this.qrModel = (body[2] ?? 0x32) - 0x30;
    else if (fn === 0x43) this.qrSize = body[2] ?? 3;
    else if (fn === 0x45) this.qrEc = EC_LEVELS[body[2] ?? 0] ?? '?';
    else if (fn === 0x50) this.qrData = Uint8Array.from(body.slice(3));
    else if (fn === 0x51) {
      events.push({
        type: 'qr',
        qr: {
          payload: new TextDecoder().decode(this.qrData),
          model: this.qrModel,
          size: this.qrSize,
          errorCorrection: this.qrEc,
        },
      });
    }
  }
}

export interface DecodedReceipt {
  events: DecodedEvent[];
  lines: DecodedLine[];
  /** Just the text of each line. */
  text: string[];
  qrCodes: DecodedQr[];
  cuts: Array<'full' | 'partial'>;
  drawerKicks: Array<{ pin: 2 | 5; onMs: number; offMs: number }>;
  statusQueries: number[];
  unknown: number[][];
}

/** Decodes a complete byte stream. */
export function decodeEscPos(bytes: Uint8Array, options: DecoderOptions): DecodedReceipt {
  const d = new EscPosDecoder(options);
  const events = [...d.push(bytes), ...d.end()];
  return summarise(events);
}

export function summarise(events: DecodedEvent[]): DecodedReceipt {
  const r: DecodedReceipt = {
    events,
    lines: [],
    text: [],
    qrCodes: [],
    cuts: [],
    drawerKicks: [],
    statusQueries: [],
    unknown: [],
  };
  for (const e of events) {
    if (e.type === 'line') {
      r.lines.push(e.line);
      r.text.push(e.line.text);
    } else if (e.type === 'qr') r.qrCodes.push(e.qr);
    else if (e.type === 'cut') r.cuts.push(e.mode);
    else if (e.type === 'drawer') r.drawerKicks.push({ pin: e.pin, onMs: e.onMs, offMs: e.offMs });
    else if (e.type === 'status_query') r.statusQueries.push(e.n);
    else if (e.type === 'unknown') r.unknown.push(e.bytes);
  }
  return r;
}

/**
 * The bytes of a stream without the data of its GS v 0 raster images (headers kept): what the
 * printer receives as text and commands. For checking that no double-byte text was sent.
 */
export function nonRasterBytes(bytes: Uint8Array | readonly number[]): number[] {
  const b = Array.from(bytes);
  const out: number[] = [];
  let i = 0;
  while (i < b.length) {
    if (b[i] === 0x1d && b[i + 1] === 0x76 && b[i + 2] === 0x30 && i + 7 < b.length) {
      const wb = (b[i + 4] ?? 0) + (b[i + 5] ?? 0) * 256;
      const h = (b[i + 6] ?? 0) + (b[i + 7] ?? 0) * 256;
      out.push(...b.slice(i, i + 8));
      i += 8 + wb * h;
      continue;
    }
    out.push(b[i] ?? 0);
    i += 1;
  }
  return out;
}
