import type { MemberAtCheckout } from '../../src-shared/domain/checkout';
import { birthdayMonth } from '../../src-shared/domain/earn';
import { deriveLots, planExpiry } from '../../src-shared/domain/lots';
import { offlineRedemptionRemaining } from '../../src-shared/domain/risk';
import type { RuleSet } from '../../src-shared/domain/rules';
import type { CoreContext, Trx } from '../core/context';
import { deterministicUuid } from '../../src-shared/sync/ids';
import { appendEntry, entryExists, memberFacts } from './entries.repo';
import { currentTier } from './member-view';
import { memberDay, memberRedemptionsSince, type MemberRow } from './members.repo';


/**
 * Expires the member's lots that are past their date before points are spent (lazy expiry,
 * the same entries the expiry run would write, with the same idempotency keys).
 */
export async function expireDueLots(trx: Trx, ctx: CoreContext, memberId: string, now: string, businessDate: string, rules: RuleSet): Promise<number> {
  // Enrolled terminals leave expiry to the server (one expiry per lot across all stores);
  // expired lots are kept out of the spendable balance instead (see memberAtCheckout).
  if (ctx.enrolled()) return 0;
  const steps = planExpiry(deriveLots(await memberFacts(trx, memberId)), now);
  let total = 0;
  for (const s of steps) {
    await appendEntry(trx, ctx, {
      memberId,
      kind: 'expire',
      points: -s.points,
      reason: 'expiry',
      targetEntryId: s.lotEntryId,
      businessDate,
      staffId: null,
      ruleSetVersion: rules.version,
      idempotencyKey: `expire:${s.lotEntryId}:${s.expiresAt}`,
      // Its id derives from the lot and its date: the primary key refuses a second expiry of it.
      onceOnly: true,
    });
    total += s.points;
  }
  return total;
}

/**
 * What the pure checkout rules need to know about the member, read inside the transaction.
 * `m` is the member row as read in this transaction before `expireDueLots`, and `expiredPoints`
 * what that lazy expiry just took off the balance (the trigger moved the stored balance by as much).
 * Also returns this and last period's spend, from which the tier after the sale follows.
 */
export async function memberAtCheckout(
  trx: Trx,
  ctx: CoreContext,
  m: MemberRow,
  expiredPoints: number,
  now: string,
  businessDate: string,
  rules: RuleSet,
): Promise<{ state: MemberAtCheckout; offlineRemaining: number | null; spend: { current: number; previous: number } }> {
  const windowStart = velocityWindowStart(now, rules, 'member');
  const [{ tier, spend, previousSpend }, day, recent, birthdayBonus] = await Promise.all([
    currentTier(trx, ctx, m, businessDate),
    memberDay(trx, m.id, businessDate),
    memberRedemptionsSince(trx, m.id, windowStart),
    // Only asked in the birthday month, when the answer can matter (it is one more random read).
    birthdayMonth(m.birthday) === businessDate.slice(5, 7) ? entryExists(trx, deterministicUuid(`birthday:${m.id}:${businessDate.slice(0, 4)}`)) : false,
  ]);
  const balance = m.balance - expiredPoints;
  // Points past their date that the server has not expired yet are not spendable.
  const unexpiredByServer = ctx.enrolled() ? planExpiry(deriveLots(await memberFacts(trx, m.id)), now).reduce((s, x) => s + x.points, 0) : 0;
  return {
    state: {
      tier,
      blocked: m.status === 'blocked',
      availablePoints: balance - unexpiredByServer,
      birthday: m.birthday,
      birthdayBonusGivenThisYear: birthdayBonus,
      lastPurchaseDate: m.last_purchase_date,
      purchasePointsToday: day.purchase_points,
      recentRedemptions: recent,
    },
    offlineRemaining: ctx.connectivity() === 'offline' ? offlineRedemptionRemaining(day.offline_redeemed_points, rules) : null,
    spend: { current: spend, previous: previousSpend },
  };
}

/**
 * The earliest instant a velocity rule looks at: the member rule (10 minutes by default) or the
 * terminal rule (a minute), so each query fetches only its own window. Redemptions stamped after
 * `now` (a clock set back) are still fetched: `>=` has no upper bound.
 */
export function velocityWindowStart(now: string, rules: RuleSet, rule: 'member' | 'terminal'): string {
  const seconds = rule === 'member' ? rules.risk.memberWindowSeconds : rules.risk.terminalWindowSeconds;
  return new Date(Date.parse(now) - seconds * 1000).toISOString();
}
