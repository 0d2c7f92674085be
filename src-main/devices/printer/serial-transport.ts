/**
 * Receipt printer on a serial port (RS-232, USB-serial adapter or USB CDC-ACM) via serialport.
 */
import type { SerialPort } from 'serialport';
import { explainSerialOpenError, loadSerialPortModule } from '../native-modules';
import { StatusReplyReader, type PrinterStatusAnswered } from './status';
import {
  defaultWriteTimeoutMs,
  errorMessage,
  PrinterTransportError,
  type PrinterTransport,
} from './transport';

export interface SerialPrinterOptions {
  path: string;
  /** 9600 is the factory default of most printers; use 38400 or more for receipts with logos. */
  baudRate: number;
  dataBits?: 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
  /** Hardware flow control (printer BUSY/DTR wired to our CTS). */
  rtscts?: boolean;
  /** Software flow control (XON/XOFF), the other handshake printers offer. */
  xonxoff?: boolean;
  /** Per-write timeout; default from the byte count and baud rate. */
  writeTimeoutMs?: number;
}

export class SerialPrinterTransport implements PrinterTransport {
  readonly kind = 'serial' as const;
  readonly canReadStatus = true;
  private port: SerialPort | null = null;
  private readonly asbListeners = new Set<(s: PrinterStatusAnswered) => void>();
  private readonly reader = new StatusReplyReader((s) => {
    for (const l of this.asbListeners) l(s);
  });

  constructor(private readonly options: SerialPrinterOptions) {}

  get target(): string {
    return `${this.options.path} @ ${this.options.baudRate}`;
  }

  get isOpen(): boolean {
    return this.port !== null && this.port.isOpen;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    const o = this.options;
    const loaded = await loadSerialPortModule();
    if (!loaded.ok) throw new PrinterTransportError('open_failed', loaded.message);
    let port: SerialPort;
    try {
      port = new loaded.module.SerialPort({
        path: o.path,
        baudRate: o.baudRate,
        dataBits: o.dataBits ?? 8,
        parity: o.parity ?? 'none',
        stopBits: o.stopBits ?? 1,
        rtscts: o.rtscts ?? false,
        xon: o.xonxoff ?? false,
        xoff: o.xonxoff ?? false,
        autoOpen: false,
      });
    } catch (e) {
      throw new PrinterTransportError('open_failed', `Printer settings for ${o.path} are invalid: ${errorMessage(e)}`, e);
    }
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err) {
          reject(
            new PrinterTransportError('open_failed', `Printer: ${explainSerialOpenError(o.path, err)}`, err),
          );
        } else resolve();
      });
    });
    port.on('data', (chunk: Buffer) => this.reader.push(chunk));
    port.on('error', () => {
      // Errors also surface through the pending write/drain callbacks or 'close'.
    });
    port.on('close', () => {
      if (this.port !== port) return;
      this.port = null;
      this.reader.abort();
    });
    this.port = port;
  }

  private requirePort(): SerialPort {
    const p = this.port;
    if (p === null || !p.isOpen) throw new PrinterTransportError('not_open', `Printer port ${this.target} is not open`);
    return p;
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.requirePort();
    const timeoutMs = this.options.writeTimeoutMs ?? defaultWriteTimeoutMs(bytes.length, this.options.baudRate);
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | null | undefined): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(new PrinterTransportError('write_failed', `Writing to printer ${this.target} failed: ${err.message}`, err));
        else resolve();
      };
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        // Discard what the printer did not take, so it does not print later by surprise,
        // and start afresh (reopen) on the next job.
        if (this.port === port) this.port = null;
        this.reader.abort();
        port.flush(() => port.close(() => undefined));
        reject(
          new PrinterTransportError(
            'write_timeout',
            `Printer ${this.target} stopped accepting data (busy, out of paper or disconnected); the receipt may be incomplete`,
          ),
        );
      }, timeoutMs);
      port.write(buf, (err) => {
        if (err) finish(err);
      });
      port.drain((err) => finish(err));
    });
  }

  async request(query: Uint8Array, timeoutMs: number): Promise<number | null> {
    const port = this.requirePort();
    this.reader.clear();
    const reply = this.reader.next(timeoutMs);
    port.write(Buffer.from(query));
    return reply;
  }

  onAsb(listener: (status: PrinterStatusAnswered) => void): () => void {
    this.asbListeners.add(listener);
    return () => this.asbListeners.delete(listener);
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = null;
    this.reader.abort();
    if (port === null || !port.isOpen) return;
    await new Promise<void>((resolve) => {
      port.close((err) => {
        void err; // already closing/closed: nothing left to do
        resolve();
      });
    });
  }
}
