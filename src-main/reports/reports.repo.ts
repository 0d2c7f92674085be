import { sql } from 'kysely';
import type { Executor } from '../core/context';

/**
 * The report queries (Kysely and SQL only; no business logic). Sales and refunds are selected by
 * business date (indexed: sale_business_date), ledger points by date from the day summaries
 * (day_summary); the audit log and registrations by instant.
 */

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export interface SalesDay {
  date: string;
  sales: number;
  gross: number;
  redeemedValue: number;
  paid: number;
  memberSales: number;
  memberPaid: number;
  offlineSales: number;
}

export type SalesTotals = Omit<SalesDay, 'date'>;

/** Sales per business date in one pass (the totals are the sum of the days). */
export async function salesDays(ex: Executor, from: string, to: string): Promise<SalesDay[]> {
  const rows = await ex
    .selectFrom('sale')
    .where('business_date', '>=', from)
    .where('business_date', '<=', to)
    .select([
      'business_date',
      sql<number>`count(*)`.as('sales'),
      sql<number>`coalesce(sum(gross_minor), 0)`.as('gross'),
      sql<number>`coalesce(sum(redeemed_value_minor), 0)`.as('redeemed_value'),
      sql<number>`coalesce(sum(paid_minor), 0)`.as('paid'),
      sql<number>`coalesce(sum(member_id is not null), 0)`.as('member_sales'),
      sql<number>`coalesce(sum(case when member_id is not null then paid_minor else 0 end), 0)`.as('member_paid'),
      sql<number>`coalesce(sum(offline), 0)`.as('offline_sales'),
    ])
    .groupBy('business_date')
    .execute();
  return rows.map((r) => ({
    date: r.business_date,
    sales: num(r.sales),
    gross: num(r.gross),
    redeemedValue: num(r.redeemed_value),
    paid: num(r.paid),
    memberSales: num(r.member_sales),
    memberPaid: num(r.member_paid),
    offlineSales: num(r.offline_sales),
  }));
}

/** Sums the named numeric fields over the days. */
export function sumDays<T, K extends keyof T>(days: readonly T[], keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = days.reduce<number>((a, d) => a + num(d[k]), 0);
  return out;
}

const SALES_KEYS = ['sales', 'gross', 'redeemedValue', 'paid', 'memberSales', 'memberPaid', 'offlineSales'] as const;

export function salesTotalsOf(days: SalesDay[]): SalesTotals {
  return sumDays(days, SALES_KEYS) as SalesTotals;
}

export async function salesTotals(ex: Executor, from: string, to: string): Promise<SalesTotals> {
  return salesTotalsOf(await salesDays(ex, from, to));
}

export async function salesByCategory(ex: Executor, from: string, to: string): Promise<{ category: string; quantity: number; paid: number }[]> {
  const rows = await ex
    .selectFrom('sale as s')
    .innerJoin('sale_line as l', 'l.sale_id', 's.id')
    .where('s.business_date', '>=', from)
    .where('s.business_date', '<=', to)
    .select(['l.category', sql<number>`coalesce(sum(l.quantity), 0)`.as('quantity'), sql<number>`coalesce(sum(l.paid_minor), 0)`.as('paid')])
    .groupBy('l.category')
    .orderBy('paid', 'desc')
    .execute();
  return rows.map((r) => ({ category: r.category, quantity: num(r.quantity), paid: num(r.paid) }));
}

export async function refundTotals(ex: Executor, from: string, to: string): Promise<{ refunds: number; refundMinor: number }> {
  const r = await ex
    .selectFrom('refund')
    .where('business_date', '>=', from)
    .where('business_date', '<=', to)
    .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(refund_minor), 0)`.as('minor')])
    .executeTakeFirstOrThrow();
  return { refunds: num(r.n), refundMinor: num(r.minor) };
}

export interface LedgerSums {
  earn: number;
  bonus: number;
  adjustIn: number;
  adjustOut: number;
  adjustCount: number;
  refundReturned: number;
  reversed: number;
  redeemBill: number;
  redeemReward: number;
  expired: number;
  capped: number;
  cappedEntries: number;
}

export interface LedgerDay extends LedgerSums {
  date: string;
}

const LEDGER_KEYS = ['earn', 'bonus', 'adjustIn', 'adjustOut', 'adjustCount', 'refundReturned', 'reversed', 'redeemBill', 'redeemReward', 'expired', 'capped', 'cappedEntries'] as const;

/**
 * Points by class per business date, from the day summaries (kept with every ledger entry, so a
 * month is a few hundred summary rows, not its entries). Debits are positive numbers.
 */
export async function ledgerDays(ex: Executor, from: string, to: string): Promise<LedgerDay[]> {
  const rows = await ex
    .selectFrom('day_summary')
    .select(['business_date', 'key', 'sale_count', 'points'])
    .where('business_date', '>=', from)
    .where('business_date', '<=', to)
    .where('dim', '=', 'points')
    .orderBy('business_date')
    .execute();
  const days = new Map<string, LedgerDay>();
  for (const r of rows) {
    let d = days.get(r.business_date);
    if (!d) days.set(r.business_date, (d = { date: r.business_date, ...(Object.fromEntries(LEDGER_KEYS.map((k) => [k, 0])) as unknown as LedgerSums) }));
    const p = num(r.points);
    switch (r.key) {
      case 'earn': d.earn += p; break;
      case 'bonus': d.bonus += p; break;
      case 'adjust_in': d.adjustIn += p; d.adjustCount += num(r.sale_count); break;
      case 'adjust_out': d.adjustOut += -p; d.adjustCount += num(r.sale_count); break;
      case 'reverse_in': d.refundReturned += p; break;
      case 'reverse_out': d.reversed += -p; break;
      case 'redeem_bill': d.redeemBill += -p; break;
      case 'redeem_reward': d.redeemReward += -p; break;
      case 'expire': d.expired += -p; break;
      case 'capped': d.capped += p; d.cappedEntries += num(r.sale_count); break;
    }
  }
  return [...days.values()];
}

export function ledgerSumsOf(days: LedgerDay[]): LedgerSums {
  return sumDays(days, LEDGER_KEYS) as LedgerSums;
}

export async function ledgerSums(ex: Executor, from: string, to: string): Promise<LedgerSums> {
  return ledgerSumsOf(await ledgerDays(ex, from, to));
}

/** Members who hit the daily cap in the range. */
export async function cappedMembers(ex: Executor, from: string, to: string): Promise<number> {
  // The cap holds back purchase points only, which a sale records (sale.capped_points).
  const r = await ex
    .selectFrom('sale')
    .where('business_date', '>=', from)
    .where('business_date', '<=', to)
    .where('capped_points', '>', 0)
    .select(sql<number>`count(distinct member_id)`.as('n'))
    .executeTakeFirstOrThrow();
  return num(r.n);
}

export interface TierRow {
  tier: 'regular' | 'silver' | 'gold' | 'diamond';
  members: number;
  positivePoints: number;
  negativeMembers: number;
  negativePoints: number;
}

/** Spend in `period` from the member row's window (spend-window.ts `spendsIn`, in SQL). */
function curSpend(p: { period: string; previousPeriod: string }) {
  return sql<number>`(case when m.spend_period = ${p.period} then m.spend_current else 0 end)`;
}

/** Spend in the period before `period` from the member row's window. */
function prevSpend(p: { period: string; previousPeriod: string }) {
  return sql<number>`(case when m.spend_period = ${p.period} then m.spend_previous when m.spend_period = ${p.previousPeriod} then m.spend_current else 0 end)`;
}

/**
 * Members who can trade (active or blocked) by tier today: Diamond from the centre, otherwise
 * the higher of this and last period's qualifying spend (evaluateTier in SQL: tierFromSpend is
 * monotonic, so the tier of the larger spend is the higher tier).
 */
export async function membersByTier(
  ex: Executor,
  p: { period: string; previousPeriod: string; silverMinor: number; goldMinor: number },
): Promise<TierRow[]> {
  const rows = await sql<{ tier: TierRow['tier']; members: number; positive_points: number; negative_members: number; negative_points: number }>`
    select
      case
        when m.diamond = 1 then 'diamond'
        when max(${curSpend(p)}, ${prevSpend(p)}) >= ${p.goldMinor} then 'gold'
        when max(${curSpend(p)}, ${prevSpend(p)}) >= ${p.silverMinor} then 'silver'
        else 'regular'
      end as tier,
      count(*) as members,
      coalesce(sum(case when m.balance > 0 then m.balance else 0 end), 0) as positive_points,
      coalesce(sum(m.balance < 0), 0) as negative_members,
      coalesce(sum(case when m.balance < 0 then -m.balance else 0 end), 0) as negative_points
    from member m
    where m.status in ('active', 'blocked')
    group by tier`.execute(ex);
  return rows.rows.map((r) => ({
    tier: r.tier,
    members: num(r.members),
    positivePoints: num(r.positive_points),
    negativeMembers: num(r.negative_members),
    negativePoints: num(r.negative_points),
  }));
}

export async function memberCounts(ex: Executor, startIso: string, endIso: string): Promise<{ members: number; anonymous: number; blocked: number; newMembers: number }> {
  const r = await ex
    .selectFrom('member')
    .where('status', 'in', ['active', 'blocked'])
    .select([
      sql<number>`count(*)`.as('members'),
      sql<number>`coalesce(sum(phone is null), 0)`.as('anonymous'),
      sql<number>`coalesce(sum(status = 'blocked'), 0)`.as('blocked'),
    ])
    .executeTakeFirstOrThrow();
  const n = await ex
    .selectFrom('member')
    .where('registered_at', '>=', startIso)
    .where('registered_at', '<', endIso)
    .where('status', '!=', 'merged')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return { members: num(r.members), anonymous: num(r.anonymous), blocked: num(r.blocked), newMembers: num(n.n) };
}

export async function repeatPurchase(ex: Executor, from: string, to: string): Promise<{ buyers: number; repeaters: number }> {
  const r = await sql<{ buyers: number; repeaters: number }>`
    select count(*) as buyers, coalesce(sum(n >= 2), 0) as repeaters
    from (select member_id, count(*) as n from sale
          where member_id is not null and business_date between ${from} and ${to}
          group by member_id)`.execute(ex);
  const row = r.rows[0];
  return { buyers: num(row?.buyers), repeaters: num(row?.repeaters) };
}

export interface RfmCell {
  r: number;
  f: number;
  members: number;
  sumRecencyDays: number;
  sumPurchases: number;
  sumSpend: number;
  /** Of these members, how many last bought `silentDays` or more before `asOf`. */
  silent: number;
}

/**
 * Members who bought in [start, asOf], scored in quintiles of recency and of frequency (ties by
 * spend), counted per (r, f) cell; one pass over the year's sales. A year is most of the table,
 * so it is read straight through (NOT INDEXED): when most rows qualify, one sequential pass reads
 * each page once, where random lookups through the date index read pages many times over.
 */
export async function rfmCells(ex: Executor, start: string, asOf: string, silentDays: number): Promise<RfmCell[]> {
  const r = await sql<{ r: number; f: number; members: number; sum_r: number; sum_f: number; sum_m: number; silent: number }>`
    with per as (
      select member_id, max(business_date) as last, count(*) as f, sum(paid_minor) as m
      from sale not indexed
      where member_id is not null and business_date between ${start} and ${asOf}
      group by member_id
    ),
    scored as (
      select cast(julianday(${asOf}) - julianday(last) as integer) as r_days, f, m,
        ntile(5) over (order by last asc, f asc) as r_score,
        ntile(5) over (order by f asc, m asc) as f_score
      from per
    )
    select r_score as r, f_score as f, count(*) as members, sum(r_days) as sum_r, sum(f) as sum_f, sum(m) as sum_m,
      sum(r_days >= ${silentDays}) as silent
    from scored group by r_score, f_score`.execute(ex);
  return r.rows.map((x) => ({
    r: num(x.r),
    f: num(x.f),
    members: num(x.members),
    sumRecencyDays: num(x.sum_r),
    sumPurchases: num(x.sum_f),
    sumSpend: num(x.sum_m),
    silent: num(x.silent),
  }));
}

export interface SilentMemberRow {
  id: string;
  name: string | null;
  phone: string | null;
  balance: number;
  last_purchase_date: string;
  consent_marketing: number;
  diamond: number;
  cur_spend: number;
  prev_spend: number;
}

/** Active members whose last purchase was on or before `cutoff`, most points first. */
export async function silentMembers(
  ex: Executor,
  p: { cutoff: string; limit: number; period: string; previousPeriod: string },
): Promise<{ total: number; points: number; rows: SilentMemberRow[] }> {
  const t = await ex
    .selectFrom('member')
    .where('status', '=', 'active')
    .where('last_purchase_date', 'is not', null)
    .where('last_purchase_date', '<=', p.cutoff)
    .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(case when balance > 0 then balance else 0 end), 0)`.as('points')])
    .executeTakeFirstOrThrow();
  const rows = await sql<SilentMemberRow>`
    select m.id, m.name, m.phone, m.balance, m.last_purchase_date, m.consent_marketing, m.diamond,
      ${curSpend(p)} as cur_spend, ${prevSpend(p)} as prev_spend
    from member m
    where m.status = 'active' and m.last_purchase_date is not null and m.last_purchase_date <= ${p.cutoff}
    order by m.balance desc, m.last_purchase_date desc
    limit ${p.limit}`.execute(ex);
  return { total: num(t.n), points: num(t.points), rows: rows.rows };
}

export async function spendBetween(ex: Executor, memberId: string, from: string, to: string): Promise<number> {
  const r = await ex
    .selectFrom('sale')
    .where('member_id', '=', memberId)
    .where('business_date', '>=', from)
    .where('business_date', '<=', to)
    .select(sql<number>`coalesce(sum(paid_minor), 0)`.as('m'))
    .executeTakeFirstOrThrow();
  return num(r.m);
}

export interface AuditRow {
  seq: number;
  at: string;
  action: string;
  staff_id: string | null;
  approved_by: string | null;
  subject_type: string | null;
  subject_id: string | null;
  details: string;
}

export async function auditBetween(ex: Executor, startIso: string, endIso: string, actions: readonly string[], limit: number): Promise<AuditRow[]> {
  if (actions.length === 0) return [];
  return ex
    .selectFrom('audit_log')
    .where('at', '>=', startIso)
    .where('at', '<', endIso)
    .where('action', 'in', actions)
    .select(['seq', 'at', 'action', 'staff_id', 'approved_by', 'subject_type', 'subject_id', 'details'])
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

export async function auditCounts(ex: Executor, startIso: string, endIso: string): Promise<Map<string, number>> {
  const rows = await ex
    .selectFrom('audit_log')
    .where('at', '>=', startIso)
    .where('at', '<', endIso)
    .select(['action', sql<number>`count(*)`.as('n')])
    .groupBy('action')
    .execute();
  return new Map(rows.map((r) => [r.action, num(r.n)]));
}

export async function staffNames(ex: Executor): Promise<Map<string, string>> {
  const rows = await ex.selectFrom('staff').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function membersByIds(ex: Executor, ids: string[]): Promise<{ id: string; name: string | null; phone: string | null }[]> {
  if (ids.length === 0) return [];
  return ex.selectFrom('member').where('id', 'in', ids).select(['id', 'name', 'phone']).execute();
}

export async function receiptsByIds(ex: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ex.selectFrom('sale').where('id', 'in', ids).select(['id', 'receipt_no']).execute();
  return new Map(rows.map((r) => [r.id, r.receipt_no]));
}

export async function overdrafts(ex: Executor, limit: number): Promise<{ members: number; points: number; list: { id: string; name: string | null; phone: string | null; balance: number }[] }> {
  const t = await ex
    .selectFrom('member')
    .where('balance', '<', 0)
    .select([sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(-balance), 0)`.as('points')])
    .executeTakeFirstOrThrow();
  const list = await ex.selectFrom('member').where('balance', '<', 0).select(['id', 'name', 'phone', 'balance']).orderBy('balance', 'asc').limit(limit).execute();
  return { members: num(t.n), points: num(t.points), list };
}

export async function heldOutbox(ex: Executor): Promise<number> {
  const r = await ex.selectFrom('outbox').where('status', '=', 'held').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return num(r.n);
}

export async function salesByStaff(ex: Executor, date: string): Promise<{ staffId: string; sales: number; paid: number }[]> {
  const rows = await ex
    .selectFrom('sale')
    .where('business_date', '=', date)
    .select(['staff_id', sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(paid_minor), 0)`.as('paid')])
    .groupBy('staff_id')
    .execute();
  return rows.map((r) => ({ staffId: r.staff_id, sales: num(r.n), paid: num(r.paid) }));
}

export async function refundsByStaff(ex: Executor, date: string): Promise<Map<string, number>> {
  const rows = await ex.selectFrom('refund').where('business_date', '=', date).select(['staff_id', sql<number>`count(*)`.as('n')]).groupBy('staff_id').execute();
  return new Map(rows.map((r) => [r.staff_id, num(r.n)]));
}

export async function receiptSpan(ex: Executor, date: string): Promise<{ first: string | null; last: string | null }> {
  const first = await ex.selectFrom('sale').where('business_date', '=', date).select('receipt_no').orderBy('created_at', 'asc').limit(1).executeTakeFirst();
  const last = await ex.selectFrom('sale').where('business_date', '=', date).select('receipt_no').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  return { first: first?.receipt_no ?? null, last: last?.receipt_no ?? null };
}

export interface RefusalRow {
  at: string;
  business_date: string;
  channel: 'bill' | 'reward';
  points: number;
  reason: string;
  details: string;
  offline: number;
  staff_id: string | null;
  approver_id: string | null;
  member_id: string;
  name: string | null;
  phone: string | null;
}

/** Refused redemptions in a range of business dates, newest first (redemption_refusal_date). */
export async function refusalsBetween(ex: Executor, from: string, to: string, limit: number): Promise<RefusalRow[]> {
  return ex
    .selectFrom('redemption_refusal as r')
    .leftJoin('member as m', 'm.id', 'r.member_id')
    .where('r.business_date', '>=', from)
    .where('r.business_date', '<=', to)
    .select(['r.at', 'r.business_date', 'r.channel', 'r.points', 'r.reason', 'r.details', 'r.offline', 'r.staff_id', 'r.approver_id', 'r.member_id', 'm.name', 'm.phone'])
    .orderBy('r.at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
}

/** Refused redemptions in a range: count and points per reason, and how many members. */
export async function refusalTotals(ex: Executor, from: string, to: string): Promise<{ byReason: { reason: string; count: number; points: number }[]; members: number }> {
  const rows = await ex
    .selectFrom('redemption_refusal')
    .where('business_date', '>=', from)
    .where('business_date', '<=', to)
    .select(['reason', sql<number>`count(*)`.as('n'), sql<number>`coalesce(sum(points), 0)`.as('points')])
    .groupBy('reason')
    .execute();
  const members = await ex
    .selectFrom('redemption_refusal')
    .where('business_date', '>=', from)
    .where('business_date', '<=', to)
    .select(sql<number>`count(distinct member_id)`.as('n'))
    .executeTakeFirstOrThrow();
  return {
    byReason: rows.map((r) => ({ reason: r.reason, count: num(r.n), points: num(r.points) })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    members: num(members.n),
  };
}
