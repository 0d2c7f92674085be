import { sql, type Selectable } from 'kysely';
import type { DrawerCloseDto, DrawerEventDto, DrawerSessionDto, DrawerStatusDto } from '../../src-shared/api/contract-money';
import { DomainError } from '../../src-shared/errors/domain-error';
import { countDrawer, type DenominationCount } from '../../src-shared/tenders/denominations';
import { applyDrawerEvent, closeDrawer, newDrawerSession, type DrawerEvent, type DrawerSession } from '../../src-shared/tenders/drawer';
import { denominationsFor } from '../../src-shared/tenders/tender-types';
import { appendAudit } from '../core/audit.repo';
import type { CoreContext, Executor, StaffRow, Trx } from '../core/context';
import { rememberAnswer, rememberedAnswer } from '../core/idempotency.repo';
import { enqueueOutbox } from '../core/outbox.repo';
import type { TerminalDatabase } from '../db/schema';
import { inTransaction } from '../db/transaction';
import { todayOf } from './member-view';
import type { TenderSettings } from './tender-settings';

type EventRow = Selectable<TerminalDatabase['drawer_event']>;
type Movement = 'pay_in' | 'pay_out' | 'pickup' | 'no_sale';

/** The drawer event of each domain event type (cash sales and refunds are summed, not stored as events). */
const DOMAIN_TYPE: Record<Exclude<EventRow['kind'], 'open' | 'close'>, DrawerEvent['type']> = {
  pay_in: 'PAY_IN',
  pay_out: 'PAY_OUT',
  pickup: 'PICKUP',
  no_sale: 'NO_SALE',
};

/** The session open on this till now: its open event, or undefined when the last event is a close. */
export async function openDrawerSession(ex: Executor): Promise<EventRow | undefined> {
  // Events are appended in the order they happened (rowid order: clocks may step back, rowids do not).
  const last = await ex.selectFrom('drawer_event').selectAll().orderBy(sql`rowid`, 'desc').limit(1).executeTakeFirst();
  if (!last || last.kind === 'close') return undefined;
  return last.kind === 'open' ? last : ex.selectFrom('drawer_event').selectAll().where('id', '=', last.session_id).executeTakeFirst();
}

/**
 * Cash drawer sessions. A session opens with a counted float, takes pay-ins, pay-outs (a manager
 * approves, with a reason), pick-ups to the safe and no-sale openings (a manager, audited), and
 * closes blind: the cashier's count is stored before the till says what it expected. Cash sales
 * and refunds are not events of their own: `day_summary` sums them per session (dim 'drawer').
 * Every event is immutable, audited and sent to head office.
 */
export class DrawerService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly settings: TenderSettings,
  ) {}

  async status(): Promise<DrawerStatusDto> {
    const open = await openDrawerSession(this.ctx.db);
    return {
      status: open ? 'open' : 'not_open',
      sessionId: open?.id ?? null,
      openedAt: open?.at ?? null,
      openedBy: open?.staff_id ?? null,
      canTakeCash: open !== undefined,
      businessDate: todayOf(this.ctx).businessDate,
    };
  }

  async open(input: { idempotencyKey: string; counts: DenominationCount }, staff: StaffRow): Promise<DrawerEventDto> {
    const counted = await this.count(input.counts);
    return this.once(input.idempotencyKey, async (trx) => {
      if (await openDrawerSession(trx)) throw new DomainError('DRAWER_ALREADY_OPEN', 'A drawer session is already open on this till. Close it first.', {});
      const id = this.ctx.newId();
      return this.append(trx, { id, session_id: id, kind: 'open', amount_minor: counted.totalMinor, counts: JSON.stringify(input.counts), reason: null }, staff, null);
    });
  }

  /** A pay-in, pay-out, pick-up or no-sale opening, in the open session. */
  async move(kind: Movement, input: { idempotencyKey: string; amountMinor?: number; counts?: DenominationCount; reason?: string }, staff: StaffRow, approver: StaffRow | null): Promise<DrawerEventDto> {
    const amount = input.counts ? (await this.count(input.counts)).totalMinor : (input.amountMinor ?? 0);
    return this.once(input.idempotencyKey, async (trx) => {
      const session = await this.requireOpen(trx);
      // The domain refuses what cannot happen: a pay-out or pick-up of more cash than the drawer holds.
      applyDrawerEvent(await this.sessionState(trx, session), { type: DOMAIN_TYPE[kind], amountMinor: amount, reason: input.reason ?? null });
      return this.append(
        trx,
        { id: this.ctx.newId(), session_id: session.id, kind, amount_minor: amount, counts: input.counts ? JSON.stringify(input.counts) : null, reason: input.reason ?? null },
        staff,
        approver,
      );
    });
  }

  /** The blind close: the count is stored, then the expected cash and the over/short are answered. */
  async close(input: { idempotencyKey: string; counts: DenominationCount }, staff: StaffRow): Promise<DrawerCloseDto> {
    const counted = await this.count(input.counts);
    return this.once(input.idempotencyKey, async (trx) => {
      const session = await this.requireOpen(trx);
      const closed = closeDrawer(await this.sessionState(trx, session), counted.totalMinor);
      const event = await this.append(
        trx,
        { id: this.ctx.newId(), session_id: session.id, kind: 'close', amount_minor: counted.totalMinor, counts: JSON.stringify(input.counts), reason: null, expected_minor: closed.expectedMinor },
        staff,
        null,
      );
      return { ...event, countedMinor: closed.closingCountMinor, expectedMinor: closed.expectedMinor, overShortMinor: closed.overShortMinor };
    });
  }

  /**
   * Cash paid out for a refund, in the refund's transaction: the open session's id, or
   * DRAWER_NOT_OPEN; DRAWER_CASH_INSUFFICIENT when the drawer should not hold that much.
   */
  async takeCashOut(trx: Trx, amountMinor: number): Promise<string> {
    const session = await this.requireOpen(trx);
    applyDrawerEvent(await this.sessionState(trx, session), { type: 'CASH_REFUND', amountMinor });
    return session.id;
  }

  /** A session's figures for X and Z (expected cash included: managers only). */
  async sessionReport(ex: Executor, sessionId: string): Promise<DrawerSessionDto> {
    const events = await ex.selectFrom('drawer_event').selectAll().where('session_id', '=', sessionId).orderBy(sql`rowid`).execute();
    const open = events.find((e) => e.kind === 'open');
    if (!open) throw new DomainError('NOT_FOUND', 'No such drawer session.', { sessionId });
    const state = await this.sessionState(ex, open, events);
    const close = events.find((e) => e.kind === 'close');
    return {
      sessionId,
      openedAt: open.at,
      openedBy: open.staff_id,
      floatMinor: open.amount_minor,
      openingDiscrepancyMinor: state.openingDiscrepancyMinor,
      cashSalesMinor: state.cashSalesMinor,
      cashRefundsMinor: state.cashRefundsMinor,
      payInsMinor: state.payInsMinor,
      payOutsMinor: state.payOutsMinor,
      pickupsMinor: state.pickupsMinor,
      noSales: state.noSaleCount,
      expectedMinor: state.expectedMinor,
      countedMinor: close?.amount_minor ?? null,
      overShortMinor: close ? close.amount_minor - state.expectedMinor : null,
      closedAt: close?.at ?? null,
      closedBy: close?.staff_id ?? null,
    };
  }

  /**
   * The session replayed through the domain: its float, the cash its sales took and its refunds
   * paid (summed by day_summary, applied first so no moment looks emptier than it was), then its
   * movements in order. A close event is left out: the caller closes with the count.
   */
  private async sessionState(ex: Executor, open: EventRow, events?: EventRow[]): Promise<DrawerSession> {
    const all = events ?? (await ex.selectFrom('drawer_event').selectAll().where('session_id', '=', open.id).orderBy(sql`rowid`).execute());
    const previousClose = await ex
      .selectFrom('drawer_event')
      .select('amount_minor')
      .where('kind', '=', 'close')
      .where(sql<boolean>`rowid < (SELECT rowid FROM drawer_event WHERE id = ${open.id})`)
      .orderBy(sql`rowid`, 'desc')
      .limit(1)
      .executeTakeFirst();
    const cash = await ex
      .selectFrom('day_summary')
      .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('sale_minor'), eb.lit(0)).as('in'), eb.fn.coalesce(eb.fn.sum<number>('refund_minor'), eb.lit(0)).as('out')])
      .where('business_date', '>=', open.business_date)
      .where('dim', '=', 'drawer')
      .where('key', '=', open.id)
      .executeTakeFirstOrThrow();
    let s = applyDrawerEvent(newDrawerSession(previousClose?.amount_minor ?? null), { type: 'OPEN', amountMinor: open.amount_minor });
    if (Number(cash.in) > 0) s = applyDrawerEvent(s, { type: 'CASH_SALE', amountMinor: Number(cash.in) });
    for (const e of all) {
      if (e.kind === 'open' || e.kind === 'close') continue;
      s = applyDrawerEvent(s, { type: DOMAIN_TYPE[e.kind], amountMinor: e.amount_minor, reason: e.reason });
    }
    if (Number(cash.out) > 0) s = { ...s, cashRefundsMinor: s.cashRefundsMinor + Number(cash.out), expectedMinor: s.expectedMinor - Number(cash.out) };
    return s;
  }

  private async count(counts: DenominationCount) {
    const { config } = await this.settings.get();
    return countDrawer(counts, denominationsFor(config, this.ctx.currency));
  }

  private async requireOpen(trx: Trx): Promise<EventRow> {
    const session = await openDrawerSession(trx);
    if (!session) throw new DomainError('DRAWER_NOT_OPEN', 'No drawer session is open on this till. Open the drawer with a counted float first.', {});
    return session;
  }

  /** Runs a drawer operation once per idempotency key: a retry gets the first answer. */
  private async once<T extends DrawerEventDto>(key: string, op: (trx: Trx) => Promise<T>): Promise<T> {
    return inTransaction(this.ctx.db, async (trx) => {
      const previous = await rememberedAnswer(trx, 'drawer', key);
      if (previous) return { ...(JSON.parse(previous.result) as T), replayed: true };
      const answer = await op(trx);
      await rememberAnswer(trx, 'drawer', key, { requestHash: null, result: JSON.stringify(answer) });
      return answer;
    });
  }

  private async append(
    trx: Trx,
    e: Pick<EventRow, 'id' | 'session_id' | 'kind' | 'amount_minor' | 'counts' | 'reason'> & { expected_minor?: number },
    staff: StaffRow,
    approver: StaffRow | null,
  ): Promise<DrawerEventDto> {
    const { now, businessDate } = todayOf(this.ctx);
    const row: EventRow = {
      ...e,
      expected_minor: e.expected_minor ?? null,
      staff_id: staff.id,
      approved_by: approver?.id ?? null,
      at: now,
      business_date: businessDate,
      terminal_id: this.ctx.terminalId,
    };
    await trx.insertInto('drawer_event').values(row).execute();
    await appendAudit(trx, this.ctx, {
      action: `drawer.${e.kind}`,
      staffId: staff.id,
      approvedBy: approver?.id ?? null,
      subjectType: 'drawer_session',
      subjectId: e.session_id,
      details: { amountMinor: e.amount_minor, reason: e.reason },
    });
    await enqueueOutbox(trx, this.ctx, 'drawer_event', row.id, row);
    return toDto(row);
  }
}

function toDto(r: EventRow): DrawerEventDto {
  return {
    id: r.id,
    sessionId: r.session_id,
    kind: r.kind,
    amountMinor: r.amount_minor,
    reason: r.reason,
    staffId: r.staff_id,
    approvedBy: r.approved_by,
    at: r.at,
    businessDate: r.business_date,
    replayed: false,
  };
}
