import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { planRefund, type SoldLine } from '../../../src-shared/domain/refund';
import { DomainError } from '../../../src-shared/errors/domain-error';

const soldArb = fc
  .array(
    fc.record({
      quantity: fc.integer({ min: 1, max: 12 }),
      paidMinor: fc.nat({ max: 10_000_000 }),
      redeemedPoints: fc.nat({ max: 200_000 }),
      earnedPoints: fc.nat({ max: 200_000 }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((lines): SoldLine[] => lines.map((l, i) => ({ lineNo: i + 1, ...l })));

describe('planRefund (property)', () => {
  it('refunding everything in random steps returns exactly the sale totals', () => {
    fc.assert(
      fc.property(soldArb, fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 200 }), (sold, choices) => {
        let c = 0;
        const next = (): number => choices[c++ % choices.length] as number;
        const refunded: { lineNo: number; quantity: number }[] = [];
        const left = new Map(sold.map((l) => [l.lineNo, l.quantity]));
        let refundMinor = 0;
        let reverseEarned = 0;
        let returnRedeemed = 0;
        while ([...left.values()].some((q) => q > 0)) {
          const request: { lineNo: number; quantity: number }[] = [];
          for (const [lineNo, q] of left) {
            if (q > 0 && next() % 2 === 0) request.push({ lineNo, quantity: 1 + (next() % q) });
          }
          if (request.length === 0) {
            const [lineNo, q] = [...left].find(([, q]) => q > 0) as [number, number];
            request.push({ lineNo, quantity: 1 + (next() % q) });
          }
          const plan = planRefund(sold, refunded, request);
          for (const l of plan.lines) {
            expect(l.refundMinor).toBeGreaterThanOrEqual(0);
            expect(l.reverseEarnedPoints).toBeGreaterThanOrEqual(0);
            expect(l.returnRedeemedPoints).toBeGreaterThanOrEqual(0);
          }
          refundMinor += plan.refundMinor;
          reverseEarned += plan.reverseEarnedPoints;
          returnRedeemed += plan.returnRedeemedPoints;
          for (const r of request) {
            refunded.push(r);
            left.set(r.lineNo, (left.get(r.lineNo) ?? 0) - r.quantity);
          }
        }
        expect(refundMinor).toBe(sold.reduce((s, l) => s + l.paidMinor, 0));
        expect(reverseEarned).toBe(sold.reduce((s, l) => s + l.earnedPoints, 0));
        expect(returnRedeemed).toBe(sold.reduce((s, l) => s + l.redeemedPoints, 0));

        // Nothing more can be refunded.
        const first = sold[0] as SoldLine;
        expect(() => planRefund(sold, refunded, [{ lineNo: first.lineNo, quantity: 1 }])).toThrow(DomainError);
      }),
      { numRuns: 300 },
    );
  });

  it('a refund of k units of a line is within one unit of its proportional share', () => {
    fc.assert(
      fc.property(soldArb, fc.nat(), fc.nat(), (sold, a, b) => {
        const line = sold[a % sold.length] as SoldLine;
        const k = 1 + (b % line.quantity);
        const plan = planRefund(sold, [], [{ lineNo: line.lineNo, quantity: k }]);
        const exact = (line.paidMinor * k) / line.quantity;
        expect(Math.abs(plan.refundMinor - exact)).toBeLessThan(1);
      }),
    );
  });
});
