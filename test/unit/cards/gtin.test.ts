import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ean13CheckDigit, ean13Valid, ean8CheckDigit, ean8Valid, gtinCheckDigit, gtinValid, upcACheckDigit, upcAValid } from '../../../src-shared/barcodes';

describe('GS1 check digits (EAN-13, EAN-8, UPC-A)', () => {
  it('agrees with published examples', () => {
    expect(ean13CheckDigit('400638133393')).toBe('1'); // GS1's own example
    expect(ean13Valid('4006381333931')).toBe(true);
    expect(ean13Valid('6901234567892')).toBe(true);
    expect(ean8CheckDigit('9638507')).toBe('4');
    expect(ean8Valid('96385074')).toBe(true);
    expect(upcACheckDigit('03600029145')).toBe('2');
    expect(upcAValid('036000291452')).toBe(true);
  });

  it('a UPC-A with a leading 0 is the EAN-13 of the same product, with the same check digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{11}$/), (first11) => {
        expect(ean13CheckDigit(`0${first11}`)).toBe(upcACheckDigit(first11));
      }),
    );
  });

  it('exactly one check digit makes a body valid, and any single changed digit is caught', () => {
    fc.assert(
      fc.property(fc.constantFrom(7, 11, 12), fc.stringMatching(/^[0-9]{12}$/), fc.nat(11), fc.integer({ min: 1, max: 9 }), (n, digits, pos, delta) => {
        const body = digits.slice(0, n);
        const code = body + gtinCheckDigit(body);
        expect(gtinValid(code)).toBe(true);
        for (let d = 0; d <= 9; d++) expect(gtinValid(body + String(d))).toBe(String(d) === gtinCheckDigit(body));
        const i = pos % code.length;
        const changed = code.slice(0, i) + String((Number(code[i]) + delta) % 10) + code.slice(i + 1);
        expect(gtinValid(changed)).toBe(false);
      }),
    );
  });

  it('takes only ASCII digits of the right length', () => {
    for (const bad of ['', '690123456789', '69012345678922', '690123456789a', '６９０１２３４５６７８９２', ' 6901234567892']) expect(ean13Valid(bad)).toBe(false);
    expect(ean8Valid('9638507')).toBe(false);
    expect(upcAValid('36000291452')).toBe(false);
    expect(() => ean13CheckDigit('12')).toThrow(RangeError);
    expect(() => ean8CheckDigit('12345678')).toThrow(RangeError);
    expect(() => upcACheckDigit('1234567890a')).toThrow(RangeError);
    expect(() => gtinCheckDigit('')).toThrow(RangeError);
  });
});
