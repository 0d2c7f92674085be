/**
 * A receipt printer: a transport plus the rule that prints and status queries never
 * interleave (a DLE EOT must never land inside another command's bytes). The persistent
 * print queue sits above this and decides what to print when.
 */
import { ASB_ALL, automaticStatusBack } from './commands';
import { queryPrinterStatus, type PrinterStatus } from './status';
import { errorMessage, PrinterTransportError, type PrinterTransport } from './transport';

export interface ReceiptPrinterOptions {
  /** Per DLE EOT query; default 500 ms. */
  statusTimeoutMs?: number;
  /**
   * Switch on Automatic Status Back (GS a) each time the port opens, so the printer reports
   * paper, cover, online and error changes by itself (transport.onAsb). Serial links only: they
   * stay open between jobs, whereas a TCP printer gets a new connection per job.
   */
  autoStatusBack?: boolean;
}

export class ReceiptPrinter {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly transport: PrinterTransport,
    private readonly options: ReceiptPrinterOptions = {},
  ) {}

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Opens the transport (and switches on ASB when asked) if it is not open. */
  private async ensureOpen(): Promise<void> {
    if (this.transport.isOpen) return;
    await this.transport.open();
    if (this.options.autoStatusBack === true && this.transport.kind === 'serial') {
      try {
        await this.transport.write(Uint8Array.from(automaticStatusBack(ASB_ALL)));
      } catch (err) {
        // Nothing of a receipt has left yet: report it as a port that would not open.
        await this.transport.close().catch(() => undefined);
        throw new PrinterTransportError('open_failed', `Printer ${this.transport.target} did not take the status set-up (GS a): ${errorMessage(err)}`, err);
      }
    }
  }

  /** Opens the transport if needed and sends the whole receipt in one write. */
  print(bytes: Uint8Array): Promise<void> {
    return this.exclusive(async () => {
      await this.ensureOpen();
      await this.transport.write(bytes);
    });
  }

  /** Paper, cover, error and online state; `answered: false` when the printer does not reply. */
  status(): Promise<PrinterStatus> {
    return this.exclusive(async (): Promise<PrinterStatus> => {
      if (!this.transport.canReadStatus) {
        return {
          answered: false,
          online: false,
          reason: 'not_readable',
          message: `Printer status cannot be read through ${this.transport.target}`,
        };
      }
      try {
        await this.ensureOpen();
        return await queryPrinterStatus(this.transport, this.options.statusTimeoutMs ?? 500);
      } catch (err) {
        return {
          answered: false,
          online: false,
          reason: 'transport_error',
          message: err instanceof PrinterTransportError ? err.message : `Printer status failed: ${errorMessage(err)}`,
        };
      }
    });
  }

  close(): Promise<void> {
    return this.exclusive(() => this.transport.close());
  }
}
