import { DomainError } from '../errors/domain-error';
import type { Minor } from '../domain/types';

/**
 * A drawer count by denomination: `{ [denominationMinor]: count }`, e.g. `{ 10000: 3, 50: 4 }`
 * for three 100-yuan notes and four 5-jiao coins. Denominations left out were not there (0).
 */
export type DenominationCount = Readonly<Record<string, number>>;

export interface CountLine {
  denominationMinor: Minor;
  count: number;
  /** denominationMinor × count. */
  amountMinor: Minor;
}

export interface DrawerCount {
  /** One line per denomination counted (count > 0), largest denomination first. */
  lines: CountLine[];
  totalMinor: Minor;
}

/** A count key as a denomination: the decimal digits of a positive whole number, nothing else. */
function denominationOf(key: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(key)) return null;
  const n = Number(key);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Validates and totals a count against the store's denominations.
 * Throws DomainError DRAWER_COUNT_INVALID (details: denomination, count, reason 'unknown_denomination'
 * | 'not_a_whole_count' | 'too_large') for a key that is not one of `denominations`, or a count
 * that is negative, fractional, not a number, or a total beyond exact arithmetic. Nothing is
 * rounded or dropped: a count is what the cashier saw, or it is refused.
 */
export function countDrawer(count: DenominationCount, denominations: readonly Minor[]): DrawerCount {
  const known = new Set(denominations);
  const lines: CountLine[] = [];
  let totalMinor = 0;
  for (const [key, value] of Object.entries(count)) {
    const denominationMinor = denominationOf(key);
    if (denominationMinor === null || !known.has(denominationMinor)) {
      throw new DomainError('DRAWER_COUNT_INVALID', 'The count names a note or coin this store does not use.', {
        denomination: key,
        count: value,
        reason: 'unknown_denomination',
      });
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new DomainError('DRAWER_COUNT_INVALID', 'A count of notes or coins must be a whole number, 0 or more.', {
        denomination: denominationMinor,
        count: value,
        reason: 'not_a_whole_count',
      });
    }
    if (value === 0) continue;
    const amountMinor = denominationMinor * value;
    const next = totalMinor + amountMinor;
    if (!Number.isSafeInteger(amountMinor) || !Number.isSafeInteger(next)) {
      throw new DomainError('DRAWER_COUNT_INVALID', 'The count is too large to add up exactly.', {
        denomination: denominationMinor,
        count: value,
        reason: 'too_large',
      });
    }
    totalMinor = next;
    lines.push({ denominationMinor, count: value, amountMinor });
  }
  lines.sort((a, b) => b.denominationMinor - a.denominationMinor);
  return { lines, totalMinor };
}
