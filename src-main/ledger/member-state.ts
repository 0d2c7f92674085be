import type { MemberAtCheckout } from '../../src-shared/domain/checkout';
import { addDays } from '../../src-shared/domain/dates';
import { deriveLots, planExpiry } from '../../src-shared/domain/lots';
import { offlineRedemptionRemaining } from '../../src-shared/domain/risk';
import type { RuleSet } from '../../src-shared/domain/rules';
import type { CoreContext, Trx } from '../terminal/context';
import { appendEntry, memberFacts } from './entries.repo';
import { currentTier } from './member-view';
import { memberDay, redemptionsSince, type MemberRow } from './members.repo';


/**
 * Expires the member's lots that are past their date before points are spent (lazy expiry,
 * the same entries the expiry run would write, with the same idempotency keys).
 */
export async function expireDueLots(trx: Trx, ctx: CoreContext, memberId: string, now: string, businessDate: string, rules: RuleSet): Promise<number> {
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
    });
    total += s.points;
  }
  return total;
}

/** What the pure checkout rules need to know about the member, read inside the transaction. */
export async function memberAtCheckout(
  trx: Trx,
  ctx: CoreContext,
  m: MemberRow,
  now: string,
  businessDate: string,
  rules: RuleSet,
): Promise<{ state: MemberAtCheckout; offlineRemaining: number | null }> {
  const windowStart = addDays(now, -1);
  const [{ tier }, day, recent, birthdayBonus] = await Promise.all([
    currentTier(trx, ctx, m, businessDate),
    memberDay(trx, m.id, businessDate),
    redemptionsSince(trx, windowStart, m.id),
    trx
      .selectFrom('ledger_entry')
      .select('id')
      .where('member_id', '=', m.id)
      .where('kind', '=', 'bonus')
      .where('reason', '=', 'birthday')
      .where('business_date', '>=', `${businessDate.slice(0, 4)}-01-01`)
      .executeTakeFirst(),
  ]);
  const balance = (await trx.selectFrom('member').select('balance').where('id', '=', m.id).executeTakeFirstOrThrow()).balance;
  return {
    state: {
      tier,
      blocked: m.status === 'blocked',
      availablePoints: balance,
      birthday: m.birthday,
      birthdayBonusGivenThisYear: birthdayBonus !== undefined,
      lastPurchaseDate: m.last_purchase_date,
      purchasePointsToday: day.purchase_points,
      recentRedemptions: recent,
    },
    offlineRemaining: ctx.connectivity() === 'offline' ? offlineRedemptionRemaining(day.offline_redeemed_points, rules) : null,
  };
}
