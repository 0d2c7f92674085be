/**
 * Receipt printer on the network: a raw TCP socket to port 9100 ("JetDirect"/raw printing).
 * Status replies to DLE EOT come back on the same socket.
 */
import { Socket } from 'node:net';
import { StatusReplyReader, type PrinterStatusAnswered } from './status';
import { defaultWriteTimeoutMs, PrinterTransportError, type PrinterTransport } from './transport';

export interface TcpPrinterOptions {
  host: string;
  /** Default 9100. */
  port?: number;
  connectTimeoutMs?: number;
  writeTimeoutMs?: number;
}

export class TcpPrinterTransport implements PrinterTransport {
  readonly kind = 'tcp' as const;
  readonly canReadStatus = true;
  private socket: Socket | null = null;
  private readonly asbListeners = new Set<(s: PrinterStatusAnswered) => void>();
  private readonly reader = new StatusReplyReader((s) => {
    for (const l of this.asbListeners) l(s);
  });

  constructor(private readonly options: TcpPrinterOptions) {}

  get target(): string {
    return `${this.options.host}:${this.options.port ?? 9100}`;
  }

  get isOpen(): boolean {
    return this.socket !== null && !this.socket.destroyed && this.socket.readyState === 'open';
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    const socket = new Socket();
    const timeoutMs = this.options.connectTimeoutMs ?? 3000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new PrinterTransportError('open_failed', `No connection to printer ${this.target} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new PrinterTransportError('open_failed', `Cannot connect to printer ${this.target}: ${err.message}`, err));
      });
      socket.connect(this.options.port ?? 9100, this.options.host, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    socket.removeAllListeners('error');
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    socket.on('data', (chunk: Buffer) => this.reader.push(chunk));
    socket.on('error', () => {
      // surfaced through write callbacks and 'close'
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      this.reader.abort();
    });
    this.socket = socket;
  }

  private requireSocket(): Socket {
    const s = this.socket;
    if (s === null || !this.isOpen) throw new PrinterTransportError('not_open', `Printer ${this.target} is not connected`);
    return s;
  }

  async write(bytes: Uint8Array): Promise<void> {
    const socket = this.requireSocket();
    const timeoutMs = this.options.writeTimeoutMs ?? defaultWriteTimeoutMs(bytes.length, null);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new PrinterTransportError(
            'write_timeout',
            `Printer ${this.target} stopped accepting data; the receipt may be incomplete`,
          ),
        );
      }, timeoutMs);
      socket.write(bytes, (err) => {
        clearTimeout(timer);
        if (err) reject(new PrinterTransportError('write_failed', `Writing to printer ${this.target} failed: ${err.message}`, err));
        else resolve();
      });
    });
  }

  async request(query: Uint8Array, timeoutMs: number): Promise<number | null> {
    const socket = this.requireSocket();
    this.reader.clear();
    const reply = this.reader.next(timeoutMs);
    socket.write(query);
    return reply;
  }

  onAsb(listener: (status: PrinterStatusAnswered) => void): () => void {
    this.asbListeners.add(listener);
    return () => this.asbListeners.delete(listener);
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    this.reader.abort();
    if (socket === null || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end(() => socket.destroy());
    });
  }
}
