/**
 * Serial scanner over a REAL serial link: socat joins two pseudo-terminals; a simulated
 * scanner writes codes (and garbage, and half a scan) at one end, the till's SerialScanner
 * listens at the other. Tests wait on events, never on the clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyScan } from '../../../src-shared/cards';
import {
  SerialScanner,
  type ScanEvent,
  type ScanSource,
  type ScanSourceEvents,
  type SerialScannerOptions,
} from '../../../src-main/devices/scanners';
import { closeAllPtyPairs, openPtyPair, type PtyPair } from '../../helpers/pty-pair';

function openPort(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

function closePort(port: SerialPort | null): Promise<void> {
  return new Promise((resolve) => {
    if (port === null || !port.isOpen) {
      resolve();
      return;
    }
    port.close(() => resolve());
  });
}

/** The simulated scanner: writes bytes and resolves once the OS has taken them. */
function send(port: SerialPort, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));
    port.drain((err) => (err ? reject(err) : resolve()));
  });
}

function next<K extends keyof ScanSourceEvents>(
  source: ScanSource,
  event: K,
  predicate: (p: ScanSourceEvents[K]) => boolean = () => true,
): Promise<ScanSourceEvents[K]> {
  return new Promise((resolve) => {
    const off = source.on(event, (p) => {
      if (predicate(p)) {
        off();
        resolve(p);
      }
    });
  });
}

/** Collects scans and resolves when `n` have arrived. */
function collect(source: ScanSource, n: number): Promise<ScanEvent[]> {
  const got: ScanEvent[] = [];
  return new Promise((resolve) => {
    const off = source.on('scan', (s) => {
      got.push(s);
      if (got.length === n) {
        off();
        resolve(got);
      }
    });
  });
}

let dir = '';
let pair: PtyPair | null = null;
let device: SerialPort | null = null;
let scanner: SerialScanner | null = null;

async function setUp(options: Partial<SerialScannerOptions> = {}): Promise<{ scanner: SerialScanner; device: SerialPort }> {
  pair = await openPtyPair({ links: { a: join(dir, 'scanner-host'), b: join(dir, 'scanner-device') } });
  scanner = new SerialScanner({ path: pair.a, baudRate: 9600, interByteTimeoutMs: 250, reconnectIntervalMs: 20, ...options });
  const ready = next(scanner, 'status', (s) => s.state === 'ready');
  await scanner.start();
  await ready;
  // The device end opens after the host end is listening (serialport flushes on open).
  device = await openPort(pair.b);
  device.on('error', () => undefined);
  return { scanner, device };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tillsmith-scanner-'));
});

afterEach(async () => {
  await scanner?.stop();
  await closePort(device);
  await pair?.close();
  scanner = null;
  device = null;
  pair = null;
  rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await closeAllPtyPairs();
});

describe('serial scanner on a pseudo-terminal', () => {
  it('receives every kind of code, in one write or many, and each classifies correctly', async () => {
    const s = await setUp({ now: () => 1_790_000_000_000 });
    const scans = collect(s.scanner, 6);
    await send(s.device, '6901234567892\r4000123456789017\r\n');
    await send(s.device, ';4000123456789017=2912101?\r');
    await send(s.device, 'NFC:04A23B1C\r');
    await send(s.device, ']Q1TSM1:');
    await send(s.device, '6228480000001237\r');
    await send(s.device, 'https://tillsmith.example/c/4000123456789017\r');
    const got = await scans;
    expect(got.map((g) => g.raw)).toEqual([
      '6901234567892',
      '4000123456789017',
      ';4000123456789017=2912101?',
      'NFC:04A23B1C',
      ']Q1TSM1:6228480000001237',
      'https://tillsmith.example/c/4000123456789017',
    ]);
    for (const g of got) {
      expect(g.source).toBe('serial');
      expect(g.at).toBe(1_790_000_000_000);
    }
    expect(got.map((g) => classifyScan(g.raw))).toEqual([
      { kind: 'product', ean13: '6901234567892' },
      { kind: 'member_card', source: 'barcode', code: '4000123456789017' },
      { kind: 'member_card', source: 'track2', code: '4000123456789017' },
      { kind: 'member_card', source: 'nfc', code: 'NFC:04A23B1C' },
      { kind: 'member_card', source: 'qr', code: '6228480000001237' },
      { kind: 'member_card', source: 'qr', code: '4000123456789017' },
    ]);
  });

  it('garbage bytes become a scan the classifier rejects, and the next scan is clean', async () => {
    const s = await setUp();
    const scans = collect(s.scanner, 2);
    await send(s.device, Uint8Array.from([0xff, 0xfe, 0x00, 0x1b, 0x9c, 0x0d]));
    await send(s.device, '6901234567892\r');
    const [garbage, good] = await scans;
    const g = classifyScan(garbage?.raw ?? '');
    expect(g.kind).toBe('unknown');
    if (g.kind === 'unknown') {
      expect(g.reason).toBe('control_characters');
      expect(g.message).toMatch(/unreadable bytes/);
    }
    expect(classifyScan(good?.raw ?? '')).toEqual({ kind: 'product', ean13: '6901234567892' });
  });

  it('discards half a scan after the inter-byte timeout with a clear error, without gluing it to the next scan', async () => {
    const s = await setUp();
    const partial = next(s.scanner, 'error', (e) => e.code === 'partial_scan');
    await send(s.device, '40001234');
    const err = await partial;
    expect(err.discardedBytes).toBe(8);
    expect(err.message).toMatch(/half a scan.*scan again/);
    expect(err.source).toBe('serial');

    const scan = next(s.scanner, 'scan');
    await send(s.device, '4000123456789017\r');
    expect((await scan).raw).toBe('4000123456789017');
  });

  it('discards an overlong scan and reports a likely terminator mismatch', async () => {
    const s = await setUp({ maxLength: 32 });
    const overlong = next(s.scanner, 'error', (e) => e.code === 'overlong_scan');
    const scan = next(s.scanner, 'scan');
    await send(s.device, `${'9'.repeat(100)}\r6901234567892\r`);
    const e = await overlong;
    expect(e.message).toMatch(/longer than 32 bytes.*terminator/);
    expect((await scan).raw).toBe('6901234567892');
  });

  it('honours a CRLF terminator (and a scanner that sends only CR times out instead)', async () => {
    const s = await setUp({ terminator: 'CRLF' });
    const scan = next(s.scanner, 'scan');
    await send(s.device, '6901234567892\r\n');
    expect((await scan).raw).toBe('6901234567892');
    const partial = next(s.scanner, 'error', (e) => e.code === 'partial_scan');
    await send(s.device, '6901234567892\r');
    expect((await partial).message).toMatch(/no terminator \(CRLF\)/);
  });

  it('reports an unplug and picks the scanner up again when it comes back', async () => {
    const s = await setUp();
    const links = { a: join(dir, 'scanner-host'), b: join(dir, 'scanner-device') };

    const gone = next(s.scanner, 'status', (st) => st.state === 'disconnected');
    await pair?.close(); // unplug: socat exits, both ptys hang up, the links disappear
    await closePort(device);
    const g = await gone;
    expect(g.message).toMatch(/disappeared|not there/);

    const back = next(s.scanner, 'status', (st) => st.state === 'ready');
    pair = await openPtyPair({ links }); // plug back in under the same name
    await back;
    device = await openPort(pair.b);
    device.on('error', () => undefined);
    const scan = next(s.scanner, 'scan');
    await send(device, '4000123456789017\r');
    expect((await scan).raw).toBe('4000123456789017');
  });

  it('waits for a port that is missing at start-up, then stops cleanly', async () => {
    const path = join(dir, 'late-scanner');
    scanner = new SerialScanner({ path, reconnectIntervalMs: 20 });
    await scanner.start();
    expect(scanner.status().state).toBe('disconnected');
    expect(scanner.status().message).toMatch(/not there: the device is unplugged/);

    const ready = next(scanner, 'status', (st) => st.state === 'ready');
    pair = await openPtyPair({ links: { a: path, b: join(dir, 'late-device') } });
    await ready;
    await scanner.stop();
    expect(scanner.status().state).toBe('stopped');
  });

  it('reports invalid settings as unavailable instead of throwing', async () => {
    // e.g. a configuration file that holds a string where a number belongs
    const fromBadConfig = JSON.parse('{"baudRate": "fast"}') as { baudRate: number };
    scanner = new SerialScanner({ path: join(dir, 'nowhere'), baudRate: fromBadConfig.baudRate });
    await scanner.start();
    expect(scanner.status().state).toBe('unavailable');
    expect(scanner.status().message).toMatch(/settings .* are invalid: "baudRate" must be a number/);
  });

  it('reports the serial source unavailable when serialport cannot be loaded', async () => {
    scanner = new SerialScanner({
      path: '/dev/ttyACM0',
      loadSerialPort: async () => ({ ok: false, message: 'Serial devices are unavailable: the serialport module could not be loaded (GLIBC_2.28 not found).' }),
    });
    await scanner.start();
    expect(scanner.status()).toMatchObject({ state: 'unavailable', source: 'serial' });
    expect(scanner.status().message).toMatch(/GLIBC/);
  });
});
