import { DomainError } from '../errors/domain-error';
import type { EarnLine, EarnResult, MemberAtCheckout, PricedLine } from './checkout';
import { dateOrdinal, daysBetweenDates } from './dates';
import { allocateProportionallyBig, requireWhole, toSafeNumber } from './money';
import type { Campaign, RuleSet } from './rules';
import type { BusinessDate } from './types';

const BIRTHDAY_RE = /^(?:\d{4}-|--)?(\d{2})-(\d{2})$/;

/** The month (`MM`) of a `YYYY-MM-DD`, `--MM-DD` or `MM-DD` birthday, or null when unknown or malformed. */
export function birthdayMonth(birthday: string | null): string | null {
  if (birthday === null || birthday === undefined) return null;
  const m = BIRTHDAY_RE.exec(birthday);
  if (!m) return null;
  const month = Number(m[1]);
  return month >= 1 && month <= 12 ? (m[1] as string) : null;
}

/** Whether a campaign runs on a business date (from <= date <= to). */
export function isCampaignActive(campaign: Campaign, businessDate: BusinessDate): boolean {
  return campaign.from <= businessDate && businessDate <= campaign.to;
}

/**
 * Points for a member's purchase, by the product brief:
 * - base: pointsPerUnit per whole currency unit actually paid (paidMinor);
 * - per line: tier multiplier x the highest active campaign multiplier for that line
 *   (date-ranged `multiplier` campaigns, optionally by category, and `reactivation` when the
 *   member's last purchase is at least silentDays before businessDate; never for a first purchase);
 * - the receipt total is floored once (integer/BigInt math, no floats);
 * - spend_bonus campaigns add their bonus when the receipt's paidMinor >= threshold;
 * - daily cap: purchase points + spend bonuses credited today never exceed dailyCapPoints
 *   (given member.purchasePointsToday); the excess is reported as cappedPoints;
 * - birthday bonus (not capped) on a purchase with paidMinor > 0 in the birthday month when not
 *   yet given this year;
 * - perLine spreads everything credited over the lines in proportion to each line's exact
 *   (pre-floor) purchase points, or to paidMinor when those are all zero.
 * A campaign is active when from <= businessDate <= to.
 *
 * Resolved details: "per whole currency unit" is exact (¥123.45 at Gold is 123.45 x 1.5 = 185.175,
 * floored once to 185), not a per-line floor to whole units. Under the cap, purchase points are
 * credited first, then spend bonuses in rule-set order; spendBonuses lists only bonuses with
 * points > 0. A campaign multiplier tie goes to the campaign listed first; a line with no
 * campaign has campaignId null and campaignMultiplierBp 10000. The room left under the cap is
 * dailyCapPoints - purchasePointsToday clamped to [0, dailyCapPoints]. A birthday that is null
 * or malformed gives no bonus.
 */
export function computeEarn(
  lines: readonly PricedLine[],
  member: MemberAtCheckout,
  businessDate: BusinessDate,
  rules: RuleSet,
): EarnResult {
  dateOrdinal(businessDate, 'businessDate');
  const tierMultiplierBp = rules.earn.tierMultipliersBp[member.tier];
  if (tierMultiplierBp === undefined) {
    throw new DomainError('INVALID_INPUT', 'Unknown tier.', { tier: member.tier });
  }
  const today = requireWhole(member.purchasePointsToday, 'purchasePointsToday');

  const active = rules.campaigns.filter((c) => isCampaignActive(c, businessDate));
  const silentDays =
    member.lastPurchaseDate === null || member.lastPurchaseDate === undefined
      ? null
      : daysBetweenDates(member.lastPurchaseDate, businessDate);

  const perUnit = BigInt(rules.earn.pointsPerUnit) * BigInt(tierMultiplierBp);
  const denominator = BigInt(rules.minorPerUnit) * 10000n * 10000n;

  let receiptPaid = 0;
  let exactTotal = 0n;
  const exact: bigint[] = [];
  const chosen: { campaignId: string | null; campaignMultiplierBp: number }[] = [];
  for (const line of lines) {
    const paid = requireWhole(line.paidMinor, 'paidMinor', 0, { lineNo: line.lineNo });
    receiptPaid = requireWhole(receiptPaid + paid, 'paidMinor total', 0);
    let best: { id: string; bp: number } | null = null;
    for (const c of active) {
      let bp: number | null = null;
      if (c.kind === 'multiplier') {
        if (c.categories === undefined || c.categories.includes(line.category)) bp = c.multiplierBp;
      } else if (c.kind === 'reactivation') {
        if (silentDays !== null && silentDays >= c.silentDays) bp = c.multiplierBp;
      }
      if (bp !== null && (best === null || bp > best.bp)) best = { id: c.id, bp };
    }
    const campaignMultiplierBp = best?.bp ?? 10000;
    chosen.push({ campaignId: best?.id ?? null, campaignMultiplierBp });
    const points = BigInt(paid) * perUnit * BigInt(campaignMultiplierBp);
    exact.push(points);
    exactTotal += points;
  }
  const rawPurchase = toSafeNumber(exactTotal / denominator); // non-negative: truncation is floor

  const cap = rules.earn.dailyCapPoints;
  let room = Math.min(cap, Math.max(0, cap - today));
  const purchasePoints = Math.min(rawPurchase, room);
  room -= purchasePoints;
  let requested = rawPurchase;

  const spendBonuses: { campaignId: string; points: number }[] = [];
  for (const c of active) {
    if (c.kind !== 'spend_bonus' || receiptPaid < c.thresholdMinor) continue;
    requested += c.bonusPoints;
    const credited = Math.min(c.bonusPoints, room);
    room -= credited;
    if (credited > 0) spendBonuses.push({ campaignId: c.id, points: credited });
  }
  const bonusTotal = spendBonuses.reduce((s, b) => s + b.points, 0);
  const cappedPoints = requested - purchasePoints - bonusTotal;

  const month = birthdayMonth(member.birthday);
  const birthdayBonus =
    month !== null && businessDate.slice(5, 7) === month && !member.birthdayBonusGivenThisYear && receiptPaid > 0
      ? rules.earn.birthdayBonus
      : 0;

  const credited = purchasePoints + bonusTotal + birthdayBonus;
  const weights = exact.some((p) => p > 0n) ? exact : lines.map((l) => BigInt(l.paidMinor));
  const shares = allocateProportionallyBig(BigInt(credited), weights);
  const perLine: EarnLine[] = lines.map((line, i) => ({
    lineNo: line.lineNo,
    points: Number(shares[i] as bigint),
    campaignId: (chosen[i] as (typeof chosen)[number]).campaignId,
    campaignMultiplierBp: (chosen[i] as (typeof chosen)[number]).campaignMultiplierBp,
  }));

  return { purchasePoints, spendBonuses, birthdayBonus, cappedPoints, perLine, tierMultiplierBp };
}

/**
 * Welcome bonus for a new member at registration. By the brief it belongs to the referral
 * programme ("the new member gets a welcome bonus at registration"), so it is due only when the
 * registration names a referrer.
 */
export function welcomeBonusPoints(args: { referred: boolean }, rules: RuleSet): number {
  return args.referred ? rules.earn.welcomeBonus : 0;
}

/**
 * Referrer bonus due on a referred member's purchase: rules.earn.referrerBonus on the referred
 * member's first purchase (no earlier purchase, something paid), once; else 0.
 */
export function referrerBonusPoints(
  args: { hasReferrer: boolean; firstPurchase: boolean; paidMinor: number; alreadyCredited: boolean },
  rules: RuleSet,
): number {
  return args.hasReferrer && args.firstPurchase && args.paidMinor > 0 && !args.alreadyCredited
    ? rules.earn.referrerBonus
    : 0;
}
