/**
 * The far end of a printer link in tests: collects every byte, runs it through the test-side
 * ESC/POS decoder as it arrives, and answers DLE EOT status queries from a settable state.
 * Like an Epson printer, once GS a has switched Automatic Status Back on it sends a 4-byte ASB
 * frame at once; `sendAsb()` sends one whenever a test changes the state.
 * Tests wait on what it has received (`until`), never on the clock.
 */
import {
  EscPosDecoder,
  summarise,
  type DecodedEvent,
  type DecodedReceipt,
  type DecoderOptions,
} from '../../helpers/escpos-decoder';

export type SimulatedPaper = 'ok' | 'near_end' | 'out';

export interface SimulatedPrinterState {
  paper: SimulatedPaper;
  coverOpen: boolean;
  /** When true the printer ignores status queries (like a printer that is switched off). */
  silent: boolean;
}

export class SimulatedPrinter {
  readonly received: number[] = [];
  readonly events: DecodedEvent[] = [];
  readonly answered: number[] = [];
  state: SimulatedPrinterState = { paper: 'ok', coverOpen: false, silent: false };
  /** The GS a mask the host last sent (0: Automatic Status Back off). */
  asbMask = 0;
  /** ASB frames sent so far. */
  readonly asbSent: number[][] = [];
  private readonly decoder: EscPosDecoder;
  private readonly waiters: Array<{ check: () => boolean; resolve: () => void }> = [];

  constructor(
    decoderOptions: DecoderOptions,
    private readonly reply: (bytes: Uint8Array) => void,
  ) {
    this.decoder = new EscPosDecoder(decoderOptions);
  }

  /** Feed bytes that arrived from the host. */
  receive(chunk: Uint8Array): void {
    for (const b of chunk) this.received.push(b);
    for (const e of this.decoder.push(chunk)) {
      this.events.push(e);
      if (e.type === 'status_query' && !this.state.silent) {
        const byte = this.statusByte(e.n);
        this.answered.push(byte);
        this.reply(Uint8Array.of(byte));
      }
      if (e.type === 'asb') {
        this.asbMask = e.n;
        if (e.n !== 0 && !this.state.silent) this.sendAsb();
      }
    }
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  /** Resolves once `check` holds for what has been received. */
  until(check: (p: SimulatedPrinter) => boolean): Promise<void> {
    if (check(this)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check: () => check(this), resolve }));
  }

  /** Events since index `from`, summarised like decodeEscPos does. */
  receipt(from = 0): DecodedReceipt {
    return summarise(this.events.slice(from));
  }

  count(type: DecodedEvent['type']): number {
    return this.events.filter((e) => e.type === type).length;
  }

  /**
   * Sends the current state as an ASB frame, as the printer does by itself when a status
   * changes (first byte <0**1**00>, then three bytes <0**0****>).
   */
  sendAsb(): void {
    const frame = this.asbFrame();
    this.asbSent.push(frame);
    this.reply(Uint8Array.from(frame));
  }

  asbFrame(): number[] {
    const s = this.state;
    const paperOut = s.paper === 'out';
    const offline = paperOut || s.coverOpen;
    return [
      0x10 | (offline ? 0x08 : 0) | (s.coverOpen ? 0x20 : 0),
      0x00,
      (s.paper === 'near_end' || paperOut ? 0x03 : 0) | (paperOut ? 0x0c : 0),
      0x00,
    ];
  }

  /** DLE EOT reply bytes as an Epson-compatible printer would send them. */
  statusByte(n: number): number {
    const s = this.state;
    const paperOut = s.paper === 'out';
    const offline = paperOut || s.coverOpen;
    switch (n) {
      case 1:
        return 0x12 | (offline ? 0x08 : 0);
      case 2:
        return 0x12 | (s.coverOpen ? 0x04 : 0) | (paperOut ? 0x20 : 0);
      case 3:
        return 0x12;
      case 4:
        return 0x12 | (s.paper === 'near_end' || paperOut ? 0x0c : 0) | (paperOut ? 0x60 : 0);
      default:
        return 0x12;
    }
  }
}
