import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { DayReportDto, ZReportDto } from '../../src-shared/api/contract-money';
import { redemptionValueMinor } from '../../src-shared/domain/redeem';
import { DomainError } from '../../src-shared/errors/domain-error';
import { appendAudit } from '../core/audit.repo';
import type { CoreContext, Executor, StaffRow, Trx } from '../core/context';
import { rememberAnswer, rememberedAnswer } from '../core/idempotency.repo';
import { enqueueOutbox } from '../core/outbox.repo';
import { inTransaction } from '../db/transaction';
import { openDrawerSession, type DrawerService } from '../ledger/drawer.service';
import { todayOf } from '../ledger/member-view';
import { addDaysToDate, startOfBusinessDate } from './range';

const Z_GENESIS = '0'.repeat(64);

/**
 * X and Z reports of the till's business day. Both read the day's summary rows (day_summary, kept
 * by triggers with every sale, refund and ledger entry), its drawer sessions and its few refunds
 * and overrides: never the day's sales. X changes nothing. Z closes the day: numbered in sequence
 * per till, immutable, chained by hash, once per business date; sales after it belong to the next
 * business day (CoreContext.closedDay). A crash during a Z leaves no Z or a complete one (one
 * transaction).
 */
export class DayCloseService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly drawer: DrawerService,
  ) {}

  async x(): Promise<DayReportDto> {
    return this.report(this.ctx.db, 'x', todayOf(this.ctx).businessDate);
  }

  async z(input: { idempotencyKey: string }, staff: StaffRow): Promise<ZReportDto> {
    const z = await inTransaction(this.ctx.db, async (trx) => {
      const previous = await rememberedAnswer(trx, 'z_report', input.idempotencyKey);
      if (previous) return { ...(JSON.parse(previous.result) as ZReportDto), replayed: true };
      const { now, businessDate } = todayOf(this.ctx);
      if (await trx.selectFrom('z_report').select('z_no').where('business_date', '=', businessDate).executeTakeFirst()) {
        throw new DomainError('Z_ALREADY_MADE', `The business day ${businessDate} already has its Z report.`, { businessDate });
      }
      if (await openDrawerSession(trx)) throw new DomainError('Z_DRAWER_OPEN', 'Close the cash drawer with a count before the Z report.', {});
      const last = await trx.selectFrom('z_report').select(['z_no', 'hash', 'grand_total_minor']).orderBy('z_no', 'desc').limit(1).executeTakeFirst();
      const report = await this.report(trx, 'z', businessDate);
      const zNo = (last?.z_no ?? 0) + 1;
      const grandTotal = (last?.grand_total_minor ?? 0) + report.netMinor;
      const body: DayReportDto = { ...report, zNo, grandTotalMinor: grandTotal, generatedAt: now };
      const prevHash = last?.hash ?? Z_GENESIS;
      const json = JSON.stringify(body);
      const hash = createHash('sha256').update(`${prevHash}\n${json}`).digest('hex');
      const id = this.ctx.newId();
      await trx
        .insertInto('z_report')
        .values({ z_no: zNo, id, business_date: businessDate, closed_at: now, staff_id: staff.id, report: json, grand_total_minor: grandTotal, prev_hash: prevHash, hash })
        .execute();
      await appendAudit(trx, this.ctx, { action: 'day.z', staffId: staff.id, subjectType: 'z_report', subjectId: id, details: { zNo, businessDate, netMinor: report.netMinor } });
      await enqueueOutbox(trx, this.ctx, 'z_report', id, { id, zNo, businessDate, closedAt: now, staffId: staff.id, report: body, prevHash, hash });
      const answer: ZReportDto = { ...body, id, closedAt: now, closedBy: staff.id, hash, replayed: false };
      await rememberAnswer(trx, 'z_report', input.idempotencyKey, { requestHash: null, result: JSON.stringify(answer) });
      return answer;
    });
    if (!z.replayed) this.ctx.closedDay.through = z.businessDate;
    return z;
  }

  /** A stored Z by its number (NOT_FOUND when this till has none of that number). */
  async byNumber(zNo: number): Promise<ZReportDto> {
    const r = await this.ctx.db.selectFrom('z_report').selectAll().where('z_no', '=', zNo).executeTakeFirst();
    if (!r) throw new DomainError('NOT_FOUND', `This till has no Z report number ${zNo}.`, { zNo });
    return { ...(JSON.parse(r.report) as DayReportDto), id: r.id, closedAt: r.closed_at, closedBy: r.staff_id, hash: r.hash, replayed: false };
  }

  async list(limit: number): Promise<ZReportDto[]> {
    const rows = await this.ctx.db.selectFrom('z_report').selectAll().orderBy('z_no', 'desc').limit(limit).execute();
    return rows.map((r) => ({ ...(JSON.parse(r.report) as DayReportDto), id: r.id, closedAt: r.closed_at, closedBy: r.staff_id, hash: r.hash, replayed: false }));
  }

  /** The day's figures from its summary rows, drawer sessions, refunds and overrides. */
  private async report(ex: Executor | Trx, kind: 'x' | 'z', date: string): Promise<DayReportDto> {
    const rows = await ex.selectFrom('day_summary').selectAll().where('business_date', '=', date).execute();
    const total = (key: string) => rows.find((r) => r.dim === 'total' && r.key === key);
    const of = (dim: string) => rows.filter((r) => r.dim === dim);
    const sales = total('sales');
    const count = sales?.sale_count ?? 0;
    const paid = sales?.sale_minor ?? 0;
    const refunds = total('refunds');
    const refundMinor = refunds?.refund_minor ?? 0;
    const member = total('member');
    const points = (k: string) => of('points').find((r) => r.key === k)?.points ?? 0;
    const rules = this.ctx.rulesOn(date);
    const value = (p: number) => redemptionValueMinor(Math.abs(p), 'regular', rules);
    const issued = points('earn') + points('bonus') + points('adjust_in') + points('reverse_in');
    const redeemed = -(points('redeem_bill') + points('redeem_reward'));
    const expired = -points('expire');

    const names = new Map((await ex.selectFrom('staff').select(['id', 'name']).execute()).map((s) => [s.id, s.name]));
    const sessionIds = new Set(of('drawer').map((r) => r.key));
    for (const e of await ex.selectFrom('drawer_event').select('session_id').where('business_date', '=', date).execute()) sessionIds.add(e.session_id);
    const open = await openDrawerSession(ex);
    if (open && kind === 'x') sessionIds.add(open.id);
    const drawers = await Promise.all([...sessionIds].map((id) => this.drawer.sessionReport(ex, id)));
    drawers.sort((a, b) => (a.openedAt < b.openedAt ? -1 : 1));

    const refundList = await ex
      .selectFrom('refund as r')
      .innerJoin('sale as s', 's.id', 'r.sale_id')
      .select(['r.id', 's.receipt_no', 'r.refund_minor', 'r.staff_id', 'r.approved_by', 'r.reason', 'r.created_at'])
      .where('r.business_date', '=', date)
      .orderBy('r.created_at')
      .execute();
    // Overrides and approved refunds recorded during the business date (its span in the store's time zone).
    const overrides = await ex
      .selectFrom('audit_log')
      .select(sql<number>`count(*)`.as('n'))
      .where('action', 'in', ['checkout.override', 'reward.override', 'refund.approved'])
      .where('at', '>=', new Date(startOfBusinessDate(date, this.ctx.timeZone)).toISOString())
      .where('at', '<', new Date(startOfBusinessDate(addDaysToDate(date, 1), this.ctx.timeZone)).toISOString())
      .executeTakeFirstOrThrow();
    const receipts = await ex
      .selectFrom('sale')
      .select([sql<string | null>`min(receipt_no)`.as('first'), sql<string | null>`max(receipt_no)`.as('last')])
      .where('business_date', '=', date)
      .executeTakeFirstOrThrow();

    return {
      kind,
      zNo: null,
      businessDate: date,
      generatedAt: this.ctx.now().toISOString(),
      storeName: this.ctx.storeName,
      terminalId: this.ctx.terminalId,
      currency: this.ctx.currency,
      sales: {
        count,
        grossMinor: total('gross')?.sale_minor ?? 0,
        discountMinor: total('discount')?.sale_minor ?? 0,
        redeemedValueMinor: total('redeemed')?.sale_minor ?? 0,
        redeemedPoints: total('redeemed')?.points ?? 0,
        paidMinor: paid,
        roundingMinor: total('rounding')?.sale_minor ?? 0,
        averageTicketMinor: count > 0 ? Math.round(paid / count) : 0,
        memberCount: member?.sale_count ?? 0,
        memberPaidMinor: member?.sale_minor ?? 0,
        memberShareBp: paid > 0 ? Math.round(((member?.sale_minor ?? 0) * 10000) / paid) : 0,
      },
      refunds: { count: refunds?.refund_count ?? 0, amountMinor: refundMinor },
      netMinor: paid - refundMinor,
      tenders: of('tender')
        .map((r) => ({ code: r.key, salesCount: r.sale_count, salesMinor: r.sale_minor, refundsCount: r.refund_count, refundsMinor: r.refund_minor, netMinor: r.sale_minor - r.refund_minor }))
        .sort((a, b) => (a.code < b.code ? -1 : 1)),
      drawers,
      points: { issued, redeemed, expired, issuedValueMinor: value(issued), redeemedValueMinor: value(redeemed), expiredValueMinor: value(expired) },
      staff: of('staff')
        .map((r) => ({ staffId: r.key, name: names.get(r.key) ?? r.key, salesCount: r.sale_count, salesMinor: r.sale_minor, refundsCount: r.refund_count, refundsMinor: r.refund_minor }))
        .sort((a, b) => b.salesMinor - a.salesMinor),
      categories: of('category')
        .map((r) => ({ category: r.key, quantity: r.sale_count - r.refund_count, salesMinor: r.sale_minor, refundsMinor: r.refund_minor }))
        .sort((a, b) => b.salesMinor - a.salesMinor),
      refundList: refundList.map((r) => ({ refundId: r.id, receiptNo: r.receipt_no, amountMinor: r.refund_minor, staffId: r.staff_id, approvedBy: r.approved_by, reason: r.reason, at: r.created_at })),
      overrides: Number(overrides.n),
      grandTotalMinor: null,
      firstReceiptNo: receipts.first,
      lastReceiptNo: receipts.last,
    };
  }
}
