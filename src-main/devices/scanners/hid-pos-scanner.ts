/**
 * USB HID POS scanner source on node-hid. node-hid is loaded lazily: if it cannot be loaded
 * (its Linux build needs libudev.so.1 and libusb-1.0.so.0), the source reports itself
 * 'unavailable' with a clear message and the till carries on with its other scanners.
 */
import { errorMessage } from '../printer/transport';
import {
  HID_POS_USAGE_PAGE,
  HidPosScanAssembler,
  NODE_HID_LAYOUT,
  parseHidPosReport,
  scanText,
  type HidPosLayout,
} from './hid-pos-report';
import { ScanSourceBase } from './scan-source';

/** The parts of node-hid's device list entry we use. */
export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
  product?: string | undefined;
}

/** The parts of node-hid's HIDAsync device we use. */
export interface HidDeviceLike {
  on(event: 'data', listener: (data: Uint8Array) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  close(): Promise<void>;
}

/** The parts of the node-hid module we use. */
export interface HidModuleLike {
  devicesAsync(): Promise<HidDeviceInfo[]>;
  HIDAsync: { open(path: string, options?: { nonExclusive?: boolean }): Promise<HidDeviceLike> };
}

export type HidLoadResult = { ok: true; hid: HidModuleLike } | { ok: false; message: string };

function isHidModule(x: unknown): x is HidModuleLike {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as { devicesAsync?: unknown; HIDAsync?: { open?: unknown } };
  return typeof m.devicesAsync === 'function' && typeof m.HIDAsync?.open === 'function';
}

let nodeHidPromise: Promise<HidLoadResult> | null = null;

/**
 * Imports node-hid once, never throwing. `importer` replaces the import (tests simulate a
 * machine where node-hid's native library cannot load); it is not cached.
 */
export function loadNodeHid(importer?: () => Promise<unknown>): Promise<HidLoadResult> {
  if (importer !== undefined) return interpretNodeHidImport(importer());
  nodeHidPromise ??= interpretNodeHidImport(import('node-hid'));
  return nodeHidPromise;
}

function interpretNodeHidImport(imported: Promise<unknown>): Promise<HidLoadResult> {
  return imported.then(
    (mod: unknown): HidLoadResult => {
      const candidate = (mod as { default?: unknown }).default ?? mod;
      if (isHidModule(candidate)) return { ok: true, hid: candidate };
      if (isHidModule(mod)) return { ok: true, hid: mod };
      return { ok: false, message: 'USB HID scanners are unavailable: node-hid loaded but lacks devicesAsync/HIDAsync (version 3 or later is needed).' };
    },
    (err: unknown): HidLoadResult => ({
      ok: false,
      message: `USB HID scanners are unavailable: node-hid could not be loaded (${errorMessage(err)}). On Debian install libudev1 and libusb-1.0-0 (docs/hardware.md). Serial and keyboard scanners still work.`,
    }),
  );
}

export interface HidPosScannerOptions {
  /** Match by vendor/product id (both optional) among devices with usage page 0x8C... */
  vendorId?: number;
  productId?: number;
  /** ...or open this exact hidraw path. */
  path?: string;
  layout?: HidPosLayout;
  /** A scan whose last report does not arrive within this time is dropped. Default 500 ms. */
  reassemblyTimeoutMs?: number;
  /** How often to look for the device when it is missing. Default 2000 ms. */
  reconnectIntervalMs?: number;
  deviceId?: string;
  now?: () => number;
  /** For tests: a fake node-hid. */
  loadHid?: () => Promise<HidLoadResult>;
}

export class HidPosScanner extends ScanSourceBase<'hid-pos'> {
  private readonly assembler = new HidPosScanAssembler();
  private readonly layout: HidPosLayout;
  private device: HidDeviceLike | null = null;
  private running = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reassemblyTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: HidPosScannerOptions = {}) {
    super(
      'hid-pos',
      options.deviceId ??
        (options.path !== undefined ? `hid:${options.path}` : `hid:${hex4(options.vendorId)}:${hex4(options.productId)}`),
      options.now ?? Date.now,
      'USB HID POS scanner not started',
    );
    this.layout = options.layout ?? NODE_HID_LAYOUT;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connect();
  }

  private matches(d: HidDeviceInfo): boolean {
    if (this.options.path !== undefined) return d.path === this.options.path;
    if (d.usagePage !== HID_POS_USAGE_PAGE) return false;
    if (this.options.vendorId !== undefined && d.vendorId !== this.options.vendorId) return false;
    if (this.options.productId !== undefined && d.productId !== this.options.productId) return false;
    return true;
  }

  private async connect(): Promise<void> {
    if (!this.running || this.device !== null) return;
    const loaded = await (this.options.loadHid ?? loadNodeHid)();
    if (!this.running) return;
    if (!loaded.ok) {
      this.setStatus('unavailable', loaded.message);
      return;
    }
    this.setStatus('connecting', 'Looking for a USB HID POS scanner (usage page 0x8C)');
    try {
      const found = (await loaded.hid.devicesAsync()).find((d) => this.matches(d));
      if (found === undefined || found.path === undefined) {
        this.setStatus(
          'disconnected',
          'No USB HID POS scanner found (is it plugged in and set to HID POS mode, and does udev give access to /dev/hidraw*?)',
        );
        this.scheduleReconnect();
        return;
      }
      const device = await loaded.hid.HIDAsync.open(found.path, { nonExclusive: true });
      if (!this.running) {
        await device.close();
        return;
      }
      this.device = device;
      device.on('data', (data) => this.onReport(data));
      device.on('error', (err) => this.onDeviceError(device, err));
      this.setStatus('ready', `Listening to ${found.product ?? 'HID POS scanner'} (${found.path})`);
    } catch (err) {
      this.setStatus('disconnected', `Cannot open the USB HID POS scanner: ${errorMessage(err)}; retrying`);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (!this.running || this.reconnectTimer !== null) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, this.options.reconnectIntervalMs ?? 2000);
  }

  private onDeviceError(device: HidDeviceLike, err: Error): void {
    if (this.device !== device) return;
    this.device = null;
    this.dropPartial('the device went away');
    void device.close().catch(() => undefined);
    if (!this.running) return;
    this.setStatus('disconnected', `USB HID POS scanner disconnected (${err.message}); waiting for it to come back`);
    this.scheduleReconnect();
  }

  private onReport(bytes: Uint8Array): void {
    const parsed = parseHidPosReport(bytes, this.layout);
    if (!parsed.ok) {
      if (parsed.kind === 'other_report') return;
      this.dropPartial('a malformed report arrived');
      this.emitError({ code: 'bad_report', message: parsed.message });
      return;
    }
    const out = this.assembler.push(parsed.report);
    this.clearReassemblyTimer();
    if (out.type === 'pending') {
      this.reassemblyTimer = setTimeout(() => {
        this.reassemblyTimer = null;
        this.dropPartial(`its last report did not arrive within ${this.options.reassemblyTimeoutMs ?? 500} ms`);
      }, this.options.reassemblyTimeoutMs ?? 500);
      return;
    }
    if (out.type === 'overflow') {
      this.emitError({
        code: 'overlong_scan',
        message: `Discarded a scan of more than ${out.discarded} bytes from the USB HID POS scanner`,
        discardedBytes: out.discarded,
      });
      return;
    }
    this.emitScan({
      raw: scanText(out.symbology, out.data),
      ...(out.symbology !== '' ? { symbology: out.symbology } : {}),
    });
  }

  private clearReassemblyTimer(): void {
    if (this.reassemblyTimer !== null) {
      clearTimeout(this.reassemblyTimer);
      this.reassemblyTimer = null;
    }
  }

  private dropPartial(why: string): void {
    this.clearReassemblyTimer();
    const n = this.assembler.reset();
    if (n === 0) return;
    this.emitError({ code: 'partial_scan', message: `Discarded half a scan (${n} bytes): ${why}; please scan again`, discardedBytes: n });
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.reconnectTimer !== null) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    this.clearReassemblyTimer();
    this.assembler.reset();
    const d = this.device;
    this.device = null;
    if (d !== null) await d.close().catch(() => undefined);
    this.setStatus('stopped', 'USB HID POS scanner stopped');
  }
}

function hex4(n: number | undefined): string {
  return n === undefined ? '*' : n.toString(16).padStart(4, '0');
}
