import { describe, expect, it } from 'vitest';
import { computeEarn } from '../../../src-shared/domain/earn';
import { daysBetweenDates } from '../../../src-shared/domain/dates';
import type { Campaign } from '../../../src-shared/domain/rules';
import { member, paidLine, RULES, rulesWith } from './fixtures';

const DAY = '2026-11-22';
/** The default rules without the reactivation campaign, so base cases are plain. */
const PLAIN = rulesWith([]);

const xmasDouble: Campaign = { id: 'xmas', kind: 'multiplier', name: 'Double points', from: '2026-12-24', to: '2026-12-26', multiplierBp: 20000 };
const ecoTriple: Campaign = { id: 'eco3', kind: 'multiplier', name: 'Eco x3', from: '2026-01-01', to: '2026-12-31', multiplierBp: 30000, categories: ['eco'] };
const ecoOneAndHalf: Campaign = { id: 'eco15', kind: 'multiplier', name: 'Eco x1.5', from: '2026-01-01', to: '2026-12-31', multiplierBp: 15000, categories: ['eco'] };
const spend200: Campaign = { id: 'spend200', kind: 'spend_bonus', name: 'Spend ¥200 get 50', from: '2026-01-01', to: '2026-12-31', thresholdMinor: 20000, bonusPoints: 50 };

describe('base earn and tier multipliers', () => {
  it.each([
    ['regular', 123],
    ['silver', 154], // 123.45 x 1.25 = 154.3125
    ['gold', 185], // 123.45 x 1.5 = 185.175
    ['diamond', 246], // 123.45 x 2 = 246.9
  ] as const)('a %s member paying ¥123.45 earns %i', (tier, expected) => {
    const earn = computeEarn([paidLine(1, 12345)], member({ tier }), DAY, PLAIN);
    expect(earn.purchasePoints).toBe(expected);
    expect(earn.tierMultiplierBp).toBe(PLAIN.earn.tierMultipliersBp[tier]);
    expect(earn.cappedPoints).toBe(0);
    expect(earn.perLine).toEqual([{ lineNo: 1, points: expected, campaignId: null, campaignMultiplierBp: 10000 }]);
  });

  it('floors once per receipt, not per line', () => {
    expect(computeEarn([paidLine(1, 50), paidLine(2, 50)], member(), DAY, PLAIN).purchasePoints).toBe(1);
    // Silver, 2 x ¥10.10: 12.625 + 12.625 = 25.25 -> 25 (per-line floors would give 24).
    expect(computeEarn([paidLine(1, 1010), paidLine(2, 1010)], member({ tier: 'silver' }), DAY, PLAIN).purchasePoints).toBe(25);
  });

  it('earns nothing on nothing paid', () => {
    const earn = computeEarn([paidLine(1, 0)], member({ tier: 'diamond' }), DAY, PLAIN);
    expect(earn).toMatchObject({ purchasePoints: 0, birthdayBonus: 0, cappedPoints: 0, spendBonuses: [] });
    expect(earn.perLine[0]?.points).toBe(0);
  });

  it('follows pointsPerUnit and minorPerUnit from the rules', () => {
    const rules = rulesWith([], (r) => {
      r.earn.pointsPerUnit = 2;
    });
    expect(computeEarn([paidLine(1, 12345)], member({ tier: 'gold' }), DAY, rules).purchasePoints).toBe(370); // 123.45 x 2 x 1.5
  });
});

describe('campaign multipliers', () => {
  const rules = rulesWith([xmasDouble, ecoTriple]);

  it('a date-ranged campaign doubles points only within its dates (inclusive)', () => {
    const earnOn = (day: string): number => computeEarn([paidLine(1, 10000)], member(), day, rules).purchasePoints;
    expect(earnOn('2026-12-23')).toBe(100);
    expect(earnOn('2026-12-24')).toBe(200);
    expect(earnOn('2026-12-26')).toBe(200);
    expect(earnOn('2026-12-27')).toBe(100);
  });

  it('multiplies on top of the tier multiplier', () => {
    // Gold ¥100 on a double-points day: 100 x 1.5 x 2.
    expect(computeEarn([paidLine(1, 10000)], member({ tier: 'gold' }), '2026-12-25', rules).purchasePoints).toBe(300);
  });

  it('a category campaign applies only to its categories', () => {
    const earn = computeEarn([paidLine(1, 10000, 'eco'), paidLine(2, 10000, 'food')], member(), DAY, rules);
    expect(earn.purchasePoints).toBe(400);
    expect(earn.perLine).toEqual([
      { lineNo: 1, points: 300, campaignId: 'eco3', campaignMultiplierBp: 30000 },
      { lineNo: 2, points: 100, campaignId: null, campaignMultiplierBp: 10000 },
    ]);
  });

  it('per line the highest campaign wins: a higher category campaign beats the date campaign', () => {
    const earn = computeEarn([paidLine(1, 10000, 'eco'), paidLine(2, 10000, 'food')], member(), '2026-12-25', rules);
    expect(earn.purchasePoints).toBe(500); // eco 3x + food 2x, not 3x x 2x
    expect(earn.perLine.map((l) => [l.campaignId, l.campaignMultiplierBp, l.points])).toEqual([
      ['eco3', 30000, 300],
      ['xmas', 20000, 200],
    ]);
  });

  it('and a lower category campaign loses to the date campaign', () => {
    const lower = rulesWith([ecoOneAndHalf, xmasDouble]);
    const earn = computeEarn([paidLine(1, 10000, 'eco')], member(), '2026-12-25', lower);
    expect(earn.perLine[0]).toMatchObject({ campaignId: 'xmas', campaignMultiplierBp: 20000 });
    expect(earn.purchasePoints).toBe(200);
  });
});

describe('reactivation: double points for members silent 6 months', () => {
  it('applies at silentDays (183) and not a day earlier', () => {
    expect(daysBetweenDates('2026-05-23', DAY)).toBe(183);
    const silent = computeEarn([paidLine(1, 10000)], member({ lastPurchaseDate: '2026-05-23' }), DAY, RULES);
    expect(silent.purchasePoints).toBe(200);
    expect(silent.perLine[0]).toMatchObject({ campaignId: 'reactivation', campaignMultiplierBp: 20000 });

    const recent = computeEarn([paidLine(1, 10000)], member({ lastPurchaseDate: '2026-05-24' }), DAY, RULES);
    expect(recent.purchasePoints).toBe(100);
    expect(recent.perLine[0]?.campaignId).toBeNull();
  });

  it('never applies to a first purchase', () => {
    expect(computeEarn([paidLine(1, 10000)], member({ lastPurchaseDate: null }), DAY, RULES).purchasePoints).toBe(100);
  });

  it('competes with other campaigns per line (highest wins, not stacked)', () => {
    const rules = rulesWith([...RULES.campaigns, ecoTriple]);
    const earn = computeEarn(
      [paidLine(1, 10000, 'eco'), paidLine(2, 10000, 'food')],
      member({ tier: 'silver', lastPurchaseDate: '2025-01-01' }),
      DAY,
      rules,
    );
    // eco: 100 x 1.25 x 3 = 375; food: 100 x 1.25 x 2 = 250.
    expect(earn.purchasePoints).toBe(625);
    expect(earn.perLine.map((l) => l.campaignId)).toEqual(['eco3', 'reactivation']);
  });
});

describe('spend-threshold bonuses', () => {
  const rules = rulesWith([spend200]);

  it('adds the bonus when the receipt paid reaches the threshold', () => {
    expect(computeEarn([paidLine(1, 19999)], member(), DAY, rules).spendBonuses).toEqual([]);
    const earn = computeEarn([paidLine(1, 12000), paidLine(2, 8000)], member(), DAY, rules);
    expect(earn.purchasePoints).toBe(200);
    expect(earn.spendBonuses).toEqual([{ campaignId: 'spend200', points: 50 }]);
    // The bonus is spread over the lines with the purchase points: 250 in 120:80.
    expect(earn.perLine.map((l) => l.points)).toEqual([150, 100]);
  });

  it('is not multiplied by tier or campaigns', () => {
    const earn = computeEarn([paidLine(1, 20000)], member({ tier: 'diamond' }), DAY, rules);
    expect(earn.purchasePoints).toBe(400);
    expect(earn.spendBonuses).toEqual([{ campaignId: 'spend200', points: 50 }]);
  });

  it('only within its dates', () => {
    expect(computeEarn([paidLine(1, 50000)], member(), '2027-01-01', rules).spendBonuses).toEqual([]);
  });

  it('several bonuses add', () => {
    const spend100: Campaign = { ...spend200, id: 'spend100', thresholdMinor: 10000, bonusPoints: 20 };
    const earn = computeEarn([paidLine(1, 25000)], member(), DAY, rulesWith([spend200, spend100]));
    expect(earn.spendBonuses).toEqual([
      { campaignId: 'spend200', points: 50 },
      { campaignId: 'spend100', points: 20 },
    ]);
  });

  it('works even when the tier multiplier makes the purchase points zero', () => {
    const zeroTier = rulesWith([spend200], (r) => {
      r.earn.tierMultipliersBp.regular = 0;
    });
    const earn = computeEarn([paidLine(1, 15000), paidLine(2, 5000)], member(), DAY, zeroTier);
    expect(earn.purchasePoints).toBe(0);
    expect(earn.perLine.map((l) => l.points)).toEqual([38, 12]); // 50 by paid 150:50 = 37.5 / 12.5
  });
});

describe('daily earn cap: 5,000 purchase points per member per day', () => {
  it('caps one big receipt and records the excess', () => {
    const earn = computeEarn([paidLine(1, 600000)], member(), DAY, PLAIN); // ¥6,000
    expect(earn.purchasePoints).toBe(5000);
    expect(earn.cappedPoints).toBe(1000);
    expect(earn.perLine[0]?.points).toBe(5000);
  });

  it('counts what was already credited today', () => {
    const earn = computeEarn([paidLine(1, 30000)], member({ purchasePointsToday: 4900 }), DAY, PLAIN);
    expect(earn).toMatchObject({ purchasePoints: 100, cappedPoints: 200 });
    const full = computeEarn([paidLine(1, 30000)], member({ purchasePointsToday: 5000 }), DAY, PLAIN);
    expect(full).toMatchObject({ purchasePoints: 0, cappedPoints: 300 });
    const over = computeEarn([paidLine(1, 30000)], member({ purchasePointsToday: 7000 }), DAY, PLAIN);
    expect(over).toMatchObject({ purchasePoints: 0, cappedPoints: 300 });
  });

  it('applies after the tier multiplier and includes spend bonuses', () => {
    const rules = rulesWith([spend200]);
    // Gold ¥400: 600 points + 50 bonus, with 4,500 already today: 500 fit.
    const earn = computeEarn([paidLine(1, 40000)], member({ tier: 'gold', purchasePointsToday: 4500 }), DAY, rules);
    expect(earn.purchasePoints).toBe(500);
    expect(earn.spendBonuses).toEqual([]);
    expect(earn.cappedPoints).toBe(150);

    const partial = computeEarn([paidLine(1, 40000)], member({ tier: 'gold', purchasePointsToday: 4380 }), DAY, rules);
    expect(partial.purchasePoints).toBe(600);
    expect(partial.spendBonuses).toEqual([{ campaignId: 'spend200', points: 20 }]);
    expect(partial.cappedPoints).toBe(30);
  });

  it('follows dailyCapPoints from the rules', () => {
    const rules = rulesWith([], (r) => {
      r.earn.dailyCapPoints = 100;
    });
    expect(computeEarn([paidLine(1, 15000)], member(), DAY, rules)).toMatchObject({ purchasePoints: 100, cappedPoints: 50 });
  });
});

describe('birthday bonus: 200 on the first purchase in the birthday month', () => {
  it('is given in the birthday month when not yet given this year', () => {
    const earn = computeEarn([paidLine(1, 1000)], member({ birthday: '1990-11-05' }), DAY, PLAIN);
    expect(earn.birthdayBonus).toBe(200);
    expect(earn.purchasePoints).toBe(10);
    expect(earn.perLine[0]?.points).toBe(210);
  });

  it('accepts MM-DD birthdays', () => {
    expect(computeEarn([paidLine(1, 1000)], member({ birthday: '11-30' }), DAY, PLAIN).birthdayBonus).toBe(200);
  });

  it('only once a year', () => {
    expect(
      computeEarn([paidLine(1, 1000)], member({ birthday: '1990-11-05', birthdayBonusGivenThisYear: true }), DAY, PLAIN).birthdayBonus,
    ).toBe(0);
  });

  it('not outside the birthday month, nor without a birthday', () => {
    expect(computeEarn([paidLine(1, 1000)], member({ birthday: '1990-10-31' }), DAY, PLAIN).birthdayBonus).toBe(0);
    expect(computeEarn([paidLine(1, 1000)], member({ birthday: '1990-12-01' }), DAY, PLAIN).birthdayBonus).toBe(0);
    expect(computeEarn([paidLine(1, 1000)], member({ birthday: null }), DAY, PLAIN).birthdayBonus).toBe(0);
    expect(computeEarn([paidLine(1, 1000)], member({ birthday: 'november' }), DAY, PLAIN).birthdayBonus).toBe(0);
  });

  it('needs something paid', () => {
    expect(computeEarn([paidLine(1, 0)], member({ birthday: '11-05' }), DAY, PLAIN).birthdayBonus).toBe(0);
  });

  it('is not capped', () => {
    const earn = computeEarn([paidLine(1, 1000)], member({ birthday: '11-05', purchasePointsToday: 5000 }), DAY, PLAIN);
    expect(earn).toMatchObject({ purchasePoints: 0, cappedPoints: 10, birthdayBonus: 200 });
    expect(earn.perLine[0]?.points).toBe(200);
  });

  it('follows the configured amount', () => {
    const rules = rulesWith([], (r) => {
      r.earn.birthdayBonus = 500;
    });
    expect(computeEarn([paidLine(1, 1000)], member({ birthday: '11-05' }), DAY, rules).birthdayBonus).toBe(500);
  });
});

describe('perLine', () => {
  it('spreads everything credited in proportion to the exact line points', () => {
    const rules = rulesWith([ecoTriple]);
    // eco ¥1.01 x 3 = 3.03, food ¥1.01 = 1.01: total 4.04 -> 4, plus birthday 200 = 204.
    const earn = computeEarn([paidLine(1, 101, 'eco'), paidLine(2, 101, 'food')], member({ birthday: '11-01' }), DAY, rules);
    expect(earn.purchasePoints).toBe(4);
    expect(earn.perLine.map((l) => l.points)).toEqual([153, 51]);
    expect(earn.perLine.reduce((s, l) => s + l.points, 0)).toBe(204);
  });
});
