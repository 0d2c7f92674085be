import type { CardPayload } from '../../src-shared/sync/protocol';
import type { CardRow } from '../db/schema';
import { clampHlc, type ApplyContext } from './apply-context';
import { applied, held, type OpOutcome, type TerminalIdentity } from './outcome';

function cardChange(c: Pick<CardRow, 'code' | 'member_id' | 'kind' | 'status' | 'status_reason'>) {
  return {
    kind: 'card' as const,
    card: { code: c.code, memberId: c.member_id, kind: c.kind, status: c.status, ...(c.status_reason ? { reason: c.status_reason } : {}) },
  };
}

/**
 * Cards are an add-wins set keyed by code:
 * - for the same member, the write with the newer HLC wins, and on an exact tie `active` wins;
 * - a code bound to two members stays with the earliest registration (the smaller HLC of the
 *   activations that bound it); a later binding or a deactivation from the other side loses.
 * When the op lost, the winning state goes on the feed for everyone, its maker included.
 */
export async function applyCard(ctx: ApplyContext, terminal: TerminalIdentity, p: CardPayload, opHlc: string): Promise<OpOutcome> {
  const member = await ctx.lockMember(p.memberId);
  if (!member) return held('unknown_member: the member is not known to the server');
  const { hlc, clamped } = clampHlc(opHlc, ctx.nowMs);
  const reasons = clamped ? ['hlc_clamped'] : [];
  const row: CardRow = {
    code: p.code,
    member_id: p.memberId,
    kind: p.kind ?? 'printed',
    status: p.status,
    status_reason: p.reason ?? null,
    hlc,
    bound_hlc: hlc,
    terminal_id: terminal.id,
    updated_at: ctx.nowIso,
  };
  const ins = await ctx.trx.insertInto('card').values(row).onConflict((oc) => oc.column('code').doNothing()).executeTakeFirst();
  if (Number(ins.numInsertedOrUpdatedRows ?? 0n) > 0) {
    ctx.emit(cardChange(row), p.code, terminal.id);
    return applied(reasons);
  }
  let q = ctx.trx.selectFrom('card').selectAll().where('code', '=', p.code);
  if (ctx.dialect === 'postgres') q = q.forUpdate();
  const cur = await q.executeTakeFirstOrThrow();

  if (cur.member_id === p.memberId) {
    const wins = hlc > cur.hlc || (hlc === cur.hlc && p.status === 'active' && cur.status === 'inactive');
    if (!wins) {
      if (hlc !== cur.hlc || p.status !== cur.status) {
        reasons.push('older_than_current');
        ctx.emit(cardChange(cur), p.code);
      }
      return applied(reasons);
    }
    const next: CardRow = { ...cur, status: p.status, status_reason: p.status === 'inactive' ? (p.reason ?? null) : null, kind: p.kind ?? cur.kind, hlc, terminal_id: terminal.id, updated_at: ctx.nowIso };
    await ctx.trx.updateTable('card').set(next).where('code', '=', p.code).execute();
    ctx.emit(cardChange(next), p.code, terminal.id);
    return applied(reasons);
  }

  // Bound to another member: the earliest registration keeps the code.
  if (p.status === 'active' && hlc < cur.bound_hlc) {
    const next: CardRow = { ...row, updated_at: ctx.nowIso };
    await ctx.trx.updateTable('card').set(next).where('code', '=', p.code).execute();
    reasons.push(`rebound_from:${cur.member_id}`);
    ctx.emit(cardChange(next), p.code);
    return applied(reasons);
  }
  reasons.push(`card_bound_to:${cur.member_id}`);
  ctx.emit(cardChange(cur), p.code);
  return applied(reasons);
}
