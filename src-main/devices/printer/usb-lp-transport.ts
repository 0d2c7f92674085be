/**
 * Receipt printer in USB printer class, which Linux's usblp driver exposes as /dev/usb/lpN.
 * Plain file writes; write-only here (usblp can read back on bidirectional printers, but a
 * blocking read on the libuv thread pool could hang, so status is reported as not readable).
 */
import { constants } from 'node:fs';
import { open as openFile, type FileHandle } from 'node:fs/promises';
import type { PrinterStatusAnswered } from './status';
import { errorMessage, PrinterTransportError, type PrinterTransport } from './transport';

export interface UsbLpPrinterOptions {
  /** Usually /dev/usb/lp0; a udev rule can give a stable name (see docs/hardware.md). */
  path: string;
  writeTimeoutMs?: number;
}

export class UsbLpPrinterTransport implements PrinterTransport {
  readonly kind = 'usb-lp' as const;
  readonly canReadStatus = false;
  private handle: FileHandle | null = null;

  constructor(private readonly options: UsbLpPrinterOptions) {}

  get target(): string {
    return this.options.path;
  }

  get isOpen(): boolean {
    return this.handle !== null;
  }

  async open(): Promise<void> {
    if (this.handle !== null) return;
    try {
      // No O_CREAT: a missing device must fail, not create a regular file in its place.
      this.handle = await openFile(this.options.path, constants.O_WRONLY | constants.O_NOCTTY);
    } catch (err) {
      throw new PrinterTransportError(
        'open_failed',
        `Cannot open printer device ${this.options.path}: ${errorMessage(err)}`,
        err,
      );
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    const handle = this.handle;
    if (handle === null) throw new PrinterTransportError('not_open', `Printer device ${this.options.path} is not open`);
    const timeoutMs = this.options.writeTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new PrinterTransportError('write_timeout', `Printer ${this.options.path} stopped accepting data`));
      }, timeoutMs);
    });
    try {
      await Promise.race([this.writeAll(handle, bytes), timeout]);
    } catch (err) {
      await this.close();
      if (err instanceof PrinterTransportError) throw err;
      throw new PrinterTransportError('write_failed', `Writing to printer ${this.options.path} failed: ${errorMessage(err)}`, err);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One write call; the loop only continues if the driver accepted part of the data. */
  private async writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
      if (bytesWritten <= 0) throw new Error('device accepted no data');
      offset += bytesWritten;
    }
  }

  request(): Promise<number | null> {
    return Promise.reject(
      new PrinterTransportError('not_readable', `Status cannot be read back through ${this.options.path}`),
    );
  }

  onAsb(listener: (status: PrinterStatusAnswered) => void): () => void {
    void listener;
    return () => undefined;
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    if (h !== null) await h.close().catch(() => undefined);
  }
}
