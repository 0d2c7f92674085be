import { DomainError } from '../errors/domain-error';
import type { Minor, SaleLineInput } from './types';

/** quantity x unit price - line discount, never below zero. Throws on non-integers. */
export function lineGrossMinor(line: SaleLineInput): Minor {
  const discount = line.discountMinor ?? 0;
  for (const [field, value] of [
    ['quantity', line.quantity],
    ['unitPriceMinor', line.unitPriceMinor],
    ['discountMinor', discount],
  ] as const) {
    if (!isWholeNumber(value)) {
      throw new DomainError('INVALID_INPUT', `Line ${String(line.lineNo)}: ${field} must be a whole number.`, {
        lineNo: line.lineNo,
        field,
        value,
      });
    }
  }
  const gross = BigInt(line.quantity) * BigInt(line.unitPriceMinor) - BigInt(discount);
  if (gross <= 0n) return 0;
  return toSafeNumber(gross, { lineNo: line.lineNo, field: 'grossMinor' });
}

/**
 * Splits an integer `total` (any sign) into integers proportional to non-negative integer
 * `weights`, by the largest-remainder method: the parts sum exactly to `total`, each part is
 * floor or ceil of its exact share, ties go to the lower index. If every weight is zero the
 * total is split as evenly as possible (lower indices first). Empty weights with total 0 → [].
 * Empty weights with a non-zero total throws. Uses BigInt internally where products could
 * exceed 2^53.
 * A negative total is split as the negation of the split of its absolute value (so the parts
 * with the larger magnitude go to the larger remainders, ties to the lower index).
 */
export function allocateProportionally(total: number, weights: readonly number[]): number[] {
  if (!isWholeNumber(total)) {
    throw new DomainError('INVALID_INPUT', 'The total to allocate must be a whole number.', { total });
  }
  weights.forEach((w, index) => {
    if (!isWholeNumber(w) || w < 0) {
      throw new DomainError('INVALID_INPUT', 'Allocation weights must be non-negative whole numbers.', {
        index,
        weight: w,
      });
    }
  });
  return allocateProportionallyBig(
    BigInt(total),
    weights.map((w) => BigInt(w)),
  ).map((p) => Number(p)); // |part| <= |total|, so always safe
}

/** `allocateProportionally` on BigInts (weights may be arbitrarily large). */
export function allocateProportionallyBig(total: bigint, weights: readonly bigint[]): bigint[] {
  const n = weights.length;
  if (n === 0) {
    if (total === 0n) return [];
    throw new DomainError('INVALID_INPUT', 'Cannot allocate a non-zero total over no parts.', {
      total: total.toString(),
    });
  }
  for (const w of weights) {
    if (w < 0n) {
      throw new DomainError('INVALID_INPUT', 'Allocation weights must be non-negative.', { weight: w.toString() });
    }
  }
  if (total < 0n) return allocateProportionallyBig(-total, weights).map((p) => -p);

  let sumWeights = 0n;
  for (const w of weights) sumWeights += w;

  const parts: bigint[] = new Array<bigint>(n);
  const remainders: bigint[] = new Array<bigint>(n);
  let allocated = 0n;
  if (sumWeights === 0n) {
    // Even split: every exact share is total / n.
    const each = total / BigInt(n);
    for (let i = 0; i < n; i++) {
      parts[i] = each;
      remainders[i] = 1n; // all equal: the leftover goes to the lowest indices
    }
    allocated = each * BigInt(n);
  } else {
    for (let i = 0; i < n; i++) {
      const product = total * (weights[i] as bigint);
      const q = product / sumWeights;
      parts[i] = q;
      remainders[i] = product - q * sumWeights;
      allocated += q;
    }
  }
  let leftover = total - allocated; // 0 <= leftover < n
  if (leftover > 0n) {
    const order = Array.from({ length: n }, (_, i) => i)
      .filter((i) => (remainders[i] as bigint) > 0n)
      .sort((a, b) => {
        const ra = remainders[a] as bigint;
        const rb = remainders[b] as bigint;
        if (ra !== rb) return ra > rb ? -1 : 1;
        return a - b;
      });
    for (const i of order) {
      if (leftover === 0n) break;
      parts[i] = (parts[i] as bigint) + 1n;
      leftover -= 1n;
    }
  }
  return parts;
}

/** True for a safe integer (the only kind of number allowed for money and points). */
export function isWholeNumber(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

/** floor(a / b) for BigInts of any sign (BigInt division truncates toward zero). b must be non-zero. */
export function floorDivBig(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new DomainError('INTERNAL', 'Division by zero.');
  const q = a / b;
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? q - 1n : q;
}

/** A BigInt as a safe integer number, or DomainError INVALID_INPUT when it is out of range. */
export function toSafeNumber(value: bigint, details: Record<string, unknown> = {}): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new DomainError('INVALID_INPUT', 'An amount is too large to handle exactly.', {
      ...details,
      value: value.toString(),
    });
  }
  return Number(value);
}

/** Throws DomainError INVALID_INPUT unless `value` is a safe integer (optionally >= min). */
export function requireWhole(value: unknown, field: string, min?: number, details: Record<string, unknown> = {}): number {
  if (!isWholeNumber(value) || (min !== undefined && value < min)) {
    throw new DomainError(
      'INVALID_INPUT',
      min === undefined ? `${field} must be a whole number.` : `${field} must be a whole number >= ${String(min)}.`,
      { ...details, field, value, ...(min === undefined ? {} : { min }) },
    );
  }
  return value;
}
