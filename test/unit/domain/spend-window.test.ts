import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { previousMonth } from '../../../src-shared/domain/dates';
import { addSpend, NO_SPEND, spendBefore, spendsIn, type SpendWindow } from '../../../src-shared/domain/spend-window';

const MONTHS = ['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02'];

/** Spend by month, the exact record the window summarises. */
function byMonth(adds: readonly [string, number][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const [month, d] of adds) m.set(month, (m.get(month) ?? 0) + d);
  return m;
}

describe('spend window', () => {
  it('rolls forward: a new month keeps the one before it, a gap clears it', () => {
    let w: SpendWindow = NO_SPEND;
    w = addSpend(w, '2026-11', 500);
    w = addSpend(w, '2026-11', 250);
    expect(w).toEqual({ period: '2026-11', current: 750, previous: 0 });
    w = addSpend(w, '2026-12', 100);
    expect(w).toEqual({ period: '2026-12', current: 100, previous: 750 });
    w = addSpend(w, '2026-11', -50); // a refund of last month's sale
    expect(spendsIn(w, '2026-12')).toEqual({ current: 100, previous: 700 });
    expect(spendsIn(w, '2027-01')).toEqual({ current: 0, previous: 100 });
    expect(spendsIn(w, '2027-02')).toEqual({ current: 0, previous: 0 });
    expect(addSpend(w, '2027-02', 10)).toEqual({ period: '2027-02', current: 10, previous: 0 });
    expect(addSpend(w, '2026-09', 10)).toEqual(w);
  });

  it('answers every month pair as the exact record does, for adds in any order within the window', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...MONTHS), fc.integer({ min: -5000, max: 50000 })), { maxLength: 30 }), (raw) => {
        // Spend arrives in month order, with late refunds or other tills' spend of the previous month.
        const adds = [...raw].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        const w = adds.reduce((acc, [m, d]) => addSpend(acc, m, d), NO_SPEND);
        const exact = byMonth(adds);
        const last = adds.at(-1)?.[0];
        if (last === undefined) expect(w).toEqual(NO_SPEND);
        else expect(spendsIn(w, last)).toEqual({ current: exact.get(last) ?? 0, previous: exact.get(previousMonth(last)) ?? 0 });
      }),
    );
  });

  it('restates from a month: what came before stays, the rest is added again', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...MONTHS), fc.integer({ min: 0, max: 50000 })), { maxLength: 20 }),
        fc.constantFrom(...MONTHS),
        (raw, from) => {
          const adds = [...raw].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
          const full = adds.reduce((acc, [m, d]) => addSpend(acc, m, d), NO_SPEND);
          const restated = adds.filter(([m]) => m >= from).reduce((acc, [m, d]) => addSpend(acc, m, d), spendBefore(full, from));
          if (full.period === null) expect(restated).toEqual(full);
          else expect(spendsIn(restated, full.period)).toEqual(spendsIn(full, full.period));
        },
      ),
    );
  });
});
