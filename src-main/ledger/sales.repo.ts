import type { Selectable } from 'kysely';
import type { SaleDto } from '../../src-shared/api/dto';
import { DomainError } from '../../src-shared/errors/domain-error';
import type { TerminalDatabase } from '../db/schema';
import type { Executor } from '../terminal/context';

export type SaleRow = Selectable<TerminalDatabase['sale']>;

export async function findSale(ex: Executor, by: { saleId?: string | undefined; receiptNo?: string | undefined }): Promise<SaleRow> {
  let q = ex.selectFrom('sale').selectAll();
  q = by.saleId ? q.where('id', '=', by.saleId) : q.where('receipt_no', '=', by.receiptNo ?? '');
  const sale = await q.executeTakeFirst();
  if (!sale) {
    throw new DomainError('SALE_NOT_FOUND', 'No sale with that receipt number on this till. Check the number on the receipt.', { ...by });
  }
  return sale;
}

/** The sale as recorded at checkout, with the quantities refunded since. */
export async function saleDto(ex: Executor, sale: SaleRow): Promise<SaleDto> {
  const dto = JSON.parse(sale.result) as SaleDto;
  const refunded = await ex
    .selectFrom('refund_line as rl')
    .innerJoin('refund as r', 'r.id', 'rl.refund_id')
    .select(['rl.line_no'])
    .select((eb) => eb.fn.sum<number>('rl.quantity').as('quantity'))
    .where('r.sale_id', '=', sale.id)
    .groupBy('rl.line_no')
    .execute();
  const byLine = new Map(refunded.map((r) => [r.line_no, Number(r.quantity)]));
  return { ...dto, replayed: false, lines: dto.lines.map((l) => ({ ...l, refundedQuantity: byLine.get(l.lineNo) ?? 0 })) };
}
