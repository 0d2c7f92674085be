import { sql, type Selectable } from 'kysely';
import { addDays } from '../../src-shared/domain/dates';
import { nameIndexText, nameMatchQuery } from '../../src-shared/search/name-tokens';
import { preparedQuery } from '../db/prepared-query';
import type { TerminalDatabase } from '../db/schema';
import type { Executor } from '../core/context';

export type MemberRow = Selectable<TerminalDatabase['member']>;
export type CardRow = Selectable<TerminalDatabase['card']>;

// Look-ups at the counter and the queries of every checkout: built once (see prepared-query.ts).
const memberByIdQuery = preparedQuery<TerminalDatabase, { id: string }, MemberRow>((db, p) => db.selectFrom('member').selectAll().where('id', '=', p('id')));
const memberByPhoneQuery = preparedQuery<TerminalDatabase, { phone: string }, MemberRow>((db, p) => db.selectFrom('member').selectAll().where('phone', '=', p('phone')));
const cardByCodeQuery = preparedQuery<TerminalDatabase, { code: string }, CardRow>((db, p) => db.selectFrom('card').selectAll().where('code', '=', p('code')));
const membersByLast4Query = preparedQuery<TerminalDatabase, { last4: string; limit: number }, MemberRow>((db, p) =>
  db.selectFrom('member').selectAll().where('phone_last4', '=', p('last4')).where('status', '!=', 'erased').orderBy('seq', 'desc').limit(p('limit')),
);

export async function memberCount(ex: Executor): Promise<number> {
  const row = await ex.selectFrom('member').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function memberById(ex: Executor, id: string): Promise<MemberRow | undefined> {
  return (await memberByIdQuery(ex, { id })).rows[0];
}

export async function memberByPhone(ex: Executor, phone: string): Promise<MemberRow | undefined> {
  return (await memberByPhoneQuery(ex, { phone })).rows[0];
}

export async function cardByCode(ex: Executor, code: string): Promise<CardRow | undefined> {
  return (await cardByCodeQuery(ex, { code })).rows[0];
}

const cardsOfMemberQuery = preparedQuery<TerminalDatabase, { memberId: string }, CardRow>((db, p) =>
  db.selectFrom('card').selectAll().where('member_id', '=', p('memberId')).orderBy('added_at'),
);

export async function cardsOfMember(ex: Executor, memberId: string): Promise<CardRow[]> {
  return (await cardsOfMemberQuery(ex, { memberId })).rows;
}

export async function membersByLast4(ex: Executor, last4: string, limit: number): Promise<MemberRow[]> {
  return (await membersByLast4Query(ex, { last4, limit })).rows;
}

/** Name search through the FTS index; newest members first among matches. */
export async function membersByName(ex: Executor, query: string, limit: number): Promise<MemberRow[]> {
  const match = nameMatchQuery(query);
  if (!match) return [];
  const { rows } = await sql<MemberRow>`
    SELECT m.* FROM member_name_fts f JOIN member m ON m.seq = f.rowid
    WHERE member_name_fts MATCH ${match} AND m.status != 'erased'
    ORDER BY f.rowid DESC LIMIT ${limit}`.execute(ex);
  return rows;
}

/** Keeps the name index in step with the member row (same transaction). */
export async function indexMemberName(ex: Executor, seq: number, name: string | null): Promise<void> {
  await sql`DELETE FROM member_name_fts WHERE rowid = ${seq}`.execute(ex);
  if (name) await sql`INSERT INTO member_name_fts(rowid, tokens) VALUES (${seq}, ${nameIndexText(name)})`.execute(ex);
}

const markPurchaseQuery = preparedQuery<TerminalDatabase, { id: string; date: string; firstPurchaseAt: string }, never>((db, p) =>
  db.updateTable('member').set({ last_purchase_date: p('date'), first_purchase_at: p('firstPurchaseAt') }).where('id', '=', p('id')),
);

/** The member's last purchase date and, at their first purchase, its instant. */
export async function markPurchase(ex: Executor, m: MemberRow, businessDate: string, now: string): Promise<void> {
  await markPurchaseQuery(ex, { id: m.id, date: businessDate, firstPurchaseAt: m.first_purchase_at ?? now });
}

// One range over the member's two adjacent months (periods are 'YYYY-MM', so they sort as dates).
const periodSpendsQuery = preparedQuery<TerminalDatabase, { memberId: string; previous: string; current: string }, { period: string; spend_minor: number }>((db, p) =>
  db
    .selectFrom('member_period_spend')
    .select(['period', 'spend_minor'])
    .where('member_id', '=', p('memberId'))
    .where('period', '>=', p('previous'))
    .where('period', '<=', p('current')),
);

/** Qualifying spend in a period and the one before it (the two a tier is evaluated on). */
export async function periodSpends(ex: Executor, memberId: string, current: string, previous: string): Promise<{ current: number; previous: number }> {
  const rows = (await periodSpendsQuery(ex, { memberId, previous, current })).rows;
  return {
    current: rows.find((r) => r.period === current)?.spend_minor ?? 0,
    previous: rows.find((r) => r.period === previous)?.spend_minor ?? 0,
  };
}

const addPeriodSpendQuery = preparedQuery<TerminalDatabase, { memberId: string; period: string; delta: number }, never>((db, p) =>
  db
    .insertInto('member_period_spend')
    .values({ member_id: p('memberId'), period: p('period'), spend_minor: p('delta') })
    .onConflict((oc) => oc.columns(['member_id', 'period']).doUpdateSet({ spend_minor: sql`spend_minor + ${p('delta')}` })),
);

export async function addPeriodSpend(ex: Executor, memberId: string, period: string, deltaMinor: number): Promise<void> {
  await addPeriodSpendQuery(ex, { memberId, period, delta: deltaMinor });
}

/** What a member did at this till on one business date that the day's limits count. */
export interface MemberDay {
  /** Points earned on purchases (with spend-threshold bonuses), for the daily earn cap. */
  purchase_points: number;
  /** Purchase points the daily cap held back. */
  capped_points: number;
  /** Points redeemed while offline, for the offline redemption limit. */
  offline_redeemed_points: number;
}

const memberDayQuery = preparedQuery<TerminalDatabase, { memberId: string; since: string; businessDate: string }, MemberDay>((db, p) =>
  db
    .selectFrom('ledger_entry')
    .select([
      sql<number>`coalesce(sum(CASE WHEN kind = 'earn' OR (kind = 'bonus' AND reason LIKE 'spend_threshold:%') THEN points ELSE 0 END), 0)`.as('purchase_points'),
      sql<number>`coalesce(sum(CASE WHEN kind = 'earn' THEN capped_points ELSE 0 END), 0)`.as('capped_points'),
      sql<number>`coalesce(sum(CASE WHEN kind = 'redeem' AND offline = 1 THEN -points ELSE 0 END), 0)`.as('offline_redeemed_points'),
    ])
    .where('member_id', '=', p('memberId'))
    .where('created_at', '>=', p('since'))
    .where('business_date', '=', p('businessDate')),
);

/**
 * The member's counters for a business date, summed from that day's ledger entries at this till
 * (found through ledger_member from two days before the date's start, a bound no time zone's
 * business day begins before): the entries are the record, so a sale writes no counter row.
 */
export async function memberDay(ex: Executor, memberId: string, businessDate: string): Promise<MemberDay> {
  const since = addDays(`${businessDate}T00:00:00.000Z`, -2);
  return (await memberDayQuery(ex, { memberId, since, businessDate })).rows[0] ?? { purchase_points: 0, capped_points: 0, offline_redeemed_points: 0 };
}

const terminalRedemptionsQuery = preparedQuery<TerminalDatabase, { since: string }, { created_at: string }>((db, p) =>
  // The literal (not a bound value) lets SQLite use the partial index ledger_redeem_time.
  db.selectFrom('ledger_entry').select('created_at').where('created_at', '>=', p('since')).where(sql<boolean>`kind = 'redeem'`),
);
// For one member, find their entries through ledger_member (member_id, created_at) and filter by
// kind: the unary + keeps the planner off ledger_redeem_time, which would scan every redemption on
// the terminal since `since` to find this member's few. Same rows either way.
const memberRedemptionsQuery = preparedQuery<TerminalDatabase, { since: string; memberId: string }, { created_at: string }>((db, p) =>
  db
    .selectFrom('ledger_entry')
    .select('created_at')
    .where('created_at', '>=', p('since'))
    .where('member_id', '=', p('memberId'))
    .where(sql<boolean>`+kind = 'redeem'`),
);

/** Instants of redemptions (bill and reward) since `since`, for one member or the whole terminal. */
export async function redemptionsSince(ex: Executor, since: string, memberId?: string): Promise<string[]> {
  const { rows } = memberId ? await memberRedemptionsQuery(ex, { since, memberId }) : await terminalRedemptionsQuery(ex, { since });
  return rows.map((r) => r.created_at);
}
