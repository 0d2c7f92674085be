/**
 * Shared set-up for the device tests that run through the whole terminal: a till (the real
 * createTerminal on a temporary data folder, demo staff, low PIN cost) with an injectable device
 * environment, simulated printers and scanners on the far end of socat pseudo-terminals, and an
 * event recorder to wait on the core's EventBus (never on the clock).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, beforeEach } from 'vitest';
import type { Input, Method, Outputs } from '../../../src-shared/api/contract';
import type { DeviceConfigInput } from '../../../src-shared/api/contract-devices';
import type { PosEventName, PosEvents } from '../../../src-shared/api/events';
import { DomainError } from '../../../src-shared/errors/domain-error';
import type { DeviceEnvironment } from '../../../src-main/devices/device-manager';
import { DEMO_STAFF } from '../../../src-main/seed/demo';
import { createTerminal, type Terminal } from '../../../src-main/terminal/create-terminal';
import type { EventBus } from '../../../src-main/core/events';
import type { DecoderOptions } from '../../helpers/escpos-decoder';
import { closeAllPtyPairs, openPtyPair, type PtyPair } from '../../helpers/pty-pair';
import { SimulatedPrinter } from './simulated-printer';

export const FAST_ENV: DeviceEnvironment = {
  printerStatusTimeoutMs: 150,
  printBackoff: { initialMs: 20, maxMs: 200 },
  scannerReconnectMs: 50,
  idlePollMs: 0,
};

export interface Till {
  terminal: Terminal;
  dataDir: string;
  call<M extends Method>(method: M, input: Input<M>): Promise<Outputs[M]>;
  approval(): Promise<{ staffId: string; pin: string }>;
  configure(config: DeviceConfigInput): Promise<Outputs['devices.configure']>;
  sale(lines?: Array<{ description: string; quantity: number; unitPriceMinor: number }>, memberId?: string | null): Promise<Outputs['checkout.complete']>;
  close(): Promise<void>;
}

export function tempDir(prefix = 'tillsmith-dev-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function openTill(opts: { dataDir?: string; env?: DeviceEnvironment; signIn?: boolean } = {}): Promise<Till> {
  const dataDir = opts.dataDir ?? tempDir();
  const terminal = await createTerminal({ dataDir, pinKdfCost: 1024, seedDemo: { members: 0, paymentsAtTill: false }, devices: { env: opts.env ?? FAST_ENV } });
  const call = async <M extends Method>(method: M, input: Input<M>): Promise<Outputs[M]> => {
    const r = await terminal.dispatch(method, input);
    if (r.ok) return r.value as Outputs[M];
    throw new DomainError(r.error.code, r.error.message, r.error.details ?? {});
  };
  const staff = await call('staff.list', {});
  const idOf = (name: string) => staff.find((s) => s.name === name)!.id;
  const cashier = DEMO_STAFF[0];
  const manager = DEMO_STAFF.find((s) => s.role === 'manager')!;
  if (opts.signIn !== false) await call('session.signIn', { staffId: idOf(cashier.name), pin: cashier.pin });
  const approval = async () => ({ staffId: idOf(manager.name), pin: manager.pin });
  return {
    terminal,
    dataDir,
    call,
    approval,
    configure: async (config) => call('devices.configure', { config, approval: await approval() }),
    sale: (lines = [{ description: '乌龙茶 Oolong tea', quantity: 2, unitPriceMinor: 1250 }], memberId = null) =>
      call('checkout.complete', {
        idempotencyKey: randomUUID(),
        memberId,
        lines: lines.map((l, i) => ({ lineNo: i + 1, category: 'tea', ...l })),
        redeemPoints: 0,
      }),
    close: () => terminal.close(),
  };
}

/** Records events from the bus; `until` resolves with the first matching event, past or future. */
export class EventRecorder<E extends PosEventName> {
  readonly seen: PosEvents[E][] = [];
  private readonly waiters: Array<{ match: (p: PosEvents[E]) => boolean; resolve: (p: PosEvents[E]) => void }> = [];
  private readonly off: () => void;

  constructor(
    bus: EventBus,
    private readonly event: E,
  ) {
    this.off = bus.on(event, (p) => {
      this.seen.push(p);
      for (const w of [...this.waiters]) {
        if (w.match(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
  }

  /**
   * The first event matching, among those from index `from` on (earlier ones are ignored). If none
   * comes within `deadlineMs` the wait fails with the events that did come, so a test that hangs
   * says what it saw instead of running into the test timeout (a deadline for failing, not a wait).
   */
  until(match: (p: PosEvents[E]) => boolean, from = 0, deadlineMs = 20_000): Promise<PosEvents[E]> {
    const found = this.seen.slice(from).find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (p: PosEvents[E]) => {
          clearTimeout(timer);
          resolve(p);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no matching ${this.event} event within ${deadlineMs} ms; seen since #${from}: ${JSON.stringify(this.seen.slice(from)).slice(0, 2000)}`));
      }, deadlineMs);
      this.waiters.push(waiter);
    });
  }

  stop(): void {
    this.off();
  }
}

export function openDevicePort(p: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path: p, baudRate: 38400, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

export function closeDevicePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) {
      resolve();
      return;
    }
    port.close(() => resolve());
  });
}

/** A simulated receipt printer at the far end of a pty pair: `host` is what the till opens. */
export interface PrinterRig {
  pair: PtyPair;
  host: string;
  device: SerialPort;
  sim: SimulatedPrinter;
  close(): Promise<void>;
}

/** `decoder`: how the simulated printer reads text (default: a GB18030 printer, Chinese mode at power-on). */
export async function openPrinterRig(dir: string, name = 'printer', decoder: DecoderOptions = { cjkEncoding: 'gb18030' }): Promise<PrinterRig> {
  const pair = await openPtyPair({ links: { a: path.join(dir, name), b: path.join(dir, `${name}-device`) } });
  const device = await openDevicePort(pair.b);
  device.on('error', () => undefined);
  const sim = new SimulatedPrinter(decoder, (bytes) => device.write(Buffer.from(bytes)));
  device.on('data', (chunk: Buffer) => sim.receive(chunk));
  return {
    pair,
    host: pair.a,
    device,
    sim,
    close: async () => {
      await closeDevicePort(device);
      await pair.close();
    },
  };
}

export function serialPrinter(host: string, extra: Record<string, unknown> = {}): DeviceConfigInput {
  return {
    printer: { connection: { transport: 'serial', path: host, baudRate: 38400 }, language: 'zh-Hans', paperWidth: 80, ...extra },
  };
}

/**
 * The life of a printer test file, registered in its vitest hooks: a fresh temporary folder per
 * test, the printers opened with `printer()` closed after each test (after `closeTill`, which
 * closes the test's till first, so the till never writes to a closed link), the folder removed,
 * and every pseudo-terminal pair closed at the end of the file.
 */
export function printerTestLifecycle(prefix: string, closeTill: () => Promise<void>): {
  /** This test's temporary folder. */
  dir(): string;
  /** A simulated printer on a pty pair in this test's folder, closed after the test. */
  printer(name?: string, decoder?: DecoderOptions): Promise<PrinterRig>;
} {
  let dir = '';
  const rigs: PrinterRig[] = [];
  beforeEach(() => {
    dir = tempDir(prefix);
  });
  afterEach(async () => {
    await closeTill();
    for (const r of rigs.splice(0)) await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await closeAllPtyPairs();
  });
  return {
    dir: () => dir,
    async printer(name, decoder) {
      const r = await openPrinterRig(dir, name, decoder);
      rigs.push(r);
      return r;
    },
  };
}
