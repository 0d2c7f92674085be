import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocateProportionally, floorDivBig } from '../../../src-shared/domain/money';

/** Every part is floor or ceil of its exact share total * w / sum(w) (even split for zero weights). */
function assertFloorOrCeil(total: number, weights: number[], parts: number[]): void {
  const sum = weights.reduce((a, b) => a + BigInt(b), 0n);
  parts.forEach((part, i) => {
    const num = sum === 0n ? BigInt(total) : BigInt(total) * BigInt(weights[i] as number);
    const den = sum === 0n ? BigInt(weights.length) : sum;
    const floor = floorDivBig(num, den);
    const ceil = num % den === 0n ? floor : floor + 1n;
    expect(BigInt(part) === floor || BigInt(part) === ceil).toBe(true);
  });
}

describe('allocateProportionally (property)', () => {
  it('sums exactly and every part is floor or ceil of its share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }),
        fc.array(fc.nat({ max: 1_000_000_000 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocateProportionally(total, weights);
          expect(parts).toHaveLength(weights.length);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((p) => expect(Number.isSafeInteger(p)).toBe(true));
          assertFloorOrCeil(total, weights, parts);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stays exact with weights and totals near 2^53', () => {
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        fc.array(fc.maxSafeNat(), { minLength: 1, maxLength: 8 }),
        (total, weights) => {
          const parts = allocateProportionally(total, weights);
          expect(parts.reduce((a, b) => BigInt(a) + BigInt(b), 0n)).toBe(BigInt(total));
          assertFloorOrCeil(total, weights, parts);
        },
      ),
    );
  });

  it('handles all-zero weights as an even split', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: 1, max: 30 }), (total, n) => {
        const weights = new Array<number>(n).fill(0);
        const parts = allocateProportionally(total, weights);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
        assertFloorOrCeil(total, weights, parts);
      }),
    );
  });

  it('gives zero to zero weights when some weight is positive', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = allocateProportionally(total, weights);
          weights.forEach((w, i) => {
            if (w === 0) expect(parts[i]).toBe(0);
          });
        },
      ),
    );
  });
});
