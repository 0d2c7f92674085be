import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deriveLots } from '../../../src-shared/domain/lots';
import type { LedgerFact, Lot } from '../../../src-shared/domain/types';

const BASE = Date.parse('2026-01-01T00:00:00.000Z');
const DAY = 86_400_000;

const rawFact = fc.record({
  points: fc.oneof(fc.integer({ min: -800, max: 800 }), fc.constant(0)),
  day: fc.nat({ max: 400 }),
  expiryDays: fc.integer({ min: 1, max: 500 }),
  target: fc.option(fc.nat({ max: 40 }), { nil: null }),
});

const factsArb = fc.array(rawFact, { maxLength: 40 }).map((raws): LedgerFact[] =>
  raws.map((r, i) => {
    const at = new Date(BASE + r.day * DAY).toISOString();
    return {
      id: `f${String(i).padStart(2, '0')}`,
      kind: r.points > 0 ? 'earn' : r.points < 0 ? 'redeem' : 'adjust',
      points: r.points,
      at,
      expiresAt: r.points > 0 ? new Date(BASE + (r.day + r.expiryDays) * DAY).toISOString() : null,
      targetEntryId: r.points < 0 && r.target !== null ? `f${String(r.target).padStart(2, '0')}` : null,
    };
  }),
);

const factsAndShuffle = factsArb.chain((facts) =>
  fc.tuple(fc.constant(facts), fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length })),
);

describe('deriveLots (property)', () => {
  it('balance = sum of points = sum(remaining) - debt; lots stay within [1, original]', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const state = deriveLots(facts);
        const sum = facts.reduce((s, f) => s + f.points, 0);
        const remaining = state.lots.reduce((s, l) => s + l.remaining, 0);
        expect(state.balance).toBe(sum);
        expect(remaining - state.debt).toBe(sum);
        expect(state.debt).toBeGreaterThanOrEqual(0);
        for (const lot of state.lots) {
          expect(lot.remaining).toBeGreaterThan(0);
          expect(lot.remaining).toBeLessThanOrEqual(lot.original);
          const credit = facts.find((f) => f.id === lot.entryId);
          expect(credit?.points).toBe(lot.original);
          expect(lot.expiresAt).toBe(credit?.expiresAt);
        }
        // Debt and points on hand never coexist.
        if (state.debt > 0) expect(state.lots).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('returns lots oldest first (by expiresAt, earnedAt, entryId)', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const lots = deriveLots(facts).lots;
        for (let i = 1; i < lots.length; i++) {
          const a = lots[i - 1] as Lot;
          const b = lots[i] as Lot;
          const key = (l: Lot): [number, number, string] => [Date.parse(l.expiresAt), Date.parse(l.earnedAt), l.entryId];
          const [ae, aa, ai] = key(a);
          const [be, ba, bi] = key(b);
          expect(ae < be || (ae === be && (aa < ba || (aa === ba && ai < bi)))).toBe(true);
        }
      }),
    );
  });

  it('does not depend on the order of the input', () => {
    fc.assert(
      fc.property(factsAndShuffle, ([facts, shuffled]) => {
        expect(deriveLots(shuffled)).toEqual(deriveLots(facts));
      }),
      { numRuns: 300 },
    );
  });

  it('FIFO: without targets, overdrafts or out-of-order expiries, only the oldest lot is partly used', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        // Same 12-month horizon for every credit, no targets.
        const plain = facts.map((f) => ({
          ...f,
          targetEntryId: null,
          expiresAt: f.points > 0 ? new Date(Date.parse(f.at) + 365 * DAY).toISOString() : null,
        }));
        // Clamp debits (in processing order) so the balance never goes below zero.
        const ordered = [...plain].sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1));
        let running = 0;
        const noOverdraft = ordered.map((f) => {
          const points = f.points < 0 ? -Math.min(-f.points, running) : f.points;
          running += points;
          return { ...f, points };
        });
        const state = deriveLots(noOverdraft);
        expect(state.debt).toBe(0);
        const lots = state.lots;
        lots.slice(1).forEach((l) => expect(l.remaining).toBe(l.original));
      }),
    );
  });
});
