/**
 * The raw TCP 9100 transport against a local socket server playing the printer, and the USB
 * line-printer transport writing to a character device (the slave end of a pseudo-terminal,
 * standing in for /dev/usb/lp0) read back at the other end.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PROFILE_80MM_GB18030,
  PrinterTransportError,
  ReceiptPrinter,
  TcpPrinterTransport,
  UsbLpPrinterTransport,
  renderReceipt,
} from '../../../src-main/devices/printer';
import type { ReceiptDoc } from '../../../src-shared/receipt';
import { closeAllPtyPairs, openPtyPair } from '../../helpers/pty-pair';
import { SimulatedPrinter } from './simulated-printer';

const DOC: ReceiptDoc = {
  store: { name: '滨江路便利店', addressLines: [] },
  terminal: 'T02',
  cashier: '李四',
  receiptId: 'R-0001',
  time: '2026-11-20 15:00',
  currency: { code: 'CNY', symbol: '¥', minorDigits: 2 },
  lines: [{ description: '豆浆', qty: 1, unitMinor: 350, lineMinor: 350 }],
  totals: { grossMinor: 350, pointsRedeemed: 0, pointsRedeemedValueMinor: 0, paidMinor: 350 },
  member: null,
  ruleSetVersion: '7',
  footer: [],
};

interface FakeNetworkPrinter {
  server: Server;
  port: number;
  sim: SimulatedPrinter;
  connections: number;
  dropConnections(): void;
  close(): Promise<void>;
}

async function startNetworkPrinter(): Promise<FakeNetworkPrinter> {
  let current: Socket | null = null;
  const sockets = new Set<Socket>();
  const fake: Partial<FakeNetworkPrinter> & { connections: number } = { connections: 0 };
  const sim = new SimulatedPrinter({ cjkEncoding: 'gb18030' }, (bytes) => current?.write(bytes));
  const server = createServer((socket) => {
    fake.connections += 1;
    current = socket;
    sockets.add(socket);
    socket.on('data', (chunk) => sim.receive(chunk));
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return Object.assign(fake, {
    server,
    port: address.port,
    sim,
    dropConnections: () => {
      for (const s of sockets) s.destroy();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }) as FakeNetworkPrinter;
}

describe('TCP 9100 transport', () => {
  let net: FakeNetworkPrinter | null = null;
  afterEach(async () => {
    await net?.close();
    net = null;
  });

  it('sends the receipt in one piece and reads DLE EOT status on the same socket', async () => {
    net = await startNetworkPrinter();
    const printer = new ReceiptPrinter(new TcpPrinterTransport({ host: '127.0.0.1', port: net.port }));
    const bytes = renderReceipt(DOC, { profile: PROFILE_80MM_GB18030 });
    await printer.print(bytes);
    await net.sim.until((p) => p.count('cut') === 1);
    expect(Buffer.from(net.sim.received)).toEqual(Buffer.from(bytes));
    expect(net.sim.receipt().lines[0]).toMatchObject({ text: '滨江路便利店', align: 'center' });

    net.sim.state.paper = 'out';
    expect(await printer.status()).toMatchObject({ answered: true, paperOut: true, online: false });
    net.sim.state.paper = 'ok';
    expect(await printer.status()).toMatchObject({ answered: true, paperOut: false, online: true });
    // one connection for the job, one for the status queries
    expect(net.connections).toBe(2);
    await printer.close();
  });

  it('reports a refused connection clearly', async () => {
    net = await startNetworkPrinter();
    const port = net.port;
    await net.close();
    net = null;
    const printer = new ReceiptPrinter(new TcpPrinterTransport({ host: '127.0.0.1', port, connectTimeoutMs: 2000 }));
    await expect(printer.print(new Uint8Array([0x1b, 0x40]))).rejects.toThrow(/Cannot connect to printer 127\.0\.0\.1:\d+.*ECONNREFUSED/);
    expect(await printer.status()).toMatchObject({ answered: false, reason: 'transport_error' });
  });

  it('uses a fresh connection per job, so a printer that dropped the connection still gets the next receipt', async () => {
    net = await startNetworkPrinter();
    const printer = new ReceiptPrinter(new TcpPrinterTransport({ host: '127.0.0.1', port: net.port }));
    await printer.print(Uint8Array.of(0x41, 0x0a));
    await net.sim.until((p) => p.received.length === 2);
    net.dropConnections(); // e.g. the printer was power-cycled
    await printer.print(Uint8Array.of(0x42, 0x0a));
    await net.sim.until((p) => p.received.length === 4);
    expect(net.sim.receipt().text).toEqual(['A', 'B']);
    expect(net.connections).toBe(2);
    await printer.close();
  });
});

describe('USB line-printer transport', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tillsmith-lp-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await closeAllPtyPairs();
  });

  it('writes the receipt to the device file in one write', async () => {
    const pair = await openPtyPair();
    const reader = await new Promise<SerialPort>((resolve, reject) => {
      const p = new SerialPort({ path: pair.b, baudRate: 9600, autoOpen: false });
      p.open((err) => (err ? reject(err) : resolve(p)));
    });
    reader.on('error', () => undefined);
    const sim = new SimulatedPrinter({ cjkEncoding: 'gb18030' }, () => undefined);
    reader.on('data', (chunk: Buffer) => sim.receive(chunk));

    const transport = new UsbLpPrinterTransport({ path: pair.a });
    const printer = new ReceiptPrinter(transport);
    const bytes = renderReceipt(DOC, { profile: PROFILE_80MM_GB18030 });
    await printer.print(bytes);
    await sim.until((p) => p.count('cut') === 1);
    expect(Buffer.from(sim.received)).toEqual(Buffer.from(bytes));
    expect(sim.receipt().text).toContain('豆浆' + ' '.repeat(48 - 4 - 6) + '￥3.50');
    expect(await printer.status()).toMatchObject({ answered: false, reason: 'not_readable' });

    await printer.close();
    await new Promise<void>((resolve) => reader.close(() => resolve()));
    await pair.close();
  });

  it('fails clearly, and creates nothing, when the device is missing', async () => {
    const path = join(dir, 'lp0');
    const printer = new ReceiptPrinter(new UsbLpPrinterTransport({ path }));
    const err = await printer.print(new Uint8Array([0x1b, 0x40])).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PrinterTransportError);
    expect((err as PrinterTransportError).code).toBe('open_failed');
    expect((err as PrinterTransportError).message).toMatch(/Cannot open printer device .*lp0.*ENOENT/);
    expect(existsSync(path)).toBe(false);
  });
});
