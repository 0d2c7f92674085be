/**
 * The persistent print queue: what the rest of the terminal calls.
 *
 * - Sale and refund receipts are inserted by `saleCompleted` / `refundCreated`, which the
 *   checkout and refund services call INSIDE their transaction: the sale and its receipt job
 *   commit together or not at all. A receipt that cannot even be built never fails the sale;
 *   it is recorded as `failed_permanently` with the reason, and can be reprinted later.
 * - Everything else (test page, reprints, the end-of-day summary) goes through `enqueue`.
 * - The PrintWorker (started by the DeviceManager when a printer is configured) prints them.
 */
import type { PrintJobDto, PrintJobKind, PrintJobState, PrinterConfig } from '../../../src-shared/api/contract-devices';
import type { RefundDto, SaleDto } from '../../../src-shared/api/dto';
import { DomainError } from '../../../src-shared/errors/domain-error';
import type { ReceiptDoc } from '../../../src-shared/receipt/receipt-doc';
import type { PrintDocument, ReportDoc } from '../../../src-shared/receipt/report-doc';
import { findSale, saleDto } from '../../ledger/sales.repo';
import { appendAudit } from '../../core/audit.repo';
import type { CoreContext, Executor, StaffRow, Trx } from '../../core/context';
import type { ReceiptSink } from '../../core/ports';
import { errorMessage } from '../printer/transport';
import {
  countJobs,
  insertPrintJob,
  jobById,
  latestReceiptJob,
  listJobs,
  markInterruptedJobs,
  parseDocument,
  setJobState,
  toJobDto,
  type NewPrintJob,
  type PrintJobRow,
} from './print-job.repo';
import { asReprint, buildRefundReceipt, buildSaleReceipt } from './receipt-builder';

/** What the checkout and refund services call inside their transaction. */
const FINAL_STATES: readonly PrintJobState[] = ['printed', 'needs_check', 'failed_permanently', 'cancelled'];

/**
 * Queues an end-of-day summary (or another report) for the receipt printer. For the reports
 * area: `enqueueReport(terminal.devices.queue, report)`. Works in or outside a transaction
 * through `queue.enqueue`; throws DEVICE_NOT_CONFIGURED when no printer is set up.
 */
export function enqueueReport(queue: PrintQueue, report: ReportDoc, staffId: string | null = null): Promise<PrintJobDto> {
  return queue.enqueue({ kind: 'end_of_day', document: { type: 'report', report }, staffId });
}

export class PrintQueue implements ReceiptSink {
  private printer: PrinterConfig | null = null;
  private kickWorker: (() => void) | null = null;
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly ctx: CoreContext,
    /** Called when jobs change (the DeviceManager refreshes the counts on screen). */
    private readonly onChange: () => void = () => undefined,
  ) {}

  /** The printer settings receipts are built with (null: no printer, no automatic receipts). */
  setPrinter(printer: PrinterConfig | null, kick: (() => void) | null): void {
    this.printer = printer;
    this.kickWorker = kick;
    kick?.();
  }

  get printerSettings(): PrinterConfig | null {
    return this.printer;
  }

  /** Jobs left in `printing` by a crash become `needs_check` (see docs/hardware.md). */
  recoverInterrupted(): Promise<number> {
    return markInterruptedJobs(this.ctx.db, this.ctx);
  }

  /** The worker calls this after it changed a job. */
  jobChanged(jobId: string): void {
    for (const w of [...(this.waiters.get(jobId) ?? [])]) w();
    this.onChange();
  }

  private kickSoon(): void {
    // After the caller's transaction: the worker's read waits for the connection anyway.
    setImmediate(() => this.kickWorker?.());
  }

  // ------------------------------------------------------------------ in the sale's transaction

  async saleCompleted(trx: Trx, sale: SaleDto, staff: StaffRow): Promise<void> {
    const printer = this.printer;
    if (printer === null || !printer.autoPrint) return;
    await this.insertBuilt(trx, { kind: 'receipt', saleId: sale.id, receiptNo: sale.receiptNo, staffId: staff.id }, () =>
      buildSaleReceipt(trx, this.ctx, sale, staff.name, printer),
    );
  }

  async refundCreated(trx: Trx, refund: RefundDto, staff: StaffRow): Promise<void> {
    const printer = this.printer;
    if (printer === null || !printer.autoPrint) return;
    await this.insertBuilt(trx, { kind: 'refund_receipt', saleId: refund.saleId, refundId: refund.id, receiptNo: refund.receiptNo, staffId: staff.id }, async () => {
      const sale = await saleDto(trx, await findSale(trx, { saleId: refund.saleId }));
      return buildRefundReceipt(trx, this.ctx, refund, sale, staff.name, printer);
    });
  }

  /** Builds the receipt; a failure to build is recorded on the job, never thrown into the sale. */
  private async insertBuilt(trx: Trx, job: Omit<NewPrintJob, 'document'>, build: () => Promise<ReceiptDoc>): Promise<void> {
    let document: PrintDocument;
    let failure: string | null = null;
    try {
      document = { type: 'receipt', receipt: await build() };
    } catch (e) {
      failure = `The receipt could not be prepared: ${errorMessage(e)}. Reprint it from the sale.`;
      document = { type: 'report', report: { title: 'Receipt unavailable', store: { name: this.ctx.storeName, addressLines: [] }, terminal: '', time: '', sections: [], footer: [] } };
    }
    await insertPrintJob(trx, this.ctx, failure === null ? { ...job, document } : { ...job, document, state: 'failed_permanently', lastError: failure });
    this.kickSoon();
  }

  // ------------------------------------------------------------------ on demand

  async enqueue(job: NewPrintJob, ex: Executor = this.ctx.db): Promise<PrintJobDto> {
    if (this.printer === null) throw notConfigured();
    const row = await insertPrintJob(ex, this.ctx, job);
    this.kickSoon();
    this.onChange();
    return toJobDto(row);
  }

  async list(limit: number, states?: readonly PrintJobState[]): Promise<PrintJobDto[]> {
    return (await listJobs(this.ctx.db, limit, states)).map(toJobDto);
  }

  counts(): Promise<{ queued: number; needsCheck: number }> {
    return countJobs(this.ctx.db);
  }

  async get(jobId: string): Promise<PrintJobDto> {
    const row = await jobById(this.ctx.db, jobId);
    if (row === undefined) throw new DomainError('PRINT_JOB_NOT_FOUND', 'There is no such print job. Refresh the print queue.', { jobId });
    return toJobDto(row);
  }

  /**
   * Reprints a receipt: by receipt number (the sale receipt), or the last receipt printed on
   * this terminal. The copy is the document the customer got, marked REPRINT; when no job was
   * ever made for it (no printer at the time), it is built from the recorded sale.
   */
  async reprint(receiptNo: string | undefined, staff: StaffRow): Promise<PrintJobDto> {
    const printer = this.printer;
    if (printer === null) throw notConfigured();
    const db = this.ctx.db;
    let original: PrintJobRow | undefined =
      receiptNo !== undefined
        ? await db.selectFrom('print_job').selectAll().where('receipt_no', '=', receiptNo).where('kind', '=', 'receipt').orderBy('seq', 'desc').limit(1).executeTakeFirst()
        : await latestReceiptJob(db, null);
    if (original !== undefined && parseDocument(original).type !== 'receipt') original = undefined;
    let doc: ReceiptDoc;
    let saleId: string | null;
    let number: string;
    if (original !== undefined) {
      const parsed = parseDocument(original);
      if (parsed.type !== 'receipt') throw new Error('unreachable');
      doc = parsed.receipt;
      saleId = original.sale_id;
      number = original.receipt_no ?? doc.receiptId;
    } else {
      const row =
        receiptNo !== undefined
          ? await findSale(db, { receiptNo })
          : await db.selectFrom('sale').selectAll().where('terminal_id', '=', this.ctx.terminalId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
      if (row === undefined) throw new DomainError('SALE_NOT_FOUND', 'There is no receipt to reprint yet on this till.', {});
      const cashier = await db.selectFrom('staff').select('name').where('id', '=', row.staff_id).executeTakeFirst();
      doc = await buildSaleReceipt(db, this.ctx, await saleDto(db, row), cashier?.name ?? '', printer);
      saleId = row.id;
      number = row.receipt_no;
    }
    const job = await this.enqueue({
      kind: 'reprint',
      document: { type: 'receipt', receipt: asReprint(doc, printer.language) },
      saleId,
      receiptNo: number,
      reprintOf: original?.id ?? null,
      staffId: staff.id,
    });
    await appendAudit(db, this.ctx, { action: 'printer.reprint', staffId: staff.id, subjectType: 'print_job', subjectId: job.id, details: { receiptNo: number } });
    return job;
  }

  /**
   * The cashier's decision on a job: `printed` (it did come out) or `reprint` for a
   * needs_check job; `cancel` for a job still waiting or needing a check.
   */
  async resolve(jobId: string, action: 'printed' | 'reprint' | 'cancel', staff: StaffRow): Promise<PrintJobDto> {
    const row = await jobById(this.ctx.db, jobId);
    if (row === undefined) throw new DomainError('PRINT_JOB_NOT_FOUND', 'There is no such print job. Refresh the print queue.', { jobId });
    const allowed: Record<typeof action, readonly PrintJobState[]> = {
      printed: ['needs_check'],
      reprint: ['needs_check', 'failed_permanently'],
      cancel: ['queued', 'needs_check', 'failed_permanently'],
    };
    if (!allowed[action].includes(row.state)) {
      throw new DomainError('PRINT_JOB_NOT_OPEN', `This job is ${row.state.replace('_', ' ')}; it cannot be marked that way.`, { jobId, state: row.state, action });
    }
    const next: PrintJobState = action === 'printed' ? 'printed' : action === 'reprint' ? 'queued' : 'cancelled';
    await setJobState(this.ctx.db, this.ctx, jobId, next, { ...(action === 'printed' ? { printed: true } : {}), ...(action === 'reprint' ? { lastError: null } : {}) });
    await appendAudit(this.ctx.db, this.ctx, { action: 'printer.resolveJob', staffId: staff.id, subjectType: 'print_job', subjectId: jobId, details: { action, from: row.state } });
    if (next === 'queued') this.kickSoon();
    this.jobChanged(jobId);
    return this.get(jobId);
  }

  /** Resolves with the job once it is no longer waiting or printing, or as it is after `ms`. */
  async waitForJob(jobId: string, ms: number): Promise<PrintJobDto> {
    const settled = async () => {
      const j = await this.get(jobId);
      return FINAL_STATES.includes(j.state) ? j : null;
    };
    const now = await settled();
    if (now !== null || ms <= 0) return now ?? this.get(jobId);
    return new Promise<PrintJobDto>((resolve, reject) => {
      const set = this.waiters.get(jobId) ?? new Set<() => void>();
      this.waiters.set(jobId, set);
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        set.delete(check);
        if (set.size === 0) this.waiters.delete(jobId);
        this.get(jobId).then(resolve, reject);
      };
      const check = (): void => {
        settled().then((j) => {
          if (j !== null) finish();
        }, reject);
      };
      const timer = setTimeout(finish, ms);
      set.add(check);
    });
  }

  /** Kinds for which the drawer may be kicked. */
  /**
   * Whether printing this job kicks the cash drawer (on a printer with a drawer): when the receipt
   * records its payment, only when cash moved (a cash sale, cash paid back; never a card or wallet
   * sale, nor a reprint); a sale receipt without payment details (the money taken at another
   * register) as before.
   */
  static opensDrawer(kind: PrintJobKind, receipt?: ReceiptDoc): boolean {
    if (receipt?.payment) return receipt.payment.opensDrawer;
    return kind === 'receipt';
  }
}

function notConfigured(): DomainError {
  return new DomainError('DEVICE_NOT_CONFIGURED', 'No receipt printer is set up on this till. A manager can set one up under Devices.', {});
}
