import { REFUSAL_REASONS, type RefusalReason } from '../../src-shared/api/contract-reports';
import { isDomainError, type DomainError } from '../../src-shared/errors/domain-error';
import { inTransaction } from '../db/transaction';
import { appendAudit } from '../core/audit.repo';
import type { CoreContext } from '../core/context';
import { todayOf } from './member-view';
import { memberById } from './members.repo';

/** One redemption the cashier asked for: on a bill at checkout, or for a catalogue reward. */
export interface RedemptionAttempt {
  channel: 'bill' | 'reward';
  memberId: string;
  /** Points asked for (the bill redemption, or the reward's price). */
  points: number;
  idempotencyKey: string;
  /** The signed-in staff member. */
  staffId: string;
  /** The manager named in the approval sent with the attempt, if any. */
  approverId: string | null;
  rewardId?: string;
}

const REASONS: ReadonlySet<string> = new Set(REFUSAL_REASONS);

/** Detail fields kept with a refusal: numbers and rule names only, nothing personal. */
const DETAIL_FIELDS = ['requested', 'available', 'maxPoints', 'limitedBy', 'offlineRemaining', 'minPoints', 'stepPoints', 'billMinor', 'capMinor', 'valueMinor', 'rule', 'count', 'windowSeconds', 'max', 'held', 'balance'];

/** True when an error means "this redemption was refused" (by the rules, head office or a failed approval). */
export function isRedemptionRefusal(e: unknown): e is DomainError & { code: RefusalReason } {
  return isDomainError(e) && REASONS.has(e.code);
}

/**
 * Refused redemptions, recorded for the manager's exceptions report. A refusal is never a points
 * movement: the refused operation rolls back as before, and the record is written afterwards,
 * in its own short transaction, to `redemption_refusal` and the audit log (which also carries it
 * to head office). A retry of the same request (same key, reason and points) is recorded once.
 */
export class RedemptionRefusals {
  constructor(private readonly ctx: CoreContext) {}

  /**
   * Runs one redemption; when it is refused, records the refusal and rethrows the original error
   * unchanged (a failure to record is logged and never replaces what the cashier must see).
   * `attempt` null: nothing is being redeemed, nothing is recorded.
   */
  async guard<T>(attempt: RedemptionAttempt | null, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (attempt && attempt.points > 0 && isRedemptionRefusal(e)) {
        try {
          await this.record(attempt, e);
        } catch (recordError) {
          this.ctx.log.error({ err: recordError, memberId: attempt.memberId, channel: attempt.channel }, 'a refused redemption could not be recorded');
        }
      }
      throw e;
    }
  }

  /** Writes the refusal (and its audit entry); false when it was already recorded or the member is unknown. */
  async record(attempt: RedemptionAttempt, e: DomainError): Promise<boolean> {
    const { now, businessDate } = todayOf(this.ctx);
    const details: Record<string, string | number | boolean | null> = {};
    for (const f of DETAIL_FIELDS) {
      const v = e.details[f];
      if (typeof v === 'number' || typeof v === 'boolean' || v === null || (typeof v === 'string' && v.length <= 40)) details[f] = v;
    }
    if (attempt.rewardId) details.rewardId = attempt.rewardId;
    return inTransaction(this.ctx.db, async (trx) => {
      if (!(await memberById(trx, attempt.memberId))) return false;
      const id = this.ctx.newId();
      const inserted = await trx
        .insertInto('redemption_refusal')
        .values({
          id,
          at: now,
          business_date: businessDate,
          terminal_id: this.ctx.terminalId,
          staff_id: attempt.staffId,
          approver_id: attempt.approverId,
          member_id: attempt.memberId,
          channel: attempt.channel,
          points: attempt.points,
          reason: e.code,
          details: JSON.stringify(details),
          offline: this.ctx.connectivity() === 'offline' ? 1 : 0,
          idempotency_key: attempt.idempotencyKey,
        })
        .onConflict((oc) => oc.columns(['channel', 'idempotency_key', 'reason', 'points']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
      await appendAudit(trx, this.ctx, {
        action: 'redemption.refused',
        staffId: attempt.staffId,
        subjectType: 'member',
        subjectId: attempt.memberId,
        details: { refusalId: id, channel: attempt.channel, points: attempt.points, reason: e.code, approver: attempt.approverId },
      });
      return true;
    });
  }
}
