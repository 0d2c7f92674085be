import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../../src-shared/errors/domain-error';
import { allocateProportionally } from '../../../src-shared/domain/money';
import { remainingDue, settleSale, type TenderInput } from '../../../src-shared/tenders/payment';
import { CASH_ROUNDINGS, CASH_ROUNDING_INCREMENT_MINOR } from '../../../src-shared/tenders/tender-types';
import { card, cash, config, voucher, wechat } from './fixtures';

const configs = Object.fromEntries(CASH_ROUNDINGS.map((r) => [r, config(r)]));

/**
 * A due and a list of tenders: half the time a fair split of the due (cash lines then hand over a
 * little more, to get change), half the time shares with noise (short, too much, just right).
 */
const paymentArb = fc
  .record({
    rounding: fc.constantFrom(...CASH_ROUNDINGS),
    due: fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 10_000_000 })),
    fair: fc.boolean(),
    lines: fc.array(
      fc.record({
        code: fc.constantFrom('CASH', 'CARD', 'WECHAT', 'VOUCHER'),
        weight: fc.integer({ min: 1, max: 100 }),
        shareBp: fc.integer({ min: 0, max: 12_000 }),
        extra: fc.integer({ min: -60, max: 60 }),
      }),
      { maxLength: 5 },
    ),
  })
  .map(({ rounding, due, fair, lines }) => {
    const fairShares = lines.length === 0 ? [] : allocateProportionally(due, lines.map((l) => l.weight));
    const tenders: TenderInput[] = lines.map((l, i) => {
      const amount = fair
        ? (fairShares[i] as number) + (l.code === 'CASH' ? Math.abs(l.extra) : 0)
        : Math.max(0, Math.floor((due * l.shareBp) / 10_000 / Math.max(1, lines.length - 1)) + l.extra);
      if (l.code === 'CASH') return cash(amount);
      const positive = Math.max(1, amount);
      return l.code === 'CARD' ? card(positive) : l.code === 'WECHAT' ? wechat(positive) : voucher(positive);
    });
    return { rounding, due, tenders };
  });

/** The rules, written out independently: what settleSale must answer. */
function oracle(due: number, tenders: readonly TenderInput[], increment: number) {
  const nonCash = tenders.filter((t) => t.code !== 'CASH').reduce((s, t) => s + t.amountMinor, 0);
  const cashLines = tenders.filter((t) => t.code === 'CASH');
  const cashTendered = cashLines.reduce((s, t) => s + t.amountMinor, 0);
  if (nonCash > due) return { error: 'TENDER_NO_CHANGE' as const };
  const rest = due - nonCash;
  if (cashLines.length === 0) return rest === 0 ? { rounding: 0, cashApplied: 0 } : { error: 'TENDER_SHORT' as const };
  // Half-up with exact rationals: the multiple of the increment nearest to rest, a half going up.
  const cashDue = increment === 0 ? rest : Math.floor((2 * rest + increment) / (2 * increment)) * increment;
  if (cashTendered < cashDue) return { error: 'TENDER_SHORT' as const };
  return { rounding: cashDue - rest, cashApplied: cashDue };
}

describe('settleSale (property)', () => {
  it('answers as the rules say, and every settlement keeps its invariants', () => {
    fc.assert(
      fc.property(paymentArb, ({ rounding, due, tenders }) => {
        const cfg = configs[rounding]!;
        const increment = CASH_ROUNDING_INCREMENT_MINOR[rounding];
        const expected = oracle(due, tenders, increment);
        let s;
        try {
          s = settleSale(due, tenders, cfg);
        } catch (e) {
          expect(e).toBeInstanceOf(DomainError);
          expect('error' in expected ? expected.error : 'settled').toBe((e as DomainError).code);
          return;
        }
        expect('error' in expected ? expected.error : 'settled').toBe('settled');
        if ('error' in expected) return;

        const applied = s.lines.reduce((a, l) => a + l.appliedMinor, 0);
        expect(applied).toBe(s.paidMinor);
        expect(s.paidMinor).toBe(due + s.roundingMinor);
        expect(s.roundingMinor).toBe(expected.rounding);
        // -I/2 < rounding <= I/2, hence |rounding| < I/2 + 1 fen.
        expect(2 * s.roundingMinor).toBeGreaterThan(-increment - (increment === 0 ? 1 : 0));
        expect(2 * s.roundingMinor).toBeLessThanOrEqual(increment);
        expect(Math.abs(s.roundingMinor)).toBeLessThan(increment / 2 + 1);
        const hasCash = tenders.some((t) => t.code === 'CASH');
        if (!hasCash || increment === 0) expect(s.roundingMinor).toBe(0);

        expect(s.lines.filter((l) => l.kind === 'cash').length).toBe(hasCash ? 1 : 0);
        for (const l of s.lines) {
          expect(l.changeMinor).toBeGreaterThanOrEqual(0);
          expect(l.appliedMinor).toBeGreaterThanOrEqual(0);
          expect(l.tenderedMinor - l.changeMinor).toBe(l.appliedMinor);
          if (l.kind !== 'cash') expect(l.changeMinor).toBe(0);
          if (l.kind === 'cash' && increment > 0) expect(l.appliedMinor % increment).toBe(0);
        }
        expect(s.changeMinor).toBe(s.cashTenderedMinor - s.cashAppliedMinor);
        expect(s.cashAppliedMinor).toBe(expected.cashApplied);
        expect(s.nonCashMinor + s.cashAppliedMinor).toBe(s.paidMinor);
      }),
      { numRuns: 2000 },
    );
  });

  it('remainingDue agrees with settleSale, and its suggestions settle the sale', () => {
    fc.assert(
      fc.property(paymentArb, ({ rounding, due, tenders }) => {
        const cfg = configs[rounding]!;
        let p;
        try {
          p = remainingDue(due, tenders, cfg);
        } catch (e) {
          expect((e as DomainError).code).toBe('TENDER_NO_CHANGE');
          return;
        }
        const settles = (more: TenderInput[]): boolean => {
          try {
            settleSale(due, [...tenders, ...more], cfg);
            return true;
          } catch (e) {
            expect((e as DomainError).code).toBe('TENDER_SHORT');
            return false;
          }
        };
        expect(settles([])).toBe(p.settled);
        if (p.settled) {
          expect(p.cashShortMinor).toBe(0);
          expect(p.nonCashToSettleMinor).toBe(0);
          return;
        }
        // Exactly the cash still short settles it, one fen less does not.
        expect(settles([cash(p.cashShortMinor)])).toBe(true);
        if (p.cashShortMinor > 0) expect(settles([cash(p.cashShortMinor - 1)])).toBe(false);
        // The suggested non-cash amount settles it, with no rounding, within the limit.
        expect(p.nonCashToSettleMinor).toBeGreaterThan(0);
        expect(p.nonCashToSettleMinor).toBeLessThanOrEqual(p.nonCashLimitMinor);
        const s = settleSale(due, [...tenders, card(p.nonCashToSettleMinor)], cfg);
        expect(s.roundingMinor).toBe(0);
        expect(s.paidMinor).toBe(due);
      }),
      { numRuns: 2000 },
    );
  });
});
