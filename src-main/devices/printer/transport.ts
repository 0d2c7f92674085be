/**
 * One interface for every way bytes reach a receipt printer: a serial port, a raw TCP socket
 * (port 9100) or a USB printer-class device file. Tests use the same serial transport on a
 * pseudo-terminal pair.
 */
import type { PrinterStatusAnswered, StatusChannel } from './status';

export type PrinterTransportKind = 'serial' | 'tcp' | 'usb-lp';

export type PrinterTransportErrorCode = 'open_failed' | 'write_failed' | 'write_timeout' | 'not_open' | 'not_readable';

export class PrinterTransportError extends Error {
  constructor(
    readonly code: PrinterTransportErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'PrinterTransportError';
  }
}

export interface PrinterTransport extends StatusChannel {
  readonly kind: PrinterTransportKind;
  /** Where the printer is, for messages: '/dev/ttyUSB0 @ 38400', '192.168.1.50:9100', '/dev/usb/lp0'. */
  readonly target: string;
  /** Whether DLE EOT replies can be read back on this transport. */
  readonly canReadStatus: boolean;
  readonly isOpen: boolean;
  open(): Promise<void>;
  /**
   * Sends `bytes` with a single write call and resolves once they have left our process
   * (serial: drained to the UART; TCP: handed to the kernel; lp: written to the device).
   * Rejects with a PrinterTransportError ('write_failed' / 'write_timeout'); after a timeout
   * unsent bytes are discarded and the transport is closed, so nothing prints later by surprise.
   */
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Automatic Status Back frames, where the printer sends them (GS a). Returns an unsubscribe function. */
  onAsb(listener: (status: PrinterStatusAnswered) => void): () => void;
}

/** Default write timeout: twice the wire time at `baudRate` (10 bits per byte) plus 5 s of slack. */
export function defaultWriteTimeoutMs(bytes: number, baudRate: number | null): number {
  const wire = baudRate === null ? 0 : Math.ceil((bytes * 10 * 1000) / baudRate);
  return wire * 2 + 5000;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
