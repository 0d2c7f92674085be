import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isDomainError } from '../../../src-shared/errors/domain-error';
import { ean13CheckDigit, gs1CheckDigit } from '../../../src-shared/catalogue/gtin';
import {
  buildVariableMeasure,
  checkVariableMeasureLayouts,
  DEFAULT_VARIABLE_MEASURE_LAYOUTS,
  parseVariableMeasure,
  priceVerifierDigit,
  type VariableMeasureLayout,
} from '../../../src-shared/catalogue/variable-measure';
import { classifyProductCode } from '../../../src-shared/catalogue/classify-code';

// GS1's weighting rules, written out as arithmetic rather than the module's lookup tables.
const units = (n: number) => n % 10;
const tens = (n: number) => Math.floor(n / 10);
const w2minus = (d: number) => (units(2 * d) - tens(2 * d) + 10) % 10;
const w3 = (d: number) => units(3 * d);
const w5plus = (d: number) => units(units(5 * d) + tens(5 * d));
const w5minus = (d: number) => (units(5 * d) - tens(5 * d) + 10) % 10;

/** A table with GS1-style verifier layouts beside the Chinese defaults, and a UPC-A one. */
const GS1_TABLE = checkVariableMeasureLayouts([
  ...DEFAULT_VARIABLE_MEASURE_LAYOUTS,
  { id: 'gs1-price-4', prefix: '23', itemDigits: 5, valueKind: 'price', valueDigits: 4, valueDecimals: 2, verifier: true },
  { id: 'gs1-price-5', prefix: '24', itemDigits: 4, valueKind: 'price', valueDigits: 5, valueDecimals: 2, verifier: true },
  { id: 'gs1-weight-5', prefix: '25', itemDigits: 4, valueKind: 'weight', valueDigits: 5, valueDecimals: 3, verifier: true },
  { id: 'yuan-1', prefix: '26', itemDigits: 6, valueKind: 'price', valueDigits: 4, valueDecimals: 1, verifier: false },
  { id: 'kg-2', prefix: '27', itemDigits: 6, valueKind: 'weight', valueDigits: 4, valueDecimals: 2, verifier: false },
  { id: 'upc-price', prefix: '02', itemDigits: 5, valueKind: 'price', valueDigits: 4, valueDecimals: 2, verifier: true },
]);

function code(body12: string): string {
  return body12 + ean13CheckDigit(body12);
}

describe('the GS1 price/measure verifier digit', () => {
  it('matches GS1’s examples', () => {
    expect(priceVerifierDigit('2875')).toBe('9');
    expect(priceVerifierDigit('14685')).toBe('6');
  });

  it('follows the weighting rules for every 4- and 5-digit value', () => {
    for (let v = 0; v < 10_000; v += 1) {
      const d = String(v).padStart(4, '0').split('').map(Number) as [number, number, number, number];
      expect(Number(priceVerifierDigit(String(v).padStart(4, '0')))).toBe(units(3 * (w2minus(d[0]) + w2minus(d[1]) + w3(d[2]) + w5minus(d[3]))));
    }
    for (let v = 0; v < 100_000; v += 7) {
      const s = String(v).padStart(5, '0');
      const d = s.split('').map(Number) as [number, number, number, number, number];
      const c = Number(priceVerifierDigit(s));
      // The verifier's "5-" product brings the weighted sum to a multiple of ten.
      expect((w5plus(d[0]) + w2minus(d[1]) + w5minus(d[2]) + w5plus(d[3]) + w2minus(d[4]) + w5minus(c)) % 10).toBe(0);
    }
  });

  it('refuses other lengths', () => {
    expect(() => priceVerifierDigit('123')).toThrow(RangeError);
    expect(() => priceVerifierDigit('123456')).toThrow(RangeError);
  });
});

describe('parseVariableMeasure with the Chinese defaults', () => {
  it('reads an amount in fen for counted and weighed goods', () => {
    expect(parseVariableMeasure(code('200012301234'), DEFAULT_VARIABLE_MEASURE_LAYOUTS)).toEqual({
      ok: true,
      layoutId: 'cn-counted-amount',
      code: code('200012301234'),
      itemCode: '00123',
      productCode: '123',
      valueKind: 'price',
      priceMinor: 1234,
    });
    expect(parseVariableMeasure(code('219999999999'), DEFAULT_VARIABLE_MEASURE_LAYOUTS)).toMatchObject({ itemCode: '99999', priceMinor: 99_999 });
  });

  it('reads a weight in grams', () => {
    expect(parseVariableMeasure(code('220045601500'), DEFAULT_VARIABLE_MEASURE_LAYOUTS)).toMatchObject({
      layoutId: 'cn-weighed-weight',
      productCode: '456',
      valueKind: 'weight',
      weightGrams: 1500,
    });
  });

  it('reads Odoo’s test label with Odoo’s weight layout (21, 5-digit item, kg with 3 decimals)', () => {
    const odoo = checkVariableMeasureLayouts([{ id: 'odoo-weight', prefix: '21', itemDigits: 5, valueKind: 'weight', valueDigits: 5, valueDecimals: 3, verifier: false }]);
    expect(parseVariableMeasure('2100005080002', odoo)).toMatchObject({ ok: true, itemCode: '00005', weightGrams: 8000 });
  });

  it('says why it refuses', () => {
    const good = code('200012301234');
    const badCheck = good.slice(0, 12) + String((Number(good[12]) + 1) % 10);
    expect(parseVariableMeasure(badCheck, DEFAULT_VARIABLE_MEASURE_LAYOUTS)).toEqual({ ok: false, reason: 'bad_check_digit' });
    expect(parseVariableMeasure(code('290012301234'), DEFAULT_VARIABLE_MEASURE_LAYOUTS)).toEqual({ ok: false, reason: 'no_layout' });
    expect(parseVariableMeasure('20001230123', DEFAULT_VARIABLE_MEASURE_LAYOUTS)).toEqual({ ok: false, reason: 'bad_length' });
    expect(parseVariableMeasure('20001230123X', DEFAULT_VARIABLE_MEASURE_LAYOUTS)).toEqual({ ok: false, reason: 'not_digits' });
  });
});

describe('parseVariableMeasure with verifier digits', () => {
  it('accepts a label whose verifier matches and refuses one whose verifier does not', () => {
    const layout = GS1_TABLE.find((l) => l.id === 'gs1-price-4')!;
    const label = buildVariableMeasure(layout, '12345', { valueKind: 'price', priceMinor: 2875 });
    expect(label).toBe(code('231234592875'));
    expect(parseVariableMeasure(label, GS1_TABLE)).toMatchObject({ ok: true, priceMinor: 2875 });
    // Verifier 8 instead of 9, with a check digit that is right for the changed code.
    expect(parseVariableMeasure(code('231234582875'), GS1_TABLE)).toEqual({ ok: false, reason: 'bad_verifier_digit' });
  });

  it('reads a UPC-A label (12 digits) in its EAN-13 form', () => {
    const layout = GS1_TABLE.find((l) => l.id === 'upc-price')!;
    const label13 = buildVariableMeasure(layout, '4321', { valueKind: 'price', priceMinor: 1999 });
    expect(label13.startsWith('02')).toBe(true);
    expect(parseVariableMeasure(label13.slice(1), GS1_TABLE)).toMatchObject({ ok: true, layoutId: 'upc-price', code: label13, itemCode: '04321', productCode: '4321', priceMinor: 1999 });
  });
});

/** Item codes and values that fit a layout. */
function labelInputs(layout: VariableMeasureLayout) {
  const step = 10 ** ((layout.valueKind === 'price' ? 2 : 3) - layout.valueDecimals);
  return fc.record({
    item: fc.integer({ min: 0, max: 10 ** layout.itemDigits - 1 }).map(String),
    units: fc.integer({ min: 0, max: 10 ** layout.valueDigits - 1 }).map((v) => v * step),
  });
}

function valueOf(layout: VariableMeasureLayout, units: number) {
  return layout.valueKind === 'price' ? { valueKind: 'price' as const, priceMinor: units } : { valueKind: 'weight' as const, weightGrams: units };
}

describe('build then parse (property), for every configured layout', () => {
  for (const layout of GS1_TABLE) {
    it(`${layout.id}: round trips, and a wrong check or verifier digit is refused`, () => {
      fc.assert(
        fc.property(labelInputs(layout), fc.integer({ min: 1, max: 9 }), ({ item, units }, delta) => {
          const label = buildVariableMeasure(layout, item, valueOf(layout, units));
          const parsed = parseVariableMeasure(label, GS1_TABLE);
          expect(parsed).toEqual({
            ok: true,
            layoutId: layout.id,
            code: label,
            itemCode: item.padStart(layout.itemDigits, '0'),
            productCode: String(Number(item)),
            ...valueOf(layout, units),
          });
          const badCheck = label.slice(0, 12) + String((Number(label[12]) + delta) % 10);
          expect(parseVariableMeasure(badCheck, GS1_TABLE)).toEqual({ ok: false, reason: 'bad_check_digit' });
          if (layout.verifier) {
            const at = layout.prefix.length + layout.itemDigits;
            const body = label.slice(0, at) + String((Number(label[at]) + delta) % 10) + label.slice(at + 1, 12);
            expect(parseVariableMeasure(body + gs1CheckDigit(body), GS1_TABLE)).toEqual({ ok: false, reason: 'bad_verifier_digit' });
            expect(classifyProductCode(body + gs1CheckDigit(body), GS1_TABLE)).toMatchObject({ kind: 'invalid', reason: 'bad_verifier_digit' });
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('round trips for any valid layout', () => {
    const anyLayout = fc
      .record({
        prefix: fc.constantFrom('2', '20', '21', '29', '02', '023', '2345'),
        valueKind: fc.constantFrom('price' as const, 'weight' as const),
        valueDigits: fc.integer({ min: 1, max: 6 }),
        decimals: fc.nat(),
        verifier: fc.boolean(),
      })
      .map(({ prefix, valueKind, valueDigits, decimals, verifier }) => {
        const hasVerifier = verifier && (valueDigits === 4 || valueDigits === 5);
        const itemDigits = 12 - prefix.length - valueDigits - (hasVerifier ? 1 : 0);
        return { id: 'any', prefix, itemDigits, valueKind, valueDigits, valueDecimals: decimals % (valueKind === 'price' ? 3 : 4), verifier: hasVerifier };
      })
      .filter((l) => l.itemDigits >= 1 && l.itemDigits <= 7);
    fc.assert(
      fc.property(
        anyLayout.chain((l) => fc.tuple(fc.constant(l), labelInputs(l))),
        ([layout, { item, units }]) => {
          const table = checkVariableMeasureLayouts([layout]);
          const label = buildVariableMeasure(table[0]!, item, valueOf(layout, units));
          expect(label).toHaveLength(13);
          expect(parseVariableMeasure(label, table)).toMatchObject({ ok: true, itemCode: item.padStart(layout.itemDigits, '0'), ...valueOf(layout, units) });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('buildVariableMeasure', () => {
  const [counted, , weight] = DEFAULT_VARIABLE_MEASURE_LAYOUTS;
  it('refuses what does not fit the layout', () => {
    expect(() => buildVariableMeasure(counted!, '123456', { valueKind: 'price', priceMinor: 100 })).toThrow(RangeError);
    expect(() => buildVariableMeasure(counted!, '12', { valueKind: 'price', priceMinor: 100_000 })).toThrow(RangeError);
    expect(() => buildVariableMeasure(counted!, '12', { valueKind: 'price', priceMinor: -1 })).toThrow(RangeError);
    expect(() => buildVariableMeasure(counted!, '12', { valueKind: 'weight', weightGrams: 100 })).toThrow(RangeError);
    expect(() => buildVariableMeasure(weight!, '12', { valueKind: 'weight', weightGrams: 1.5 })).toThrow(RangeError);
    const tenFen = checkVariableMeasureLayouts([{ id: 'jiao', prefix: '26', itemDigits: 6, valueKind: 'price', valueDigits: 4, valueDecimals: 1, verifier: false }])[0]!;
    expect(() => buildVariableMeasure(tenFen, '1', { valueKind: 'price', priceMinor: 1235 })).toThrow(RangeError);
    expect(buildVariableMeasure(tenFen, '1', { valueKind: 'price', priceMinor: 1230 })).toBe(code('260000010123'));
  });
});

describe('checkVariableMeasureLayouts', () => {
  const base = { id: 'a', prefix: '20', itemDigits: 5, valueKind: 'price', valueDigits: 5, valueDecimals: 2, verifier: false };
  function problem(layouts: unknown): string {
    try {
      checkVariableMeasureLayouts(layouts);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      expect(e.code).toBe('INVALID_BARCODE_LAYOUT');
      return e.message;
    }
    throw new Error('expected INVALID_BARCODE_LAYOUT');
  }

  it('refuses tables that would misread labels', () => {
    expect(problem([{ ...base, itemDigits: 4 }])).toMatch(/12 digits, not 13/);
    expect(problem([base, { ...base, id: 'b', prefix: '2', itemDigits: 6 }])).toMatch(/prefix 2 also selects layout a/);
    expect(problem([base, { ...base, id: 'b' }])).toMatch(/prefix 20 also selects layout b/);
    expect(problem([base, { ...base, prefix: '21' }])).toMatch(/id is used twice/);
    expect(problem([{ ...base, verifier: true }])).toMatch(/14 digits, not 13/);
    expect(problem([{ ...base, itemDigits: 7, valueDigits: 3, verifier: true }])).toMatch(/4- and 5-digit/);
    expect(problem([{ ...base, valueDecimals: 3 }])).toMatch(/at most 2 decimals/);
    expect(problem([{ ...base, prefix: '30' }])).toMatch(/prefix/);
    expect(problem([{ ...base, itemDigits: 8, prefix: '2', valueDigits: 3 }])).toBeTruthy();
    expect(problem('nonsense')).toBeTruthy();
  });

  it('accepts the defaults and freezes what it returns', () => {
    expect(DEFAULT_VARIABLE_MEASURE_LAYOUTS.map((l) => l.prefix)).toEqual(['20', '21', '22']);
    expect(Object.isFrozen(DEFAULT_VARIABLE_MEASURE_LAYOUTS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_VARIABLE_MEASURE_LAYOUTS[0])).toBe(true);
  });
});

describe('classifyProductCode', () => {
  const table = DEFAULT_VARIABLE_MEASURE_LAYOUTS;
  it('tells GTINs, internal codes, scale labels and mistakes apart', () => {
    expect(classifyProductCode('6901234567892', table)).toEqual({ kind: 'gtin', format: 'ean13', code: '6901234567892' });
    expect(classifyProductCode('036000291452', table)).toEqual({ kind: 'gtin', format: 'upca', code: '0036000291452' });
    expect(classifyProductCode('96385074', table)).toEqual({ kind: 'gtin', format: 'ean8', code: '96385074' });
    expect(classifyProductCode('00123', table)).toEqual({ kind: 'internal', code: '123' });
    expect(classifyProductCode('a-12', table)).toEqual({ kind: 'internal', code: 'A-12' });
    expect(classifyProductCode(code('210012301234'), table)).toMatchObject({ kind: 'variable_measure', format: 'ean13', layoutId: 'cn-weighed-amount', productCode: '123', priceMinor: 1234 });
    // A restricted-circulation code without a layout is a store's own fixed code.
    expect(classifyProductCode(code('290012301234'), table)).toEqual({ kind: 'gtin', format: 'ean13', code: code('290012301234') });
    expect(classifyProductCode('6901234567893', table)).toEqual({ kind: 'invalid', reason: 'bad_check_digit', format: 'ean13' });
    expect(classifyProductCode('', table)).toEqual({ kind: 'invalid', reason: 'empty', format: null });
    expect(classifyProductCode('6.90123E+12', table)).toEqual({ kind: 'invalid', reason: 'scientific_notation', format: null });
  });
});
