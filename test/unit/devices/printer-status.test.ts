import { describe, expect, it } from 'vitest';
import {
  PrinterTransportError,
  ReceiptPrinter,
  StatusReplyReader,
  isAsbHeader,
  isRealtimeStatusByte,
  parseAsbFrame,
  parseStatusReplies,
  queryPrinterStatus,
  type PrinterStatusAnswered,
  type PrinterTransport,
  type StatusChannel,
} from '../../../src-main/devices/printer';

const OK = { printer: 0x12, offline: 0x12, error: 0x12, paper: 0x12 };

describe('parseStatusReplies (DLE EOT 1..4)', () => {
  it('all fixed bits only: online, no problems', () => {
    const s = parseStatusReplies(OK);
    expect(s).toMatchObject({ answered: true, online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });
    expect(s.message).toBe('Ready');
  });

  it('n=1 bit 3: offline; bit 2: drawer pin', () => {
    expect(parseStatusReplies({ ...OK, printer: 0x1a }).online).toBe(false);
    expect(parseStatusReplies({ ...OK, printer: 0x16 }).drawerPin3High).toBe(true);
  });

  it('n=2: cover open, feed button, stopped by paper end, error', () => {
    expect(parseStatusReplies({ ...OK, printer: 0x1a, offline: 0x16 })).toMatchObject({ coverOpen: true, message: 'Printer cover is open' });
    expect(parseStatusReplies({ ...OK, offline: 0x1a }).feedButton).toBe(true);
    expect(parseStatusReplies({ ...OK, offline: 0x32 }).paperOut).toBe(true);
    expect(parseStatusReplies({ ...OK, offline: 0x52 }).error).toBe(true);
  });

  it('n=3: mechanical, autocutter, unrecoverable, auto-recoverable errors', () => {
    expect(parseStatusReplies({ ...OK, error: 0x16 })).toMatchObject({ error: true, mechanicalError: true });
    expect(parseStatusReplies({ ...OK, error: 0x1a })).toMatchObject({ error: true, autocutterError: true, message: 'Printer cutter is jammed' });
    expect(parseStatusReplies({ ...OK, error: 0x32 })).toMatchObject({ error: true, unrecoverableError: true });
    expect(parseStatusReplies({ ...OK, error: 0x52 })).toMatchObject({ error: true, autoRecoverableError: true });
  });

  it('n=4: near end (bits 2-3) and paper end (bits 5-6)', () => {
    expect(parseStatusReplies({ ...OK, paper: 0x1e })).toMatchObject({ paperNearEnd: true, paperOut: false, online: true });
    expect(parseStatusReplies({ ...OK, paper: 0x1e }).message).toMatch(/nearly finished/);
    expect(parseStatusReplies({ ...OK, printer: 0x1a, offline: 0x32, paper: 0x7e })).toMatchObject({
      paperOut: true,
      paperNearEnd: true,
      online: false,
      message: 'Printer is out of paper',
    });
  });

  it('tells DLE EOT replies from ASB headers', () => {
    for (const b of [0x12, 0x16, 0x1a, 0x1e, 0x32, 0x52, 0x72, 0x7e]) expect(isRealtimeStatusByte(b)).toBe(true);
    for (const b of [0x10, 0x18, 0x30, 0x14]) {
      expect(isRealtimeStatusByte(b)).toBe(false);
      expect(isAsbHeader(b)).toBe(true);
    }
    expect(isRealtimeStatusByte(0x13)).toBe(false); // XOFF
  });

  it('parses ASB frames', () => {
    expect(parseAsbFrame([0x10, 0x00, 0x00, 0x00])).toMatchObject({ online: true, paperOut: false, error: false });
    expect(parseAsbFrame([0x38, 0x00, 0x0c, 0x00])).toMatchObject({ online: false, coverOpen: true, paperOut: true });
    expect(parseAsbFrame([0x10, 0x08, 0x03, 0x00])).toMatchObject({ autocutterError: true, paperNearEnd: true, error: true });
  });
});

describe('StatusReplyReader', () => {
  it('hands replies to the waiting query and routes ASB frames aside', async () => {
    const asb: PrinterStatusAnswered[] = [];
    const r = new StatusReplyReader((s) => asb.push(s));
    const p = r.next(1000);
    // an ASB frame (offline, paper end) then the reply
    r.push(Uint8Array.from([0x18, 0x00, 0x0f, 0x00, 0x16]));
    expect(await p).toBe(0x16);
    expect(asb).toHaveLength(1);
    expect(asb[0]).toMatchObject({ online: false, paperOut: true, paperNearEnd: true });
  });

  // "Identification of send status" (Epson / Citizen manuals): DLE EOT <0**1**10>, ASB byte 1
  // <0**1**00>, ASB bytes 2-4 <0**0****>, XON 0x11, XOFF 0x13; after an ASB header the next
  // three bytes other than XOFF are ASB data.
  it('takes a DLE EOT reply that arrives inside an ASB frame as the reply, and keeps the frame whole', async () => {
    const asb: PrinterStatusAnswered[] = [];
    const r = new StatusReplyReader((s) => asb.push(s));
    const p = r.next(1000);
    // header (cover open), error byte, the reply 0x16 (bit 4 set: cannot be ASB data), paper byte, last byte
    r.push(Uint8Array.from([0x38, 0x00, 0x16, 0x00, 0x00]));
    expect(await p).toBe(0x16);
    expect(asb).toHaveLength(1);
    expect(asb[0]).toMatchObject({ coverOpen: true, online: false, paperOut: false, raw: { printer: 0x38, error: 0x00, paper: 0x00 } });
  });

  it('skips XON/XOFF inside a frame, across chunk boundaries', () => {
    const asb: PrinterStatusAnswered[] = [];
    const r = new StatusReplyReader((s) => asb.push(s));
    r.push(Uint8Array.from([0x18, 0x13]));
    r.push(Uint8Array.from([0x00, 0x11, 0x0c]));
    expect(asb).toHaveLength(0);
    r.push(Uint8Array.from([0x00]));
    expect(asb).toHaveLength(1);
    expect(asb[0]?.paperOut).toBe(true);
  });

  it('drops an unfinished frame when a new header arrives, and ignores ASB data without a header', async () => {
    const asb: PrinterStatusAnswered[] = [];
    const r = new StatusReplyReader((s) => asb.push(s));
    r.push(Uint8Array.from([0x00, 0x0c, 0x00])); // no header: noise
    r.push(Uint8Array.from([0x18, 0x00])); // cut short (e.g. the printer was reset)
    r.push(Uint8Array.from([0x10, 0x00, 0x00, 0x00])); // a whole frame: all fine
    expect(asb).toHaveLength(1);
    expect(asb[0]).toMatchObject({ online: true, paperOut: false, error: false, coverOpen: false, message: 'Ready' });
    expect(await r.next(5)).toBeNull(); // none of it was a reply
  });

  it('delivers several frames and replies in the order they arrive', async () => {
    const asb: boolean[] = [];
    const r = new StatusReplyReader((s) => asb.push(s.paperOut));
    r.push(Uint8Array.from([0x18, 0x00, 0x0f, 0x00, 0x12, 0x10, 0x00, 0x00, 0x00, 0x1a]));
    expect(asb).toEqual([true, false]);
    expect(await r.next(5)).toBe(0x12);
    expect(await r.next(5)).toBe(0x1a);
  });

  it('queues early replies, drops garbage, and clear() forgets them', async () => {
    const r = new StatusReplyReader();
    r.push(Uint8Array.from([0x00, 0xff, 0x12]));
    expect(await r.next(10)).toBe(0x12);
    r.push(Uint8Array.from([0x12]));
    r.clear();
    expect(await r.next(5)).toBeNull();
  });

  it('abort() answers a waiting query with null', async () => {
    const r = new StatusReplyReader();
    const p = r.next(60_000);
    r.abort();
    expect(await p).toBeNull();
  });
});

/** A scripted status channel: answers each query with the next byte, or never. */
function channel(replies: Array<number | null>): StatusChannel & { queries: number[][] } {
  const queries: number[][] = [];
  return {
    queries,
    async request(q) {
      queries.push([...q]);
      return replies.shift() ?? null;
    },
  };
}

describe('queryPrinterStatus', () => {
  it('sends DLE EOT 1, 2, 3, 4 in turn and parses the answers', async () => {
    const c = channel([0x1a, 0x32, 0x12, 0x72]);
    const s = await queryPrinterStatus(c, 100);
    expect(c.queries).toEqual([
      [0x10, 0x04, 1],
      [0x10, 0x04, 2],
      [0x10, 0x04, 3],
      [0x10, 0x04, 4],
    ]);
    expect(s).toMatchObject({ answered: true, paperOut: true, online: false });
  });

  it('reports no_answer when the printer is silent', async () => {
    const s = await queryPrinterStatus(channel([]), 50);
    expect(s).toMatchObject({ answered: false, online: false, reason: 'no_answer' });
    expect(s.message).toMatch(/did not answer.*50 ms/);
  });

  it('reports no_answer when the printer stops answering half way', async () => {
    const s = await queryPrinterStatus(channel([0x12, 0x12]), 50);
    expect(s).toMatchObject({ answered: false, reason: 'no_answer' });
    expect(s.message).toMatch(/DLE EOT 3/);
  });
});

class FakeTransport implements PrinterTransport {
  readonly kind = 'serial' as const;
  readonly target = 'fake';
  isOpen = false;
  writes: Uint8Array[] = [];
  log: string[] = [];
  private releaseWrite: (() => void) | null = null;
  holdWrites = false;
  private signalWriteStarted: () => void = () => undefined;
  readonly writeStarted = new Promise<void>((r) => (this.signalWriteStarted = r));

  constructor(
    readonly canReadStatus: boolean,
    private readonly replies: number[] = [],
    private readonly openError: Error | null = null,
  ) {}

  async open(): Promise<void> {
    if (this.openError !== null) throw this.openError;
    this.isOpen = true;
  }
  failWrites = false;
  async write(bytes: Uint8Array): Promise<void> {
    if (this.failWrites) throw new PrinterTransportError('write_failed', 'Writing to printer fake failed: EIO');
    this.log.push('write-start');
    this.writes.push(bytes);
    this.signalWriteStarted();
    if (this.holdWrites) await new Promise<void>((r) => (this.releaseWrite = r));
    this.log.push('write-end');
  }
  release(): void {
    this.releaseWrite?.();
  }
  async request(): Promise<number | null> {
    this.log.push('query');
    return this.replies.shift() ?? null;
  }
  async close(): Promise<void> {
    this.isOpen = false;
  }
  onAsb(): () => void {
    return () => undefined;
  }
}

describe('ReceiptPrinter', () => {
  it('opens the transport and sends a receipt as exactly one write', async () => {
    const t = new FakeTransport(true);
    const p = new ReceiptPrinter(t);
    const receipt = new Uint8Array(1600).fill(0x41);
    await p.print(receipt);
    expect(t.isOpen).toBe(true);
    expect(t.writes).toHaveLength(1);
    expect(t.writes[0]).toBe(receipt);
  });

  it('never interleaves a status query with a print in progress', async () => {
    const t = new FakeTransport(true, [0x12, 0x12, 0x12, 0x12]);
    t.holdWrites = true;
    const p = new ReceiptPrinter(t);
    const printing = p.print(new Uint8Array([1, 2, 3]));
    const status = p.status();
    await t.writeStarted;
    expect(t.log).toEqual(['write-start']);
    t.release();
    await printing;
    expect((await status).answered).toBe(true);
    expect(t.log).toEqual(['write-start', 'write-end', 'query', 'query', 'query', 'query']);
  });

  it('switches Automatic Status Back on each time the port opens, when asked, before anything else', async () => {
    const t = new FakeTransport(true, [0x12, 0x12, 0x12, 0x12]);
    const p = new ReceiptPrinter(t, { autoStatusBack: true });
    expect((await p.status()).answered).toBe(true);
    await p.print(Uint8Array.of(0x41));
    expect(t.writes.map((w) => [...w])).toEqual([[0x1d, 0x61, 0x0f], [0x41]]);
    expect(t.log).toEqual(['write-start', 'write-end', 'query', 'query', 'query', 'query', 'write-start', 'write-end']);
    await t.close(); // unplugged and back: switched on again
    await p.print(Uint8Array.of(0x42));
    expect(t.writes.map((w) => [...w])).toEqual([[0x1d, 0x61, 0x0f], [0x41], [0x1d, 0x61, 0x0f], [0x42]]);
    // not asked: never sent
    const plain = new FakeTransport(true);
    await new ReceiptPrinter(plain).print(Uint8Array.of(0x41));
    expect(plain.writes.map((w) => [...w])).toEqual([[0x41]]);
  });

  it('reports a printer that does not take GS a as a port that would not open (nothing of the receipt was sent)', async () => {
    const t = new FakeTransport(true);
    t.failWrites = true;
    const p = new ReceiptPrinter(t, { autoStatusBack: true });
    await expect(p.print(Uint8Array.of(0x41))).rejects.toMatchObject({ name: 'PrinterTransportError', code: 'open_failed' });
    expect(t.isOpen).toBe(false);
  });

  it('says status is not readable on a write-only transport', async () => {
    const s = await new ReceiptPrinter(new FakeTransport(false)).status();
    expect(s).toMatchObject({ answered: false, reason: 'not_readable' });
  });

  it('turns an open failure into a transport_error status and a rejected print', async () => {
    const err = new PrinterTransportError('open_failed', 'Cannot open printer port /dev/ttyUSB9: ENOENT');
    const p = new ReceiptPrinter(new FakeTransport(true, [], err));
    expect(await p.status()).toMatchObject({ answered: false, reason: 'transport_error', message: err.message });
    await expect(p.print(new Uint8Array([1]))).rejects.toThrow(/ttyUSB9/);
    // the queue keeps working after a failure
    expect((await p.status()).answered).toBe(false);
  });
});
