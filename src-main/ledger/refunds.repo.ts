import type { Insertable } from 'kysely';
import type { TerminalDatabase } from '../db/schema';
import type { Executor, Trx } from '../core/context';

/** Refunds and their lines: Kysely queries only (the refund's rules are in refund.service.ts). */

export type RefundInsert = Insertable<TerminalDatabase['refund']>;
export type RefundLineInsert = Insertable<TerminalDatabase['refund_line']>;

/** The refund made with this idempotency key, if any (its stored answer and request hash). */
export async function refundByIdempotencyKey(ex: Executor, key: string): Promise<{ result: string; request_hash: string } | undefined> {
  return ex.selectFrom('refund').select(['result', 'request_hash']).where('idempotency_key', '=', key).executeTakeFirst();
}

/** Quantities already refunded per line of a sale. */
export async function refundedQuantities(ex: Executor, saleId: string): Promise<{ lineNo: number; quantity: number }[]> {
  const rows = await ex
    .selectFrom('refund_line as rl')
    .innerJoin('refund as r', 'r.id', 'rl.refund_id')
    .select(['rl.line_no as lineNo'])
    .select((eb) => eb.fn.sum<number>('rl.quantity').as('quantity'))
    .where('r.sale_id', '=', saleId)
    .groupBy('rl.line_no')
    .execute();
  return rows.map((r) => ({ lineNo: r.lineNo, quantity: Number(r.quantity) }));
}

export async function insertRefund(trx: Trx, refund: RefundInsert, lines: readonly RefundLineInsert[]): Promise<void> {
  await trx.insertInto('refund').values(refund).execute();
  if (lines.length > 0) await trx.insertInto('refund_line').values([...lines]).execute();
}

export async function setRefundResult(trx: Trx, refundId: string, result: string): Promise<void> {
  await trx.updateTable('refund').set({ result }).where('id', '=', refundId).execute();
}
