/**
 * Prints queued jobs in order, one at a time, on one printer.
 *
 * For each job: ask the printer for its status (DLE EOT); when it is out of paper, has its
 * cover open, reports an error or does not answer, hold the queue, report the state and ask
 * again with a growing delay (new jobs ask at once). An Automatic Status Back frame (GS a) shows
 * the state it carries at once, without waiting for a poll, and asks again. When it is ready:
 * mark the job `printing` (committed), send the whole receipt in one write, mark it `printed`.
 * A job whose write failed after bytes may have left becomes `needs_check`, never printed again
 * by itself; a job whose port could not even be opened goes back to `queued`.
 */
import type { DeviceState } from '../../../src-shared/api/contract-devices';
import type { PrinterStatus, PrinterStatusAnswered } from '../printer/status';
import { errorMessage, PrinterTransportError } from '../printer/transport';
import type { CoreContext, Db } from '../../core/context';
import { nextQueuedJob, setJobState, type PrintJobRow } from './print-job.repo';

/** What the worker needs of a printer (ReceiptPrinter has it). */
export interface PrinterLike {
  status(): Promise<PrinterStatus>;
  print(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  readonly transport: { readonly target: string; onAsb(listener: (status: PrinterStatusAnswered) => void): () => void };
}

/** A job's bytes for this printer, and a note when it prints imperfectly (characters as boxes). */
export interface RenderedJob {
  bytes: Uint8Array;
  note?: string;
}

export interface PrinterStateReport {
  state: DeviceState;
  message: string;
  at: string;
}

export interface PrintWorkerOptions {
  db: Db;
  ctx: Pick<CoreContext, 'now'>;
  printer: PrinterLike;
  /** Renders a job's document for this printer. Throwing (or rejecting) marks the job failed_permanently. */
  render(job: PrintJobRow): RenderedJob | Promise<RenderedJob>;
  /** Called when the printer's state or message changes. */
  onState(report: PrinterStateReport): void;
  /** Called after a job changed state (for counts on screen). */
  onJobChanged?(jobId: string): void;
  /** Delay between status checks while the queue is held: doubles from initialMs up to maxMs. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** With nothing to print, check the printer this often so its state on screen stays true. Default 15000; 0 = never. */
  idlePollMs?: number;
}

/** Whether a status lets a job print, and how to show it. */
export function classifyPrinterStatus(s: PrinterStatus): { state: DeviceState; printable: boolean; message: string } {
  if (!s.answered) {
    if (s.reason === 'not_readable') return { state: 'ready', printable: true, message: `${s.message}; printing without a status check` };
    return { state: 'offline', printable: false, message: s.message };
  }
  if (s.coverOpen) return { state: 'cover_open', printable: false, message: s.message };
  if (s.paperOut) return { state: 'paper_out', printable: false, message: s.message };
  if (s.error) return { state: 'error', printable: false, message: s.message };
  if (!s.online) return { state: 'offline', printable: false, message: s.message };
  if (s.paperNearEnd) return { state: 'paper_near_end', printable: true, message: s.message };
  return { state: 'ready', printable: true, message: s.message };
}

export class PrintWorker {
  private running = false;
  private loop: Promise<void> | null = null;
  private pending = false;
  private wake: (() => void) | null = null;
  private last: PrinterStateReport | null = null;
  private unsubscribeAsb: (() => void) | null = null;
  /** A job is being sent: an ASB frame saying all is well must not hide that. */
  private sending = false;
  private delay: number;
  private firstCheck: () => void = () => undefined;
  /** Settles once the printer's state is first known after start() (or the worker stopped). */
  readonly firstStatus: Promise<void> = new Promise((resolve) => {
    this.firstCheck = resolve;
  });

  constructor(private readonly o: PrintWorkerOptions) {
    this.delay = o.backoff?.initialMs ?? 250;
  }

  /** The printer's last known state. */
  get state(): PrinterStateReport | null {
    return this.last;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribeAsb = this.o.printer.transport.onAsb((s) => this.onAsb(s));
    this.loop = this.run()
      .catch((e: unknown) => {
        this.report('error', `The print queue stopped: ${errorMessage(e)}`);
      })
      .finally(() => this.firstCheck());
  }

  /**
   * The printer told us by itself that its state changed: show it now (paper out, cover open,
   * offline, error, or fine again), then check and print as usual. A held job is printed by
   * the loop after its own DLE EOT check, so it goes out once.
   */
  private onAsb(status: PrinterStatusAnswered): void {
    const c = classifyPrinterStatus(status);
    if (!(this.sending && c.printable)) this.report(c.state, c.message);
    this.kick();
  }

  /** Look at the queue now (a job was added, settings changed, a status frame arrived). */
  kick(): void {
    this.pending = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribeAsb?.();
    this.unsubscribeAsb = null;
    this.wake?.();
    await this.loop;
    this.loop = null;
    await this.o.printer.close().catch(() => undefined);
  }

  private report(state: DeviceState, message: string): void {
    if (this.last !== null && this.last.state === state && this.last.message === message) return;
    this.last = { state, message, at: this.o.ctx.now().toISOString() };
    this.o.onState(this.last);
  }

  /** Waits `ms`, or less when kicked or stopped. A kick that came while busy ends the wait at once. */
  private pause(ms: number): Promise<void> {
    if (this.pending || !this.running) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        this.pending = false;
        resolve();
      };
      const timer = ms > 0 ? setTimeout(done, ms) : undefined;
      this.wake = done;
    });
  }

  private backoff(): number {
    const d = this.delay;
    this.delay = Math.min(this.delay * 2, this.o.backoff?.maxMs ?? 5000);
    return d;
  }

  private resetBackoff(): void {
    this.delay = this.o.backoff?.initialMs ?? 250;
  }

  private async run(): Promise<void> {
    if ((await nextQueuedJob(this.o.db)) === undefined) await this.checkStatus();
    while (this.running) {
      const job = await nextQueuedJob(this.o.db);
      if (job === undefined) {
        this.resetBackoff();
        const idle = this.o.idlePollMs ?? 15_000;
        await this.pause(idle);
        // Woken by the idle timer (not a kick): refresh the printer's state for the screen.
        if (this.running && idle > 0 && (await nextQueuedJob(this.o.db)) === undefined) await this.checkStatus();
        continue;
      }
      const status = await this.checkStatus();
      if (!this.running) break;
      if (!status.printable) {
        await this.pause(this.backoff());
        continue;
      }
      this.resetBackoff();
      await this.printJob(job);
    }
  }

  private async checkStatus(): Promise<{ printable: boolean }> {
    const c = classifyPrinterStatus(await this.o.printer.status());
    this.report(c.state, c.message);
    this.firstCheck();
    return c;
  }

  private async printJob(job: PrintJobRow): Promise<void> {
    let rendered: RenderedJob;
    try {
      rendered = await this.o.render(job);
    } catch (e) {
      await setJobState(this.o.db, this.o.ctx, job.id, 'failed_permanently', { lastError: `This document cannot be printed: ${errorMessage(e)}` });
      this.o.onJobChanged?.(job.id);
      return;
    }
    // Committed before the first byte leaves: after a crash this job is found in `printing`.
    await setJobState(this.o.db, this.o.ctx, job.id, 'printing', { countAttempt: true });
    this.o.onJobChanged?.(job.id);
    this.report('printing', `Printing on ${this.o.printer.transport.target}`);
    this.sending = true;
    try {
      await this.o.printer.print(rendered.bytes);
    } catch (e) {
      this.sending = false;
      const message = errorMessage(e);
      const nothingSent = e instanceof PrinterTransportError && (e.code === 'open_failed' || e.code === 'not_open');
      if (nothingSent) {
        await setJobState(this.o.db, this.o.ctx, job.id, 'queued', { lastError: message });
        this.report('offline', message);
      } else {
        await setJobState(this.o.db, this.o.ctx, job.id, 'needs_check', {
          lastError: `${message}. Part of it may have printed: check the printer, then mark it printed or reprint it.`,
        });
        this.report('error', message);
      }
      this.o.onJobChanged?.(job.id);
      await this.pause(this.backoff());
      return;
    }
    this.sending = false;
    const note = rendered.note ?? null;
    await setJobState(this.o.db, this.o.ctx, job.id, 'printed', { lastError: note, printed: true });
    this.o.onJobChanged?.(job.id);
    const printed = `Printed on ${this.o.printer.transport.target}`;
    this.report('ready', note === null ? printed : `${printed}; ${note}`);
  }
}
