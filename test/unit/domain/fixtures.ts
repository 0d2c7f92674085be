import { expect } from 'vitest';
import { DomainError, type ErrorCode } from '../../../src-shared/errors/domain-error';
import type { CheckoutPlanInput, MemberAtCheckout, PricedLine } from '../../../src-shared/domain/checkout';
import { DEFAULT_RULE_SET, ruleSetSchema, type Campaign, type RuleSet } from '../../../src-shared/domain/rules';
import type { SaleLineInput } from '../../../src-shared/domain/types';

export const RULES: RuleSet = DEFAULT_RULE_SET;

/** The default rule set with other campaigns (validated through the schema). */
export function rulesWith(campaigns: Campaign[], patch: (r: RuleSet) => void = () => {}): RuleSet {
  const copy = structuredClone(DEFAULT_RULE_SET);
  copy.campaigns = campaigns;
  patch(copy);
  return ruleSetSchema.parse(copy);
}

export function member(overrides: Partial<MemberAtCheckout> = {}): MemberAtCheckout {
  return {
    tier: 'regular',
    blocked: false,
    availablePoints: 0,
    birthday: null,
    birthdayBonusGivenThisYear: false,
    lastPurchaseDate: '2026-11-01',
    purchasePointsToday: 0,
    recentRedemptions: [],
    ...overrides,
  };
}

export function line(lineNo: number, unitPriceMinor: number, overrides: Partial<SaleLineInput> = {}): SaleLineInput {
  return { lineNo, category: 'general', quantity: 1, unitPriceMinor, ...overrides };
}

/** A priced line that was paid in full with money (no points). */
export function paidLine(lineNo: number, paidMinor: number, category = 'general'): PricedLine {
  return {
    lineNo,
    category,
    quantity: 1,
    unitPriceMinor: paidMinor,
    grossMinor: paidMinor,
    redeemedPoints: 0,
    redeemedValueMinor: 0,
    paidMinor,
  };
}

export function checkoutInput(overrides: Partial<CheckoutPlanInput> = {}): CheckoutPlanInput {
  return {
    lines: [line(1, 3000)],
    member: member(),
    redeemPoints: 0,
    businessDate: '2026-11-22',
    now: '2026-11-22T10:00:00.000Z',
    offlineRemaining: null,
    terminalRecentRedemptions: [],
    managerOverride: false,
    ...overrides,
  };
}

/** Runs `fn`, expects a DomainError with `code`, and returns it for more assertions. */
export function expectDomainError(fn: () => unknown, code: ErrorCode): DomainError {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DomainError);
  const err = caught as DomainError;
  expect(err.code).toBe(code);
  return err;
}

/** `base` shifted by whole seconds, as an ISO instant. */
export function secondsAfter(base: string, seconds: number): string {
  return new Date(Date.parse(base) + seconds * 1000).toISOString();
}
