/**
 * A barcode/card scanner on a serial port (RS-232, or USB CDC-ACM which appears as
 * /dev/ttyACMn). Scans end with a terminator; a scan whose terminator never arrives within
 * the inter-byte timeout is discarded with a 'partial_scan' error instead of being glued to
 * the next one. When the port disappears the source reports 'disconnected' and reopens the
 * same path once it is back.
 */
import type { SerialPort } from 'serialport';
import { TextDecoder } from 'node:util';
import { explainSerialOpenError, loadSerialPortModule, type LoadResult, type SerialPortModuleType } from '../native-modules';
import { errorMessage } from '../printer/transport';
import { ScanLineAssembler, type ScanTerminator } from './line-assembler';
import { ScanSourceBase } from './scan-source';

export interface SerialScannerOptions {
  path: string;
  /** Default 9600 (most scanners' factory setting). */
  baudRate?: number;
  /** Default 'CR'. */
  terminator?: ScanTerminator;
  /** Longest accepted scan in bytes, terminator excluded. Default 512. */
  maxLength?: number;
  /**
   * Silence after which a scan without its terminator is thrown away. Default 100 ms: at
   * 9600 baud a byte takes about 1 ms, and USB scanners send a whole scan in one packet.
   */
  interByteTimeoutMs?: number;
  /** How often to try reopening a missing port. Default 1000 ms. */
  reconnectIntervalMs?: number;
  /** How scan bytes are turned into text. Default 'utf-8' (bad bytes become U+FFFD). */
  encoding?: 'utf-8' | 'latin1';
  deviceId?: string;
  now?: () => number;
  /** For tests: another way to get the serialport module. */
  loadSerialPort?: () => Promise<LoadResult<SerialPortModuleType>>;
}

export class SerialScanner extends ScanSourceBase<'serial'> {
  private readonly assembler: ScanLineAssembler;
  private readonly decoder: TextDecoder;
  private port: SerialPort | null = null;
  private running = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: SerialScannerOptions) {
    super('serial', options.deviceId ?? `serial:${options.path}`, options.now ?? Date.now, `Serial scanner on ${options.path} not started`);
    this.assembler = new ScanLineAssembler({
      terminator: options.terminator ?? 'CR',
      maxLength: options.maxLength ?? 512,
    });
    this.decoder = new TextDecoder(options.encoding ?? 'utf-8');
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (!this.running || this.port !== null) return;
    const loaded = await (this.options.loadSerialPort ?? loadSerialPortModule)();
    if (!this.running) return;
    if (!loaded.ok) {
      this.setStatus('unavailable', loaded.message);
      return;
    }
    this.setStatus('connecting', `Opening ${this.options.path}`);
    let port: SerialPort;
    try {
      port = new loaded.module.SerialPort({
        path: this.options.path,
        baudRate: this.options.baudRate ?? 9600,
        autoOpen: false,
      });
    } catch (e) {
      // Invalid settings (e.g. a baud rate serialport rejects): retrying would not help.
      this.setStatus('unavailable', `Serial scanner settings for ${this.options.path} are invalid: ${errorMessage(e)}`);
      return;
    }
    const err = await new Promise<Error | null>((resolve) => port.open((e) => resolve(e ?? null)));
    if (!this.running) {
      if (err === null) port.close();
      return;
    }
    if (err !== null) {
      this.setStatus(
        'disconnected',
        `${explainSerialOpenError(this.options.path, err)}; retrying every ${this.reconnectInterval()} ms`,
      );
      this.scheduleReconnect();
      return;
    }
    this.port = port;
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('error', (e: Error) => {
      this.emitError({ code: 'io_error', message: `Serial scanner ${this.options.path}: ${e.message}` });
    });
    port.on('close', () => this.onClose(port));
    this.setStatus('ready', `Listening on ${this.options.path} at ${this.options.baudRate ?? 9600} baud`);
  }

  private reconnectInterval(): number {
    return this.options.reconnectIntervalMs ?? 1000;
  }

  private scheduleReconnect(): void {
    if (!this.running || this.reconnectTimer !== null) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect().catch((e: unknown) => {
        this.setStatus('disconnected', `Cannot open ${this.options.path}: ${errorMessage(e)}`);
        this.scheduleReconnect();
      });
    }, this.reconnectInterval());
  }

  private onClose(port: SerialPort): void {
    if (this.port !== port) return;
    this.port = null;
    this.dropHalfScan('the port closed');
    if (!this.running) return;
    this.setStatus('disconnected', `${this.options.path} disappeared (unplugged?); waiting for it to come back`);
    this.scheduleReconnect();
  }

  private onData(chunk: Uint8Array): void {
    for (const out of this.assembler.push(chunk)) {
      if (out.type === 'line') {
        this.emitScan({ raw: this.decoder.decode(out.bytes) });
      } else {
        this.emitError({
          code: 'overlong_scan',
          message: `Discarded a scan longer than ${this.options.maxLength ?? 512} bytes: the scanner's terminator (${this.options.terminator ?? 'CR'}) may be set wrongly`,
          discardedBytes: out.discarded,
        });
      }
    }
    this.armIdleTimer();
  }

  private armIdleTimer(): void {
    if (this.idleTimer !== null) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.assembler.pendingBytes === 0 && !this.assembler.isDiscarding) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      this.dropHalfScan(`no terminator (${this.options.terminator ?? 'CR'}) within ${this.options.interByteTimeoutMs ?? 100} ms`);
    }, this.options.interByteTimeoutMs ?? 100);
  }

  private dropHalfScan(why: string): void {
    if (this.idleTimer !== null) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    const wasDiscarding = this.assembler.isDiscarding;
    const n = this.assembler.discardPending();
    if (n === 0 || wasDiscarding) return;
    this.emitError({ code: 'partial_scan', message: `Discarded half a scan (${n} bytes, ${why}); please scan again`, discardedBytes: n });
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.reconnectTimer !== null) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    if (this.idleTimer !== null) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    this.assembler.discardPending();
    const port = this.port;
    this.port = null;
    if (port !== null && port.isOpen) {
      await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    this.setStatus('stopped', `Serial scanner on ${this.options.path} stopped`);
  }
}
