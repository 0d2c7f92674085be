import { describe, expect, it } from 'vitest';
import { luhnCheckDigit, luhnValid, maskCardNumber } from '../../../src-shared/cards';

describe('luhnValid', () => {
  it('accepts well-known valid numbers', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4000123456789017')).toBe(true);
  });

  it('rejects a changed digit and a transposition of adjacent digits', () => {
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('4000123456789071')).toBe(false); // ...17 -> ...71
  });

  it('rejects anything that is not a plain digit string of length >= 2', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('0')).toBe(false);
    expect(luhnValid('4111 1111 1111 1111')).toBe(false);
    expect(luhnValid('4111-1111-1111-1111')).toBe(false);
    expect(luhnValid('41111111111111a1')).toBe(false);
    expect(luhnValid('４１１１１１１１１１１１１１１１')).toBe(false); // full-width digits
  });
});

describe('luhnCheckDigit', () => {
  it('computes the digit that makes the number valid', () => {
    expect(luhnCheckDigit('7992739871')).toBe('3');
    expect(luhnCheckDigit('411111111111111')).toBe('1');
    expect(luhnCheckDigit('400012345678901')).toBe('7');
  });

  it('agrees with luhnValid for every possible last digit', () => {
    const prefixes = ['600000000000000', '123456789012345', '999999999999999', '000000000000000'];
    for (const p of prefixes) {
      const check = luhnCheckDigit(p);
      for (let d = 0; d <= 9; d += 1) {
        expect(luhnValid(p + String(d))).toBe(String(d) === check);
      }
    }
  });

  it('throws on non-digits and on empty input', () => {
    expect(() => luhnCheckDigit('')).toThrow(RangeError);
    expect(() => luhnCheckDigit('12 34')).toThrow(RangeError);
  });
});

describe('maskCardNumber', () => {
  it('shows only the last four digits, grouped by four', () => {
    expect(maskCardNumber('4000123456789017')).toBe('**** **** **** 9017');
    expect(maskCardNumber('4000 1234-5678 9017')).toBe('**** **** **** 9017');
  });

  it('masks short inputs entirely and returns empty for no digits', () => {
    expect(maskCardNumber('1234')).toBe('****');
    expect(maskCardNumber('12345')).toBe('* 2345');
    expect(maskCardNumber('6000000000000000123')).toBe('*** **** **** **** 0123');
    expect(maskCardNumber('abc')).toBe('');
  });
});
