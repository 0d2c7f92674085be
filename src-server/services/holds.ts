import { HOLD_TTL_MS, type HoldReleaseRequest, type HoldReleaseResponse, type HoldRequest, type HoldResponse } from '../../src-shared/sync/protocol';
import { inTransaction, type ServerDb } from '../db/database';
import { ServerError } from '../errors';
import { ApplyContext } from './apply-context';
import type { TerminalIdentity } from './outcome';

/**
 * Online redemption, phase one: hold `points` of the member's balance for one receipt. Approved
 * only when balance minus every open hold covers it; the member row is locked for the check, so
 * two terminals asking at once for the same points cannot both be approved. A hold lapses after
 * HOLD_TTL_MS; a pushed redeem entry with idempotency key `<receiptRef>:redeem` consumes it.
 * The same holdId again answers the same approval (a retry after a lost answer).
 */
export async function handleHold(sdb: ServerDb, now: () => number, terminal: TerminalIdentity, req: HoldRequest): Promise<HoldResponse> {
  return inTransaction(sdb, async (trx) => {
    const ctx = new ApplyContext(trx, sdb.dialect, now());
    const first = await ctx.lockMember(req.memberId);
    if (!first) throw new ServerError(404, 'MEMBER_NOT_FOUND', 'no member with this id on the server', { memberId: req.memberId });
    const m = await ctx.lockEffective(first);
    if (m.status === 'erased') throw new ServerError(404, 'MEMBER_NOT_FOUND', 'the member was erased', { memberId: m.id });
    if (m.status === 'blocked') throw new ServerError(409, 'MEMBER_BLOCKED', 'the member is blocked and cannot redeem', { memberId: m.id });

    await trx
      .updateTable('redemption_hold')
      .set({ status: 'expired', closed_at: ctx.nowIso })
      .where('member_id', '=', m.id)
      .where('status', '=', 'open')
      .where('expires_at', '<=', ctx.nowIso)
      .execute();
    const same = await trx.selectFrom('redemption_hold').selectAll().where('id', '=', req.holdId).executeTakeFirst();
    const open = await trx
      .selectFrom('redemption_hold')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), eb.lit(0)).as('held'))
      .where('member_id', '=', m.id)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    const balance = Number(m.balance);
    const heldNow = Number(open.held);
    if (same) {
      if (same.terminal_id !== terminal.id || Number(same.points) !== req.points || same.receipt_ref !== req.receiptRef || (same.member_id !== m.id && same.member_id !== first.id)) {
        throw new ServerError(409, 'INVALID_REQUEST', 'this holdId was used for another hold', { holdId: req.holdId });
      }
      if (same.status !== 'open') throw new ServerError(409, 'INVALID_REQUEST', `this hold is already ${same.status}`, { holdId: req.holdId, status: same.status });
      return { holdId: same.id, status: 'approved', expiresAt: same.expires_at, availableAfter: balance - heldNow, serverTime: new Date(now()).toISOString() };
    }
    const available = balance - heldNow;
    if (available < req.points) {
      throw new ServerError(409, 'INSUFFICIENT_POINTS', `only ${Math.max(available, 0)} points are available`, { available, balance, held: heldNow, requested: req.points });
    }
    const expiresAt = new Date(ctx.nowMs + HOLD_TTL_MS).toISOString();
    await trx
      .insertInto('redemption_hold')
      .values({ id: req.holdId, member_id: m.id, terminal_id: terminal.id, points: req.points, receipt_ref: req.receiptRef, status: 'open', created_at: ctx.nowIso, expires_at: expiresAt, closed_at: null, consumed_entry_id: null })
      .execute();
    return { holdId: req.holdId, status: 'approved', expiresAt, availableAfter: available - req.points, serverTime: new Date(now()).toISOString() };
  });
}

/** Gives a hold back (the checkout was abandoned). Releasing twice answers the same. */
export async function handleHoldRelease(sdb: ServerDb, now: () => number, terminal: TerminalIdentity, req: HoldReleaseRequest): Promise<HoldReleaseResponse> {
  return inTransaction(sdb, async (trx) => {
    const nowIso = new Date(now()).toISOString();
    let q = trx.selectFrom('redemption_hold').selectAll().where('id', '=', req.holdId);
    if (sdb.dialect === 'postgres') q = q.forUpdate();
    const h = await q.executeTakeFirst();
    if (!h) throw new ServerError(404, 'HOLD_NOT_FOUND', 'no such hold', { holdId: req.holdId });
    if (h.terminal_id !== terminal.id) throw new ServerError(403, 'FORBIDDEN', 'the hold belongs to another terminal');
    let status = h.status;
    if (status === 'open') {
      status = h.expires_at <= nowIso ? 'expired' : 'released';
      await trx.updateTable('redemption_hold').set({ status, closed_at: nowIso }).where('id', '=', h.id).execute();
    }
    return { holdId: h.id, status: status as HoldReleaseResponse['status'], serverTime: new Date(now()).toISOString() };
  });
}
