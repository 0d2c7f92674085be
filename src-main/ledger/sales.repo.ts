import { sql, type Selectable } from 'kysely';
import type { MemberSummaryDto, SaleDto, SaleLineDto, SaleTenderLine } from '../../src-shared/api/dto';
import type { EarnLine, PricedLine } from '../../src-shared/domain/checkout';
import type { Tier } from '../../src-shared/domain/types';
import { DomainError } from '../../src-shared/errors/domain-error';
import { saleIdFromKey, UUID_V7_RE, uuidV7Millis } from '../../src-shared/sync/ids';
import { preparedQuery, rowParams } from '../db/prepared-query';
import type { TerminalDatabase } from '../db/schema';
import type { Executor } from '../core/context';
import { receiptBusinessDate } from './receipt-no';

export type SaleRow = Selectable<TerminalDatabase['sale']>;
export type SaleLineRow = Selectable<TerminalDatabase['sale_line']>;

// A sale's own statements run on every checkout: built once (see prepared-query.ts).
const saleByIdQuery = preparedQuery<TerminalDatabase, { id: string }, SaleRow>((db, p) => db.selectFrom('sale').selectAll().where('id', '=', p('id')));
// Sales made before sale ids were derived from keys (migration 0013): their keys are in a partial
// index of the rows with a UUIDv7 id; the query names its condition so the planner uses it.
const legacySaleByKeyQuery = preparedQuery<TerminalDatabase, { key: string }, SaleRow>((db, p) =>
  db.selectFrom('sale').selectAll().where('idempotency_key', '=', p('key')).where(sql<boolean>`substr(id, 15, 1) = '7'`),
);

/**
 * Where to find the sale made with an idempotency key: its id follows from the key, and sales
 * older than that rule are found by key when the key could be theirs (`keysIndexedUntil`, from
 * `meta sale.keys_indexed_until`: a UUIDv7 key minted after the newest of them cannot be).
 */
export async function saleByIdempotencyKey(ex: Executor, terminalId: string, key: string, keysIndexedUntil: string | null): Promise<SaleRow | undefined> {
  const sale = (await saleByIdQuery(ex, { id: saleIdFromKey(terminalId, key) })).rows[0];
  if (sale || keysIndexedUntil === null) return sale;
  if (UUID_V7_RE.test(key) && uuidV7Millis(key) > Date.parse(keysIndexedUntil)) return undefined;
  return (await legacySaleByKeyQuery(ex, { key })).rows[0];
}

/** The newest instant of a sale found by its key's index rather than by its id (null on a store made after migration 0013). */
export async function saleKeysIndexedUntil(ex: Executor): Promise<string | null> {
  const row = await ex.selectFrom('meta').select('value').where('key', '=', 'sale.keys_indexed_until').executeTakeFirst();
  return row?.value ?? null;
}

const insertSaleQuery = preparedQuery<TerminalDatabase, SaleRow, never>((db, p) =>
  db.insertInto('sale').values(
    rowParams(p, {
      id: true,
      idempotency_key: true,
      request_hash: true,
      receipt_no: true,
      member_id: true,
      staff_id: true,
      terminal_id: true,
      created_at: true,
      business_date: true,
      gross_minor: true,
      redeemed_points: true,
      redeemed_value_minor: true,
      paid_minor: true,
      earned_points: true,
      capped_points: true,
      tier: true,
      rule_set_version: true,
      offline: true,
      result: true,
      tenders: true,
      rounding_minor: true,
      drawer_session_id: true,
    }),
  ),
);

const insertSaleLineQuery = preparedQuery<TerminalDatabase, SaleLineRow, never>((db, p) =>
  db.insertInto('sale_line').values(
    rowParams(p, {
      sale_id: true,
      line_no: true,
      sku: true,
      description: true,
      category: true,
      quantity: true,
      unit_price_minor: true,
      discount_minor: true,
      gross_minor: true,
      redeemed_points: true,
      redeemed_value_minor: true,
      paid_minor: true,
      earned_points: true,
      campaign_id: true,
    }),
  ),
);

/** A new sale and its lines (the ledger entries that reference it come after). */
export async function insertSale(ex: Executor, sale: SaleRow, lines: readonly SaleLineRow[]): Promise<void> {
  await insertSaleQuery(ex, sale);
  for (const line of lines) await insertSaleLineQuery(ex, line);
}

const setSaleResultQuery = preparedQuery<TerminalDatabase, { id: string; earnedPoints: number; result: string }, never>((db, p) =>
  db.updateTable('sale').set({ earned_points: p('earnedPoints'), result: p('result') }).where('id', '=', p('id')),
);

/** The points a sale earned and its answer snapshot, once its entries are written. */
export async function setSaleResult(ex: Executor, id: string, earnedPoints: number, result: string): Promise<void> {
  await setSaleResultQuery(ex, { id, earnedPoints, result });
}

export async function saleLines(ex: Executor, saleId: string): Promise<Selectable<TerminalDatabase['sale_line']>[]> {
  return ex.selectFrom('sale_line').selectAll().where('sale_id', '=', saleId).execute();
}

/** The till's newest sales first. */
export async function recentSales(ex: Executor, limit: number): Promise<SaleRow[]> {
  return ex.selectFrom('sale').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}

export async function findSale(ex: Executor, by: { saleId?: string | undefined; receiptNo?: string | undefined }): Promise<SaleRow> {
  let q = ex.selectFrom('sale').selectAll();
  // A receipt number is unique within its business date, which it starts with (the date index holds both).
  q = by.saleId ? q.where('id', '=', by.saleId) : q.where('business_date', '=', receiptBusinessDate(by.receiptNo ?? '') ?? '').where('receipt_no', '=', by.receiptNo ?? '');
  const sale = await q.executeTakeFirst();
  if (!sale) {
    throw new DomainError('SALE_NOT_FOUND', 'No sale with that receipt number on this till. Check the number on the receipt.', { ...by });
  }
  return sale;
}

/**
 * What a sale's answer holds that the tables do not: the member as shown at the time, the bonuses
 * and the balance after. Stored in `sale.result` (about 200 bytes; the rest of the answer is
 * rebuilt from `sale` and `sale_line`, so a replay answers exactly what the first call did).
 */
export interface SaleSnapshot {
  member: MemberSummaryDto | null;
  bonuses: { reason: string; points: number }[];
  balanceAfter: number | null;
}

export function saleSnapshotJson(dto: Pick<SaleDto, 'member' | 'bonuses' | 'balanceAfter'>): string {
  const snapshot: SaleSnapshot = { member: dto.member, bonuses: dto.bonuses, balanceAfter: dto.balanceAfter };
  return JSON.stringify(snapshot);
}

/** The sale as answered at checkout, with the quantities refunded since. */
export async function saleDto(ex: Executor, sale: SaleRow, replayed = false): Promise<SaleDto> {
  const [lines, refunded] = await Promise.all([
    ex.selectFrom('sale_line').selectAll().where('sale_id', '=', sale.id).orderBy('line_no').execute(),
    ex
      .selectFrom('refund_line as rl')
      .innerJoin('refund as r', 'r.id', 'rl.refund_id')
      .select(['rl.line_no'])
      .select((eb) => eb.fn.sum<number>('rl.quantity').as('quantity'))
      .where('r.sale_id', '=', sale.id)
      .groupBy('rl.line_no')
      .execute(),
  ]);
  const byLine = new Map(refunded.map((r) => [r.line_no, Number(r.quantity)]));
  const snapshot = JSON.parse(sale.result) as SaleSnapshot;
  return {
    id: sale.id,
    receiptNo: sale.receipt_no,
    createdAt: sale.created_at,
    businessDate: sale.business_date,
    staffId: sale.staff_id,
    member: snapshot.member,
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      sku: l.sku,
      description: l.description,
      category: l.category,
      quantity: l.quantity,
      unitPriceMinor: l.unit_price_minor,
      discountMinor: l.discount_minor,
      grossMinor: l.gross_minor,
      redeemedPoints: l.redeemed_points,
      redeemedValueMinor: l.redeemed_value_minor,
      paidMinor: l.paid_minor,
      earnedPoints: l.earned_points,
      campaignId: l.campaign_id,
      refundedQuantity: byLine.get(l.line_no) ?? 0,
    })),
    grossMinor: sale.gross_minor,
    redeemedPoints: sale.redeemed_points,
    redeemedValueMinor: sale.redeemed_value_minor,
    paidMinor: sale.paid_minor,
    earnedPoints: sale.earned_points,
    bonuses: snapshot.bonuses,
    cappedPoints: sale.capped_points,
    tierAtSale: (sale.tier as Tier | null) ?? null,
    balanceAfter: snapshot.balanceAfter,
    ruleSetVersion: sale.rule_set_version,
    offline: sale.offline === 1,
    ...saleTenders(sale),
    replayed,
  };
}

/** A sale's tenders as stored with it (`sale.tenders`), its rounding and the change it gave. */
export function saleTenders(sale: Pick<SaleRow, 'tenders' | 'rounding_minor'>): Pick<SaleDto, 'tenders' | 'roundingMinor' | 'changeMinor'> {
  const tenders = JSON.parse(sale.tenders) as SaleTenderLine[];
  return { tenders, roundingMinor: sale.rounding_minor, changeMinor: tenders.reduce((a, t) => a + t.changeMinor, 0) };
}

/** The lines of a sale as answered at checkout: pricing plus the points each line earned. */
export function toSaleLineDtos(lines: readonly PricedLine[], perLine: readonly EarnLine[] | undefined): SaleLineDto[] {
  const earnByLine = new Map(perLine?.map((l) => [l.lineNo, l]) ?? []);
  return lines.map((l) => ({
    lineNo: l.lineNo,
    sku: l.sku ?? null,
    description: l.description ?? null,
    category: l.category,
    quantity: l.quantity,
    unitPriceMinor: l.unitPriceMinor,
    discountMinor: l.discountMinor ?? 0,
    grossMinor: l.grossMinor,
    redeemedPoints: l.redeemedPoints,
    redeemedValueMinor: l.redeemedValueMinor,
    paidMinor: l.paidMinor,
    earnedPoints: earnByLine.get(l.lineNo)?.points ?? 0,
    campaignId: earnByLine.get(l.lineNo)?.campaignId ?? null,
    refundedQuantity: 0,
  }));
}
