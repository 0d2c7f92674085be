/**
 * The node-hid scanner source, driven through an injected fake node-hid module that replays
 * the fixture reports (no virtual HID device can be created on this machine), plus one smoke
 * test with the real node-hid loader.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  HidPosScanner,
  type HidDeviceInfo,
  type HidDeviceLike,
  type HidLoadResult,
  type ScanSource,
  type ScanSourceEvents,
} from '../../../src-main/devices/scanners';
import * as fx from './fixtures/hid-pos-reports';

class FakeHidDevice extends EventEmitter implements HidDeviceLike {
  closed = false;
  async close(): Promise<void> {
    this.closed = true;
  }
  report(bytes: Uint8Array): void {
    this.emit('data', Buffer.from(bytes));
  }
}

class FakeHid {
  devices: HidDeviceInfo[] = [];
  opened: FakeHidDevice[] = [];
  load = async (): Promise<HidLoadResult> => ({
    ok: true,
    hid: {
      devicesAsync: async () => this.devices,
      HIDAsync: {
        open: async () => {
          const d = new FakeHidDevice();
          this.opened.push(d);
          return d;
        },
      },
    },
  });
}

const SCANNER: HidDeviceInfo = {
  vendorId: 0x0c2e,
  productId: 0x0b61,
  path: '/dev/hidraw3',
  usagePage: 0x8c,
  usage: 0x02,
  product: 'Test HID POS scanner',
};
const KEYBOARD: HidDeviceInfo = { vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw2', usagePage: 0x01, usage: 0x06 };

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

describe('HidPosScanner', () => {
  it('reports itself unavailable, without throwing, when node-hid cannot be loaded', async () => {
    const scanner = new HidPosScanner({
      loadHid: async () => ({ ok: false, message: 'USB HID scanners are unavailable: node-hid could not be loaded (libusb-1.0.so.0: cannot open shared object file)' }),
    });
    const statuses: string[] = [];
    scanner.on('status', (s) => statuses.push(s.state));
    await expect(scanner.start()).resolves.toBeUndefined();
    expect(scanner.status().state).toBe('unavailable');
    expect(scanner.status().message).toMatch(/libusb/);
    expect(statuses).toEqual(['unavailable']);
    await scanner.stop();
  });

  it('opens the usage-page 0x8C interface and emits scans, joining multi-report scans', async () => {
    const fake = new FakeHid();
    fake.devices = [KEYBOARD, SCANNER];
    const scanner = new HidPosScanner({ vendorId: 0x0c2e, loadHid: fake.load, now: () => 1234 });
    await scanner.start();
    expect(scanner.status().state).toBe('ready');
    expect(scanner.status().message).toContain('/dev/hidraw3');
    const device = fake.opened[0];
    if (device === undefined) throw new Error('no device opened');

    const scans: Array<{ raw: string; symbology?: string }> = [];
    scanner.on('scan', (s) => scans.push({ raw: s.raw, ...(s.symbology !== undefined ? { symbology: s.symbology } : {}) }));
    device.report(fx.EAN13_SINGLE);
    device.report(fx.QR_URL_PART1);
    device.report(fx.QR_URL_PART2);
    device.report(fx.OTHER_REPORT);
    device.report(fx.NO_AIM_CARD);
    expect(scans).toEqual([
      { raw: ']E06901234567892', symbology: ']E0' },
      { raw: `]Q1${fx.QR_URL_TEXT}`, symbology: ']Q1' },
      { raw: '6228480000001237' },
    ]);
    await scanner.stop();
    expect(device.closed).toBe(true);
    expect(scanner.status().state).toBe('stopped');
  });

  it('reports malformed reports and drops a scan whose last report never comes', async () => {
    const fake = new FakeHid();
    fake.devices = [SCANNER];
    const scanner = new HidPosScanner({ loadHid: fake.load, reassemblyTimeoutMs: 20 });
    await scanner.start();
    const device = fake.opened[0];
    if (device === undefined) throw new Error('no device opened');

    const bad = next(scanner, 'error', (e) => e.code === 'bad_report');
    device.report(fx.BAD_LENGTH);
    expect((await bad).message).toMatch(/at most 56/);

    const partial = next(scanner, 'error', (e) => e.code === 'partial_scan');
    device.report(fx.QR_URL_PART1);
    const e = await partial;
    expect(e.discardedBytes).toBe(56);
    expect(e.message).toMatch(/scan again/);

    // The next scan is unaffected.
    const scan = next(scanner, 'scan');
    device.report(fx.CODE128_CARD_SINGLE);
    expect((await scan).raw).toBe(']C04000123456789017');
    await scanner.stop();
  });

  it('waits for a missing scanner and reconnects after an unplug', async () => {
    const fake = new FakeHid();
    const scanner = new HidPosScanner({ loadHid: fake.load, reconnectIntervalMs: 10 });
    await scanner.start();
    expect(scanner.status().state).toBe('disconnected');
    expect(scanner.status().message).toMatch(/No USB HID POS scanner found/);

    const ready = next(scanner, 'status', (s) => s.state === 'ready');
    fake.devices = [SCANNER];
    await ready;
    const first = fake.opened[0];
    if (first === undefined) throw new Error('no device opened');

    const gone = next(scanner, 'status', (s) => s.state === 'disconnected');
    fake.devices = [];
    first.emit('error', new Error('could not read from HID device'));
    expect((await gone).message).toMatch(/disconnected/);
    expect(first.closed).toBe(true);

    const back = next(scanner, 'status', (s) => s.state === 'ready');
    fake.devices = [SCANNER];
    await back;
    const second = fake.opened[1];
    if (second === undefined) throw new Error('not reopened');
    const scan = next(scanner, 'scan');
    second.report(fx.EAN13_SINGLE);
    expect((await scan).raw).toBe(']E06901234567892');
    await scanner.stop();
  });

  it('with the real node-hid loader, starts without throwing on a machine without HID scanners', async () => {
    const scanner = new HidPosScanner({ reconnectIntervalMs: 60_000 });
    await scanner.start();
    // node-hid loads here (libudev1/libusb present) and finds no 0x8C device; if the
    // libraries were missing the source would be 'unavailable' instead. Either way, no crash.
    expect(['disconnected', 'unavailable']).toContain(scanner.status().state);
    expect(scanner.status().message.length).toBeGreaterThan(20);
    await scanner.stop();
  });
});
