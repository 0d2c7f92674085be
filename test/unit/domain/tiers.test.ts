import { describe, expect, it } from 'vitest';
import { evaluateTier, tierFromSpend, tierRank } from '../../../src-shared/domain/tiers';
import { expectDomainError, RULES } from './fixtures';

describe('tierFromSpend', () => {
  it('Silver at ¥5,000 and Gold at ¥10,000 of qualifying spend', () => {
    expect(tierFromSpend(0, RULES)).toBe('regular');
    expect(tierFromSpend(499999, RULES)).toBe('regular');
    expect(tierFromSpend(500000, RULES)).toBe('silver');
    expect(tierFromSpend(999999, RULES)).toBe('silver');
    expect(tierFromSpend(1000000, RULES)).toBe('gold');
    expect(tierFromSpend(5000000, RULES)).toBe('gold');
  });

  it('rejects fractional spend', () => {
    expectDomainError(() => tierFromSpend(0.5, RULES), 'INVALID_INPUT');
  });
});

describe('evaluateTier', () => {
  it('upgrades immediately within the period', () => {
    expect(evaluateTier({ previousPeriodSpendMinor: 0, currentPeriodSpendMinor: 499999, diamond: false }, RULES)).toBe('regular');
    expect(evaluateTier({ previousPeriodSpendMinor: 0, currentPeriodSpendMinor: 500000, diamond: false }, RULES)).toBe('silver');
    expect(evaluateTier({ previousPeriodSpendMinor: 600000, currentPeriodSpendMinor: 1000000, diamond: false }, RULES)).toBe('gold');
  });

  it('downgrades only at period end: last period Gold keeps Gold all this period', () => {
    expect(evaluateTier({ previousPeriodSpendMinor: 1200000, currentPeriodSpendMinor: 0, diamond: false }, RULES)).toBe('gold');
    expect(evaluateTier({ previousPeriodSpendMinor: 1200000, currentPeriodSpendMinor: 600000, diamond: false }, RULES)).toBe('gold');
    // The period after a quiet period, the tier falls back.
    expect(evaluateTier({ previousPeriodSpendMinor: 0, currentPeriodSpendMinor: 0, diamond: false }, RULES)).toBe('regular');
    expect(evaluateTier({ previousPeriodSpendMinor: 700000, currentPeriodSpendMinor: 0, diamond: false }, RULES)).toBe('silver');
  });

  it('Diamond when the centre says so, whatever the spend', () => {
    expect(evaluateTier({ previousPeriodSpendMinor: 0, currentPeriodSpendMinor: 0, diamond: true }, RULES)).toBe('diamond');
  });

  it('ranks tiers regular < silver < gold < diamond', () => {
    expect(['diamond', 'regular', 'gold', 'silver'].sort((a, b) => tierRank(a as never) - tierRank(b as never))).toEqual([
      'regular',
      'silver',
      'gold',
      'diamond',
    ]);
  });
});
