import { DomainError } from '../errors/domain-error';
import { addDays, addMonths, instantMs } from './dates';
import { isWholeNumber } from './money';
import type { RuleSet } from './rules';
import type { Instant, LedgerFact, Lot, LotState, Points } from './types';

/** When points credited at `at` expire under the rule set (at + expiry.months). */
export function creditExpiry(at: Instant, rules: RuleSet): Instant {
  return addMonths(at, rules.expiry.months);
}

interface WorkLot {
  lot: Lot;
  expiresMs: number;
  earnedMs: number;
}

/** FIFO order: by expiresAt, then earnedAt, then entryId. */
function compareLots(a: WorkLot, b: WorkLot): number {
  if (a.expiresMs !== b.expiresMs) return a.expiresMs - b.expiresMs;
  if (a.earnedMs !== b.earnedMs) return a.earnedMs - b.earnedMs;
  return a.lot.entryId < b.lot.entryId ? -1 : a.lot.entryId > b.lot.entryId ? 1 : 0;
}

/**
 * Replays a member's ledger facts into FIFO lots.
 * - Facts are processed in (at, id) order, whatever order they are given in.
 * - A credit (points > 0) first repays debt, and what is left becomes a lot
 *   (expiresAt must be non-null for credits, else throw).
 * - A debit (points < 0) takes first from the lot of `targetEntryId` when it names one that
 *   still has points, then from the oldest lots (by expiresAt, then earnedAt, then entryId),
 *   and whatever is still missing becomes debt.
 * - Zero-point facts change nothing.
 * Invariants: every lot.remaining is in [0, original]; balance = sum(points of facts)
 * = sum(remaining) - debt. Only lots with remaining > 0 are returned, oldest first.
 * A lot's `original` is the credit's points (a credit that partly repaid debt starts with
 * remaining < original). Throws DomainError INVALID_INPUT for non-integer points, an
 * unparseable instant, a credit without expiresAt, or two facts with the same id.
 */
export function deriveLots(facts: readonly LedgerFact[]): LotState {
  const seen = new Set<string>();
  const ordered = facts.map((f) => {
    if (seen.has(f.id)) {
      throw new DomainError('INVALID_INPUT', 'Two ledger facts share an id.', { id: f.id });
    }
    seen.add(f.id);
    if (!isWholeNumber(f.points)) {
      throw new DomainError('INVALID_INPUT', 'Ledger points must be whole numbers.', { id: f.id, points: f.points });
    }
    return { fact: f, atMs: instantMs(f.at, () => `fact ${f.id} at`) };
  });
  ordered.sort((a, b) => {
    if (a.atMs !== b.atMs) return a.atMs - b.atMs;
    return a.fact.id < b.fact.id ? -1 : a.fact.id > b.fact.id ? 1 : 0;
  });

  // Non-empty lots, kept in FIFO order.
  const open: WorkLot[] = [];
  let debt = 0;
  let balance = 0;

  for (const { fact, atMs } of ordered) {
    balance += fact.points;
    if (fact.points > 0) {
      if (fact.expiresAt === null || fact.expiresAt === undefined) {
        throw new DomainError('INVALID_INPUT', 'A credit must have an expiry.', { id: fact.id, points: fact.points });
      }
      const expiresMs = instantMs(fact.expiresAt, () => `fact ${fact.id} expiresAt`);
      const repay = Math.min(debt, fact.points);
      debt -= repay;
      const rest = fact.points - repay;
      if (rest > 0) {
        const work: WorkLot = {
          lot: { entryId: fact.id, earnedAt: fact.at, expiresAt: fact.expiresAt, original: fact.points, remaining: rest },
          expiresMs,
          earnedMs: atMs,
        };
        // Binary insertion keeps `open` sorted.
        let lo = 0;
        let hi = open.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (compareLots(open[mid] as WorkLot, work) <= 0) lo = mid + 1;
          else hi = mid;
        }
        open.splice(lo, 0, work);
      }
    } else if (fact.points < 0) {
      let need = -fact.points;
      if (fact.targetEntryId !== null && fact.targetEntryId !== undefined) {
        const idx = open.findIndex((w) => w.lot.entryId === fact.targetEntryId);
        if (idx >= 0) {
          const target = open[idx] as WorkLot;
          const take = Math.min(target.lot.remaining, need);
          target.lot.remaining -= take;
          need -= take;
          if (target.lot.remaining === 0) open.splice(idx, 1);
        }
      }
      let exhausted = 0;
      for (let i = 0; i < open.length && need > 0; i++) {
        const w = open[i] as WorkLot;
        const take = Math.min(w.lot.remaining, need);
        w.lot.remaining -= take;
        need -= take;
        if (w.lot.remaining === 0) exhausted++;
      }
      // Only a prefix of lots can have been exhausted by the FIFO walk.
      if (exhausted > 0) open.splice(0, exhausted);
      debt += need;
    }
  }

  return { lots: open.map((w) => ({ ...w.lot })), debt, balance };
}

function sortedOpenLots(state: LotState): WorkLot[] {
  return state.lots
    .filter((l) => l.remaining > 0)
    .map((lot) => ({
      lot,
      expiresMs: instantMs(lot.expiresAt, () => `lot ${lot.entryId} expiresAt`),
      earnedMs: instantMs(lot.earnedAt, () => `lot ${lot.entryId} earnedAt`),
    }))
    .sort(compareLots);
}

/**
 * Lots (remaining > 0) whose expiresAt is after `now` and within `days` days of it
 * (now < expiresAt <= now + days), oldest first; firstExpiry is the earliest such expiresAt.
 */
export function expiringWithin(
  state: LotState,
  now: Instant,
  days: number,
): { points: Points; firstExpiry: Instant | null; lots: Lot[] } {
  const nowMs = instantMs(now, 'now');
  const untilMs = instantMs(addDays(now, days), 'now + days');
  const lots = sortedOpenLots(state)
    .filter((w) => w.expiresMs > nowMs && w.expiresMs <= untilMs)
    .map((w) => ({ ...w.lot }));
  const points = lots.reduce((sum, l) => sum + l.remaining, 0);
  return { points, firstExpiry: lots[0]?.expiresAt ?? null, lots };
}

/** One expiry entry to write: `points` (> 0) is the amount to debit from lot `lotEntryId`. */
export interface ExpiryStep {
  lotEntryId: string;
  points: Points;
  expiresAt: Instant;
}

/** Every lot with remaining > 0 and expiresAt <= now, oldest first. */
export function planExpiry(state: LotState, now: Instant): ExpiryStep[] {
  const nowMs = instantMs(now, 'now');
  return sortedOpenLots(state)
    .filter((w) => w.expiresMs <= nowMs)
    .map((w) => ({ lotEntryId: w.lot.entryId, points: w.lot.remaining, expiresAt: w.lot.expiresAt }));
}
