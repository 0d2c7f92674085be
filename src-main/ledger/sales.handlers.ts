import { businessDateOf } from '../../src-shared/domain/dates';
import type { CoreContext } from '../core/context';
import type { AreaHandlers } from '../core/handlers';
import type { RedemptionHolds } from '../core/ports';
import type { CheckoutService } from './checkout.service';
import type { PointsService } from './points.service';
import type { RefundService } from './refund.service';
import type { RedemptionRefusals } from './refusals.service';
import { findSale, recentSales, saleDto } from './sales.repo';

type SalesMethods =
  | 'checkout.preview' | 'checkout.complete' | 'rewards.list' | 'rewards.redeem' | 'sales.get' | 'sales.recent'
  | 'refunds.create' | 'points.adjust' | 'points.runExpiry';

export interface SalesHandlerDeps {
  ctx: CoreContext;
  checkout: CheckoutService;
  refunds: RefundService;
  points: PointsService;
  refusals: RedemptionRefusals;
  /** Online, points are held at the server before a redemption commits (never inside the SQLite transaction). */
  holds: RedemptionHolds;
}

/** Selling: preview and checkout, rewards, sales and refunds, and a manager's adjustments of points. */
export function createSalesHandlers({ ctx, checkout, refunds, points, refusals, holds }: SalesHandlerDeps): AreaHandlers<SalesMethods> {
  const rulesToday = () => ctx.rulesOn(businessDateOf(ctx.now().toISOString(), ctx.timeZone));

  /** Runs a redemption with its central hold, giving the hold back when the redemption does not commit. */
  const withHold = async <T>(memberId: string, points: number, receiptRef: string, redeem: () => Promise<T>): Promise<T> => {
    const hold = await holds.holdForRedemption(memberId, points, receiptRef);
    try {
      return await redeem();
    } catch (e) {
      if (hold.holdId) void holds.releaseHold(hold.holdId);
      throw e;
    }
  };

  return {
    'checkout.preview': async (input, call) => checkout.preview(input, await call.approve(input.approval)),
    'checkout.complete': async (input, { staff, approve }) => {
      const attempt = input.memberId && input.redeemPoints > 0
        ? { channel: 'bill' as const, memberId: input.memberId, points: input.redeemPoints, idempotencyKey: input.idempotencyKey, staffId: staff.id, approverId: input.approval?.staffId ?? null }
        : null;
      // A refused redemption (rules, head office, a failed approval) is recorded for the exceptions report.
      return refusals.guard(attempt, async () => {
        const approver = await approve(input.approval);
        if (!attempt) return checkout.complete(input, staff, approver);
        return withHold(attempt.memberId, attempt.points, input.idempotencyKey, () => checkout.complete(input, staff, approver));
      });
    },
    'rewards.list': async () => rulesToday().rewards.filter((r) => r.active),
    'rewards.redeem': async (input, { staff, approve }) => {
      const reward = rulesToday().rewards.find((r) => r.id === input.rewardId);
      const attempt = reward?.active
        ? { channel: 'reward' as const, memberId: input.memberId, points: reward.points, idempotencyKey: input.idempotencyKey, staffId: staff.id, approverId: input.approval?.staffId ?? null, rewardId: reward.id }
        : null;
      return refusals.guard(attempt, async () => {
        const approver = await approve(input.approval);
        if (!reward) return points.redeemReward(input, staff, approver);
        return withHold(input.memberId, reward.points, `reward:${input.idempotencyKey}`, () => points.redeemReward(input, staff, approver));
      });
    },
    'sales.get': async (by) => saleDto(ctx.db, await findSale(ctx.db, by)),
    'sales.recent': async ({ limit }) => Promise.all((await recentSales(ctx.db, limit)).map((r) => saleDto(ctx.db, r))),
    'refunds.create': async (input, { staff, approve }) => refunds.create(input, staff, await approve(input.approval)),
    'points.adjust': ({ approval: _approval, ...input }, { staff, approver }) => points.adjust(input, staff, approver),
    'points.runExpiry': () => points.runExpiry(),
  };
}
