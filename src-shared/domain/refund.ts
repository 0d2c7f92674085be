import { DomainError } from '../errors/domain-error';
import { floorDivBig, requireWhole, toSafeNumber } from './money';
import type { Minor, Points } from './types';

/** A line of the original sale, as recorded at checkout. */
export interface SoldLine {
  lineNo: number;
  quantity: number;
  paidMinor: Minor;
  redeemedPoints: Points;
  /** Receipt points allocated to the line at checkout (EarnLine.points). */
  earnedPoints: Points;
}

export interface RefundLinePlan {
  lineNo: number;
  quantity: number;
  /** Money back to the customer for this line. */
  refundMinor: Minor;
  /** Earned points to take back (>= 0). */
  reverseEarnedPoints: Points;
  /** Redeemed points to give back (>= 0). */
  returnRedeemedPoints: Points;
}

export interface RefundPlan {
  lines: RefundLinePlan[];
  refundMinor: Minor;
  reverseEarnedPoints: Points;
  returnRedeemedPoints: Points;
}

/** floor(x * next / quantity) - floor(x * prev / quantity), exactly. */
function slice(x: number, prev: number, next: number, quantity: number): number {
  const X = BigInt(x);
  const q = BigInt(quantity);
  return toSafeNumber(floorDivBig(X * BigInt(next), q) - floorDivBig(X * BigInt(prev), q));
}

/**
 * Proportional refund by line. For each requested line with cumulative refunded quantity going
 * from `prev` to `next` out of `quantity`, every amount X (paid, redeemed, earned) is
 * floor(X * next / quantity) - floor(X * prev / quantity), so refunding everything, in any
 * number of steps, returns exactly the sale's totals. Throws DomainError INVALID_INPUT
 * (quantity < 1, non-integer, a line named twice, empty request) and REFUND_EXCEEDS_SALE
 * (unknown line, or more than sold minus already refunded; details: lineNo, sold, refunded, requested).
 * `alreadyRefunded` may name a line several times (one entry per earlier refund); its quantities
 * are summed. Sold amounts must be non-negative integers. Plan lines follow the request order.
 */
export function planRefund(
  sold: readonly SoldLine[],
  alreadyRefunded: readonly { lineNo: number; quantity: number }[],
  request: readonly { lineNo: number; quantity: number }[],
): RefundPlan {
  if (request.length === 0) {
    throw new DomainError('INVALID_INPUT', 'A refund must name at least one line.', {});
  }
  const soldByLine = new Map<number, SoldLine>();
  for (const line of sold) {
    const d = { lineNo: line.lineNo };
    requireWhole(line.lineNo, 'sold lineNo');
    requireWhole(line.quantity, 'sold quantity', 1, d);
    requireWhole(line.paidMinor, 'sold paidMinor', 0, d);
    requireWhole(line.redeemedPoints, 'sold redeemedPoints', 0, d);
    requireWhole(line.earnedPoints, 'sold earnedPoints', 0, d);
    if (soldByLine.has(line.lineNo)) {
      throw new DomainError('INVALID_INPUT', 'The sale names a line twice.', d);
    }
    soldByLine.set(line.lineNo, line);
  }
  const refunded = new Map<number, number>();
  for (const r of alreadyRefunded) {
    requireWhole(r.quantity, 'refunded quantity', 0, { lineNo: r.lineNo });
    refunded.set(r.lineNo, (refunded.get(r.lineNo) ?? 0) + r.quantity);
  }

  const named = new Set<number>();
  const lines: RefundLinePlan[] = [];
  for (const req of request) {
    requireWhole(req.lineNo, 'lineNo');
    requireWhole(req.quantity, 'quantity', 1, { lineNo: req.lineNo });
    if (named.has(req.lineNo)) {
      throw new DomainError('INVALID_INPUT', 'The refund names a line twice.', { lineNo: req.lineNo });
    }
    named.add(req.lineNo);
    const line = soldByLine.get(req.lineNo);
    const prev = refunded.get(req.lineNo) ?? 0;
    if (!line || prev + req.quantity > line.quantity) {
      throw new DomainError('REFUND_EXCEEDS_SALE', 'More is refunded than was sold.', {
        lineNo: req.lineNo,
        sold: line?.quantity ?? 0,
        refunded: prev,
        requested: req.quantity,
      });
    }
    const next = prev + req.quantity;
    lines.push({
      lineNo: req.lineNo,
      quantity: req.quantity,
      refundMinor: slice(line.paidMinor, prev, next, line.quantity),
      reverseEarnedPoints: slice(line.earnedPoints, prev, next, line.quantity),
      returnRedeemedPoints: slice(line.redeemedPoints, prev, next, line.quantity),
    });
  }
  return {
    lines,
    refundMinor: lines.reduce((s, l) => s + l.refundMinor, 0),
    reverseEarnedPoints: lines.reduce((s, l) => s + l.reverseEarnedPoints, 0),
    returnRedeemedPoints: lines.reduce((s, l) => s + l.returnRedeemedPoints, 0),
  };
}
