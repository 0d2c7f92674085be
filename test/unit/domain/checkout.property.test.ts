import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planCheckout } from '../../../src-shared/domain/checkout';
import { maxRedeemablePoints } from '../../../src-shared/domain/redeem';
import { TIERS } from '../../../src-shared/domain/types';
import { DomainError } from '../../../src-shared/errors/domain-error';
import { checkoutInput, line, member, RULES } from './fixtures';

const EXPECTED_REFUSALS = new Set([
  'INSUFFICIENT_POINTS',
  'REDEMPTION_BELOW_MINIMUM',
  'REDEMPTION_NOT_IN_STEPS',
  'REDEMPTION_ABOVE_BILL_CAP',
  'OFFLINE_REDEMPTION_LIMIT',
]);

const linesArb = fc
  .array(
    fc.record({
      unit: fc.nat({ max: 200_000 }),
      quantity: fc.integer({ min: 1, max: 5 }),
      discountShare: fc.nat({ max: 100 }),
      category: fc.constantFrom('eco', 'food'),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((ls) =>
    ls.map((l, i) =>
      line(i + 1, l.unit, {
        quantity: l.quantity,
        category: l.category,
        discountMinor: Math.floor((l.unit * l.quantity * l.discountShare) / 100),
      }),
    ),
  );

const scenarioArb = fc.record({
  lines: linesArb,
  tier: fc.constantFrom(...TIERS),
  available: fc.integer({ min: -500, max: 50_000 }),
  redeemPoints: fc.oneof(fc.nat({ max: 60_000 }).map((n) => n * 100), fc.nat({ max: 6_000_000 })),
  offlineRemaining: fc.option(fc.nat({ max: 2000 }), { nil: null }),
  managerOverride: fc.boolean(),
});

describe('planCheckout (property)', () => {
  it('never lets points pay more than 50% of the bill, and never more than allowed', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const input = checkoutInput({
          lines: s.lines,
          member: member({ tier: s.tier, availablePoints: s.available }),
          redeemPoints: s.redeemPoints,
          offlineRemaining: s.offlineRemaining,
          managerOverride: s.managerOverride,
        });
        let plan;
        try {
          plan = planCheckout(input, RULES);
        } catch (e) {
          expect(e).toBeInstanceOf(DomainError);
          expect(EXPECTED_REFUSALS.has((e as DomainError).code)).toBe(true);
          return;
        }
        const { priced } = plan;
        // value <= 50% of the gross after line discounts
        expect(priced.redeemedValueMinor * 10000).toBeLessThanOrEqual(priced.grossMinor * RULES.redeem.maxBillShareBp);
        expect(priced.paidMinor).toBe(priced.grossMinor - priced.redeemedValueMinor);
        expect(priced.lines.reduce((a, l) => a + l.paidMinor, 0)).toBe(priced.paidMinor);
        expect(priced.lines.reduce((a, l) => a + l.redeemedPoints, 0)).toBe(priced.redeemedPoints);
        priced.lines.forEach((l) => {
          expect(l.paidMinor).toBeGreaterThanOrEqual(0);
          expect(l.redeemedValueMinor).toBeLessThanOrEqual(l.grossMinor);
        });
        if (s.redeemPoints > 0) {
          expect(plan.redemption?.points).toBe(s.redeemPoints);
          expect(s.redeemPoints).toBeLessThanOrEqual(s.available);
          if (s.offlineRemaining !== null && !s.managerOverride) expect(s.redeemPoints).toBeLessThanOrEqual(s.offlineRemaining);
          expect(plan.overrodeOfflineLimit).toBe(s.managerOverride && s.offlineRemaining !== null && s.redeemPoints > s.offlineRemaining);
        } else {
          expect(plan.redemption).toBeNull();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('maxRedeemablePoints is exactly what planCheckout accepts', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const bill = s.lines.reduce((a, l) => a + l.quantity * l.unitPriceMinor - (l.discountMinor ?? 0), 0);
        const offline = s.managerOverride ? null : s.offlineRemaining;
        const max = maxRedeemablePoints({ billMinor: bill, availablePoints: s.available, tier: s.tier, offlineRemaining: offline }, RULES);
        const base = { lines: s.lines, member: member({ tier: s.tier, availablePoints: s.available }), offlineRemaining: s.offlineRemaining, managerOverride: s.managerOverride };
        if (max.maxPoints > 0) {
          const plan = planCheckout(checkoutInput({ ...base, redeemPoints: max.maxPoints }), RULES);
          expect(plan.redemption).toEqual({ points: max.maxPoints, valueMinor: max.valueMinor });
        }
        const above = Math.max(max.maxPoints + RULES.redeem.stepPoints, RULES.redeem.minPoints);
        expect(() => planCheckout(checkoutInput({ ...base, redeemPoints: above }), RULES)).toThrow(DomainError);
      }),
      { numRuns: 500 },
    );
  });
});
