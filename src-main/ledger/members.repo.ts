import { sql, type Selectable } from 'kysely';
import { addDays, monthOf } from '../../src-shared/domain/dates';
import { addSpend, spendsIn, type SpendWindow } from '../../src-shared/domain/spend-window';
import { uuidV7Floor } from '../../src-shared/sync/ids';

const DAY_MS = 86_400_000;
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

/** The member's spend window as the row keeps it. */
export function spendWindowOf(m: Pick<MemberRow, 'spend_period' | 'spend_current' | 'spend_previous'>): SpendWindow {
  return { period: m.spend_period, current: m.spend_current, previous: m.spend_previous };
}

/** Qualifying spend in `month` and the one before it (the two a tier is evaluated on). */
export function periodSpends(m: MemberRow, month: string): { current: number; previous: number } {
  return spendsIn(spendWindowOf(m), month);
}

const recordPurchaseQuery = preparedQuery<
  TerminalDatabase,
  { id: string; date: string; firstPurchaseAt: string; period: string | null; current: number; previous: number },
  never
>((db, p) =>
  db
    .updateTable('member')
    .set({
      last_purchase_date: p('date'),
      first_purchase_at: p('firstPurchaseAt'),
      spend_period: p('period'),
      spend_current: p('current'),
      spend_previous: p('previous'),
    })
    .where('id', '=', p('id')),
);

/** A purchase by the member: its date, their first purchase's instant, and what it adds to their spend (one row update). */
export async function recordPurchase(ex: Executor, m: MemberRow, businessDate: string, now: string, spendMinor: number): Promise<void> {
  const w = addSpend(spendWindowOf(m), monthOf(businessDate), spendMinor);
  await recordPurchaseQuery(ex, { id: m.id, date: businessDate, firstPurchaseAt: m.first_purchase_at ?? now, period: w.period, current: w.current, previous: w.previous });
}

const setSpendQuery = preparedQuery<TerminalDatabase, { id: string; period: string | null; current: number; previous: number }, never>((db, p) =>
  db.updateTable('member').set({ spend_period: p('period'), spend_current: p('current'), spend_previous: p('previous') }).where('id', '=', p('id')),
);

/** Adds spend of `month` (a refund, another till's sale) to the member's window. */
export async function addPeriodSpend(ex: Executor, memberId: string, month: string, deltaMinor: number): Promise<void> {
  const m = await memberById(ex, memberId);
  if (!m) return;
  const w = addSpend(spendWindowOf(m), month, deltaMinor);
  await setSpendQuery(ex, { id: memberId, period: w.period, current: w.current, previous: w.previous });
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

// The terminal's entries of a time window are found through the primary key: entry ids are
// UUIDv7s minted when the entry is made (never earlier than its created_at, as the id generator
// never goes back), so the window's entries have ids from `since`'s instant on. The upper bound
// (a day past now) keeps out the once-only entries' derived ids, which are spread over the whole
// key space; an entry minted more than a day ahead of now (a clock since stepped back by more
// than a day) is not counted.
const terminalRedemptionsQuery = preparedQuery<TerminalDatabase, { since: string; idFrom: string; idTo: string }, { created_at: string }>((db, p) =>
  db
    .selectFrom('ledger_entry')
    .select('created_at')
    .where('id', '>=', p('idFrom'))
    .where('id', '<', p('idTo'))
    .where('kind', '=', 'redeem')
    .where('created_at', '>=', p('since')),
);
// For one member, their entries through ledger_member (member_id, created_at), filtered by kind.
const memberRedemptionsQuery = preparedQuery<TerminalDatabase, { since: string; memberId: string }, { created_at: string }>((db, p) =>
  db
    .selectFrom('ledger_entry')
    .select('created_at')
    .where('created_at', '>=', p('since'))
    .where('member_id', '=', p('memberId'))
    .where(sql<boolean>`+kind = 'redeem'`),
);

/** Instants of this terminal's redemptions (bill and reward) from `since` until `now`. */
export async function terminalRedemptionsSince(ex: Executor, since: string, now: string): Promise<string[]> {
  const from = Date.parse(since);
  const { rows } = await terminalRedemptionsQuery(ex, { since, idFrom: uuidV7Floor(from), idTo: uuidV7Floor(Math.max(from, Date.parse(now)) + DAY_MS) });
  return rows.map((r) => r.created_at);
}

/** Instants of the member's redemptions (bill and reward) at this terminal since `since`. */
export async function memberRedemptionsSince(ex: Executor, memberId: string, since: string): Promise<string[]> {
  return (await memberRedemptionsQuery(ex, { since, memberId })).rows.map((r) => r.created_at);
}
