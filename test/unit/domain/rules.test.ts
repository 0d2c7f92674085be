import { describe, expect, it } from 'vitest';
import { parseRuleSet } from '../../../src-shared/domain/rules-parse';
import { DEFAULT_RULE_SET, type RuleSet } from '../../../src-shared/domain/rules';
import { referrerBonusPoints, welcomeBonusPoints } from '../../../src-shared/domain/earn';
import { expectDomainError, RULES } from './fixtures';

function mutated(patch: (r: RuleSet) => void): unknown {
  const copy = structuredClone(DEFAULT_RULE_SET);
  patch(copy);
  return copy;
}

describe('DEFAULT_RULE_SET carries the numbers of the product brief', () => {
  it('earn', () => {
    expect(RULES.earn.pointsPerUnit).toBe(1);
    expect(RULES.earn.tierMultipliersBp).toEqual({ regular: 10000, silver: 12500, gold: 15000, diamond: 20000 });
    expect(RULES.earn.dailyCapPoints).toBe(5000);
    expect(RULES.earn.birthdayBonus).toBe(200);
    expect(RULES.earn.welcomeBonus).toBe(100);
    expect(RULES.earn.referrerBonus).toBe(200);
  });

  it('redeem, rewards, expiry, tiers, risk, offline', () => {
    expect(RULES.redeem.pointsPerUnit).toBe(100);
    expect(RULES.redeem.tierValueBp.diamond).toBe(12000);
    expect(RULES.redeem.minPoints).toBe(100);
    expect(RULES.redeem.stepPoints).toBe(100);
    expect(RULES.redeem.maxBillShareBp).toBe(5000);
    expect(RULES.rewards.map((r) => r.points)).toEqual([1000, 5000]);
    expect(RULES.expiry).toEqual({ months: 12, warnDays: 30 });
    expect(RULES.tiers.silverSpendMinor).toBe(500000);
    expect(RULES.tiers.goldSpendMinor).toBe(1000000);
    expect(RULES.tiers.diamondTopShareBp).toBe(1000);
    expect(RULES.risk).toEqual({
      memberRedemptionsMax: 3,
      memberWindowSeconds: 600,
      terminalRedemptionsMax: 20,
      terminalWindowSeconds: 60,
    });
    expect(RULES.offline.redeemLimitPerMemberPerDay).toBe(2000);
    const reactivation = RULES.campaigns.find((c) => c.kind === 'reactivation');
    expect(reactivation).toMatchObject({ silentDays: 183, multiplierBp: 20000 });
  });
});

describe('parseRuleSet', () => {
  it('accepts the default and round-trips it', () => {
    const parsed: RuleSet = parseRuleSet(structuredClone(DEFAULT_RULE_SET));
    expect(parsed).toEqual(DEFAULT_RULE_SET);
  });

  it('accepts a valid custom rule set and keeps its numbers', () => {
    const parsed = parseRuleSet(
      mutated((r) => {
        r.version = 7;
        r.earn.welcomeBonus = 50;
        r.earn.referrerBonus = 300;
      }),
    );
    expect(parsed.version).toBe(7);
    expect(welcomeBonusPoints({ referred: true }, parsed)).toBe(50);
    expect(referrerBonusPoints({ hasReferrer: true, firstPurchase: true, paidMinor: 1, alreadyCredited: false }, parsed)).toBe(300);
  });

  const bad: [string, (r: RuleSet) => void, string][] = [
    ['Gold threshold not above Silver', (r) => (r.tiers.goldSpendMinor = r.tiers.silverSpendMinor), 'tiers.goldSpendMinor'],
    ['minimum not a whole number of steps', (r) => (r.redeem.minPoints = 150), 'redeem.minPoints'],
    [
      'duplicate campaign ids',
      (r) =>
        (r.campaigns = [
          { id: 'x', kind: 'spend_bonus', name: 'a', from: '2026-01-01', to: '2026-12-31', thresholdMinor: 1, bonusPoints: 1 },
          { id: 'x', kind: 'spend_bonus', name: 'b', from: '2026-01-01', to: '2026-12-31', thresholdMinor: 1, bonusPoints: 1 },
        ]),
      'campaigns',
    ],
    [
      'a campaign ending before it starts',
      (r) =>
        (r.campaigns = [{ id: 'x', kind: 'multiplier', name: 'a', from: '2026-12-31', to: '2026-01-01', multiplierBp: 20000 }]),
      'campaigns.0.to',
    ],
    [
      'a multiplier below 1x',
      (r) =>
        (r.campaigns = [{ id: 'x', kind: 'multiplier', name: 'a', from: '2026-01-01', to: '2026-12-31', multiplierBp: 5000 }]),
      'campaigns.0.multiplierBp',
    ],
    ['a fractional amount', (r) => (r.earn.dailyCapPoints = 5000.5), 'earn.dailyCapPoints'],
    ['a bill share above 100%', (r) => (r.redeem.maxBillShareBp = 10001), 'redeem.maxBillShareBp'],
    ['a zero version', (r) => (r.version = 0), 'version'],
    ['a malformed date', (r) => (r.effectiveFrom = '1/1/2026'), 'effectiveFrom'],
    ['a missing section', (r) => Reflect.deleteProperty(r, 'risk'), 'risk'],
    ['a negative bonus', (r) => (r.earn.birthdayBonus = -1), 'earn.birthdayBonus'],
  ];
  it.each(bad)('rejects %s with INVALID_RULE_SET', (_name, patch, path) => {
    const err = expectDomainError(() => parseRuleSet(mutated(patch)), 'INVALID_RULE_SET');
    const issues = err.details.issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it('rejects non-objects', () => {
    expectDomainError(() => parseRuleSet(null), 'INVALID_RULE_SET');
    expectDomainError(() => parseRuleSet('rules'), 'INVALID_RULE_SET');
  });
});

describe('referral bonuses', () => {
  it('the referred new member gets the welcome bonus (100) at registration', () => {
    expect(welcomeBonusPoints({ referred: true }, RULES)).toBe(100);
    expect(welcomeBonusPoints({ referred: false }, RULES)).toBe(0);
  });

  it('the referrer gets 200 after the new member first purchase, once', () => {
    const due = { hasReferrer: true, firstPurchase: true, paidMinor: 500, alreadyCredited: false };
    expect(referrerBonusPoints(due, RULES)).toBe(200);
    expect(referrerBonusPoints({ ...due, firstPurchase: false }, RULES)).toBe(0);
    expect(referrerBonusPoints({ ...due, alreadyCredited: true }, RULES)).toBe(0);
    expect(referrerBonusPoints({ ...due, hasReferrer: false }, RULES)).toBe(0);
    expect(referrerBonusPoints({ ...due, paidMinor: 0 }, RULES)).toBe(0);
  });
});
