import { addDays, businessDateOf, monthOf } from '../../src-shared/domain/dates';
import { deriveLots, expiringWithin } from '../../src-shared/domain/lots';
import { offlineRedemptionRemaining } from '../../src-shared/domain/risk';
import { evaluateTier, tierFromSpend } from '../../src-shared/domain/tiers';
import type { Tier } from '../../src-shared/domain/types';
import type { CardDto, MemberDto, MemberSummaryDto } from '../../src-shared/api/dto';
import { maskCardCode, maskName, maskPhone } from '../../src-shared/privacy/mask';
import type { CoreContext, Executor } from '../core/context';
import { memberFacts } from './entries.repo';
import { cardsOfMember, memberDay, periodSpends, type CardRow, type MemberRow } from './members.repo';

/**
 * Now and the business date it belongs to: the store's calendar date, or the day after the last
 * Z report when that was closed early (a day closed by Z takes no more sales).
 */
export function todayOf(ctx: CoreContext): { now: string; businessDate: string } {
  const now = ctx.now().toISOString();
  const calendar = businessDateOf(now, ctx.timeZone);
  const through = ctx.closedDay.through;
  if (through === null || calendar > through) return { now, businessDate: calendar };
  return { now, businessDate: businessDateOf(addDays(`${through}T12:00:00.000Z`, 1), 'UTC') };
}

/** The member's tier today: Diamond from the centre, else by qualifying spend (this and last period). */
export async function currentTier(ex: Executor, ctx: CoreContext, m: MemberRow, businessDate: string): Promise<{ tier: Tier; spend: number; previousSpend: number }> {
  const rules = ctx.rulesOn(businessDate);
  const period = monthOf(businessDate);
  const { current, previous } = periodSpends(m, period);
  const tier = evaluateTier({ previousPeriodSpendMinor: previous, currentPeriodSpendMinor: current, diamond: m.diamond === 1 }, rules);
  return { tier, spend: current, previousSpend: previous };
}

export async function toSummary(ex: Executor, ctx: CoreContext, m: MemberRow, businessDate?: string): Promise<MemberSummaryDto> {
  const date = businessDate ?? todayOf(ctx).businessDate;
  const { tier } = await currentTier(ex, ctx, m, date);
  return summaryOf(m, tier);
}

/** The summary of a member whose tier the caller already knows (no reads). */
export function summaryOf(m: MemberRow, tier: Tier): MemberSummaryDto {
  return { id: m.id, maskedName: maskName(m.name), maskedPhone: maskPhone(m.phone), tier, balance: m.balance, status: m.status };
}

export function toCardDto(c: CardRow): CardDto {
  return { id: c.id, maskedCode: maskCardCode(c.code), kind: c.kind, status: c.status };
}

export async function toMemberDto(ex: Executor, ctx: CoreContext, m: MemberRow): Promise<MemberDto> {
  const { now, businessDate } = todayOf(ctx);
  const rules = ctx.rulesOn(businessDate);
  const { tier, spend } = await currentTier(ex, ctx, m, businessDate);
  const [cards, facts, day] = await Promise.all([cardsOfMember(ex, m.id), memberFacts(ex, m.id), memberDay(ex, m.id, businessDate)]);
  const expiring = expiringWithin(deriveLots(facts), now, rules.expiry.warnDays);
  const monthDay = m.birthday ? m.birthday.slice(-5) : null;
  let nextTier: MemberDto['nextTier'] = null;
  const spendTier = tierFromSpend(spend, rules);
  if (tier !== 'diamond' && spendTier === 'regular') nextTier = { tier: 'silver', spendMinor: rules.tiers.silverSpendMinor };
  else if (tier !== 'diamond' && spendTier === 'silver') nextTier = { tier: 'gold', spendMinor: rules.tiers.goldSpendMinor };
  return {
    ...summaryOf(m, tier),
    birthdayMonthDay: monthDay,
    birthdayThisMonth: monthDay !== null && monthDay.slice(0, 2) === businessDate.slice(5, 7),
    registeredAt: m.registered_at,
    consentMarketing: m.consent_marketing === 1,
    anonymous: m.phone === null && m.status !== 'erased',
    mergedInto: m.merged_into,
    cards: cards.map(toCardDto),
    expiringSoon: { points: expiring.points, firstExpiry: expiring.firstExpiry, withinDays: rules.expiry.warnDays },
    periodSpendMinor: spend,
    nextTier,
    offlineRedeemRemaining: ctx.connectivity() === 'offline' ? offlineRedemptionRemaining(day.offline_redeemed_points, rules) : null,
  };
}
