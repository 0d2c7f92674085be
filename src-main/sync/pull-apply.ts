import { sql } from 'kysely';
import { PULL_CHANGE_KINDS, type PullAnswer, type PullChange, type ServerMember, type UnknownPullChange } from '../../src-shared/sync/protocol';
import type { CoreContext, Trx } from '../core/context';
import { entryExists } from '../ledger/entries.repo';
import { addPeriodSpend, indexMemberName, memberById } from '../ledger/members.repo';
import { applyServerStaff } from './staff-apply';
import { badAnswer } from './sync-client';

export interface PullApplyDeps {
  receiveRuleSet: (trx: Trx, ruleSet: unknown) => Promise<void>;
  /**
   * After a snapshot bootstrap: the highest feed seq a snapshot page was read at. Ledger entries
   * and spend changes at or below it may already be counted by the member's page (snapshot_range).
   */
  snapshotCeiling?: number;
}

/** Whether a ledger entry or spend change of this member was already counted by its snapshot page. */
async function countedBySnapshot(trx: Trx, deps: PullApplyDeps, memberId: string, serverSeq: string): Promise<boolean> {
  const seq = Number(serverSeq);
  if (!deps.snapshotCeiling || seq > deps.snapshotCeiling) return false;
  // Pages cover contiguous id ranges (after, last]: the range with the greatest `after` below the id.
  const range = await trx.selectFrom('snapshot_range').select(['last', 'seq']).where('after', '<', memberId).orderBy('after', 'desc').limit(1).executeTakeFirst();
  return range !== undefined && (range.last === null || range.last >= memberId) && seq <= range.seq;
}

/**
 * What a pull page may say about the cursor it was asked from. Refused (nothing applied, the
 * cursor stays): a `nextCursor` before that cursor, or changes not strictly after it, out of order
 * or beyond `nextCursor`. Spend changes add up, so a change applied twice would count twice.
 */
export function checkPullPage(cursor: string, page: PullAnswer): void {
  const from = BigInt(cursor);
  const next = BigInt(page.nextCursor);
  if (next < from) throw badAnswer('/v1/pull', `nextCursor ${page.nextCursor} is before the cursor ${cursor} it was asked from`);
  let previous = from;
  page.changes.forEach((c, i) => {
    const seq = BigInt(c.serverSeq);
    if (seq <= previous) throw badAnswer('/v1/pull', `changes[${i}].serverSeq ${c.serverSeq} is not after ${previous}`);
    if (seq > next) throw badAnswer('/v1/pull', `changes[${i}].serverSeq ${c.serverSeq} is beyond nextCursor ${page.nextCursor}`);
    previous = seq;
  });
}

/** Whether a pulled change is of a kind this version applies (the others are kept aside). */
export function isKnownChange(change: PullChange | UnknownPullChange): change is PullChange {
  return PULL_CHANGE_KINDS.includes(change.kind);
}

/** A change kind from a newer server: kept aside, whole, for a later version of this till, never dropped. */
export async function keepAside(trx: Trx, ctx: CoreContext, change: UnknownPullChange): Promise<void> {
  await trx
    .insertInto('sync_problem')
    .values({ seq: Number(change.serverSeq), op_id: `pull:${change.serverSeq}`, kind: change.kind, entity_id: '', status: 'deferred', reason: 'change kind unknown to this till version', payload: JSON.stringify(change), at: ctx.now().toISOString() })
    .onConflict((oc) => oc.column('op_id').doNothing())
    .execute();
}

/** Members touched by a page, so screens showing them can refresh. */
export interface ApplyOutcome {
  memberIds: Set<string>;
}

/**
 * Applies one change from the server inside the page's transaction (the cursor moves in the same
 * transaction, so each change is applied exactly once):
 * - ledger entries from other terminals join `remote_entry` (a grow-only set: an id already known,
 *   e.g. the same once-only bonus made here, is skipped);
 * - members take the server's resolved fields, except fields this terminal changed later (by HLC)
 *   that are still on their way to the server;
 * - cards follow the server; spend from other terminals adds to qualifying spend; rule sets are
 *   stored by version; overdraft exceptions are kept for reports; staff of this store take the
 *   server's registers (last writer wins);
 * - after a snapshot bootstrap, entries and spend its pages already counted are skipped.
 */
export async function applyChange(trx: Trx, ctx: CoreContext, deps: PullApplyDeps, change: PullChange, out: ApplyOutcome): Promise<void> {
  switch (change.kind) {
    case 'ledger_entry': {
      const e = change.entry;
      if (e.terminal_id === ctx.terminalId || (await entryExists(trx, e.id))) return;
      if (await countedBySnapshot(trx, deps, e.member_id, change.serverSeq)) return;
      ctx.hlc.receive(e.hlc);
      await trx
        .insertInto('remote_entry')
        .values({
          id: e.id,
          member_id: e.member_id,
          kind: e.kind,
          points: e.points,
          reason: e.reason,
          sale_id: e.sale_id,
          target_entry_id: e.target_entry_id,
          expires_at: e.expires_at,
          offline: e.offline,
          business_date: e.business_date,
          created_at: e.created_at,
          hlc: e.hlc,
          terminal_id: e.terminal_id,
          idempotency_key: e.idempotency_key,
          server_seq: Number(change.serverSeq),
        })
        .execute();
      out.memberIds.add(e.member_id);
      return;
    }
    case 'member':
      await applyMember(trx, ctx, change.member);
      out.memberIds.add(change.member.id);
      return;
    case 'card': {
      const c = change.card;
      await trx
        .insertInto('card')
        .values({ code: c.code, member_id: c.memberId, kind: c.kind, status: c.status, status_reason: c.reason ?? null, added_at: ctx.now().toISOString(), hlc: ctx.hlc.current() })
        .onConflict((oc) => oc.column('code').doUpdateSet({ member_id: c.memberId, status: c.status, status_reason: c.reason ?? null }))
        .execute();
      out.memberIds.add(c.memberId);
      return;
    }
    case 'spend':
      if (change.sourceTerminalId === ctx.terminalId) return;
      if (!(await memberById(trx, change.memberId))) return;
      if (await countedBySnapshot(trx, deps, change.memberId, change.serverSeq)) return;
      await addPeriodSpend(trx, change.memberId, change.period, change.deltaMinor);
      out.memberIds.add(change.memberId);
      return;
    case 'rule_set':
      await deps.receiveRuleSet(trx, change.ruleSet);
      return;
    case 'staff':
      await applyServerStaff(trx, ctx, change.staff);
      return;
    case 'exception': {
      const x = change.exception;
      await trx
        .insertInto('overdraft_exception')
        .values({ id: x.id, member_id: x.memberId, entry_id: x.entryId, terminal_id: x.terminalId, shortfall: x.shortfall, exposure_minor: x.exposureMinor, created_at: x.createdAt })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      out.memberIds.add(x.memberId);
      return;
    }
    default:
      // Not a kind of this version (the agent sends those to keepAside itself).
      await keepAside(trx, ctx, change as UnknownPullChange);
  }
}

/** The member profile fields that sync per field (last writer wins by HLC), by their column. */
export const FIELD_COLUMNS = {
  name: 'name',
  birthday: 'birthday',
  phone: 'phone',
  consent_marketing: 'consent_marketing',
  consent_terms_at: 'consent_terms_at',
  status: 'status',
  status_reason: 'status_reason',
} as const;

async function applyMember(trx: Trx, ctx: CoreContext, sm: ServerMember): Promise<void> {
  const values = {
    phone: sm.phone,
    phone_last4: sm.phone ? sm.phone.slice(-4) : null,
    name: sm.name,
    birthday: sm.birthday,
    consent_terms_at: sm.consentTermsAt,
    consent_marketing: sm.consentMarketing ? 1 : 0,
    status: sm.status,
    status_reason: sm.statusReason,
    merged_into: sm.mergedInto,
    diamond: sm.diamond ? 1 : 0,
  };
  // The server's resolution of a phone wins: a member that lost the phone here (merged) lets go of it.
  if (sm.phone) {
    await trx.updateTable('member').set({ phone: null, phone_last4: null }).where('phone', '=', sm.phone).where('id', '!=', sm.id).execute();
  }
  const existing = await memberById(trx, sm.id);
  if (!existing) {
    await trx
      .insertInto('member')
      .values({ id: sm.id, ...values, referrer_id: sm.referrerId, registered_at: sm.registeredAt, registered_terminal: 'server', first_purchase_at: null, last_purchase_date: null })
      .execute();
    // Entries for this member may have arrived before it did: the balance covers them.
    await sql`UPDATE member SET balance = (SELECT COALESCE(SUM(points), 0) FROM ledger_entry WHERE member_id = ${sm.id})
                                      + (SELECT COALESCE(SUM(points), 0) FROM remote_entry WHERE member_id = ${sm.id})
              WHERE id = ${sm.id}`.execute(trx);
    const m = (await memberById(trx, sm.id))!;
    await indexMemberName(trx, m.seq, m.name);
    return;
  }
  // Keep fields edited here after the server's winning write while that edit is still on its way
  // (unacknowledged in the outbox). Once acknowledged, the server's resolution is the truth (it may
  // have clamped a clock that ran fast).
  const pending = await trx
    .selectFrom('outbox')
    .select('seq')
    .where('entity_id', '=', sm.id)
    .where('kind', 'in', ['member', 'member_fields'])
    .limit(1)
    .executeTakeFirst();
  const clocks = pending ? await trx.selectFrom('member_field_clock').select(['field', 'hlc']).where('member_id', '=', sm.id).execute() : [];
  const localHlc = new Map(clocks.map((c) => [c.field, c.hlc]));
  const update: Record<string, unknown> = { merged_into: values.merged_into, diamond: values.diamond };
  for (const [field, column] of Object.entries(FIELD_COLUMNS)) {
    const mine = localHlc.get(field);
    const theirs = sm.fieldHlc[field];
    if (mine && (!theirs || mine > theirs)) continue;
    update[column] = values[column as keyof typeof values];
    if (column === 'phone') update.phone_last4 = values.phone_last4;
  }
  await trx.updateTable('member').set(update).where('id', '=', sm.id).execute();
  if ('name' in update) await indexMemberName(trx, existing.seq, (update.name as string | null) ?? null);
}
