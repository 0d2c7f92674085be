/**
 * The loyalty programme's vocabulary. Everything here is plain data:
 * money is integer minor units (fen), points are integer points, instants are
 * ISO-8601 UTC strings, business dates are `YYYY-MM-DD` in the store's time zone.
 * Multipliers and shares are integer basis points (10000 = 1x / 100%).
 */

/** Integer minor units of the store currency (fen for CNY). Never a float. */
export type Minor = number;
/** Integer loyalty points. Never a float. */
export type Points = number;
/** Integer basis points: 10000 = 1x or 100%. */
export type BasisPoints = number;
/** ISO-8601 instant in UTC, e.g. `2026-11-22T10:00:00.000Z`. */
export type Instant = string;
/** Business date in the store's time zone, `YYYY-MM-DD`. */
export type BusinessDate = string;

export const TIERS = ['regular', 'silver', 'gold', 'diamond'] as const;
export type Tier = (typeof TIERS)[number];

/** The kinds of immutable ledger entries. The sign of `points` follows the kind. */
export const ENTRY_KINDS = [
  'earn', // purchase points (base x tier x campaign), > 0
  'bonus', // birthday, welcome, referral, spend-threshold bonus, > 0
  'redeem', // points spent on a bill or a reward, < 0
  'expire', // points that reached their expiry date, < 0
  'reverse', // refund reversal of earned points (< 0) or give-back of redeemed points (> 0)
  'adjust', // manager adjustment with a reason, either sign
] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const BONUS_REASONS = ['birthday', 'welcome', 'referral', 'spend_threshold'] as const;
export type BonusReason = (typeof BONUS_REASONS)[number];

/** A ledger entry as the domain needs it to derive lots and balances. */
export interface LedgerFact {
  id: string;
  kind: EntryKind;
  points: Points;
  /** When the entry was made (orders FIFO consumption; ties broken by id). */
  at: Instant;
  /** For credits: when the points expire. Null for debits. */
  expiresAt: Instant | null;
  /** A reversal or an expiry names the credit it takes from first. */
  targetEntryId: string | null;
}

/** A FIFO lot: what is left of one credit. */
export interface Lot {
  entryId: string;
  earnedAt: Instant;
  expiresAt: Instant;
  original: Points;
  remaining: Points;
}

export interface LotState {
  lots: Lot[];
  /** Points owed (balance below zero), repaid first by later credits. */
  debt: Points;
  /** Sum of all entries' points; always equals sum(lots.remaining) - debt. */
  balance: Points;
}

/** One sale line as the cashier rang it up. */
export interface SaleLineInput {
  /** Stable line number within the sale, 1-based. */
  lineNo: number;
  category: string;
  sku?: string | null;
  description?: string | null;
  quantity: number;
  /** Unit price in minor units. */
  unitPriceMinor: Minor;
  /** Discount on the whole line, in minor units (>= 0). */
  discountMinor?: Minor;
}
