import { describe, expect, it } from 'vitest';
import { planRefund, type SoldLine } from '../../../src-shared/domain/refund';
import { expectDomainError } from './fixtures';

const SOLD: SoldLine[] = [
  { lineNo: 1, quantity: 3, paidMinor: 2999, redeemedPoints: 301, earnedPoints: 31 },
  { lineNo: 2, quantity: 1, paidMinor: 1000, redeemedPoints: 0, earnedPoints: 10 },
];

describe('planRefund', () => {
  it('refunds a whole sale exactly', () => {
    const plan = planRefund(SOLD, [], [
      { lineNo: 1, quantity: 3 },
      { lineNo: 2, quantity: 1 },
    ]);
    expect(plan).toMatchObject({ refundMinor: 3999, reverseEarnedPoints: 41, returnRedeemedPoints: 301 });
  });

  it('refunds part of a line with the cumulative floor formula', () => {
    const first = planRefund(SOLD, [], [{ lineNo: 1, quantity: 1 }]);
    // floor(2999/3) = 999, floor(301/3) = 100, floor(31/3) = 10.
    expect(first.lines).toEqual([{ lineNo: 1, quantity: 1, refundMinor: 999, returnRedeemedPoints: 100, reverseEarnedPoints: 10 }]);
    const second = planRefund(SOLD, [{ lineNo: 1, quantity: 1 }], [{ lineNo: 1, quantity: 1 }]);
    // floor(2999*2/3) - 999 = 1000, floor(602/3) - 100 = 100, floor(62/3) - 10 = 10.
    expect(second.lines[0]).toMatchObject({ refundMinor: 1000, returnRedeemedPoints: 100, reverseEarnedPoints: 10 });
    const third = planRefund(SOLD, [{ lineNo: 1, quantity: 1 }, { lineNo: 1, quantity: 1 }], [{ lineNo: 1, quantity: 1 }]);
    expect(third.lines[0]).toMatchObject({ refundMinor: 1000, returnRedeemedPoints: 101, reverseEarnedPoints: 11 });
    expect(first.refundMinor + second.refundMinor + third.refundMinor).toBe(2999);
  });

  it('a partial refund then the rest equals the full refund', () => {
    const full = planRefund(SOLD, [], [{ lineNo: 1, quantity: 3 }, { lineNo: 2, quantity: 1 }]);
    const part = planRefund(SOLD, [], [{ lineNo: 1, quantity: 2 }]);
    const rest = planRefund(SOLD, [{ lineNo: 1, quantity: 2 }], [{ lineNo: 2, quantity: 1 }, { lineNo: 1, quantity: 1 }]);
    expect(part.refundMinor + rest.refundMinor).toBe(full.refundMinor);
    expect(part.reverseEarnedPoints + rest.reverseEarnedPoints).toBe(full.reverseEarnedPoints);
    expect(part.returnRedeemedPoints + rest.returnRedeemedPoints).toBe(full.returnRedeemedPoints);
    expect(rest.lines.map((l) => l.lineNo)).toEqual([2, 1]); // request order
  });

  it('refuses more than was sold, with the numbers', () => {
    const err = expectDomainError(() => planRefund(SOLD, [{ lineNo: 1, quantity: 1 }], [{ lineNo: 1, quantity: 3 }]), 'REFUND_EXCEEDS_SALE');
    expect(err.details).toEqual({ lineNo: 1, sold: 3, refunded: 1, requested: 3 });
    expectDomainError(() => planRefund(SOLD, [{ lineNo: 2, quantity: 1 }], [{ lineNo: 2, quantity: 1 }]), 'REFUND_EXCEEDS_SALE');
    const unknown = expectDomainError(() => planRefund(SOLD, [], [{ lineNo: 9, quantity: 1 }]), 'REFUND_EXCEEDS_SALE');
    expect(unknown.details).toMatchObject({ lineNo: 9, sold: 0 });
  });

  it('rejects malformed requests', () => {
    expectDomainError(() => planRefund(SOLD, [], []), 'INVALID_INPUT');
    expectDomainError(() => planRefund(SOLD, [], [{ lineNo: 1, quantity: 0 }]), 'INVALID_INPUT');
    expectDomainError(() => planRefund(SOLD, [], [{ lineNo: 1, quantity: 1.5 }]), 'INVALID_INPUT');
    expectDomainError(() => planRefund(SOLD, [], [{ lineNo: 1, quantity: 1 }, { lineNo: 1, quantity: 1 }]), 'INVALID_INPUT');
  });

  it('gives nothing back on a line that was not paid with points', () => {
    const plan = planRefund(SOLD, [], [{ lineNo: 2, quantity: 1 }]);
    expect(plan).toMatchObject({ refundMinor: 1000, returnRedeemedPoints: 0, reverseEarnedPoints: 10 });
  });
});
