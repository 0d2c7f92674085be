/**
 * Stand-in devices for the API docs run (scripts/gen-api-docs.ts): the docs are generated on
 * machines without a scanner or printer, and must come out the same everywhere. The terminal
 * core, the device manager, the print queue and its worker are the real ones; only the two
 * ends of the wires are replaced.
 */
import type { ScannerConfig, PrinterConnectionConfig } from '../../src-shared/api/contract-devices';
import type { DeviceEnvironment } from '../../src-main/devices/device-manager';
import { TypedEvents } from '../../src-main/devices/typed-events';
import { PrinterTransportError, type PrinterTransport } from '../../src-main/devices/printer/transport';
import type { PrinterStatusAnswered } from '../../src-main/devices/printer/status';
import type { ScanSource, ScanSourceEvents, ScanSourceStatus } from '../../src-main/devices/scanners/scan-source';

/** A printer that takes every byte and answers DLE EOT with "ready"; `failNextWrite` breaks one write half-way. */
export class MemoryPrinter implements PrinterTransport {
  readonly kind = 'serial' as const;
  readonly canReadStatus = true;
  isOpen = false;
  readonly jobs: Uint8Array[] = [];
  failNextWrite = false;

  constructor(readonly target: string) {}

  async open(): Promise<void> {
    this.isOpen = true;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new PrinterTransportError('write_failed', `Writing to printer ${this.target} failed: EIO: i/o error, write`);
    }
    this.jobs.push(bytes);
  }

  async request(): Promise<number | null> {
    return 0x12;
  }

  onAsb(listener: (status: PrinterStatusAnswered) => void): () => void {
    void listener;
    return () => undefined;
  }

  async close(): Promise<void> {
    this.isOpen = false;
  }
}

/** A scanner that is always ready and scans whatever `play` is given. */
export class ScriptedScanner implements ScanSource {
  readonly kind = 'serial' as const;
  private readonly events = new TypedEvents<ScanSourceEvents>();
  private current: ScanSourceStatus;

  constructor(
    readonly deviceId: string,
    private readonly path: string,
    private readonly now: () => number,
  ) {
    this.current = { state: 'idle', message: 'not started', source: 'serial', at: now(), deviceId };
  }

  async start(): Promise<void> {
    this.current = { state: 'ready', message: `Listening on ${this.path} at 9600 baud`, source: 'serial', at: this.now(), deviceId: this.deviceId };
    this.events.emit('status', this.current);
  }

  async stop(): Promise<void> {
    this.current = { ...this.current, state: 'stopped', message: 'stopped' };
  }

  status(): ScanSourceStatus {
    return this.current;
  }

  on<K extends keyof ScanSourceEvents>(event: K, listener: (payload: ScanSourceEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  play(raw: string): void {
    this.events.emit('scan', { raw, source: 'serial', at: this.now(), deviceId: this.deviceId });
  }
}

export interface DocDevices {
  env: DeviceEnvironment;
  printer: () => MemoryPrinter | null;
  /** The scan the next devices.testScan receives. */
  nextScan: string | null;
}

export function docDevices(now: () => number): DocDevices {
  let printer: MemoryPrinter | null = null;
  const scanners: ScriptedScanner[] = [];
  const state: DocDevices = {
    printer: () => printer,
    nextScan: null,
    env: {
      listSerialPorts: async () => [
        { path: '/dev/ttyACM0', manufacturer: 'Honeywell', serialNumber: '21087B0451', vendorId: '0c2e', productId: '0b6a', pnpId: 'usb-Honeywell_Imaging_21087B0451-if00' },
        { path: '/dev/ttyUSB0', manufacturer: 'FTDI', serialNumber: 'A10K3QXY', vendorId: '0403', productId: '6001', pnpId: 'usb-FTDI_FT232R_USB_UART_A10K3QXY-if00-port0' },
      ],
      listUsbPrinters: async () => [],
      loadHid: async () => ({
        ok: false,
        message:
          'USB HID scanners are unavailable: node-hid could not be loaded (libusb-1.0.so.0: cannot open shared object file: No such file or directory). On Debian install libudev1 and libusb-1.0-0 (docs/hardware.md). Serial and keyboard scanners still work.',
      }),
      createPrinterTransport: (c: PrinterConnectionConfig) => {
        printer = new MemoryPrinter(c.transport === 'tcp' ? `${c.host}:${c.port}` : c.transport === 'serial' ? `${c.path} @ ${c.baudRate}` : c.path);
        return printer;
      },
      createScanSource: (c: ScannerConfig) => {
        const s = new ScriptedScanner(c.id, c.type === 'serial' ? c.path : (c.path ?? 'hid'), now);
        scanners.push(s);
        return s;
      },
      idlePollMs: 0,
      onWaitingForScan: () => {
        const raw = state.nextScan;
        if (raw === null) return;
        state.nextScan = null;
        setImmediate(() => scanners.at(-1)?.play(raw));
      },
    },
  };
  return state;
}
