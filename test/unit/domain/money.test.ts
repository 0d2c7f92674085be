import { describe, expect, it } from 'vitest';
import {
  allocateProportionally,
  allocateProportionallyBig,
  floorDivBig,
  isWholeNumber,
  lineGrossMinor,
} from '../../../src-shared/domain/money';
import { expectDomainError, line } from './fixtures';

describe('lineGrossMinor', () => {
  it('is quantity x unit price minus the line discount', () => {
    expect(lineGrossMinor(line(1, 1250, { quantity: 3 }))).toBe(3750);
    expect(lineGrossMinor(line(1, 1250, { quantity: 3, discountMinor: 750 }))).toBe(3000);
  });

  it('never goes below zero', () => {
    expect(lineGrossMinor(line(1, 100, { discountMinor: 500 }))).toBe(0);
  });

  it('rejects non-integer money and quantities', () => {
    expectDomainError(() => lineGrossMinor(line(1, 12.5)), 'INVALID_INPUT');
    expectDomainError(() => lineGrossMinor(line(1, 100, { quantity: 1.5 })), 'INVALID_INPUT');
    expectDomainError(() => lineGrossMinor(line(1, 100, { discountMinor: 0.1 })), 'INVALID_INPUT');
  });

  it('rejects a gross too large for exact arithmetic', () => {
    expectDomainError(() => lineGrossMinor(line(1, Number.MAX_SAFE_INTEGER, { quantity: 2 })), 'INVALID_INPUT');
  });
});

describe('allocateProportionally', () => {
  it('splits by largest remainder, summing exactly', () => {
    expect(allocateProportionally(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateProportionally(10, [3, 7])).toEqual([3, 7]);
    expect(allocateProportionally(7, [2, 3, 5])).toEqual([1, 2, 4]); // 1.4, 2.1, 3.5 -> +1 to 3.5
  });

  it('gives ties to the lower index', () => {
    expect(allocateProportionally(1, [1, 1])).toEqual([1, 0]);
    expect(allocateProportionally(3, [1, 1, 1, 1])).toEqual([1, 1, 1, 0]);
  });

  it('gives nothing extra to a zero weight', () => {
    expect(allocateProportionally(5, [0, 1, 0])).toEqual([0, 5, 0]);
  });

  it('splits evenly when every weight is zero', () => {
    expect(allocateProportionally(5, [0, 0, 0])).toEqual([2, 2, 1]);
    expect(allocateProportionally(-5, [0, 0, 0])).toEqual([-2, -2, -1]);
  });

  it('splits a negative total as the negation of its absolute value', () => {
    expect(allocateProportionally(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });

  it('handles empty weights', () => {
    expect(allocateProportionally(0, [])).toEqual([]);
    expectDomainError(() => allocateProportionally(1, []), 'INVALID_INPUT');
  });

  it('rejects negative or fractional weights and a fractional total', () => {
    expectDomainError(() => allocateProportionally(10, [1, -1]), 'INVALID_INPUT');
    expectDomainError(() => allocateProportionally(10, [0.5, 1]), 'INVALID_INPUT');
    expectDomainError(() => allocateProportionally(1.5, [1, 1]), 'INVALID_INPUT');
  });

  it('is exact where total x weight exceeds 2^53', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const parts = allocateProportionally(big, [big, big, 1]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(big);
    expect(parts[2]).toBeLessThanOrEqual(1);
  });

  it('has a BigInt variant for huge weights', () => {
    const w = 10n ** 30n;
    expect(allocateProportionallyBig(3n, [w, 2n * w])).toEqual([1n, 2n]);
  });
});

describe('helpers', () => {
  it('floorDivBig floors for every sign', () => {
    expect(floorDivBig(7n, 2n)).toBe(3n);
    expect(floorDivBig(-7n, 2n)).toBe(-4n);
    expect(floorDivBig(7n, -2n)).toBe(-4n);
    expect(floorDivBig(-7n, -2n)).toBe(3n);
    expect(floorDivBig(-6n, 2n)).toBe(-3n);
  });

  it('isWholeNumber accepts only safe integers', () => {
    expect(isWholeNumber(5)).toBe(true);
    expect(isWholeNumber(-5)).toBe(true);
    expect(isWholeNumber(5.5)).toBe(false);
    expect(isWholeNumber(Number.MAX_SAFE_INTEGER + 1)).toBe(false);
    expect(isWholeNumber('5')).toBe(false);
    expect(isWholeNumber(Number.NaN)).toBe(false);
  });
});
