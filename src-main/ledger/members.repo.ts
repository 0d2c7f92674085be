import { sql, type Selectable } from 'kysely';
import { nameIndexText, nameMatchQuery } from '../../src-shared/search/name-tokens';
import type { TerminalDatabase } from '../db/schema';
import type { Executor } from '../terminal/context';

export type MemberRow = Selectable<TerminalDatabase['member']>;
export type CardRow = Selectable<TerminalDatabase['card']>;

export function memberById(ex: Executor, id: string): Promise<MemberRow | undefined> {
  return ex.selectFrom('member').selectAll().where('id', '=', id).executeTakeFirst();
}

export function memberByPhone(ex: Executor, phone: string): Promise<MemberRow | undefined> {
  return ex.selectFrom('member').selectAll().where('phone', '=', phone).executeTakeFirst();
}

export function cardByCode(ex: Executor, code: string): Promise<CardRow | undefined> {
  return ex.selectFrom('card').selectAll().where('code', '=', code).executeTakeFirst();
}

export function cardsOfMember(ex: Executor, memberId: string): Promise<CardRow[]> {
  return ex.selectFrom('card').selectAll().where('member_id', '=', memberId).orderBy('added_at').execute();
}

export function membersByLast4(ex: Executor, last4: string, limit: number): Promise<MemberRow[]> {
  return ex
    .selectFrom('member')
    .selectAll()
    .where('phone_last4', '=', last4)
    .where('status', '!=', 'erased')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
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

export async function periodSpend(ex: Executor, memberId: string, period: string): Promise<number> {
  const row = await ex
    .selectFrom('member_period_spend')
    .select('spend_minor')
    .where('member_id', '=', memberId)
    .where('period', '=', period)
    .executeTakeFirst();
  return row?.spend_minor ?? 0;
}

export async function addPeriodSpend(ex: Executor, memberId: string, period: string, deltaMinor: number): Promise<void> {
  await ex
    .insertInto('member_period_spend')
    .values({ member_id: memberId, period, spend_minor: deltaMinor })
    .onConflict((oc) => oc.columns(['member_id', 'period']).doUpdateSet({ spend_minor: sql`spend_minor + ${deltaMinor}` }))
    .execute();
}

export async function memberDay(ex: Executor, memberId: string, businessDate: string) {
  const row = await ex
    .selectFrom('member_day')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('business_date', '=', businessDate)
    .executeTakeFirst();
  return row ?? { member_id: memberId, business_date: businessDate, purchase_points: 0, capped_points: 0, offline_redeemed_points: 0 };
}

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
  await ex
    .insertInto('member_day')
    .values({ member_id: memberId, business_date: businessDate, purchase_points: p, capped_points: c, offline_redeemed_points: o })
    .onConflict((oc) =>
      oc.columns(['member_id', 'business_date']).doUpdateSet({
        purchase_points: sql`purchase_points + ${p}`,
        capped_points: sql`capped_points + ${c}`,
        offline_redeemed_points: sql`offline_redeemed_points + ${o}`,
      }),
    )
    .execute();
}

/** Instants of redemptions (bill and reward) since `since`, for one member or the whole terminal. */
export async function redemptionsSince(ex: Executor, since: string, memberId?: string): Promise<string[]> {
  let q = ex.selectFrom('ledger_entry').select('created_at').where('created_at', '>=', since);
  // For one member, find their entries through ledger_member (member_id, created_at) and filter by
  // kind: the unary + keeps the planner off ledger_kind_time, which would scan every redemption on
  // the terminal since `since` to find this member's few. Same rows either way.
  q = memberId ? q.where('member_id', '=', memberId).where(sql<boolean>`+kind = 'redeem'`) : q.where('kind', '=', 'redeem');
  const rows = await q.execute();
  return rows.map((r) => r.created_at);
}
