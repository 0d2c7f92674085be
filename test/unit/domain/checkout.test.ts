import { describe, expect, it } from 'vitest';
import { planCheckout, priceSale } from '../../../src-shared/domain/checkout';
import { planRefund, type SoldLine } from '../../../src-shared/domain/refund';
import { checkoutInput, expectDomainError, line, member, rulesWith, RULES, secondsAfter } from './fixtures';

const PLAIN = rulesWith([]);

describe('priceSale', () => {
  it('prices lines after line discounts', () => {
    const sale = priceSale([line(1, 2500, { quantity: 2, discountMinor: 1000 }), line(2, 999)], null);
    expect(sale).toMatchObject({ grossMinor: 4999, redeemedPoints: 0, redeemedValueMinor: 0, paidMinor: 4999 });
    expect(sale.lines.map((l) => [l.lineNo, l.grossMinor, l.paidMinor])).toEqual([
      [1, 4000, 4000],
      [2, 999, 999],
    ]);
    expect(sale.lines[0]).toMatchObject({ category: 'general', quantity: 2, unitPriceMinor: 2500, discountMinor: 1000 });
  });

  it('spreads a redemption over the lines in proportion to gross', () => {
    const sale = priceSale([line(1, 6000), line(2, 4000)], { points: 1000, valueMinor: 1200 });
    expect(sale.lines.map((l) => [l.redeemedPoints, l.redeemedValueMinor, l.paidMinor])).toEqual([
      [600, 720, 5280],
      [400, 480, 3520],
    ]);
    expect(sale).toMatchObject({ grossMinor: 10000, redeemedPoints: 1000, redeemedValueMinor: 1200, paidMinor: 8800 });
  });

  it('uses largest remainders so the parts add up', () => {
    const sale = priceSale([line(1, 1000), line(2, 1000), line(3, 1000)], { points: 100, valueMinor: 100 });
    expect(sale.lines.map((l) => l.redeemedPoints)).toEqual([34, 33, 33]);
    expect(sale.lines.map((l) => l.redeemedValueMinor)).toEqual([34, 33, 33]);
    expect(sale.paidMinor).toBe(2900);
  });

  it('rejects bad sales with INVALID_INPUT', () => {
    expectDomainError(() => priceSale([], null), 'INVALID_INPUT');
    expectDomainError(() => priceSale([line(1, 100), line(1, 200)], null), 'INVALID_INPUT');
    expectDomainError(() => priceSale([line(1, 100, { quantity: 0 })], null), 'INVALID_INPUT');
    expectDomainError(() => priceSale([line(1, -100)], null), 'INVALID_INPUT');
    expectDomainError(() => priceSale([line(1, 100.5)], null), 'INVALID_INPUT');
    expectDomainError(() => priceSale([line(1, 100, { discountMinor: -1 })], null), 'INVALID_INPUT');
    const err = expectDomainError(() => priceSale([line(1, 100, { quantity: 2, discountMinor: 201 })], null), 'INVALID_INPUT');
    expect(err.details).toMatchObject({ lineNo: 1, discountMinor: 201 });
    expectDomainError(() => priceSale([line(1, 100)], { points: 200, valueMinor: 101 }), 'INVALID_INPUT');
    expectDomainError(() => priceSale([line(1, 100)], { points: -100, valueMinor: 0 }), 'INVALID_INPUT');
  });
});

describe('planCheckout', () => {
  it('a non-member sale earns nothing and redeems nothing', () => {
    const plan = planCheckout(checkoutInput({ member: null }), RULES);
    expect(plan.earn).toBeNull();
    expect(plan.redemption).toBeNull();
    expect(plan.priced.paidMinor).toBe(3000);
    expect(plan).toMatchObject({ overrodeRiskHold: false, overrodeOfflineLimit: false, ruleSetVersion: 1 });
  });

  it('a member sale earns on the paid amount', () => {
    const plan = planCheckout(checkoutInput({ lines: [line(1, 12345)], member: member({ tier: 'gold' }) }), PLAIN);
    expect(plan.earn?.purchasePoints).toBe(185);
  });

  it('redeeming needs a member', () => {
    expectDomainError(() => planCheckout(checkoutInput({ member: null, redeemPoints: 100 }), RULES), 'INVALID_INPUT');
  });

  it('a blocked member cannot redeem, but a plain purchase still computes earn', () => {
    const blocked = member({ blocked: true, availablePoints: 5000 });
    expectDomainError(() => planCheckout(checkoutInput({ member: blocked, redeemPoints: 500 }), RULES), 'MEMBER_BLOCKED');
    // Even with a manager override.
    expectDomainError(
      () => planCheckout(checkoutInput({ member: blocked, redeemPoints: 500, managerOverride: true }), RULES),
      'MEMBER_BLOCKED',
    );
    expect(planCheckout(checkoutInput({ member: blocked }), PLAIN).earn?.purchasePoints).toBe(30);
  });

  it('redeems at most 50% of the bill and earns only on what was paid with money', () => {
    const m = member({ availablePoints: 5000 });
    const plan = planCheckout(checkoutInput({ member: m, redeemPoints: 1500 }), PLAIN);
    expect(plan.redemption).toEqual({ points: 1500, valueMinor: 1500 });
    expect(plan.priced.paidMinor).toBe(1500);
    expect(plan.earn?.purchasePoints).toBe(15);
    const err = expectDomainError(() => planCheckout(checkoutInput({ member: m, redeemPoints: 1600 }), PLAIN), 'REDEMPTION_ABOVE_BILL_CAP');
    expect(err.details).toMatchObject({ maxPoints: 1500, billMinor: 3000 });
  });

  it('Diamond: 1,000 points take ¥12.00 off', () => {
    const m = member({ tier: 'diamond', availablePoints: 5000 });
    const plan = planCheckout(checkoutInput({ member: m, redeemPoints: 1000 }), PLAIN);
    expect(plan.redemption).toEqual({ points: 1000, valueMinor: 1200 });
    expect(plan.priced.paidMinor).toBe(1800);
    expect(plan.earn?.purchasePoints).toBe(36); // ¥18 x 2
  });

  it('the bill for the cap is the gross after line discounts', () => {
    const m = member({ availablePoints: 5000 });
    const lines = [line(1, 4000, { discountMinor: 1000 })];
    expect(planCheckout(checkoutInput({ lines, member: m, redeemPoints: 1500 }), PLAIN).priced.paidMinor).toBe(1500);
    expectDomainError(() => planCheckout(checkoutInput({ lines, member: m, redeemPoints: 1600 }), PLAIN), 'REDEMPTION_ABOVE_BILL_CAP');
  });

  it('passes on the minimum, step and balance rules', () => {
    const m = member({ availablePoints: 550 });
    expectDomainError(() => planCheckout(checkoutInput({ member: m, redeemPoints: 50 }), RULES), 'REDEMPTION_BELOW_MINIMUM');
    expectDomainError(() => planCheckout(checkoutInput({ member: m, redeemPoints: 250 }), RULES), 'REDEMPTION_NOT_IN_STEPS');
    expectDomainError(() => planCheckout(checkoutInput({ member: m, redeemPoints: 600 }), RULES), 'INSUFFICIENT_POINTS');
    expectDomainError(() => planCheckout(checkoutInput({ member: m, redeemPoints: -100 }), RULES), 'INVALID_INPUT');
  });

  describe('risk holds', () => {
    const now = '2026-11-22T10:00:00.000Z';
    const threeRecent = [secondsAfter(now, -30), secondsAfter(now, -200), secondsAfter(now, -500)];

    it('holds the 4th redemption of a member within 10 minutes', () => {
      const m = member({ availablePoints: 5000, recentRedemptions: threeRecent });
      const err = expectDomainError(() => planCheckout(checkoutInput({ member: m, redeemPoints: 500, now }), RULES), 'RISK_HOLD');
      expect(err.details).toMatchObject({ rule: 'member_velocity', count: 4, windowSeconds: 600, max: 3 });
      // Earning without redeeming is never held.
      expect(planCheckout(checkoutInput({ member: m, now }), RULES).earn).not.toBeNull();
    });

    it('holds the 21st redemption on a terminal within a minute', () => {
      const terminal = Array.from({ length: 20 }, (_, i) => secondsAfter(now, -i));
      const err = expectDomainError(
        () => planCheckout(checkoutInput({ member: member({ availablePoints: 5000 }), redeemPoints: 500, now, terminalRecentRedemptions: terminal }), RULES),
        'RISK_HOLD',
      );
      expect(err.details).toMatchObject({ rule: 'terminal_velocity', count: 21, windowSeconds: 60, max: 20 });
    });

    it('a manager override lifts the hold and says so', () => {
      const m = member({ availablePoints: 5000, recentRedemptions: threeRecent });
      const plan = planCheckout(checkoutInput({ member: m, redeemPoints: 500, now, managerOverride: true }), RULES);
      expect(plan.overrodeRiskHold).toBe(true);
      expect(plan.redemption?.points).toBe(500);
      const calm = planCheckout(checkoutInput({ member: member({ availablePoints: 5000 }), redeemPoints: 500, now, managerOverride: true }), RULES);
      expect(calm.overrodeRiskHold).toBe(false);
    });

    it('checks the block before the hold and the hold before the amounts', () => {
      const blocked = member({ blocked: true, availablePoints: 0, recentRedemptions: threeRecent });
      expectDomainError(() => planCheckout(checkoutInput({ member: blocked, redeemPoints: 50, now }), RULES), 'MEMBER_BLOCKED');
      const held = member({ availablePoints: 0, recentRedemptions: threeRecent });
      expectDomainError(() => planCheckout(checkoutInput({ member: held, redeemPoints: 50, now }), RULES), 'RISK_HOLD');
    });
  });

  describe('offline limit', () => {
    const m = member({ availablePoints: 9000 });
    const bigBill = [line(1, 100000)];

    it('limits offline redemption to the allowance left today', () => {
      expect(planCheckout(checkoutInput({ lines: bigBill, member: m, redeemPoints: 2000, offlineRemaining: 2000 }), RULES).redemption?.points).toBe(2000);
      const err = expectDomainError(
        () => planCheckout(checkoutInput({ lines: bigBill, member: m, redeemPoints: 600, offlineRemaining: 500 }), RULES),
        'OFFLINE_REDEMPTION_LIMIT',
      );
      expect(err.details).toMatchObject({ requested: 600, offlineRemaining: 500 });
      // Online (null) there is no limit beyond the balance.
      expect(planCheckout(checkoutInput({ lines: bigBill, member: m, redeemPoints: 5000, offlineRemaining: null }), RULES).redemption?.points).toBe(5000);
    });

    it('a manager override lifts the offline limit and says so only when it was needed', () => {
      const over = planCheckout(checkoutInput({ lines: bigBill, member: m, redeemPoints: 3000, offlineRemaining: 500, managerOverride: true }), RULES);
      expect(over.overrodeOfflineLimit).toBe(true);
      expect(over.redemption?.points).toBe(3000);
      const within = planCheckout(checkoutInput({ lines: bigBill, member: m, redeemPoints: 400, offlineRemaining: 500, managerOverride: true }), RULES);
      expect(within.overrodeOfflineLimit).toBe(false);
    });

    it('the override never lifts the balance or the bill cap', () => {
      expectDomainError(
        () => planCheckout(checkoutInput({ lines: bigBill, member: member({ availablePoints: 500 }), redeemPoints: 600, offlineRemaining: 0, managerOverride: true }), RULES),
        'INSUFFICIENT_POINTS',
      );
      expectDomainError(
        () => planCheckout(checkoutInput({ member: m, redeemPoints: 1600, offlineRemaining: 0, managerOverride: true }), RULES),
        'REDEMPTION_ABOVE_BILL_CAP',
      );
    });
  });

  it('records the rule-set version', () => {
    const rules = rulesWith([], (r) => {
      r.version = 7;
    });
    expect(planCheckout(checkoutInput(), rules).ruleSetVersion).toBe(7);
  });

  it('composes with refunds: partial refund then the rest equals a full refund', () => {
    const m = member({ tier: 'silver', availablePoints: 5000 });
    const lines = [line(1, 3333, { quantity: 3 }), line(2, 1001, { category: 'eco' })];
    const plan = planCheckout(checkoutInput({ lines, member: m, redeemPoints: 500 }), PLAIN);
    const earn = plan.earn;
    if (!earn) throw new Error('member sale must earn');
    const sold: SoldLine[] = plan.priced.lines.map((l, i) => ({
      lineNo: l.lineNo,
      quantity: l.quantity,
      paidMinor: l.paidMinor,
      redeemedPoints: l.redeemedPoints,
      earnedPoints: earn.perLine[i]?.points ?? 0,
    }));
    const full = planRefund(sold, [], [
      { lineNo: 1, quantity: 3 },
      { lineNo: 2, quantity: 1 },
    ]);
    expect(full.refundMinor).toBe(plan.priced.paidMinor);
    expect(full.returnRedeemedPoints).toBe(500);
    expect(full.reverseEarnedPoints).toBe(earn.purchasePoints);

    const first = planRefund(sold, [], [{ lineNo: 1, quantity: 1 }]);
    const rest = planRefund(sold, [{ lineNo: 1, quantity: 1 }], [
      { lineNo: 1, quantity: 2 },
      { lineNo: 2, quantity: 1 },
    ]);
    expect(first.refundMinor + rest.refundMinor).toBe(full.refundMinor);
    expect(first.returnRedeemedPoints + rest.returnRedeemedPoints).toBe(full.returnRedeemedPoints);
    expect(first.reverseEarnedPoints + rest.reverseEarnedPoints).toBe(full.reverseEarnedPoints);
  });
});
