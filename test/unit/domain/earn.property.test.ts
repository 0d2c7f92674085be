import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeEarn } from '../../../src-shared/domain/earn';
import type { MemberAtCheckout } from '../../../src-shared/domain/checkout';
import { TIERS } from '../../../src-shared/domain/types';
import { member, paidLine, RULES, rulesWith } from './fixtures';

const RULES_WITH_CAMPAIGNS = rulesWith([
  ...RULES.campaigns,
  { id: 'eco3', kind: 'multiplier', name: 'Eco x3', from: '2026-01-01', to: '2026-12-31', multiplierBp: 30000, categories: ['eco'] },
  { id: 'nov2', kind: 'multiplier', name: 'November x2', from: '2026-11-01', to: '2026-11-30', multiplierBp: 20000 },
  { id: 'spend200', kind: 'spend_bonus', name: 'Spend ¥200', from: '2026-01-01', to: '2026-12-31', thresholdMinor: 20000, bonusPoints: 50 },
  { id: 'spend1000', kind: 'spend_bonus', name: 'Spend ¥1000', from: '2026-06-01', to: '2026-12-31', thresholdMinor: 100000, bonusPoints: 400 },
]);
const MAX_MULTIPLIER_BP = 20000n * 30000n; // Diamond x the highest campaign
const CAP = RULES_WITH_CAMPAIGNS.earn.dailyCapPoints;
const BONUS_TOTAL = 450;

const linesArb = fc.array(
  fc.record({ paid: fc.nat({ max: 2_000_000 }), category: fc.constantFrom('eco', 'food', 'general') }),
  { minLength: 1, maxLength: 6 },
);
const memberArb = fc.record({
  tier: fc.constantFrom(...TIERS),
  purchasePointsToday: fc.nat({ max: 7000 }),
  birthday: fc.constantFrom(null, '11-05', '1990-06-15', '1985-12-31'),
  birthdayBonusGivenThisYear: fc.boolean(),
  lastPurchaseDate: fc.constantFrom(null, '2026-11-01', '2025-01-01'),
});
const dayArb = fc.constantFrom('2026-03-10', '2026-06-15', '2026-11-22', '2026-12-31', '2027-01-05');

function credited(e: ReturnType<typeof computeEarn>): number {
  return e.purchasePoints + e.spendBonuses.reduce((s, b) => s + b.points, 0) + e.birthdayBonus;
}

describe('computeEarn (property)', () => {
  it('never credits more than the cap allows, and records the rest as capped', () => {
    fc.assert(
      fc.property(linesArb, memberArb, dayArb, (raw, m, day) => {
        const lines = raw.map((l, i) => paidLine(i + 1, l.paid, l.category));
        const who: MemberAtCheckout = member(m);
        const earn = computeEarn(lines, who, day, RULES_WITH_CAMPAIGNS);
        const capped = earn.purchasePoints + earn.spendBonuses.reduce((s, b) => s + b.points, 0);
        const room = Math.max(0, CAP - m.purchasePointsToday);
        expect(capped).toBeLessThanOrEqual(room);
        expect(earn.cappedPoints).toBeGreaterThanOrEqual(0);
        // The cap-implied bound on everything credited.
        expect(credited(earn)).toBeLessThanOrEqual(room + RULES_WITH_CAMPAIGNS.earn.birthdayBonus);
        // Nothing is silently dropped: credited + capped = what an uncapped day would give.
        const uncapped = computeEarn(lines, { ...who, purchasePointsToday: 0 }, day, rulesWith(RULES_WITH_CAMPAIGNS.campaigns, (r) => {
          r.earn.dailyCapPoints = 1_000_000_000;
        }));
        expect(uncapped.cappedPoints).toBe(0);
        expect(capped + earn.cappedPoints).toBe(uncapped.purchasePoints + uncapped.spendBonuses.reduce((s, b) => s + b.points, 0));
        // No more than the highest multipliers can give.
        const paid = lines.reduce((s, l) => s + BigInt(l.paidMinor), 0n);
        expect(BigInt(earn.purchasePoints)).toBeLessThanOrEqual((paid * MAX_MULTIPLIER_BP) / (100n * 10000n * 10000n));
        expect(capped).toBeLessThanOrEqual(Number((paid * MAX_MULTIPLIER_BP) / (100n * 10000n * 10000n)) + BONUS_TOTAL);
        // perLine spreads exactly what was credited.
        expect(earn.perLine.reduce((s, l) => s + l.points, 0)).toBe(credited(earn));
        earn.perLine.forEach((l) => expect(l.points).toBeGreaterThanOrEqual(0));
      }),
      { numRuns: 300 },
    );
  });

  it('is monotone in the amount paid', () => {
    fc.assert(
      fc.property(linesArb, memberArb, dayArb, fc.nat(), fc.nat({ max: 1_000_000 }), (raw, m, day, pick, extra) => {
        const lines = raw.map((l, i) => paidLine(i + 1, l.paid, l.category));
        const more = lines.map((l, i) => (i === pick % lines.length ? paidLine(l.lineNo, l.paidMinor + extra, l.category) : l));
        const who = member(m);
        const a = computeEarn(lines, who, day, RULES_WITH_CAMPAIGNS);
        const b = computeEarn(more, who, day, RULES_WITH_CAMPAIGNS);
        expect(b.purchasePoints).toBeGreaterThanOrEqual(a.purchasePoints);
        expect(credited(b)).toBeGreaterThanOrEqual(credited(a));
        expect(b.purchasePoints + b.cappedPoints).toBeGreaterThanOrEqual(a.purchasePoints + a.cappedPoints);
      }),
      { numRuns: 300 },
    );
  });

  it('is the floor of the exact product for a single line without campaigns', () => {
    const plain = rulesWith([]);
    fc.assert(
      fc.property(fc.nat({ max: 800_000 }), fc.constantFrom(...TIERS), (paid, tier) => {
        const earn = computeEarn([paidLine(1, paid)], member({ tier }), '2026-11-22', plain);
        const bp = BigInt(plain.earn.tierMultipliersBp[tier]);
        const exact = (BigInt(paid) * bp) / (100n * 10000n);
        const cap = BigInt(plain.earn.dailyCapPoints);
        expect(BigInt(earn.purchasePoints)).toBe(exact < cap ? exact : cap);
        expect(BigInt(earn.cappedPoints)).toBe(exact < cap ? 0n : exact - cap);
      }),
    );
  });
});
