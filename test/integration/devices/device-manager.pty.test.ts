/**
 * The DeviceManager inside a real terminal: a serial scanner on a socat pseudo-terminal emits
 * `scan.received` on the core's EventBus, is reconnected after its port vanishes and returns,
 * and `devices.list` / the sources say clearly why node-hid or serialport cannot be used,
 * while the till keeps trading.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadNodeHid } from '../../../src-main/devices/scanners/hid-pos-scanner';
import { DEMO_STAFF } from '../../../src-main/seed/demo';
import { closeAllPtyPairs, openPtyPair, type PtyPair } from '../../helpers/pty-pair';
import { closeDevicePort, EventRecorder, FAST_ENV, openDevicePort, openTill, tempDir, type Till } from './device-rig';

let dir = '';
let till: Till | null = null;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(() => {
  dir = tempDir('tillsmith-devmgr-');
});

afterEach(async () => {
  await till?.close();
  till = null;
  for (const c of cleanups.splice(0).reverse()) await c();
  fs.rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await closeAllPtyPairs();
});

interface ScannerEnd {
  pair: PtyPair;
  device: SerialPort;
  close(): Promise<void>;
}

async function scannerPair(name = 'scanner'): Promise<ScannerEnd> {
  const pair = await openPtyPair({ links: { a: path.join(dir, name), b: path.join(dir, `${name}-device`) } });
  const device = await openDevicePort(pair.b);
  device.on('error', () => undefined);
  let closed = false;
  const end = {
    pair,
    device,
    close: async () => {
      if (closed) return;
      closed = true;
      await closeDevicePort(device);
      await pair.close();
    },
  };
  cleanups.push(end.close);
  return end;
}

const serialScanner = (id: string, p: string) => ({ id, type: 'serial' as const, path: p, baudRate: 9600, terminator: 'CR' as const });

describe('device manager', () => {
  it('starts nothing on a new till, and the status says so', async () => {
    till = await openTill();
    const status = await till.call('devices.status', {});
    expect(status).toMatchObject({ scanners: [], printer: null, needsCheck: 0 });
    expect(status.config.keyboardWedge).toEqual({ enabled: true, maxInterKeyMs: 50, minLength: 6, terminator: 'Enter', timeoutMs: 150 });
    await expect(till.call('devices.testScan', { timeoutMs: 100 })).rejects.toMatchObject({ code: 'DEVICE_NOT_CONFIGURED' });
    await expect(till.call('devices.testPrint', {})).rejects.toMatchObject({ code: 'DEVICE_NOT_CONFIGURED' });
  });

  it('needs a manager to configure devices, and validates the settings', async () => {
    till = await openTill();
    const cashier = await till.call('staff.list', {}).then((l) => l.find((s) => s.name === DEMO_STAFF[0].name)!);
    await expect(
      till.call('devices.configure', { config: { scanners: [] }, approval: { staffId: cashier.id, pin: DEMO_STAFF[0].pin } }),
    ).rejects.toMatchObject({ code: 'MANAGER_PIN_REQUIRED' });
    await expect(till.configure({ scanners: [serialScanner('a', 'relative/path')] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(till.configure({ scanners: [serialScanner('a', '/dev/x'), serialScanner('a', '/dev/y')] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(till.configure({ printer: { connection: { transport: 'tcp', host: 'printer; rm -rf /', port: 9100 } } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(till.configure({ keyboardWedge: { maxInterKeyMs: 1 } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('emits scan.received for a serial scanner on a pty, survives unplugging and picks it up again', async () => {
    till = await openTill();
    const scans = new EventRecorder(till.terminal.events, 'scan.received');
    const status = new EventRecorder(till.terminal.events, 'devices.status');
    let end = await scannerPair();
    const configured = await till.configure({ scanners: [serialScanner('counter', end.pair.a)] });
    expect(configured.scanners).toEqual([expect.objectContaining({ id: 'counter', type: 'serial', state: 'ready' })]);

    end.device.write('6222020000000015\r');
    const first = await scans.until(() => true);
    expect(first).toMatchObject({ raw: '6222020000000015', source: 'serial' });

    // Garbage and half a scan: the cashier gets a message, the next scan is clean.
    end.device.write('622202');
    const partial = await status.until((e) => e.device === 'scanner' && e.state === 'error');
    expect(partial).toMatchObject({ id: 'counter', transient: true });
    expect(partial.message).toMatch(/half a scan/);
    end.device.write('6901234567892\r');
    expect(await scans.until((s) => s.raw === '6901234567892', 1)).toMatchObject({ source: 'serial' });

    // Unplug: socat goes away, the port vanishes.
    const mark = status.seen.length;
    await end.close();
    const gone = await status.until((e) => e.device === 'scanner' && e.state === 'offline', mark);
    expect(gone.message).toMatch(/disappeared|not there/);
    expect((await till.call('devices.status', {})).scanners[0]).toMatchObject({ state: 'offline' });
    // The till trades on without it.
    expect((await till.sale()).receiptNo).toBeTruthy();

    // Plug it back in under the same name.
    const again = status.seen.length;
    end = await scannerPair();
    await status.until((e) => e.device === 'scanner' && e.state === 'ready', again);
    end.device.write('4000123456789017\r');
    expect(await scans.until((s) => s.raw === '4000123456789017')).toMatchObject({ source: 'serial' });
    expect(scans.seen.map((s) => s.raw)).toEqual(['6222020000000015', '6901234567892', '4000123456789017']);
  });

  it('tests a scanner: waits for the next scan and says what it is, or times out', async () => {
    let end: ScannerEnd | null = null;
    let play: string | null = null;
    till = await openTill({
      env: {
        ...FAST_ENV,
        onWaitingForScan: () => {
          if (play !== null) end?.device.write(`${play}\r`);
        },
      },
    });
    end = await scannerPair();
    await till.configure({ scanners: [serialScanner('counter', end.pair.a)] });
    play = '4000 1234 5678 9017';
    const card = await till.call('devices.testScan', { timeoutMs: 5000 });
    expect(card).toMatchObject({ raw: '4000 1234 5678 9017', source: 'serial', deviceId: 'counter', classified: { kind: 'member_card' } });
    expect(card.classified.detail).toContain('4000 **** **** 9017');
    play = '4000123456789018';
    const bad = await till.call('devices.testScan', { timeoutMs: 5000 });
    expect(bad.classified).toMatchObject({ kind: 'unknown' });
    expect(bad.classified.detail).toMatch(/check digit/i);
    play = null;
    await expect(till.call('devices.testScan', { timeoutMs: 100 })).rejects.toMatchObject({ code: 'SCAN_TIMEOUT' });
  });

  it('lists devices, and says why USB HID is unavailable when node-hid cannot load; serial scanners keep working', async () => {
    const libusbMissing = () => loadNodeHid(() => Promise.reject(new Error('libusb-1.0.so.0: cannot open shared object file: No such file or directory')));
    till = await openTill({ env: { ...FAST_ENV, loadHid: libusbMissing } });
    const list = await till.call('devices.list', {});
    expect(list.hidDevices.available).toBe(false);
    if (!list.hidDevices.available) {
      expect(list.hidDevices.reason).toContain('libusb-1.0.so.0: cannot open shared object file');
      expect(list.hidDevices.reason).toContain('install libudev1 and libusb-1.0-0');
    }
    expect(list.hidDevices.items).toEqual([]);
    // serialport loads here; its port list runs udevadm, which may or may not exist: either way a clear answer.
    if (list.serialPorts.available) expect(Array.isArray(list.serialPorts.items)).toBe(true);
    else expect(list.serialPorts.reason).toMatch(/udev/);
    expect(Array.isArray(list.usbPrinters)).toBe(true);

    const status = new EventRecorder(till.terminal.events, 'devices.status');
    const scans = new EventRecorder(till.terminal.events, 'scan.received');
    const end = await scannerPair();
    const configured = await till.configure({
      scanners: [
        { id: 'hid', type: 'hid-pos', vendorId: 0x0c2e, productId: 0x0b6a },
        serialScanner('serial', end.pair.a),
      ],
    });
    expect(configured.scanners.map((s) => [s.id, s.state])).toEqual([
      ['hid', 'unavailable'],
      ['serial', 'ready'],
    ]);
    expect(configured.scanners[0]!.message).toContain('node-hid could not be loaded');
    expect((await status.until((e) => e.id === 'hid' && e.state === 'unavailable')).message).toContain('libusb');
    end.device.write('6222020000000015\r');
    expect(await scans.until(() => true)).toMatchObject({ raw: '6222020000000015' });
    expect((await till.sale()).receiptNo).toBeTruthy();
  });

  it('says why serial devices are unavailable when serialport cannot load', async () => {
    const broken = async () => ({ ok: false as const, message: 'Serial devices are unavailable: the serialport module could not be loaded (GLIBC_2.28 not found). Other devices still work.' });
    till = await openTill({ env: { ...FAST_ENV, loadSerialPort: broken } });
    const list = await till.call('devices.list', {});
    expect(list.serialPorts).toEqual({ available: false, reason: expect.stringContaining('GLIBC_2.28'), items: [] });
    const configured = await till.configure({ scanners: [serialScanner('serial', '/dev/ttyACM0')] });
    expect(configured.scanners[0]).toMatchObject({ state: 'unavailable', message: expect.stringContaining('serialport module could not be loaded') });
    expect((await till.sale()).receiptNo).toBeTruthy();
  });

  it('starts the stored devices with the till, and close() releases them', async () => {
    const dataDir = tempDir('tillsmith-devmgr-data-');
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const end = await scannerPair();
    till = await openTill({ dataDir });
    await till.configure({ scanners: [serialScanner('counter', end.pair.a)] });
    await till.close();
    till = null;
    // Released: another program can take the port (serialport locks it while open).
    const probe = await new Promise<SerialPort>((resolve, reject) => {
      const p = new SerialPort({ path: end.pair.a, baudRate: 9600, lock: true, autoOpen: false });
      p.open((err) => (err ? reject(err) : resolve(p)));
    });
    await closeDevicePort(probe);

    // A restart opens the stored scanner by itself.
    const status = new EventRecorder((till = await openTill({ dataDir })).terminal.events, 'devices.status');
    const s = await till.call('devices.status', {});
    expect(s.config.scanners.map((x) => x.id)).toEqual(['counter']);
    if (s.scanners[0]?.state !== 'ready') await status.until((e) => e.id === 'counter' && e.state === 'ready');
    const scans = new EventRecorder(till.terminal.events, 'scan.received');
    end.device.write('6222020000000015\r');
    expect(await scans.until(() => true)).toMatchObject({ raw: '6222020000000015' });
  });
});
