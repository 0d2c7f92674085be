/**
 * The terminal's devices: the configured scanners (serial, USB HID POS) and the receipt printer
 * with its print-queue worker. Scans go onto the core's EventBus as `scan.received`; every
 * change of a device's state as `devices.status`. A missing device never stops the till:
 * sources report `offline` and reconnect by themselves when the device comes back (hot-plug),
 * and a source whose driver module cannot load (node-hid, serialport) reports `unavailable`
 * with the reason while the others keep working.
 *
 * The configuration is stored in the `meta` table (key `device_config`, JSON) and applied at
 * start-up; a fresh terminal has none, so nothing is opened (tests start no devices unless
 * they configure some).
 */
import { readdir } from 'node:fs/promises';
import {
  deviceConfigSchema,
  DEFAULT_KEYBOARD_WEDGE,
  type DeviceConfig,
  type DeviceListDto,
  type DeviceState,
  type DevicesStatusDto,
  type HidDeviceInfoDto,
  type ModuleAvailability,
  type PrinterConfig,
  type PrinterConnectionConfig,
  type PrinterStatusDto,
  type ScannerConfig,
  type ScannerStatusDto,
  type SerialPortInfoDto,
} from '../../src-shared/api/contract-devices';
import type { DeviceStatusEvent } from '../../src-shared/api/events';
import { DomainError } from '../../src-shared/errors/domain-error';
import type { CoreContext, Db } from '../core/context';
import type { EventBus } from '../core/events';
import { loadSerialPortModule, type LoadResult, type SerialPortModuleType } from './native-modules';
import { LABELS_EN, LABELS_ZH_HANS, LABELS_ZH_HANT, type ReceiptLabels } from './printer/receipt';
import { renderReceipt } from './printer/receipt';
import { renderReport } from './printer/report';
import { ReceiptPrinter } from './printer/printer';
import type { PrinterProfile } from './printer/profile';
import { SerialPrinterTransport } from './printer/serial-transport';
import { TcpPrinterTransport } from './printer/tcp-transport';
import { errorMessage, type PrinterTransport } from './printer/transport';
import { UsbLpPrinterTransport } from './printer/usb-lp-transport';
import { PrintQueue } from './print-queue/print-queue';
import { parseDocument, type PrintJobRow } from './print-queue/print-job.repo';
import { PrintWorker, type PrinterStateReport, type RenderedJob } from './print-queue/print-worker';
import { CjkRasterFallback, defaultRasterFace, describeRasterReport } from './printer/raster/cjk-raster-fallback';
import { HidPosScanner, loadNodeHid, type HidLoadResult } from './scanners/hid-pos-scanner';
import type { ScanEvent, ScanSource, ScanSourceState } from './scanners/scan-source';
import { SerialScanner } from './scanners/serial-scanner';

export const DEVICE_CONFIG_KEY = 'device_config';

export const EMPTY_DEVICE_CONFIG: DeviceConfig = { scanners: [], printer: null, keyboardWedge: DEFAULT_KEYBOARD_WEDGE };

/** Everything the manager gets from the machine, injectable for tests and the API docs. */
export interface DeviceEnvironment {
  loadSerialPort?: () => Promise<LoadResult<SerialPortModuleType>>;
  loadHid?: () => Promise<HidLoadResult>;
  /** Overrides serialport's port list (which runs `udevadm`). */
  listSerialPorts?: () => Promise<SerialPortInfoDto[]>;
  /** Overrides the scan of /dev/usb for lp devices. */
  listUsbPrinters?: () => Promise<string[]>;
  createPrinterTransport?: (connection: PrinterConnectionConfig) => PrinterTransport;
  createScanSource?: (config: ScannerConfig) => ScanSource;
  /** Per DLE EOT query (default 500 ms). */
  printerStatusTimeoutMs?: number;
  /** How often a missing scanner is looked for (default 1000 ms serial, 2000 ms HID). */
  scannerReconnectMs?: number;
  /** Delay between printer status checks while the queue is held. */
  printBackoff?: { initialMs?: number; maxMs?: number };
  /** Printer status refresh while idle (default 15 s; 0 = never). */
  idlePollMs?: number;
  /** Called when devices.testScan starts waiting (the API docs play a scan then). */
  onWaitingForScan?: () => void;
}

interface RunningScanner {
  config: ScannerConfig;
  source: ScanSource;
  state: DeviceState;
  message: string;
  lastScanAt: string | null;
  off: Array<() => void>;
}

interface RunningPrinter {
  config: PrinterConfig;
  worker: PrintWorker;
  target: string;
}

export function scannerState(s: ScanSourceState): DeviceState {
  switch (s) {
    case 'ready':
      return 'ready';
    case 'connecting':
      return 'connecting';
    case 'unavailable':
      return 'unavailable';
    case 'idle':
    case 'disconnected':
    case 'stopped':
      return 'offline';
  }
}

export function printerProfile(p: PrinterConfig): PrinterProfile {
  return {
    columns: p.columns ?? (p.paperWidth === 58 ? 32 : 48),
    chineseMode: p.chineseMode,
    cjkEncoding: p.encoding,
    codePage: p.codePage,
    ...(p.autoStatusBack === true ? { autoStatusBack: true } : {}),
  };
}

/**
 * For a printer without a Chinese font (Chinese mode off): the raster fallback that prints
 * Chinese lines as images, with the configured font or Noto Sans CJK. Null for printers with
 * a Chinese font.
 */
export function rasterFallbackFor(p: PrinterConfig): CjkRasterFallback | null {
  if (p.chineseMode) return null;
  return new CjkRasterFallback({
    ...(p.rasterFont?.path !== undefined ? { fontPath: p.rasterFont.path } : {}),
    face: p.rasterFont?.face ?? defaultRasterFace(p.language),
  });
}

const RECEIPT_LABELS: Record<PrinterConfig['language'], ReceiptLabels> = { en: LABELS_EN, 'zh-Hans': LABELS_ZH_HANS, 'zh-Hant': LABELS_ZH_HANT };
const REPORT_LABELS: Record<PrinterConfig['language'], { terminal: string; time: string; printedBy: string }> = {
  en: { terminal: 'Terminal', time: 'Time', printedBy: 'Printed by' },
  'zh-Hans': { terminal: '收银机', time: '时间', printedBy: '打印人' },
  'zh-Hant': { terminal: '收銀機', time: '時間', printedBy: '列印人' },
};

/**
 * Renders a job's document for the configured printer. With `raster` (a printer without a
 * Chinese font), lines it cannot print as text become images; characters that could not be
 * drawn print as boxes and the returned note says why.
 */
export async function renderJob(job: PrintJobRow, printer: PrinterConfig, raster: CjkRasterFallback | null = null): Promise<RenderedJob> {
  const doc = parseDocument(job);
  const profile = printerProfile(printer);
  const cut = printer.cut;
  const rasteriser = raster !== null ? await raster.rasteriser() : null;
  const rasterFallback = rasteriser?.rasterise;
  let bytes: Uint8Array;
  let note: string | null = null;
  try {
    bytes =
      doc.type === 'report'
        ? renderReport(doc.report, { profile, cut, labels: REPORT_LABELS[printer.language], rasterFallback })
        : renderReceipt(doc.receipt, {
            profile,
            labels: RECEIPT_LABELS[printer.language],
            cut,
            openDrawer: printer.openDrawer && PrintQueue.opensDrawer(job.kind, doc.receipt),
            rasterFallback,
          });
  } finally {
    // This job's boxes and reasons (also when rendering failed, so the next job starts afresh).
    if (rasteriser !== null) note = describeRasterReport(rasteriser.takeReport());
  }
  return note === null ? { bytes } : { bytes, note };
}

export function defaultPrinterTransport(c: PrinterConnectionConfig): PrinterTransport {
  switch (c.transport) {
    case 'serial':
      return new SerialPrinterTransport({ path: c.path, baudRate: c.baudRate, rtscts: c.rtscts, xonxoff: c.xonxoff });
    case 'tcp':
      return new TcpPrinterTransport({ host: c.host, port: c.port });
    case 'usb-lp':
      return new UsbLpPrinterTransport({ path: c.path });
  }
}

export async function readDeviceConfig(db: Db): Promise<DeviceConfig | null> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', DEVICE_CONFIG_KEY).executeTakeFirst();
  if (row === undefined) return null;
  const parsed = deviceConfigSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : null;
}

export async function writeDeviceConfig(db: Db, config: DeviceConfig): Promise<void> {
  const value = JSON.stringify(config);
  await db
    .insertInto('meta')
    .values({ key: DEVICE_CONFIG_KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export class DeviceManager {
  readonly queue: PrintQueue;
  private config: DeviceConfig = EMPTY_DEVICE_CONFIG;
  private scanners: RunningScanner[] = [];
  private printer: RunningPrinter | null = null;
  private readonly scanWaiters = new Set<(scan: ScanEvent) => void>();
  private closed = false;
  /** Serialises apply() and close(). */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: CoreContext,
    private readonly bus: EventBus,
    private readonly env: DeviceEnvironment = {},
  ) {
    this.queue = new PrintQueue(ctx, () => this.publishPrinter());
  }

  get current(): DeviceConfig {
    return this.config;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Stores the configuration and (re)starts the devices it names. */
  async configure(config: DeviceConfig): Promise<void> {
    await writeDeviceConfig(this.ctx.db, config);
    await this.apply(config);
    // Answer with the printer's real state, not "connecting" (at most one status round).
    await this.printer?.worker.firstStatus;
  }

  /** Stops the current devices and starts those of `config`. Never rejects because a device is missing. */
  apply(config: DeviceConfig): Promise<void> {
    return this.exclusive(async () => {
      if (this.closed) return;
      await this.stopAll();
      this.config = config;
      for (const sc of config.scanners) await this.startScanner(sc);
      if (config.printer !== null) this.startPrinter(config.printer);
      else this.queue.setPrinter(null, null);
    });
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      this.closed = true;
      await this.stopAll();
    });
  }

  private async stopAll(): Promise<void> {
    const scanners = this.scanners;
    this.scanners = [];
    for (const s of scanners) {
      for (const off of s.off) off();
      await s.source.stop().catch(() => undefined);
    }
    const printer = this.printer;
    this.printer = null;
    this.queue.setPrinter(null, null);
    if (printer !== null) await printer.worker.stop();
  }

  // ------------------------------------------------------------------ scanners

  private createScanSource(c: ScannerConfig): ScanSource {
    if (this.env.createScanSource) return this.env.createScanSource(c);
    if (c.type === 'serial') {
      return new SerialScanner({
        path: c.path,
        baudRate: c.baudRate,
        terminator: c.terminator,
        deviceId: c.id,
        ...(this.env.scannerReconnectMs !== undefined ? { reconnectIntervalMs: this.env.scannerReconnectMs } : {}),
        ...(this.env.loadSerialPort ? { loadSerialPort: this.env.loadSerialPort } : {}),
      });
    }
    return new HidPosScanner({
      deviceId: c.id,
      ...(c.vendorId !== undefined ? { vendorId: c.vendorId } : {}),
      ...(c.productId !== undefined ? { productId: c.productId } : {}),
      ...(c.path !== undefined ? { path: c.path } : {}),
      ...(this.env.scannerReconnectMs !== undefined ? { reconnectIntervalMs: this.env.scannerReconnectMs } : {}),
      ...(this.env.loadHid ? { loadHid: this.env.loadHid } : {}),
    });
  }

  private async startScanner(c: ScannerConfig): Promise<void> {
    const source = this.createScanSource(c);
    const running: RunningScanner = { config: c, source, state: 'connecting', message: 'Starting', lastScanAt: null, off: [] };
    running.off.push(
      source.on('scan', (scan) => {
        running.lastScanAt = new Date(scan.at).toISOString();
        this.bus.emit('scan.received', { raw: scan.raw, source: scan.source === 'keyboard-wedge' ? 'keyboard' : scan.source, at: scan.at });
        for (const w of [...this.scanWaiters]) w({ ...scan, deviceId: c.id });
      }),
      source.on('status', (s) => {
        running.state = scannerState(s.state);
        running.message = s.message;
        this.emitStatus({ device: 'scanner', id: c.id, state: running.state, message: s.message });
      }),
      source.on('error', (e) => {
        // A one-off problem (half a scan, garbage): the message for the cashier; the state stays.
        this.emitStatus({ device: 'scanner', id: c.id, state: 'error', message: e.message, transient: true });
      }),
    );
    this.scanners.push(running);
    await source.start();
    const s = source.status();
    running.state = scannerState(s.state);
    running.message = s.message;
  }

  /** The next scan from any configured scanner (devices.testScan). */
  nextScan(timeoutMs: number): Promise<ScanEvent & { deviceId: string }> {
    if (this.scanners.length === 0) {
      return Promise.reject(
        new DomainError('DEVICE_NOT_CONFIGURED', 'No serial or USB HID scanner is set up. Keyboard scanners are tested on the device screen itself.', {}),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter = (scan: ScanEvent): void => {
        clearTimeout(timer);
        this.scanWaiters.delete(waiter);
        resolve({ ...scan, deviceId: scan.deviceId ?? '' });
      };
      const timer = setTimeout(() => {
        this.scanWaiters.delete(waiter);
        reject(new DomainError('SCAN_TIMEOUT', `No scan arrived within ${Math.round(timeoutMs / 1000)} s. Check the scanner's cable and settings, then scan again.`, { timeoutMs }));
      }, timeoutMs);
      this.scanWaiters.add(waiter);
      this.env.onWaitingForScan?.();
    });
  }

  // ------------------------------------------------------------------ printer

  private startPrinter(config: PrinterConfig): void {
    let transport: PrinterTransport;
    try {
      transport = (this.env.createPrinterTransport ?? defaultPrinterTransport)(config.connection);
    } catch (e) {
      this.emitStatus({ device: 'printer', id: 'printer', state: 'unavailable', message: `The printer settings cannot be used: ${errorMessage(e)}` });
      return;
    }
    const printer = new ReceiptPrinter(transport, {
      statusTimeoutMs: this.env.printerStatusTimeoutMs ?? 500,
      autoStatusBack: config.autoStatusBack === true,
    });
    const raster = rasterFallbackFor(config);
    const worker = new PrintWorker({
      db: this.ctx.db,
      ctx: this.ctx,
      printer,
      render: (job) => renderJob(job, config, raster),
      onState: () => this.publishPrinter(),
      onJobChanged: (id) => this.queue.jobChanged(id),
      ...(this.env.printBackoff ? { backoff: this.env.printBackoff } : {}),
      ...(this.env.idlePollMs !== undefined ? { idlePollMs: this.env.idlePollMs } : {}),
    });
    this.printer = { config, worker, target: transport.target };
    this.queue.setPrinter(config, () => worker.kick());
    worker.start();
  }

  /** The printer's state with the queue counts, on the bus. */
  private publishPrinter(): void {
    void this.printerStatus().then(
      (p) => {
        if (p !== null) this.emitStatus({ device: 'printer', id: 'printer', state: p.state, message: p.message, queued: p.queued, needsCheck: p.needsCheck });
      },
      () => undefined,
    );
  }

  private async printerStatus(): Promise<PrinterStatusDto | null> {
    const p = this.printer;
    if (p === null) return null;
    const counts = await this.queue.counts();
    const s: PrinterStateReport | null = p.worker.state;
    return {
      target: p.target,
      state: s?.state ?? 'connecting',
      message: s?.message ?? `Connecting to ${p.target}`,
      queued: counts.queued,
      needsCheck: counts.needsCheck,
      checkedAt: s?.at ?? null,
    };
  }

  private emitStatus(e: DeviceStatusEvent): void {
    this.bus.emit('devices.status', e);
  }

  // ------------------------------------------------------------------ what the API shows

  async status(): Promise<DevicesStatusDto> {
    const scanners: ScannerStatusDto[] = this.scanners.map((s) => ({
      id: s.config.id,
      type: s.config.type,
      state: s.state,
      message: s.message,
      lastScanAt: s.lastScanAt,
    }));
    return { config: this.config, scanners, printer: await this.printerStatus(), needsCheck: (await this.queue.counts()).needsCheck };
  }

  printerTarget(): string | null {
    return this.printer?.target ?? null;
  }

  /** Serial ports, HID devices and USB printers on this machine; a module that cannot load says why. */
  async list(): Promise<DeviceListDto> {
    const [serialPorts, hidDevices, usbPrinters] = await Promise.all([this.listSerial(), this.listHid(), this.listUsbLp()]);
    return { serialPorts, hidDevices, usbPrinters };
  }

  private async listSerial(): Promise<ModuleAvailability<SerialPortInfoDto>> {
    if (this.env.listSerialPorts) return { available: true, items: await this.env.listSerialPorts() };
    const loaded = await (this.env.loadSerialPort ?? loadSerialPortModule)();
    if (!loaded.ok) return { available: false, reason: loaded.message, items: [] };
    try {
      const ports = await loaded.module.SerialPort.list();
      return {
        available: true,
        items: ports.map((p) => ({
          path: p.path,
          manufacturer: p.manufacturer ?? null,
          serialNumber: p.serialNumber ?? null,
          vendorId: p.vendorId ?? null,
          productId: p.productId ?? null,
          pnpId: p.pnpId ?? null,
        })),
      };
    } catch (e) {
      return {
        available: false,
        reason: `Serial ports cannot be listed (${errorMessage(e)}). serialport lists them with udevadm: install udev. A port can still be typed in by hand.`,
        items: [],
      };
    }
  }

  private async listHid(): Promise<ModuleAvailability<HidDeviceInfoDto>> {
    const loaded = await (this.env.loadHid ?? loadNodeHid)();
    if (!loaded.ok) return { available: false, reason: loaded.message, items: [] };
    try {
      const devices = await loaded.hid.devicesAsync();
      return {
        available: true,
        items: devices.map((d) => ({
          path: d.path ?? null,
          vendorId: d.vendorId,
          productId: d.productId,
          product: d.product ?? null,
          manufacturer: (d as { manufacturer?: string }).manufacturer ?? null,
          usagePage: d.usagePage ?? null,
          usage: d.usage ?? null,
          hidPos: d.usagePage === 0x8c,
        })),
      };
    } catch (e) {
      return { available: false, reason: `USB HID devices cannot be listed: ${errorMessage(e)}`, items: [] };
    }
  }

  private async listUsbLp(): Promise<string[]> {
    if (this.env.listUsbPrinters) return this.env.listUsbPrinters();
    try {
      return (await readdir('/dev/usb'))
        .filter((n) => /^lp\d+$/.test(n))
        .sort()
        .map((n) => `/dev/usb/${n}`);
    } catch {
      return [];
    }
  }
}

/**
 * Creates the manager for a terminal: marks print jobs interrupted by a crash as needs_check,
 * then starts the stored configuration, if any.
 */
export async function startDevices(ctx: CoreContext, bus: EventBus, options: { env?: DeviceEnvironment; disabled?: boolean } = {}): Promise<DeviceManager> {
  const manager = new DeviceManager(ctx, bus, options.env ?? {});
  await manager.queue.recoverInterrupted();
  const stored = await readDeviceConfig(ctx.db);
  if (stored !== null && options.disabled !== true) await manager.apply(stored);
  return manager;
}
