import { DomainError } from '../errors/domain-error';
import { floorDivBig, isWholeNumber, requireWhole, toSafeNumber } from './money';
import type { Reward, RuleSet } from './rules';
import type { Minor, Points, Tier } from './types';

function valueRatio(tier: Tier, rules: RuleSet): { num: bigint; den: bigint } {
  const tierBp = rules.redeem.tierValueBp[tier];
  if (tierBp === undefined) throw new DomainError('INVALID_INPUT', 'Unknown tier.', { tier });
  return {
    num: BigInt(rules.minorPerUnit) * BigInt(tierBp),
    den: BigInt(rules.redeem.pointsPerUnit) * 10000n,
  };
}

/** Money value of points for a tier: points / pointsPerUnit x minorPerUnit x tierValueBp, floored. */
export function redemptionValueMinor(points: Points, tier: Tier, rules: RuleSet): Minor {
  requireWhole(points, 'points');
  const { num, den } = valueRatio(tier, rules);
  return toSafeNumber(floorDivBig(BigInt(points) * num, den), { points });
}

/** The most money `maxBillShareBp` of a bill allows to be paid with points (floored). */
export function billCapValueMinor(billMinor: Minor, rules: RuleSet): Minor {
  requireWhole(billMinor, 'billMinor', 0);
  return toSafeNumber(floorDivBig(BigInt(billMinor) * BigInt(rules.redeem.maxBillShareBp), 10000n));
}

/** The largest (not step-rounded) number of points whose value fits the bill cap. */
function billCapPoints(billMinor: Minor, tier: Tier, rules: RuleSet): Points {
  const cap = BigInt(billCapValueMinor(billMinor, rules));
  const { num, den } = valueRatio(tier, rules);
  // floor(p * num / den) <= cap  <=>  p * num < (cap + 1) * den  <=>  p <= floor(((cap + 1) * den - 1) / num)
  const p = floorDivBig((cap + 1n) * den - 1n, num);
  return p > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(p);
}

export type RedemptionLimit = 'balance' | 'bill_cap' | 'offline_limit' | 'below_minimum';

/**
 * The most points redeemable against a bill: a multiple of stepPoints, at least minPoints,
 * whose value is at most maxBillShareBp of the bill, within available points and the offline
 * allowance (when not null). Returns maxPoints 0 with the binding limit when nothing is allowed.
 * limitedBy is the tightest of balance / offline_limit / bill_cap (ties in that order); when
 * maxPoints is 0 although that limit still allows some points (fewer than minPoints), it is
 * 'below_minimum'.
 */
export function maxRedeemablePoints(
  args: { billMinor: Minor; availablePoints: Points; tier: Tier; offlineRemaining: Points | null },
  rules: RuleSet,
): { maxPoints: Points; valueMinor: Minor; limitedBy: RedemptionLimit } {
  requireWhole(args.billMinor, 'billMinor', 0);
  requireWhole(args.availablePoints, 'availablePoints');
  if (args.offlineRemaining !== null) requireWhole(args.offlineRemaining, 'offlineRemaining');

  const candidates: { limit: Exclude<RedemptionLimit, 'below_minimum'>; points: number }[] = [
    { limit: 'balance', points: args.availablePoints },
  ];
  if (args.offlineRemaining !== null) candidates.push({ limit: 'offline_limit', points: args.offlineRemaining });
  candidates.push({ limit: 'bill_cap', points: billCapPoints(args.billMinor, args.tier, rules) });

  let binding = candidates[0] as (typeof candidates)[number];
  for (const c of candidates) if (c.points < binding.points) binding = c;

  const { stepPoints, minPoints } = rules.redeem;
  const stepped = binding.points > 0 ? binding.points - (binding.points % stepPoints) : 0;
  if (stepped < minPoints || stepped <= 0) {
    return { maxPoints: 0, valueMinor: 0, limitedBy: binding.points > 0 ? 'below_minimum' : binding.limit };
  }
  return { maxPoints: stepped, valueMinor: redemptionValueMinor(stepped, args.tier, rules), limitedBy: binding.limit };
}

/**
 * Validates a bill redemption and returns its value. Throws DomainError in this order:
 * REDEMPTION_BELOW_MINIMUM, REDEMPTION_NOT_IN_STEPS, INSUFFICIENT_POINTS,
 * OFFLINE_REDEMPTION_LIMIT (when offlineRemaining is not null and points exceed it),
 * REDEMPTION_ABOVE_BILL_CAP. Details carry the numbers (requested, available, maxPoints...).
 */
export function checkBillRedemption(
  args: { points: Points; billMinor: Minor; availablePoints: Points; tier: Tier; offlineRemaining: Points | null },
  rules: RuleSet,
): { valueMinor: Minor } {
  requireWhole(args.points, 'points');
  const max = maxRedeemablePoints(args, rules);
  const { minPoints, stepPoints, maxBillShareBp } = rules.redeem;
  const details = {
    requested: args.points,
    available: args.availablePoints,
    offlineRemaining: args.offlineRemaining,
    billMinor: args.billMinor,
    minPoints,
    stepPoints,
    maxPoints: max.maxPoints,
    maxValueMinor: max.valueMinor,
    limitedBy: max.limitedBy,
  };
  if (args.points < minPoints) {
    throw new DomainError('REDEMPTION_BELOW_MINIMUM', `At least ${String(minPoints)} points must be redeemed.`, details);
  }
  if (args.points % stepPoints !== 0) {
    throw new DomainError('REDEMPTION_NOT_IN_STEPS', `Points are redeemed in steps of ${String(stepPoints)}.`, details);
  }
  if (args.points > args.availablePoints) {
    throw new DomainError('INSUFFICIENT_POINTS', 'Not enough points.', details);
  }
  if (args.offlineRemaining !== null && args.points > args.offlineRemaining) {
    throw new DomainError('OFFLINE_REDEMPTION_LIMIT', 'The offline redemption limit for today is reached.', details);
  }
  const valueMinor = redemptionValueMinor(args.points, args.tier, rules);
  const capMinor = billCapValueMinor(args.billMinor, rules);
  if (valueMinor > capMinor) {
    throw new DomainError('REDEMPTION_ABOVE_BILL_CAP', 'Points may pay only part of the bill.', {
      ...details,
      valueMinor,
      capMinor,
      maxBillShareBp,
    });
  }
  return { valueMinor };
}

/**
 * Validates a catalogue reward redemption: REWARD_NOT_AVAILABLE (unknown or inactive),
 * INSUFFICIENT_POINTS, OFFLINE_REDEMPTION_LIMIT. Returns the reward.
 */
export function checkRewardRedemption(
  args: { rewardId: string; availablePoints: Points; offlineRemaining: Points | null },
  rules: RuleSet,
): Reward {
  requireWhole(args.availablePoints, 'availablePoints');
  if (args.offlineRemaining !== null && !isWholeNumber(args.offlineRemaining)) {
    requireWhole(args.offlineRemaining, 'offlineRemaining');
  }
  const reward = rules.rewards.find((r) => r.id === args.rewardId);
  if (!reward || !reward.active) {
    throw new DomainError('REWARD_NOT_AVAILABLE', 'This reward is not available.', {
      rewardId: args.rewardId,
      known: reward !== undefined,
    });
  }
  const details = {
    rewardId: reward.id,
    requested: reward.points,
    available: args.availablePoints,
    offlineRemaining: args.offlineRemaining,
  };
  if (reward.points > args.availablePoints) {
    throw new DomainError('INSUFFICIENT_POINTS', 'Not enough points for this reward.', details);
  }
  if (args.offlineRemaining !== null && reward.points > args.offlineRemaining) {
    throw new DomainError('OFFLINE_REDEMPTION_LIMIT', 'The offline redemption limit for today is reached.', details);
  }
  return reward;
}
