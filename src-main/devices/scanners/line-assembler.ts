/**
 * Cuts the byte stream of a serial scanner into scans at the configured terminator. Pure:
 * the inter-byte timeout lives in the source (serial-scanner.ts), which calls
 * `discardPending()` when it fires.
 */

export type ScanTerminator = 'CR' | 'LF' | 'CRLF';

export interface LineAssemblerOptions {
  terminator: ScanTerminator;
  /** Bytes of one scan without the terminator; more means garbage or a missing terminator. */
  maxLength: number;
}

export type AssemblerOutput =
  | { type: 'line'; bytes: Uint8Array }
  /** The scan grew past maxLength: what was buffered is dropped, and so is the rest up to the next terminator. */
  | { type: 'overlong'; discarded: number };

const CR = 0x0d;
const LF = 0x0a;

export class ScanLineAssembler {
  private buf: number[] = [];
  private discarding = false;

  constructor(private readonly options: LineAssemblerOptions) {
    if (!Number.isInteger(options.maxLength) || options.maxLength < 1) throw new RangeError('maxLength must be >= 1');
  }

  /** Bytes waiting for a terminator (0 when idle). */
  get pendingBytes(): number {
    return this.buf.length;
  }

  /** True while skipping the tail of an overlong scan. */
  get isDiscarding(): boolean {
    return this.discarding;
  }

  push(chunk: Uint8Array): AssemblerOutput[] {
    const out: AssemblerOutput[] = [];
    const endByte = this.options.terminator === 'CR' ? CR : LF;
    for (const b of chunk) {
      if (b === endByte) {
        if (this.discarding) {
          this.discarding = false;
          continue;
        }
        let bytes = this.buf;
        this.buf = [];
        // LF and CRLF modes: drop the CR of a CRLF.
        if (endByte === LF && bytes[bytes.length - 1] === CR) bytes = bytes.slice(0, -1);
        if (bytes.length > 0) out.push({ type: 'line', bytes: Uint8Array.from(bytes) });
        continue;
      }
      if (this.discarding) continue;
      // Stray CR/LF between scans (a CRLF scanner on a CR setting, blank lines) is not a scan.
      if (this.buf.length === 0 && (b === CR || b === LF)) continue;
      this.buf.push(b);
      if (this.buf.length > this.options.maxLength) {
        out.push({ type: 'overlong', discarded: this.buf.length });
        this.buf = [];
        this.discarding = true;
      }
    }
    return out;
  }

  /** Drops a half scan (the inter-byte timeout fired); returns how many bytes were dropped. */
  discardPending(): number {
    const n = this.buf.length;
    this.buf = [];
    this.discarding = false;
    return n;
  }
}
