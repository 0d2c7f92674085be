import { describe, expect, it } from 'vitest';
import {
  billCapValueMinor,
  checkBillRedemption,
  checkRewardRedemption,
  maxRedeemablePoints,
  redemptionValueMinor,
} from '../../../src-shared/domain/redeem';
import { expectDomainError, RULES, rulesWith } from './fixtures';

describe('redemptionValueMinor: 100 points = 1 unit, Diamond 1.2', () => {
  it('values points by tier', () => {
    expect(redemptionValueMinor(100, 'regular', RULES)).toBe(100);
    expect(redemptionValueMinor(1000, 'regular', RULES)).toBe(1000);
    expect(redemptionValueMinor(1000, 'silver', RULES)).toBe(1000);
    expect(redemptionValueMinor(1000, 'gold', RULES)).toBe(1000);
    expect(redemptionValueMinor(1000, 'diamond', RULES)).toBe(1200); // ¥12.00
    expect(redemptionValueMinor(100, 'diamond', RULES)).toBe(120);
  });

  it('floors a fractional value', () => {
    expect(redemptionValueMinor(1, 'diamond', RULES)).toBe(1); // 1.2 fen
    expect(redemptionValueMinor(4, 'diamond', RULES)).toBe(4); // 4.8 fen
    expect(redemptionValueMinor(0, 'diamond', RULES)).toBe(0);
  });
});

describe('maxRedeemablePoints', () => {
  it('50% of a ¥30 bill is at most 1,500 points', () => {
    expect(billCapValueMinor(3000, RULES)).toBe(1500);
    expect(maxRedeemablePoints({ billMinor: 3000, availablePoints: 10000, tier: 'regular', offlineRemaining: null }, RULES)).toEqual({
      maxPoints: 1500,
      valueMinor: 1500,
      limitedBy: 'bill_cap',
    });
  });

  it('Diamond points are worth more, so fewer fit the cap (in steps of 100)', () => {
    // 1,250 points would be ¥15.00; in steps of 100 that is 1,200 = ¥14.40.
    expect(maxRedeemablePoints({ billMinor: 3000, availablePoints: 10000, tier: 'diamond', offlineRemaining: null }, RULES)).toEqual({
      maxPoints: 1200,
      valueMinor: 1440,
      limitedBy: 'bill_cap',
    });
  });

  it('is limited by the balance, rounded down to a step', () => {
    expect(maxRedeemablePoints({ billMinor: 100000, availablePoints: 1234, tier: 'regular', offlineRemaining: null }, RULES)).toEqual({
      maxPoints: 1200,
      valueMinor: 1200,
      limitedBy: 'balance',
    });
  });

  it('is limited by the offline allowance when there is one', () => {
    expect(maxRedeemablePoints({ billMinor: 1000000, availablePoints: 9000, tier: 'regular', offlineRemaining: 2000 }, RULES)).toEqual({
      maxPoints: 2000,
      valueMinor: 2000,
      limitedBy: 'offline_limit',
    });
    expect(maxRedeemablePoints({ billMinor: 1000000, availablePoints: 9000, tier: 'regular', offlineRemaining: 0 }, RULES)).toEqual({
      maxPoints: 0,
      valueMinor: 0,
      limitedBy: 'offline_limit',
    });
  });

  it('returns 0 with the binding limit when nothing is allowed', () => {
    expect(maxRedeemablePoints({ billMinor: 100000, availablePoints: 0, tier: 'regular', offlineRemaining: null }, RULES)).toMatchObject({
      maxPoints: 0,
      limitedBy: 'balance',
    });
    expect(maxRedeemablePoints({ billMinor: 100000, availablePoints: -50, tier: 'regular', offlineRemaining: null }, RULES)).toMatchObject({
      maxPoints: 0,
      limitedBy: 'balance',
    });
    expect(maxRedeemablePoints({ billMinor: 0, availablePoints: 5000, tier: 'regular', offlineRemaining: null }, RULES)).toMatchObject({
      maxPoints: 0,
      limitedBy: 'bill_cap',
    });
    // Some points fit every limit, but fewer than the minimum of 100.
    expect(maxRedeemablePoints({ billMinor: 100000, availablePoints: 99, tier: 'regular', offlineRemaining: null }, RULES)).toMatchObject({
      maxPoints: 0,
      limitedBy: 'below_minimum',
    });
    expect(maxRedeemablePoints({ billMinor: 150, availablePoints: 5000, tier: 'regular', offlineRemaining: null }, RULES)).toMatchObject({
      maxPoints: 0,
      limitedBy: 'below_minimum',
    });
  });
});

describe('checkBillRedemption', () => {
  const ok = { points: 500, billMinor: 3000, availablePoints: 5000, tier: 'regular' as const, offlineRemaining: null };

  it('returns the value of a valid redemption', () => {
    expect(checkBillRedemption(ok, RULES)).toEqual({ valueMinor: 500 });
    expect(checkBillRedemption({ ...ok, points: 1500 }, RULES)).toEqual({ valueMinor: 1500 });
    expect(checkBillRedemption({ ...ok, points: 1000, tier: 'diamond' }, RULES)).toEqual({ valueMinor: 1200 });
  });

  it('needs at least 100 points', () => {
    const err = expectDomainError(() => checkBillRedemption({ ...ok, points: 50 }, RULES), 'REDEMPTION_BELOW_MINIMUM');
    expect(err.details).toMatchObject({ requested: 50, minPoints: 100 });
    expectDomainError(() => checkBillRedemption({ ...ok, points: 0 }, RULES), 'REDEMPTION_BELOW_MINIMUM');
  });

  it('needs steps of 100', () => {
    const err = expectDomainError(() => checkBillRedemption({ ...ok, points: 150 }, RULES), 'REDEMPTION_NOT_IN_STEPS');
    expect(err.details).toMatchObject({ requested: 150, stepPoints: 100 });
  });

  it('needs the points', () => {
    const err = expectDomainError(
      () => checkBillRedemption({ ...ok, points: 600, availablePoints: 550 }, RULES),
      'INSUFFICIENT_POINTS',
    );
    expect(err.details).toMatchObject({ requested: 600, available: 550, maxPoints: 500 });
  });

  it('refuses more than 50% of the bill', () => {
    expect(checkBillRedemption({ ...ok, points: 1500 }, RULES).valueMinor).toBe(1500);
    const err = expectDomainError(() => checkBillRedemption({ ...ok, points: 1600 }, RULES), 'REDEMPTION_ABOVE_BILL_CAP');
    expect(err.details).toMatchObject({ requested: 1600, valueMinor: 1600, capMinor: 1500, maxPoints: 1500 });
    // Diamond: 1,300 points = ¥15.60 > ¥15.00.
    expectDomainError(() => checkBillRedemption({ ...ok, points: 1300, tier: 'diamond' }, RULES), 'REDEMPTION_ABOVE_BILL_CAP');
  });

  it('respects the offline allowance only when there is one', () => {
    expectDomainError(() => checkBillRedemption({ ...ok, points: 600, offlineRemaining: 500 }, RULES), 'OFFLINE_REDEMPTION_LIMIT');
    expect(checkBillRedemption({ ...ok, points: 500, offlineRemaining: 500 }, RULES).valueMinor).toBe(500);
  });

  it('checks in the documented order', () => {
    // Below minimum wins over everything.
    expectDomainError(
      () => checkBillRedemption({ points: 50, billMinor: 0, availablePoints: 0, tier: 'regular', offlineRemaining: 0 }, RULES),
      'REDEMPTION_BELOW_MINIMUM',
    );
    // Steps before balance.
    expectDomainError(
      () => checkBillRedemption({ points: 150, billMinor: 0, availablePoints: 0, tier: 'regular', offlineRemaining: 0 }, RULES),
      'REDEMPTION_NOT_IN_STEPS',
    );
    // Balance before the offline limit.
    expectDomainError(
      () => checkBillRedemption({ points: 200, billMinor: 0, availablePoints: 100, tier: 'regular', offlineRemaining: 0 }, RULES),
      'INSUFFICIENT_POINTS',
    );
    // Offline limit before the bill cap.
    expectDomainError(
      () => checkBillRedemption({ points: 200, billMinor: 0, availablePoints: 500, tier: 'regular', offlineRemaining: 100 }, RULES),
      'OFFLINE_REDEMPTION_LIMIT',
    );
    expectDomainError(
      () => checkBillRedemption({ points: 200, billMinor: 0, availablePoints: 500, tier: 'regular', offlineRemaining: null }, RULES),
      'REDEMPTION_ABOVE_BILL_CAP',
    );
  });

  it('rejects fractional points', () => {
    expectDomainError(() => checkBillRedemption({ ...ok, points: 100.5 }, RULES), 'INVALID_INPUT');
  });
});

describe('checkRewardRedemption: the reward catalogue', () => {
  it('1,000 points for a coupon, 5,000 for a free service', () => {
    expect(checkRewardRedemption({ rewardId: 'coupon-10', availablePoints: 1000, offlineRemaining: null }, RULES).points).toBe(1000);
    expect(checkRewardRedemption({ rewardId: 'free-service', availablePoints: 5000, offlineRemaining: null }, RULES).points).toBe(5000);
  });

  it('refuses unknown and inactive rewards', () => {
    expectDomainError(
      () => checkRewardRedemption({ rewardId: 'nope', availablePoints: 99999, offlineRemaining: null }, RULES),
      'REWARD_NOT_AVAILABLE',
    );
    const rules = rulesWith([], (r) => {
      r.rewards = [{ id: 'old', name: 'Old', points: 100, active: false }];
    });
    expectDomainError(
      () => checkRewardRedemption({ rewardId: 'old', availablePoints: 99999, offlineRemaining: null }, rules),
      'REWARD_NOT_AVAILABLE',
    );
  });

  it('needs the points, and the offline allowance (2,000 by default) when offline', () => {
    const err = expectDomainError(
      () => checkRewardRedemption({ rewardId: 'free-service', availablePoints: 4999, offlineRemaining: null }, RULES),
      'INSUFFICIENT_POINTS',
    );
    expect(err.details).toMatchObject({ requested: 5000, available: 4999 });
    expectDomainError(
      () => checkRewardRedemption({ rewardId: 'free-service', availablePoints: 9000, offlineRemaining: 2000 }, RULES),
      'OFFLINE_REDEMPTION_LIMIT',
    );
    expect(checkRewardRedemption({ rewardId: 'coupon-10', availablePoints: 9000, offlineRemaining: 2000 }, RULES).id).toBe('coupon-10');
  });
});
