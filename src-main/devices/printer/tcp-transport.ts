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
  /**
   * Default false: every receipt goes over a fresh connection that is closed (FIN) once the
   * bytes are sent, as CUPS' socket backend does. Printers drop idle connections and accept
   * one client at a time, so a kept-open socket can be silently dead when the next job comes.
   * Status queries open a connection of their own, reused until the next job.
   */
  reuseConnection?: boolean;
}

/** An idle connection older than this is not trusted for a job (printers drop idle clients). */
const STALE_AFTER_MS = 5000;

export class TcpPrinterTransport implements PrinterTransport {
  readonly kind = 'tcp' as const;
  readonly canReadStatus = true;
  private socket: Socket | null = null;
  private lastActivity = 0;
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
    socket.on('data', (chunk: Buffer) => {
      this.lastActivity = Date.now();
      this.reader.push(chunk);
    });
    socket.on('error', () => {
      // surfaced through write callbacks and 'close'
    });
    socket.on('close', () => {
      // A job connection closing in the background must not disturb a newer connection.
      if (this.socket !== socket) return;
      this.socket = null;
      this.reader.abort();
    });
    this.socket = socket;
    this.lastActivity = Date.now();
  }

  private requireSocket(): Socket {
    const s = this.socket;
    if (s === null || !this.isOpen) throw new PrinterTransportError('not_open', `Printer ${this.target} is not connected`);
    return s;
  }

  async write(bytes: Uint8Array): Promise<void> {
    const perJob = this.options.reuseConnection !== true;
    // A connection left from status queries is reused only while it is fresh.
    if (perJob && this.isOpen && Date.now() - this.lastActivity > STALE_AFTER_MS) await this.close();
    if (!this.isOpen) await this.open();
    await this.send(this.requireSocket(), bytes);
    // The bytes are with the kernel; the FIN and the printer's close happen in the background.
    if (perJob) void this.close();
  }

  private async send(socket: Socket, bytes: Uint8Array): Promise<void> {
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
    this.lastActivity = Date.now();
    socket.write(query);
    return reply;
  }

  onAsb(listener: (status: PrinterStatusAnswered) => void): () => void {
    this.asbListeners.add(listener);
    return () => this.asbListeners.delete(listener);
  }

  /**
   * Half-closes (FIN after the last byte) and waits for the printer to close its side; a
   * printer that never does is cut off after 2 s. No abrupt destroy first: closing a socket
   * with unread input makes Linux send RST and drop unsent output.
   */
  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    this.reader.abort();
    if (socket === null || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 2000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }
}
