import type { RfmSegment } from '../../src-shared/api/contract-reports';

/**
 * Small pure pieces of the reports: ratios in basis points, the RFM segment grid and the
 * lifetime-value estimate. Integer results; the inputs are SQL aggregates.
 */

/** part / whole in basis points (10000 = 100%), rounded half up; 0 when whole is 0. */
export function ratioBp(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.round((part * 10000) / whole);
}

/** Floor division for non-negative totals; 0 when the divisor is 0. */
export function per(total: number, count: number): number {
  return count > 0 ? Math.floor(total / count) : 0;
}

/**
 * The usual RFM grid on the recency score (5 = bought most recently) and the frequency score
 * (5 = buys most often, ties broken by spend), each a quintile from 1 to 5.
 */
export function rfmSegment(r: number, f: number): RfmSegment {
  if (r >= 4 && f >= 4) return r === 5 || f === 5 ? 'champions' : 'loyal';
  if (r === 3 && f >= 4) return 'loyal';
  if (r >= 4 && f >= 2) return 'potential_loyalists';
  if (r === 5 && f === 1) return 'new_customers';
  if (r === 4 && f === 1) return 'promising';
  if (r === 3 && f === 3) return 'need_attention';
  if (r === 3) return 'about_to_sleep';
  if (f === 5) return 'cannot_lose';
  if (f >= 3) return 'at_risk';
  return 'hibernating';
}

export interface ClvInput {
  /** Over the year up to the report date: buyers, their receipts and what they paid. */
  buyers: number;
  orders: number;
  revenueMinor: number;
  /** Buyers of that year whose last purchase is 90 days or more ago. */
  silentBuyers: number;
}

/** Lifetime is 1 / yearly churn, at most five years (churn at least 20%). */
export const MIN_YEARLY_CHURN_BP = 2000;

export function estimateClv(i: ClvInput): {
  averageOrderMinor: number;
  purchasesPerYearX100: number;
  yearlyChurnBp: number;
  expectedLifetimeMonths: number;
  estimatedMinor: number;
  buyers: number;
} {
  const averageOrderMinor = per(i.revenueMinor, i.orders);
  const purchasesPerYearX100 = i.buyers > 0 ? Math.round((i.orders * 100) / i.buyers) : 0;
  const yearlyChurnBp = ratioBp(i.silentBuyers, i.buyers);
  const churn = Math.max(yearlyChurnBp, MIN_YEARLY_CHURN_BP);
  const expectedLifetimeMonths = i.buyers > 0 ? Math.round((12 * 10000) / churn) : 0;
  // AOV x purchases per year x years, with integers: the year fraction is months / 12.
  const estimatedMinor = i.buyers > 0 ? Math.floor((averageOrderMinor * purchasesPerYearX100 * expectedLifetimeMonths) / (100 * 12)) : 0;
  return { averageOrderMinor, purchasesPerYearX100, yearlyChurnBp, expectedLifetimeMonths, estimatedMinor, buyers: i.buyers };
}

/** What `points` are worth at the redemption value of a tier (floored to whole minor units). */
export function pointsValueMinor(points: number, rules: { minorPerUnit: number; redeem: { pointsPerUnit: number; tierValueBp: Record<string, number> } }, tier: string): number {
  const bp = rules.redeem.tierValueBp[tier] ?? 10000;
  const sign = points < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(points) * rules.minorPerUnit * bp) / (rules.redeem.pointsPerUnit * 10000));
}
