/**
 * Printer status from DLE EOT n replies (and Automatic Status Back frames, when enabled).
 *
 * Bit meanings (Epson-compatible; Bixolon SRP-350, Citizen CT-S2000, CBM 1000 manuals, see
 * shared/design/research-hardware.md section 4.2):
 *   n=1 printer status   bit 2 drawer pin 3 high, bit 3 offline
 *   n=2 offline cause    bit 2 cover open, bit 3 paper fed by the FEED button,
 *                        bit 5 printing stopped by paper end, bit 6 error
 *   n=3 error cause      bit 2 mechanical error (Epson; black-mark error on Citizen), bit 3 autocutter
 *                        error, bit 5 unrecoverable, bit 6 auto-recoverable (e.g. head too hot)
 *   n=4 paper sensors    bits 2-3 paper near end, bits 5-6 paper end
 * Every reply has bit 1 and bit 4 set and bits 0 and 7 clear ((b & 0x93) === 0x12); the first
 * byte of a 4-byte ASB frame has bits 0, 1 and 7 clear and bit 4 set ((b & 0x93) === 0x10).
 */
import { realtimeStatus } from './commands';

export interface PrinterStatusReplies {
  printer: number;
  offline: number;
  error: number;
  paper: number;
}

export interface PrinterStatusAnswered {
  answered: true;
  online: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  error: boolean;
  /** More detail for the configuration screen. */
  feedButton: boolean;
  mechanicalError: boolean;
  autocutterError: boolean;
  unrecoverableError: boolean;
  autoRecoverableError: boolean;
  drawerPin3High: boolean;
  raw: PrinterStatusReplies;
  /** A short English summary ('Ready', 'Out of paper', ...). */
  message: string;
}

export interface PrinterStatusUnanswered {
  answered: false;
  online: false;
  /** no_answer: the query went out but nothing came back in time. not_readable: the
   * transport cannot read (e.g. a write-only device file). transport_error: the port or
   * socket could not be opened or written. */
  reason: 'no_answer' | 'not_readable' | 'transport_error';
  message: string;
}

export type PrinterStatus = PrinterStatusAnswered | PrinterStatusUnanswered;

export function isRealtimeStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

export function isAsbHeader(b: number): boolean {
  return (b & 0x93) === 0x10;
}

export function describeStatus(s: Omit<PrinterStatusAnswered, 'message' | 'answered'>): string {
  if (s.coverOpen) return 'Printer cover is open';
  if (s.paperOut) return 'Printer is out of paper';
  if (s.unrecoverableError) return 'Printer has an unrecoverable error; switch it off and on';
  if (s.autocutterError) return 'Printer cutter is jammed';
  if (s.mechanicalError) return 'Printer has a mechanical error (paper jam?)';
  if (s.autoRecoverableError) return 'Printer is waiting to recover (e.g. print head too hot)';
  if (s.error) return 'Printer reports an error';
  if (s.feedButton) return 'Paper is being fed with the FEED button';
  if (!s.online) return 'Printer is offline';
  if (s.paperNearEnd) return 'Ready; paper roll nearly finished';
  return 'Ready';
}

/** Interprets the four DLE EOT replies (n = 1, 2, 3, 4). */
export function parseStatusReplies(raw: PrinterStatusReplies): PrinterStatusAnswered {
  const offlineBit = (raw.printer & 0x08) !== 0;
  const coverOpen = (raw.offline & 0x04) !== 0;
  const feedButton = (raw.offline & 0x08) !== 0;
  const stoppedByPaperEnd = (raw.offline & 0x20) !== 0;
  const errorFlag = (raw.offline & 0x40) !== 0;
  const mechanicalError = (raw.error & 0x04) !== 0;
  const autocutterError = (raw.error & 0x08) !== 0;
  const unrecoverableError = (raw.error & 0x20) !== 0;
  const autoRecoverableError = (raw.error & 0x40) !== 0;
  const paperNearEnd = (raw.paper & 0x0c) !== 0;
  const paperOut = (raw.paper & 0x60) !== 0 || stoppedByPaperEnd;
  const fields = {
    online: !offlineBit,
    coverOpen,
    paperOut,
    paperNearEnd,
    error: errorFlag || mechanicalError || autocutterError || unrecoverableError || autoRecoverableError,
    feedButton,
    mechanicalError,
    autocutterError,
    unrecoverableError,
    autoRecoverableError,
    drawerPin3High: (raw.printer & 0x04) !== 0,
    raw,
  };
  return { answered: true, ...fields, message: describeStatus(fields) };
}

/**
 * Parses a 4-byte Automatic Status Back frame (GS a) into the same shape. ASB byte 1: bit 2
 * drawer, bit 3 offline, bit 5 cover open, bit 6 paper fed by button; byte 2: bit 2 mechanical
 * error, bit 3 autocutter error, bit 5 unrecoverable, bit 6 auto-recoverable; byte 3: bits 0-1
 * near end, bits 2-3 paper end (Epson TM-U220A / TM-L60II manuals).
 */
export function parseAsbFrame(frame: readonly number[]): PrinterStatusAnswered {
  const [b1 = 0, b2 = 0, b3 = 0] = frame;
  const fields = {
    online: (b1 & 0x08) === 0,
    coverOpen: (b1 & 0x20) !== 0,
    paperOut: (b3 & 0x0c) !== 0,
    paperNearEnd: (b3 & 0x03) !== 0,
    error: (b2 & 0x6c) !== 0,
    feedButton: (b1 & 0x40) !== 0,
    mechanicalError: (b2 & 0x04) !== 0,
    autocutterError: (b2 & 0x08) !== 0,
    unrecoverableError: (b2 & 0x20) !== 0,
    autoRecoverableError: (b2 & 0x40) !== 0,
    drawerPin3High: (b1 & 0x04) !== 0,
    raw: { printer: b1, offline: 0, error: b2, paper: b3 },
  };
  return { answered: true, ...fields, message: describeStatus(fields) };
}

/** XON (0x11) and XOFF (0x13): flow control, which may arrive in the middle of an ASB frame. */
export function isFlowControlByte(b: number): boolean {
  return b === 0x11 || b === 0x13;
}

/** Bytes 2-4 of an ASB frame have bits 4 and 7 clear (<0**0****>). */
export function isAsbBodyByte(b: number): boolean {
  return (b & 0x90) === 0x00;
}

/**
 * Splits the byte stream coming back from a printer into DLE EOT replies (handed to whoever
 * is waiting in `next`) and 4-byte ASB frames (reported through `onAsb`), following the
 * manuals' "identification of send status" table:
 *
 *   DLE EOT reply   <0**1**10>      ASB byte 1      <0**1**00>
 *   ASB bytes 2-4   <0**0****>      XON / XOFF      0x11 / 0x13
 *
 * After an ASB header the next three bytes other than XON/XOFF are the rest of the frame. A
 * byte with bit 4 set cannot be one of them, so a DLE EOT reply that arrives in the middle of
 * a frame still goes to the waiting query, and a new header drops an unfinished frame. Other
 * bytes (noise, a wrong baud rate) are dropped.
 */
export class StatusReplyReader {
  private readonly replies: number[] = [];
  private waiter: ((b: number | null) => void) | null = null;
  private asb: number[] | null = null;

  constructor(private readonly onAsb?: (status: PrinterStatusAnswered) => void) {}

  push(chunk: Uint8Array): void {
    for (const b of chunk) {
      if (isFlowControlByte(b)) continue;
      if (isRealtimeStatusByte(b)) {
        this.reply(b);
      } else if (isAsbHeader(b)) {
        this.asb = [b];
      } else if (this.asb !== null && isAsbBodyByte(b)) {
        this.asb.push(b);
        if (this.asb.length === 4) {
          const frame = this.asb;
          this.asb = null;
          this.onAsb?.(parseAsbFrame(frame));
        }
      }
    }
  }

  private reply(b: number): void {
    const w = this.waiter;
    if (w !== null) {
      this.waiter = null;
      w(b);
    } else {
      this.replies.push(b);
    }
  }

  /** Forgets replies nobody asked for (call before a new round of queries). */
  clear(): void {
    this.replies.length = 0;
  }

  /** The next status reply byte, or null after `timeoutMs`. One waiter at a time. */
  next(timeoutMs: number): Promise<number | null> {
    const ready = this.replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.waiter !== null) return Promise.reject(new Error('a status query is already waiting'));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = (b) => {
        clearTimeout(timer);
        resolve(b);
      };
    });
  }

  /** Fails any waiting query with "no answer" (e.g. the port closed). */
  abort(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.(null);
  }
}

/** What status queries need from a transport. */
export interface StatusChannel {
  /** Writes `query` and resolves with the next status reply byte, or null after `timeoutMs`. */
  request(query: Uint8Array, timeoutMs: number): Promise<number | null>;
}

/**
 * Sends DLE EOT 1, 2, 3 and 4 one after the other (never more than one outstanding, as the
 * manuals ask) and parses the replies. The first query without an answer ends the round
 * with `no_answer`.
 */
export async function queryPrinterStatus(channel: StatusChannel, timeoutMs = 500): Promise<PrinterStatus> {
  const got: number[] = [];
  for (const n of [1, 2, 3, 4] as const) {
    const reply = await channel.request(new Uint8Array(realtimeStatus(n)), timeoutMs);
    if (reply === null) {
      return {
        answered: false,
        online: false,
        reason: 'no_answer',
        message:
          n === 1
            ? `Printer did not answer a status query within ${timeoutMs} ms: it is off, unplugged, or on a different baud rate`
            : `Printer stopped answering status queries (no reply to DLE EOT ${n} within ${timeoutMs} ms)`,
      };
    }
    got.push(reply);
  }
  const [printer = 0, offline = 0, error = 0, paper = 0] = got;
  return parseStatusReplies({ printer, offline, error, paper });
}
