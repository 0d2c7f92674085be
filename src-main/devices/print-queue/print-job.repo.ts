/**
 * Kysely queries over the print_job table (migration 0003). Every function takes the database
 * or an open transaction, so sale receipts are written in the sale's own transaction.
 */
import type { Selectable } from 'kysely';
import type { PrintJobDto, PrintJobKind, PrintJobState } from '../../../src-shared/api/contract-devices';
import type { PrintDocument } from '../../../src-shared/receipt/report-doc';
import type { TerminalDatabase } from '../../db/schema';
import type { CoreContext, Executor } from '../../core/context';

export type PrintJobRow = Selectable<TerminalDatabase['print_job']>;

export interface NewPrintJob {
  kind: PrintJobKind;
  document: PrintDocument;
  saleId?: string | null;
  refundId?: string | null;
  receiptNo?: string | null;
  reprintOf?: string | null;
  staffId?: string | null;
  /** Default 'queued'; 'failed_permanently' records a receipt that could not even be built. */
  state?: PrintJobState;
  lastError?: string | null;
}

/** The message stored on jobs found in `printing` at start-up. */
export const INTERRUPTED_MESSAGE =
  'The till stopped while this was printing, so it may or may not have come out. Check the printer, then mark it printed or reprint it.';

export async function insertPrintJob(ex: Executor, ctx: Pick<CoreContext, 'newId' | 'now'>, job: NewPrintJob): Promise<PrintJobRow> {
  const now = ctx.now().toISOString();
  const row = {
    id: ctx.newId(),
    kind: job.kind,
    document: JSON.stringify(job.document),
    state: job.state ?? 'queued',
    attempts: 0,
    last_error: job.lastError ?? null,
    created_at: now,
    updated_at: now,
    printed_at: null,
    sale_id: job.saleId ?? null,
    refund_id: job.refundId ?? null,
    receipt_no: job.receiptNo ?? null,
    reprint_of: job.reprintOf ?? null,
    staff_id: job.staffId ?? null,
  } as const;
  return ex.insertInto('print_job').values(row).returningAll().executeTakeFirstOrThrow();
}

export function jobById(ex: Executor, id: string): Promise<PrintJobRow | undefined> {
  return ex.selectFrom('print_job').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The next job to print: the oldest queued one. */
export function nextQueuedJob(ex: Executor): Promise<PrintJobRow | undefined> {
  return ex.selectFrom('print_job').selectAll().where('state', '=', 'queued').orderBy('seq').limit(1).executeTakeFirst();
}

export async function listJobs(ex: Executor, limit: number, states?: readonly PrintJobState[]): Promise<PrintJobRow[]> {
  let q = ex.selectFrom('print_job').selectAll().orderBy('seq', 'desc').limit(limit);
  if (states !== undefined && states.length > 0) q = q.where('state', 'in', [...states]);
  return q.execute();
}

export async function countJobs(ex: Executor): Promise<{ queued: number; needsCheck: number }> {
  const rows = await ex
    .selectFrom('print_job')
    .select(['state'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', 'in', ['queued', 'printing', 'needs_check'])
    .groupBy('state')
    .execute();
  const n = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
  return { queued: n('queued') + n('printing'), needsCheck: n('needs_check') };
}

/** The newest receipt job (sale or refund) for a receipt number, or the newest of all when null. */
export function latestReceiptJob(ex: Executor, receiptNo: string | null): Promise<PrintJobRow | undefined> {
  let q = ex.selectFrom('print_job').selectAll().where('kind', 'in', ['receipt', 'refund_receipt']).orderBy('seq', 'desc').limit(1);
  if (receiptNo !== null) q = q.where('receipt_no', '=', receiptNo);
  return q.executeTakeFirst();
}

export async function setJobState(
  ex: Executor,
  ctx: Pick<CoreContext, 'now'>,
  id: string,
  state: PrintJobState,
  extra: { lastError?: string | null; countAttempt?: boolean; printed?: boolean } = {},
): Promise<void> {
  const now = ctx.now().toISOString();
  await ex
    .updateTable('print_job')
    .set((eb) => ({
      state,
      updated_at: now,
      ...(extra.lastError !== undefined ? { last_error: extra.lastError } : {}),
      ...(extra.countAttempt === true ? { attempts: eb('attempts', '+', 1) } : {}),
      ...(extra.printed === true ? { printed_at: now } : {}),
    }))
    .where('id', '=', id)
    .execute();
}

/**
 * After a crash or power cut: a job still in `printing` may or may not have come out of the
 * printer. It is never reprinted automatically (that could print it twice); it becomes
 * `needs_check` and the cashier decides. Returns how many jobs that concerned.
 */
export async function markInterruptedJobs(ex: Executor, ctx: Pick<CoreContext, 'now'>): Promise<number> {
  const r = await ex
    .updateTable('print_job')
    .set({ state: 'needs_check', last_error: INTERRUPTED_MESSAGE, updated_at: ctx.now().toISOString() })
    .where('state', '=', 'printing')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function parseDocument(row: PrintJobRow): PrintDocument {
  return JSON.parse(row.document) as PrintDocument;
}

export function jobTitle(row: PrintJobRow): string {
  switch (row.kind) {
    case 'receipt':
      return `Receipt ${row.receipt_no ?? ''}`.trim();
    case 'refund_receipt':
      return `Refund receipt ${row.receipt_no ?? ''}`.trim();
    case 'reprint':
      return `Reprint of receipt ${row.receipt_no ?? ''}`.trim();
    case 'test':
      return 'Test page';
    case 'end_of_day':
      return 'End-of-day summary';
  }
}

export function toJobDto(row: PrintJobRow): PrintJobDto {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    title: jobTitle(row),
    receiptNo: row.receipt_no,
    saleId: row.sale_id,
    refundId: row.refund_id,
    reprintOf: row.reprint_of,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    printedAt: row.printed_at,
  };
}
