import { sql, type Selectable } from 'kysely';
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

const periodSpendQuery = preparedQuery<TerminalDatabase, { memberId: string; period: string }, { spend_minor: number }>((db, p) =>
  db.selectFrom('member_period_spend').select('spend_minor').where('member_id', '=', p('memberId')).where('period', '=', p('period')),
);

export async function periodSpend(ex: Executor, memberId: string, period: string): Promise<number> {
  return (await periodSpendQuery(ex, { memberId, period })).rows[0]?.spend_minor ?? 0;
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

type MemberDayRow = Selectable<TerminalDatabase['member_day']>;
const memberDayQuery = preparedQuery<TerminalDatabase, { memberId: string; businessDate: string }, MemberDayRow>((db, p) =>
  db.selectFrom('member_day').selectAll().where('member_id', '=', p('memberId')).where('business_date', '=', p('businessDate')),
);

export async function memberDay(ex: Executor, memberId: string, businessDate: string): Promise<MemberDayRow> {
  const row = (await memberDayQuery(ex, { memberId, businessDate })).rows[0];
  return row ?? { member_id: memberId, business_date: businessDate, purchase_points: 0, capped_points: 0, offline_redeemed_points: 0 };
}

const addMemberDayQuery = preparedQuery<TerminalDatabase, { memberId: string; businessDate: string; p: number; c: number; o: number }, never>((db, p) =>
  db
    .insertInto('member_day')
    .values({ member_id: p('memberId'), business_date: p('businessDate'), purchase_points: p('p'), capped_points: p('c'), offline_redeemed_points: p('o') })
    .onConflict((oc) =>
      oc.columns(['member_id', 'business_date']).doUpdateSet({
        purchase_points: sql`purchase_points + ${p('p')}`,
        capped_points: sql`capped_points + ${p('c')}`,
        offline_redeemed_points: sql`offline_redeemed_points + ${p('o')}`,
      }),
    ),
);

export async function addMemberDay(
  ex: Executor,
  memberId: string,
  businessDate: string,
  delta: { purchasePoints?: number; cappedPoints?: number; offlineRedeemedPoints?: number },
): Promise<void> {
  const p = delta.purchasePoints ?? 0;
  const c = delta.cappedPoints ?? 0;
  const o = delta.offlineRedeemedPoints ?? 0;
  if (p === 0 && c === 0 && o === 0) return;
  await addMemberDayQuery(ex, { memberId, businessDate, p, c, o });
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
