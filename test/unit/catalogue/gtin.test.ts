import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ean13CheckDigit as cardsEan13CheckDigit } from '../../../src-shared/cards';
import {
  ean13CheckDigit,
  ean13ToUpca,
  ean8CheckDigit,
  gs1CheckDigit,
  gs1CheckDigitValid,
  normaliseProductCode,
  parseGtin,
  upcaCheckDigit,
  upcaToEan13,
} from '../../../src-shared/catalogue/gtin';

const digits = (min: number, max = min) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

describe('GTIN check digits', () => {
  it('match published codes', () => {
    expect(ean13CheckDigit('400638133393')).toBe('1'); // 4006381333931, GS1's own example
    expect(ean13CheckDigit('690123456789')).toBe('2');
    expect(ean8CheckDigit('9638507')).toBe('4'); // 96385074
    expect(upcaCheckDigit('03600029145')).toBe('2'); // 036000291452
    expect(gs1CheckDigit('950110153100')).toBe('0');
    expect(gs1CheckDigitValid('4006381333931')).toBe(true);
    expect(gs1CheckDigitValid('4006381333932')).toBe(false);
    expect(gs1CheckDigitValid('9')).toBe(false);
    expect(gs1CheckDigitValid('12a4')).toBe(false);
  });

  it('refuses bodies of the wrong length or with other characters', () => {
    expect(() => ean13CheckDigit('12345678901')).toThrow(RangeError);
    expect(() => ean8CheckDigit('12345678')).toThrow(RangeError);
    expect(() => upcaCheckDigit('1234567890a')).toThrow(RangeError);
    expect(() => gs1CheckDigit('')).toThrow(RangeError);
  });

  it('agrees with the card module’s EAN-13 check digit (the two are to be merged)', () => {
    fc.assert(fc.property(digits(12), (body) => ean13CheckDigit(body) === cardsEan13CheckDigit(body)));
  });

  it('catches every single wrong digit', () => {
    fc.assert(
      fc.property(digits(7, 17), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const code = body + gs1CheckDigit(body);
        const i = at % code.length;
        const wrong = code.slice(0, i) + String((Number(code[i]) + delta) % 10) + code.slice(i + 1);
        expect(gs1CheckDigitValid(code)).toBe(true);
        expect(gs1CheckDigitValid(wrong)).toBe(false);
      }),
    );
  });

  it('gives a UPC-A and its EAN-13 form the same check digit', () => {
    fc.assert(
      fc.property(digits(11), (body) => {
        const upca = body + upcaCheckDigit(body);
        expect(upcaToEan13(upca)).toBe(`0${body}${ean13CheckDigit(`0${body}`)}`);
        expect(ean13ToUpca(upcaToEan13(upca))).toBe(upca);
      }),
    );
    expect(ean13ToUpca('6901234567892')).toBeNull();
  });
});

describe('parseGtin', () => {
  it('reads each kind to its lookup key', () => {
    expect(parseGtin('6901234567892')).toEqual({ ok: true, kind: 'ean13', key: '6901234567892' });
    expect(parseGtin('036000291452')).toEqual({ ok: true, kind: 'upca', key: '0036000291452' });
    expect(parseGtin('96385074')).toEqual({ ok: true, kind: 'ean8', key: '96385074' });
  });

  it('says why it refuses', () => {
    expect(parseGtin('6901234567893')).toEqual({ ok: false, reason: 'bad_check_digit', kind: 'ean13' });
    expect(parseGtin('690123456789')).toEqual({ ok: false, reason: 'bad_check_digit', kind: 'upca' });
    expect(parseGtin('12345')).toEqual({ ok: false, reason: 'bad_length', kind: null });
    expect(parseGtin('69012345678 2')).toEqual({ ok: false, reason: 'not_digits', kind: null });
  });
});

describe('normaliseProductCode', () => {
  it('stores GTINs in lookup form whatever the scanner or the spreadsheet did to them', () => {
    expect(normaliseProductCode(' 6901234567892\r\n')).toEqual({ ok: true, kind: 'ean13', code: '6901234567892' });
    expect(normaliseProductCode('６９０１２３４５６７８９２')).toEqual({ ok: true, kind: 'ean13', code: '6901234567892' });
    expect(normaliseProductCode('\ufeff036000291452')).toEqual({ ok: true, kind: 'upca', code: '0036000291452' });
    // An EAN-13 starting with 0 whose 0 a spreadsheet dropped is its UPC-A: the same key.
    expect(normaliseProductCode('0036000291452')).toEqual({ ok: true, kind: 'ean13', code: '0036000291452' });
  });

  it('reads short all-digit codes as PLU numbers, leading zeros not counting', () => {
    expect(normaliseProductCode('00123')).toEqual({ ok: true, kind: 'internal', code: '123' });
    expect(normaliseProductCode('0000000')).toEqual({ ok: true, kind: 'internal', code: '0' });
    // Longer all-digit internal codes keep their zeros (stripping could make them GTIN-length).
    expect(normaliseProductCode('000012345678')).toEqual({ ok: false, reason: 'bad_check_digit', kind: 'upca' });
    expect(normaliseProductCode('0001234567')).toEqual({ ok: true, kind: 'internal', code: '0001234567' });
  });

  it('upper-cases internal codes and refuses what no scanner sends', () => {
    expect(normaliseProductCode('shelf-12a')).toEqual({ ok: true, kind: 'internal', code: 'SHELF-12A' });
    expect(normaliseProductCode('')).toMatchObject({ ok: false, reason: 'empty' });
    expect(normaliseProductCode('  ')).toMatchObject({ ok: false, reason: 'empty' });
    expect(normaliseProductCode('ab c')).toMatchObject({ ok: false, reason: 'bad_characters' });
    expect(normaliseProductCode('-abc')).toMatchObject({ ok: false, reason: 'bad_characters' });
    expect(normaliseProductCode('龙井')).toMatchObject({ ok: false, reason: 'bad_characters' });
    expect(normaliseProductCode('A'.repeat(21))).toMatchObject({ ok: false, reason: 'too_long' });
    expect(normaliseProductCode('1'.repeat(21))).toMatchObject({ ok: false, reason: 'too_long' });
    expect(normaliseProductCode('6.90123E+12')).toMatchObject({ ok: false, reason: 'scientific_notation' });
    expect(normaliseProductCode('6.9e12')).toMatchObject({ ok: false, reason: 'scientific_notation' });
  });

  it('is idempotent: a stored code normalises to itself', () => {
    const raw = fc.oneof(
      digits(1, 20),
      digits(12).map((b) => b + ean13CheckDigit(b)),
      digits(11).map((b) => b + upcaCheckDigit(b)),
      digits(7).map((b) => b + ean8CheckDigit(b)),
      fc.string({ unit: fc.constantFrom(...'0123456789ABCdef- '), minLength: 1, maxLength: 22 }),
    );
    fc.assert(
      fc.property(raw, (code) => {
        const once = normaliseProductCode(code);
        if (!once.ok) return;
        expect(normaliseProductCode(once.code)).toEqual(once.kind === 'upca' ? { ok: true, kind: 'ean13', code: once.code } : once);
      }),
      { numRuns: 2000 },
    );
  });
});
