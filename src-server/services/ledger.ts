import { sql } from 'kysely';
import { addMonths } from '../../src-shared/domain/dates';
import { deriveLots } from '../../src-shared/domain/lots';
import type { LedgerFact } from '../../src-shared/domain/types';
import { deterministicUuid } from '../../src-shared/sync/ids';
import { SERVER_TERMINAL_ID, type LedgerEntryPayload } from '../../src-shared/sync/protocol';
import type { Executor } from '../db/database';
import type { LedgerRow, MemberRow, NewLedgerRow } from '../db/schema';
import type { ApplyContext } from './apply-context';
import { applied, duplicate, held, rejected, type OpOutcome, type TerminalIdentity } from './outcome';

/** 1 point = 1 fen: the exposure of an overdraft in minor units at the regular redemption rate. */
export const EXPOSURE_MINOR_PER_POINT = 1;

type InsertOutcome = { outcome: 'inserted'; balance: number } | { outcome: 'duplicate' } | { outcome: 'key_conflict' };

/**
 * Inserts one ledger entry by id (the grow-only set: the same id again is a duplicate and is never
 * counted twice; the same idempotency key under another id is a conflict) and moves the member's
 * cached balance in the same transaction.
 */
export async function insertEntry(ctx: ApplyContext, row: NewLedgerRow): Promise<InsertOutcome> {
  const trx = ctx.trx;
  const r = await trx.insertInto('ledger_entry').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) {
    const again = await trx.selectFrom('ledger_entry').select('id').where('id', '=', row.id).executeTakeFirst();
    return again ? { outcome: 'duplicate' } : { outcome: 'key_conflict' };
  }
  const b = await trx
    .updateTable('member')
    .set({ balance: sql`balance + ${Number(row.points)}` })
    .where('id', '=', row.member_id)
    .returning('balance')
    .executeTakeFirst();
  return { outcome: 'inserted', balance: Number(b?.balance ?? 0) };
}

export function toPayload(r: LedgerRow): LedgerEntryPayload {
  return {
    id: r.id,
    member_id: r.member_id,
    kind: r.kind,
    points: Number(r.points),
    reason: r.reason,
    sale_id: r.sale_id,
    refund_id: r.refund_id,
    target_entry_id: r.target_entry_id,
    expires_at: r.expires_at,
    capped_points: Number(r.capped_points),
    offline: Number(r.offline) === 1 ? 1 : 0,
    business_date: r.business_date,
    created_at: r.created_at,
    hlc: r.hlc,
    terminal_id: r.terminal_id,
    staff_id: r.staff_id,
    approved_by: r.approved_by,
    rule_set_version: r.rule_set_version,
    idempotency_key: r.idempotency_key,
  };
}

/** A ledger entry made by the server itself (merge transfers, central expiry). Deterministic id. */
export async function serverEntry(
  ctx: ApplyContext,
  e: { key: string; memberId: string; kind: 'adjust' | 'expire'; points: number; reason: string; targetEntryId?: string | null; expiresAt?: string | null },
): Promise<LedgerEntryPayload> {
  return {
    id: deterministicUuid(e.key),
    member_id: e.memberId,
    kind: e.kind,
    points: e.points,
    reason: e.reason,
    sale_id: null,
    refund_id: null,
    target_entry_id: e.targetEntryId ?? null,
    expires_at: e.points > 0 ? (e.expiresAt ?? addMonths(ctx.nowIso, 12)) : null,
    capped_points: 0,
    offline: 0,
    business_date: ctx.nowIso.slice(0, 10),
    created_at: ctx.nowIso,
    hlc: ctx.serverHlc(),
    terminal_id: SERVER_TERMINAL_ID,
    staff_id: null,
    approved_by: null,
    rule_set_version: await ctx.currentRuleSetVersion(),
    idempotency_key: e.key,
  };
}

/** Inserts a server-made entry and puts it on the feed for every terminal. */
export async function insertServerEntry(ctx: ApplyContext, p: LedgerEntryPayload): Promise<number | null> {
  const r = await insertEntry(ctx, { ...p, store_id: null, received_at: ctx.nowIso });
  if (r.outcome !== 'inserted') return null;
  ctx.emit({ kind: 'ledger_entry', entry: p }, p.id);
  return r.balance;
}

/**
 * Moves `points` from a merged member to the member it was merged into with a pair of `adjust`
 * entries whose ids derive from `merge:<loser>:<source>` (so every replay makes the same pair).
 * Positive points move a credit (the winner's side keeps its expiry); negative points move a debt.
 * Returns the winner's balance afterwards (null when the pair already existed).
 */
export async function transferPair(
  ctx: ApplyContext,
  loserId: string,
  winnerId: string,
  source: { id: string; points: number; expiresAt?: string | null; targetEntryId?: string | null },
): Promise<number | null> {
  if (source.points === 0) return null;
  const key = `merge:${loserId}:${source.id}`;
  const out = await serverEntry(ctx, {
    key: `${key}:from`,
    memberId: loserId,
    kind: 'adjust',
    points: -source.points,
    reason: `merged_into:${winnerId}`,
    targetEntryId: source.points > 0 ? (source.targetEntryId ?? null) : null,
  });
  const into = await serverEntry(ctx, {
    key: `${key}:to`,
    memberId: winnerId,
    kind: 'adjust',
    points: source.points,
    reason: `merged_from:${loserId}`,
    expiresAt: source.expiresAt ?? null,
  });
  await insertServerEntry(ctx, out);
  return insertServerEntry(ctx, into);
}

export async function memberFacts(ex: Executor, memberId: string): Promise<LedgerFact[]> {
  const rows = await ex
    .selectFrom('ledger_entry')
    .select(['id', 'kind', 'points', 'created_at', 'expires_at', 'target_entry_id'])
    .where('member_id', '=', memberId)
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, points: Number(r.points), at: r.created_at, expiresAt: r.expires_at, targetEntryId: r.target_entry_id }));
}

/** At a merge: every open lot of the loser moves with its expiry, and any debt moves as one pair. */
export async function transferOpening(ctx: ApplyContext, loserId: string, winnerId: string): Promise<void> {
  const state = deriveLots(await memberFacts(ctx.trx, loserId));
  for (const lot of state.lots) {
    await transferPair(ctx, loserId, winnerId, { id: lot.entryId, points: lot.remaining, expiresAt: lot.expiresAt, targetEntryId: lot.entryId });
  }
  if (state.debt > 0) await transferPair(ctx, loserId, winnerId, { id: 'opening', points: -state.debt });
}

async function balanceOf(ctx: ApplyContext, memberId: string): Promise<number> {
  const r = await ctx.trx.selectFrom('member').select('balance').where('id', '=', memberId).executeTakeFirst();
  return Number(r?.balance ?? 0);
}

/**
 * A ledger entry pushed by a terminal: stored by id, echoed on the feed (not to its maker), moved on
 * at once when its member was merged away, and for a redemption: the matching hold is consumed and
 * an overdraft exception is recorded if it left the (surviving) member below zero.
 */
export async function applyLedgerEntry(ctx: ApplyContext, terminal: TerminalIdentity, e: LedgerEntryPayload): Promise<OpOutcome> {
  if (e.terminal_id !== terminal.id) return rejected(`terminal_mismatch: the entry names terminal ${e.terminal_id}`);
  if (!sameSign(e)) return rejected(`sign_mismatch: a ${e.kind} entry cannot have ${e.points} points`);
  const member = await ctx.lockMember(e.member_id);
  if (!member) return held('unknown_member: the member is not known to the server');
  const ins = await insertEntry(ctx, { ...e, store_id: terminal.storeId, received_at: ctx.nowIso });
  if (ins.outcome === 'duplicate') return duplicate();
  if (ins.outcome === 'key_conflict') return rejected(`idempotency_key_conflict: another entry has the key ${e.idempotency_key}`);
  ctx.emit({ kind: 'ledger_entry', entry: e }, e.id, terminal.id);

  const reasons: string[] = [];
  let effective: MemberRow = member;
  if (member.status === 'merged') {
    effective = await ctx.lockEffective(member);
    if (effective.id !== member.id) {
      await transferPair(ctx, member.id, effective.id, { id: e.id, points: e.points, expiresAt: e.expires_at, targetEntryId: e.id });
      reasons.push(`transferred_to:${effective.id}`);
    }
  }
  if (e.kind === 'redeem') {
    if (await consumeHold(ctx, terminal, e)) reasons.push('hold_consumed');
    const balance = await balanceOf(ctx, effective.id);
    if (balance < 0) {
      const shortfall = Math.min(-e.points, -balance);
      await recordOverdraft(ctx, { entry: e, memberId: effective.id, terminal, shortfall });
      reasons.push(`overdraft:${shortfall}`);
    }
  }
  return applied(reasons);
}

/** A redeem entry with idempotency key `<receiptRef>:redeem` consumes its terminal's open hold for that receipt. */
async function consumeHold(ctx: ApplyContext, terminal: TerminalIdentity, e: LedgerEntryPayload): Promise<boolean> {
  if (!e.idempotency_key.endsWith(':redeem')) return false;
  const ref = e.idempotency_key.slice(0, -':redeem'.length);
  const r = await ctx.trx
    .updateTable('redemption_hold')
    .set({ status: 'consumed', consumed_entry_id: e.id, closed_at: ctx.nowIso })
    .where('terminal_id', '=', terminal.id)
    .where('receipt_ref', '=', ref)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

function sameSign(e: LedgerEntryPayload): boolean {
  switch (e.kind) {
    case 'earn':
      return e.points >= 0;
    case 'bonus':
      return e.points > 0;
    case 'redeem':
    case 'expire':
      return e.points < 0;
    default:
      return true;
  }
}

async function recordOverdraft(
  ctx: ApplyContext,
  x: { entry: LedgerEntryPayload; memberId: string; terminal: TerminalIdentity; shortfall: number },
): Promise<void> {
  const id = deterministicUuid(`overdraft:${x.entry.id}`);
  const row = {
    id,
    member_id: x.memberId,
    entry_id: x.entry.id,
    terminal_id: x.terminal.id,
    store_id: x.terminal.storeId,
    shortfall: x.shortfall,
    exposure_minor: x.shortfall * EXPOSURE_MINOR_PER_POINT,
    created_at: ctx.nowIso,
  };
  const r = await ctx.trx.insertInto('overdraft_exception').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) return;
  ctx.emit(
    {
      kind: 'exception',
      exception: { id, memberId: x.memberId, entryId: x.entry.id, terminalId: x.terminal.id, shortfall: x.shortfall, exposureMinor: row.exposure_minor, createdAt: ctx.nowIso },
    },
    id,
  );
}

/**
 * A run of consecutive ledger entries from one push, applied with a few statements instead of a
 * few per entry: the members are locked in one query (ordered by id, so two pushes cannot
 * deadlock on them), the entries inserted in bulk (ON CONFLICT DO NOTHING RETURNING id tells which
 * were new), balances moved once per member, and redemptions checked in order against the
 * running balance. The outcome of every entry is exactly what applyLedgerEntry would give; a run
 * that touches a merged member takes that entry-by-entry path.
 */
export async function applyLedgerRun(ctx: ApplyContext, terminal: TerminalIdentity, entries: readonly LedgerEntryPayload[]): Promise<OpOutcome[]> {
  const out: (OpOutcome | undefined)[] = new Array(entries.length);
  const todo: number[] = [];
  entries.forEach((e, i) => {
    if (e.terminal_id !== terminal.id) out[i] = rejected(`terminal_mismatch: the entry names terminal ${e.terminal_id}`);
    else if (!sameSign(e)) out[i] = rejected(`sign_mismatch: a ${e.kind} entry cannot have ${e.points} points`);
    else todo.push(i);
  });
  const memberIds = [...new Set(todo.map((i) => entries[i]!.member_id))].sort();
  const members = new Map<string, MemberRow>();
  for (let k = 0; k < memberIds.length; k += 500) {
    let q = ctx.trx.selectFrom('member').selectAll().where('id', 'in', memberIds.slice(k, k + 500)).orderBy('id');
    if (ctx.dialect === 'postgres') q = q.forUpdate();
    for (const m of await q.execute()) members.set(m.id, m);
  }
  if ([...members.values()].some((m) => m.status === 'merged')) {
    for (const i of todo) out[i] = await applyLedgerEntry(ctx, terminal, entries[i]!);
    return out as OpOutcome[];
  }
  const insertable = todo.filter((i) => {
    if (members.has(entries[i]!.member_id)) return true;
    out[i] = held('unknown_member: the member is not known to the server');
    return false;
  });
  const inserted = new Set<string>();
  for (let k = 0; k < insertable.length; k += 200) {
    const rows = insertable.slice(k, k + 200).map((i) => ({ ...entries[i]!, store_id: terminal.storeId, received_at: ctx.nowIso }));
    const r = await ctx.trx.insertInto('ledger_entry').values(rows).onConflict((oc) => oc.doNothing()).returning('id').execute();
    for (const x of r) inserted.add(x.id);
  }
  const missing = [...new Set(insertable.map((i) => entries[i]!.id).filter((id) => !inserted.has(id)))];
  const existing = new Set<string>();
  for (let k = 0; k < missing.length; k += 500) {
    for (const x of await ctx.trx.selectFrom('ledger_entry').select('id').where('id', 'in', missing.slice(k, k + 500)).execute()) existing.add(x.id);
  }
  const balance = new Map([...members.values()].map((m) => [m.id, Number(m.balance)]));
  const delta = new Map<string, number>();
  const counted = new Set<string>();
  for (const i of insertable) {
    const e = entries[i]!;
    if (!inserted.has(e.id) || counted.has(e.id)) {
      out[i] = existing.has(e.id) || counted.has(e.id) ? duplicate() : rejected(`idempotency_key_conflict: another entry has the key ${e.idempotency_key}`);
      continue;
    }
    counted.add(e.id);
    const bal = balance.get(e.member_id)! + e.points;
    balance.set(e.member_id, bal);
    delta.set(e.member_id, (delta.get(e.member_id) ?? 0) + e.points);
    ctx.emit({ kind: 'ledger_entry', entry: e }, e.id, terminal.id);
    const reasons: string[] = [];
    if (e.kind === 'redeem') {
      if (await consumeHold(ctx, terminal, e)) reasons.push('hold_consumed');
      if (bal < 0) {
        const shortfall = Math.min(-e.points, -bal);
        await recordOverdraft(ctx, { entry: e, memberId: e.member_id, terminal, shortfall });
        reasons.push(`overdraft:${shortfall}`);
      }
    }
    out[i] = applied(reasons);
  }
  for (const [memberId, d] of delta) {
    if (d !== 0) await ctx.trx.updateTable('member').set({ balance: sql`balance + ${d}` }).where('id', '=', memberId).execute();
  }
  return out as OpOutcome[];
}
