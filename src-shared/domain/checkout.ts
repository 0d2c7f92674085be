import { DomainError } from '../errors/domain-error';
import { assessRedemptionRisk } from './risk';
import { checkBillRedemption } from './redeem';
import { computeEarn } from './earn';
import { allocateProportionally, lineGrossMinor, requireWhole } from './money';
import type { RuleSet } from './rules';
import type { BusinessDate, Instant, Minor, Points, SaleLineInput, Tier } from './types';

/** A sale line after pricing: what it cost, what points paid for, what money paid for. */
export interface PricedLine extends SaleLineInput {
  grossMinor: Minor;
  /** Points spent on this line (share of the bill redemption, largest remainder by gross). */
  redeemedPoints: Points;
  /** Money value of those points (share of the redemption value, largest remainder by gross). */
  redeemedValueMinor: Minor;
  /** grossMinor - redeemedValueMinor: what the customer actually paid for this line. */
  paidMinor: Minor;
}

export interface PricedSale {
  lines: PricedLine[];
  grossMinor: Minor;
  redeemedPoints: Points;
  redeemedValueMinor: Minor;
  paidMinor: Minor;
}

/**
 * Prices lines and spreads a bill redemption over them in proportion to gross.
 * Throws DomainError INVALID_INPUT for no lines, duplicate lineNo, quantity < 1, negative or
 * non-integer money, a discount above the line's price, or a redemption value above the gross.
 */
export function priceSale(
  lines: readonly SaleLineInput[],
  redemption: { points: Points; valueMinor: Minor } | null,
): PricedSale {
  if (lines.length === 0) throw new DomainError('INVALID_INPUT', 'A sale needs at least one line.', {});
  const seen = new Set<number>();
  const grosses: number[] = [];
  let grossMinor = 0;
  for (const line of lines) {
    requireWhole(line.lineNo, 'lineNo', 1);
    if (seen.has(line.lineNo)) {
      throw new DomainError('INVALID_INPUT', 'Two sale lines share a line number.', { lineNo: line.lineNo });
    }
    seen.add(line.lineNo);
    const d = { lineNo: line.lineNo };
    requireWhole(line.quantity, 'quantity', 1, d);
    requireWhole(line.unitPriceMinor, 'unitPriceMinor', 0, d);
    const discount = requireWhole(line.discountMinor ?? 0, 'discountMinor', 0, d);
    const undiscounted = BigInt(line.quantity) * BigInt(line.unitPriceMinor);
    if (BigInt(discount) > undiscounted) {
      throw new DomainError('INVALID_INPUT', 'A discount is above the line price.', {
        lineNo: line.lineNo,
        discountMinor: discount,
        lineMinor: undiscounted.toString(),
      });
    }
    const gross = lineGrossMinor(line);
    grosses.push(gross);
    grossMinor = requireWhole(grossMinor + gross, 'grossMinor', 0);
  }

  const points = redemption ? requireWhole(redemption.points, 'redemption points', 0) : 0;
  const valueMinor = redemption ? requireWhole(redemption.valueMinor, 'redemption valueMinor', 0) : 0;
  if (valueMinor > grossMinor) {
    throw new DomainError('INVALID_INPUT', 'The redemption is worth more than the sale.', {
      redeemedValueMinor: valueMinor,
      grossMinor,
    });
  }
  const pointsPerLine = allocateProportionally(points, grosses);
  // Each part is at most ceil(valueMinor * gross / total) <= gross, so paidMinor >= 0.
  const valuePerLine = allocateProportionally(valueMinor, grosses);

  const priced: PricedLine[] = lines.map((line, i) => {
    const gross = grosses[i] as number;
    const value = valuePerLine[i] as number;
    return {
      ...line,
      grossMinor: gross,
      redeemedPoints: pointsPerLine[i] as number,
      redeemedValueMinor: value,
      paidMinor: gross - value,
    };
  });
  return {
    lines: priced,
    grossMinor,
    redeemedPoints: points,
    redeemedValueMinor: valueMinor,
    paidMinor: grossMinor - valueMinor,
  };
}

/** What the domain needs to know about a member at checkout. */
export interface MemberAtCheckout {
  tier: Tier;
  blocked: boolean;
  /** Points available now (balance after any lazy expiry; may be negative). */
  availablePoints: Points;
  /** `MM-DD` or `YYYY-MM-DD`; null when unknown. */
  birthday: string | null;
  /** True when a birthday bonus was already credited in the current birthday month's year. */
  birthdayBonusGivenThisYear: boolean;
  /** Business date of the member's last purchase, null if none. */
  lastPurchaseDate: BusinessDate | null;
  /** Purchase points (earn + spend bonus) already credited on this business date. */
  purchasePointsToday: Points;
  /** Instants of this member's bill and reward redemptions (any age; the rule filters the window). */
  recentRedemptions: readonly Instant[];
}

export interface CheckoutPlanInput {
  lines: readonly SaleLineInput[];
  member: MemberAtCheckout | null;
  /** Points the cashier asked to redeem against the bill; 0 for none. */
  redeemPoints: Points;
  businessDate: BusinessDate;
  now: Instant;
  /**
   * The offline redemption allowance left for this member today, or null when the terminal is
   * online or standalone (no limit beyond the balance).
   */
  offlineRemaining: Points | null;
  /** Instants of bill and reward redemptions on this terminal (any age). */
  terminalRecentRedemptions: readonly Instant[];
  /** A manager's PIN was given: lifts a velocity hold and the offline limit (never the balance or bill cap). */
  managerOverride: boolean;
}

export interface EarnLine {
  lineNo: number;
  /** Receipt points (purchase + spend bonus + birthday) allocated to this line, for refunds. */
  points: Points;
  /** The campaign whose multiplier applied to this line, if any. */
  campaignId: string | null;
  campaignMultiplierBp: number;
}

export interface EarnResult {
  /** Purchase points credited (base x tier x best campaign per line, floored per receipt, after cap). */
  purchasePoints: Points;
  /** Spend-threshold bonuses credited (after cap). */
  spendBonuses: { campaignId: string; points: Points }[];
  /** Birthday bonus credited (not capped), 0 if none. */
  birthdayBonus: Points;
  /** Purchase points and spend bonuses above the daily cap: recorded, not credited. */
  cappedPoints: Points;
  perLine: EarnLine[];
  tierMultiplierBp: number;
}

export interface CheckoutPlan {
  priced: PricedSale;
  /** Null for a non-member sale. */
  earn: EarnResult | null;
  redemption: { points: Points; valueMinor: Minor } | null;
  /** True when the velocity rule was lifted by a manager override (only when it would have held). */
  overrodeRiskHold: boolean;
  /**
   * True when the offline limit was lifted by a manager override (only when offlineRemaining was
   * not null and the redemption exceeded it).
   */
  overrodeOfflineLimit: boolean;
  /** The rule-set version the plan was computed with. */
  ruleSetVersion: number;
}

/**
 * The whole checkout as a pure function: validate the redemption (redeem.ts, risk.ts),
 * price the sale, compute earn (earn.ts) on what was actually paid.
 * Throws DomainError: MEMBER_BLOCKED (redeeming while blocked), RISK_HOLD (velocity; details
 * say which rule), OFFLINE_REDEMPTION_LIMIT, INSUFFICIENT_POINTS, REDEMPTION_BELOW_MINIMUM,
 * REDEMPTION_NOT_IN_STEPS, REDEMPTION_ABOVE_BILL_CAP, INVALID_INPUT (redeeming without a member).
 * Order: the lines are validated first (INVALID_INPUT), then for redeemPoints > 0: member
 * required, MEMBER_BLOCKED, RISK_HOLD (unless managerOverride), then checkBillRedemption's order
 * against the bill = gross after line discounts. A blocked member's sale without redemption
 * still gets its earn computed (the caller decides what to do with it).
 */
export function planCheckout(input: CheckoutPlanInput, rules: RuleSet): CheckoutPlan {
  const redeemPoints = requireWhole(input.redeemPoints, 'redeemPoints', 0);
  // Prices the lines without points first: validates them and gives the bill for the cap.
  const unredeemed = priceSale(input.lines, null);

  let priced = unredeemed;
  let redemption: { points: Points; valueMinor: Minor } | null = null;
  let overrodeRiskHold = false;
  let overrodeOfflineLimit = false;

  if (redeemPoints > 0) {
    const member = input.member;
    if (!member) {
      throw new DomainError('INVALID_INPUT', 'Only a member can redeem points.', { redeemPoints });
    }
    if (member.blocked) {
      throw new DomainError('MEMBER_BLOCKED', 'This member is blocked and cannot redeem points.', { redeemPoints });
    }
    const verdict = assessRedemptionRisk(
      {
        now: input.now,
        memberRedemptions: member.recentRedemptions,
        terminalRedemptions: input.terminalRecentRedemptions,
      },
      rules,
    );
    if (verdict.held) {
      if (!input.managerOverride) {
        throw new DomainError('RISK_HOLD', 'Too many redemptions: a manager must approve.', {
          rule: verdict.rule,
          count: verdict.count,
          windowSeconds: verdict.windowSeconds,
          max:
            verdict.rule === 'member_velocity'
              ? rules.risk.memberRedemptionsMax
              : rules.risk.terminalRedemptionsMax,
        });
      }
      overrodeRiskHold = true;
    }
    const offline = input.offlineRemaining;
    if (offline !== null) requireWhole(offline, 'offlineRemaining');
    const liftOffline = input.managerOverride && offline !== null;
    const { valueMinor } = checkBillRedemption(
      {
        points: redeemPoints,
        billMinor: unredeemed.grossMinor,
        availablePoints: member.availablePoints,
        tier: member.tier,
        offlineRemaining: liftOffline ? null : offline,
      },
      rules,
    );
    overrodeOfflineLimit = liftOffline && offline !== null && redeemPoints > offline;
    redemption = { points: redeemPoints, valueMinor };
    priced = priceSale(input.lines, redemption);
  }

  const earn = input.member ? computeEarn(priced.lines, input.member, input.businessDate, rules) : null;
  return { priced, earn, redemption, overrodeRiskHold, overrodeOfflineLimit, ruleSetVersion: rules.version };
}
