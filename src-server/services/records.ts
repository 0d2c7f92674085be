import { z } from 'zod';
import { SERVER_TERMINAL_ID, auditPayload, drawerEventPayload, refundPayload, salePayload, zReportPayload } from '../../src-shared/sync/protocol';
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

/** A till's drawer event, kept as sent (idempotent by id). */
export async function applyDrawerEvent(ctx: ApplyContext, terminal: TerminalIdentity, p: z.infer<typeof drawerEventPayload>): Promise<OpOutcome> {
  const other = namesOtherTerminal(p, terminal);
  if (other) return rejected(`terminal_mismatch: the drawer event names terminal ${other}`);
  const r = await ctx.trx
    .insertInto('drawer_event')
    .values({
      id: p.id,
      terminal_id: terminal.id,
      store_id: terminal.storeId,
      session_id: p.session_id,
      kind: p.kind,
      amount_minor: p.amount_minor,
      business_date: p.business_date,
      at: p.at,
      body: JSON.stringify(p),
      received_at: ctx.nowIso,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 0 ? duplicate() : applied();
}

/** A till's Z report: one per number per till; a different report under a number already held is refused. */
export async function applyZReport(ctx: ApplyContext, terminal: TerminalIdentity, p: z.infer<typeof zReportPayload>): Promise<OpOutcome> {
  const same = await ctx.trx.selectFrom('z_report').select(['id']).where('terminal_id', '=', terminal.id).where('z_no', '=', p.zNo).executeTakeFirst();
  if (same) return same.id === p.id ? duplicate() : rejected(`z_number_taken: Z ${p.zNo} of this till is already another report`);
  await ctx.trx
    .insertInto('z_report')
    .values({
      id: p.id,
      terminal_id: terminal.id,
      store_id: terminal.storeId,
      z_no: p.zNo,
      business_date: p.businessDate,
      hash: p.hash,
      prev_hash: p.prevHash,
      body: JSON.stringify(p),
      received_at: ctx.nowIso,
    })
    .execute();
  return applied();
}
