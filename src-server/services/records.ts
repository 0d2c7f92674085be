import { z } from 'zod';
import { SERVER_TERMINAL_ID, auditPayload, refundPayload, salePayload } from '../../src-shared/sync/protocol';
import type { ApplyContext } from './apply-context';
import { addSpend } from './members';
import { applied, duplicate, rejected, type OpOutcome, type TerminalIdentity } from './outcome';

/** A terminal acts only for itself: a payload naming another terminal is refused. */
function namesOtherTerminal(p: Record<string, unknown>, terminal: TerminalIdentity): string | null {
  const named = p.terminalId ?? p.terminal_id;
  return typeof named === 'string' && named !== terminal.id ? named : null;
}

/**
 * Qualifying spend for tiers and the Diamond ranking, per member and month. The change goes on the
 * feed; its maker already counted it, unless it was booked on another member (a merge), in which
 * case it goes to everyone.
 */
async function spend(ctx: ApplyContext, terminal: TerminalIdentity, memberId: string, period: string, delta: number): Promise<string | null> {
  if (delta === 0) return null;
  const m = await ctx.lockMember(memberId);
  if (!m) return 'unknown_member: spend not counted';
  const eff = await ctx.lockEffective(m);
  await addSpend(ctx, eff.id, period, delta);
  const redirected = eff.id !== m.id;
  ctx.emit(
    { kind: 'spend', memberId: eff.id, period, deltaMinor: delta, sourceTerminalId: redirected ? SERVER_TERMINAL_ID : terminal.id },
    eff.id,
    redirected ? null : terminal.id,
  );
  return redirected ? `spend_counted_on:${eff.id}` : null;
}

export async function applySale(ctx: ApplyContext, terminal: TerminalIdentity, p: z.infer<typeof salePayload>): Promise<OpOutcome> {
  const other = namesOtherTerminal(p, terminal);
  if (other) return rejected(`terminal_mismatch: the sale names terminal ${other}`);
  const r = await ctx.trx
    .insertInto('sale')
    .values({
      id: p.id,
      terminal_id: terminal.id,
      store_id: terminal.storeId,
      member_id: p.member?.id ?? null,
      receipt_no: p.receiptNo,
      business_date: p.businessDate,
      paid_minor: p.paidMinor,
      body: JSON.stringify(p),
      received_at: ctx.nowIso,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) return duplicate();
  const reasons: string[] = [];
  if (p.member) {
    const note = await spend(ctx, terminal, p.member.id, p.businessDate.slice(0, 7), p.paidMinor);
    if (note) reasons.push(note);
  }
  return applied(reasons);
}

/** A refund takes the refunded amount off the qualifying spend of the ORIGINAL sale's month. */
export async function applyRefund(ctx: ApplyContext, terminal: TerminalIdentity, p: z.infer<typeof refundPayload>): Promise<OpOutcome> {
  const other = namesOtherTerminal(p, terminal);
  if (other) return rejected(`terminal_mismatch: the refund names terminal ${other}`);
  const r = await ctx.trx
    .insertInto('refund')
    .values({ id: p.id, sale_id: p.saleId, terminal_id: terminal.id, store_id: terminal.storeId, refund_minor: p.refundMinor, body: JSON.stringify(p), received_at: ctx.nowIso })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) === 0) return duplicate();
  const sale = await ctx.trx.selectFrom('sale').select(['member_id', 'business_date']).where('id', '=', p.saleId).executeTakeFirst();
  if (!sale) return applied(['sale_unknown: spend not changed']);
  if (!sale.member_id) return applied();
  const note = await spend(ctx, terminal, sale.member_id, sale.business_date.slice(0, 7), -p.refundMinor);
  return applied(note ? [note] : []);
}

export async function applyAudit(ctx: ApplyContext, terminal: TerminalIdentity, p: z.infer<typeof auditPayload>): Promise<OpOutcome> {
  const other = namesOtherTerminal(p, terminal);
  if (other) return rejected(`terminal_mismatch: the audit entry names terminal ${other}`);
  const r = await ctx.trx
    .insertInto('audit_entry')
    .values({ id: p.id, terminal_id: terminal.id, store_id: terminal.storeId, action: p.action, hash: p.hash, prev_hash: p.prev_hash, body: JSON.stringify(p), received_at: ctx.nowIso })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 0 ? duplicate() : applied();
}
