import { requireWhole } from './money';
import type { RuleSet } from './rules';
import type { Minor, Tier } from './types';

/** Silver at silverSpendMinor, Gold at goldSpendMinor, else regular. */
export function tierFromSpend(spendMinor: Minor, rules: RuleSet): Exclude<Tier, 'diamond'> {
  requireWhole(spendMinor, 'spendMinor');
  if (spendMinor >= rules.tiers.goldSpendMinor) return 'gold';
  if (spendMinor >= rules.tiers.silverSpendMinor) return 'silver';
  return 'regular';
}

/**
 * The member's tier now: Diamond when the centre says so; otherwise the higher of the tier
 * earned by the previous period's qualifying spend (kept for the whole following period) and
 * the tier earned so far this period (upgrades apply immediately).
 */
export function evaluateTier(
  args: { previousPeriodSpendMinor: Minor; currentPeriodSpendMinor: Minor; diamond: boolean },
  rules: RuleSet,
): Tier {
  const kept = tierFromSpend(args.previousPeriodSpendMinor, rules);
  const earned = tierFromSpend(args.currentPeriodSpendMinor, rules);
  if (args.diamond) return 'diamond';
  return tierRank(earned) > tierRank(kept) ? earned : kept;
}

/** Ordering of tiers, regular lowest. */
export function tierRank(tier: Tier): number {
  return ['regular', 'silver', 'gold', 'diamond'].indexOf(tier);
}
