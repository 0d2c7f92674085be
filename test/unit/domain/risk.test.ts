import { describe, expect, it } from 'vitest';
import { assessRedemptionRisk, offlineRedemptionRemaining } from '../../../src-shared/domain/risk';
import { checkBillRedemption } from '../../../src-shared/domain/redeem';
import { expectDomainError, RULES, secondsAfter } from './fixtures';

const NOW = '2026-11-22T10:00:00.000Z';
const ago = (seconds: number): string => secondsAfter(NOW, -seconds);

describe('member velocity: more than 3 redemptions in 10 minutes', () => {
  it('lets the 3rd through and holds the 4th', () => {
    const two = [ago(500), ago(100)];
    expect(assessRedemptionRisk({ now: NOW, memberRedemptions: two, terminalRedemptions: [] }, RULES)).toEqual({ held: false });
    const three = [ago(500), ago(300), ago(100)];
    expect(assessRedemptionRisk({ now: NOW, memberRedemptions: three, terminalRedemptions: [] }, RULES)).toEqual({
      held: true,
      rule: 'member_velocity',
      count: 4,
      windowSeconds: 600,
    });
  });

  it('forgets redemptions older than 10 minutes; the window edge is inclusive', () => {
    const old = [ago(601), ago(300), ago(100)];
    expect(assessRedemptionRisk({ now: NOW, memberRedemptions: old, terminalRedemptions: [] }, RULES).held).toBe(false);
    const edge = [ago(600), ago(300), ago(100)];
    expect(assessRedemptionRisk({ now: NOW, memberRedemptions: edge, terminalRedemptions: [] }, RULES).held).toBe(true);
  });

  it('counts instants after now (clock went backwards)', () => {
    const future = [secondsAfter(NOW, 3600), ago(300), ago(100)];
    expect(assessRedemptionRisk({ now: NOW, memberRedemptions: future, terminalRedemptions: [] }, RULES).held).toBe(true);
  });
});

describe('terminal velocity: more than 20 in a minute', () => {
  const within = (n: number): string[] => Array.from({ length: n }, (_, i) => ago(i * 2));

  it('lets the 20th through and holds the 21st', () => {
    expect(assessRedemptionRisk({ now: NOW, memberRedemptions: [], terminalRedemptions: within(19) }, RULES).held).toBe(false);
    expect(assessRedemptionRisk({ now: NOW, memberRedemptions: [], terminalRedemptions: within(20) }, RULES)).toEqual({
      held: true,
      rule: 'terminal_velocity',
      count: 21,
      windowSeconds: 60,
    });
  });

  it('ignores redemptions older than a minute', () => {
    const old = [...within(19), ago(61)];
    expect(assessRedemptionRisk({ now: NOW, memberRedemptions: [], terminalRedemptions: old }, RULES).held).toBe(false);
  });

  it('reports the member rule first when both hold', () => {
    const verdict = assessRedemptionRisk(
      { now: NOW, memberRedemptions: [ago(1), ago(2), ago(3)], terminalRedemptions: within(20) },
      RULES,
    );
    expect(verdict).toMatchObject({ held: true, rule: 'member_velocity' });
  });

  it('rejects unparseable instants', () => {
    expectDomainError(
      () => assessRedemptionRisk({ now: NOW, memberRedemptions: ['soon'], terminalRedemptions: [] }, RULES),
      'INVALID_INPUT',
    );
  });
});

describe('offline redemption limit: 2,000 points per member per day', () => {
  it('shrinks as points are redeemed offline and never goes below zero', () => {
    expect(offlineRedemptionRemaining(0, RULES)).toBe(2000);
    expect(offlineRedemptionRemaining(1500, RULES)).toBe(500);
    expect(offlineRedemptionRemaining(2000, RULES)).toBe(0);
    expect(offlineRedemptionRemaining(2600, RULES)).toBe(0);
  });

  it('cannot be dodged by splitting a redemption', () => {
    const base = { billMinor: 1_000_000, availablePoints: 10_000, tier: 'regular' as const };
    // 3,000 at once is refused...
    expectDomainError(
      () => checkBillRedemption({ ...base, points: 3000, offlineRemaining: offlineRedemptionRemaining(0, RULES) }, RULES),
      'OFFLINE_REDEMPTION_LIMIT',
    );
    // ...and so is the second half of 1,500 + 1,500, because the allowance shrank.
    expect(
      checkBillRedemption({ ...base, points: 1500, offlineRemaining: offlineRedemptionRemaining(0, RULES) }, RULES).valueMinor,
    ).toBe(1500);
    const err = expectDomainError(
      () => checkBillRedemption({ ...base, points: 1500, offlineRemaining: offlineRedemptionRemaining(1500, RULES) }, RULES),
      'OFFLINE_REDEMPTION_LIMIT',
    );
    expect(err.details).toMatchObject({ requested: 1500, offlineRemaining: 500 });
    // 500 is still allowed.
    expect(
      checkBillRedemption({ ...base, points: 500, offlineRemaining: offlineRedemptionRemaining(1500, RULES) }, RULES).valueMinor,
    ).toBe(500);
  });
});
