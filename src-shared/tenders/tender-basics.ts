import { DomainError } from '../errors/domain-error';
import type { Minor } from '../domain/types';
import type { TenderConfig, TenderType } from './tender-types';

/**
 * The tender settings' constants and look-ups, without zod: the payment, refund and drawer rules
 * import them from here, so the renderer (which keeps zod out of its bundle: its
 * Content-Security-Policy forbids the eval zod probes for) can run the same rules as the core.
 * The schemas and the defaults are in tender-types.ts, which re-exports all of this.
 */

export const TENDER_KINDS = ['cash', 'card', 'wallet', 'voucher', 'other'] as const;
export type TenderKind = (typeof TENDER_KINDS)[number];

/** Upper-case id, stable across rule changes: sales and refunds record it. */
export const TENDER_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,31}$/;

/** The longest reference the till keeps (a wallet transaction number is 28-32 characters). */
export const REFERENCE_MAX_LENGTH = 64;

/** `pattern` compiled as a whole-string match, as the payment rules use it; null if it does not compile. */
export function compileReferencePattern(pattern: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return null;
  }
}

/**
 * Cash rounding (抹零): the increment a cash remainder is rounded to, as an amount in currency
 * units of a currency with 100 minor units (CNY): 'none', 1 jiao, 5 jiao, 1 yuan.
 */
export const CASH_ROUNDINGS = ['none', '0.10', '0.50', '1.00'] as const;
export type CashRounding = (typeof CASH_ROUNDINGS)[number];

/** The increment in minor units; 0 = no rounding. */
export const CASH_ROUNDING_INCREMENT_MINOR: Readonly<Record<CashRounding, Minor>> = {
  none: 0,
  '0.10': 10,
  '0.50': 50,
  '1.00': 100,
};

/** The notes and coins of Renminbi in fen: 100, 50, 20, 10, 5, 1 yuan, 5 jiao, 1 jiao. */
export const CNY_DENOMINATIONS_MINOR: readonly Minor[] = [10000, 5000, 2000, 1000, 500, 100, 50, 10];

/** The product brief's refund threshold: refunds above 200.00 need a manager. */
export const DEFAULT_REFUND_APPROVAL_THRESHOLD_MINOR: Minor = 20000;

/** The tender type with this code, active or not; undefined when the store has none. */
export function findTenderType(config: TenderConfig, code: string): TenderType | undefined {
  return config.tenderTypes.find((t) => t.code === code);
}

/** The one cash tender (the schema guarantees it exists, is active, gives change and opens the drawer). */
export function cashTenderOf(config: TenderConfig): TenderType {
  const cash = config.tenderTypes.find((t) => t.kind === 'cash');
  if (!cash) throw new DomainError('INVALID_TENDER_CONFIG', 'The tender configuration has no cash tender.', {});
  return cash;
}

/** The cash rounding increment in minor units (0 = none). */
export function cashRoundingIncrementMinor(config: TenderConfig): Minor {
  return CASH_ROUNDING_INCREMENT_MINOR[config.cashRounding];
}

/** The store's notes and coins for `currency`, largest first; INVALID_TENDER_CONFIG when it has none. */
export function denominationsFor(config: TenderConfig, currency: string): readonly Minor[] {
  const list = config.denominations[currency];
  if (!list) {
    throw new DomainError('INVALID_TENDER_CONFIG', `The tender configuration lists no notes or coins for ${currency}.`, {
      currency,
    });
  }
  return list;
}
