import { describe, expect, it } from 'vitest';
import { CATALOGUE as DEMO_CATALOGUE, CATEGORIES as DEMO_CATEGORIES } from '../../../src-main/seed/catalogue';
import {
  CATALOGUE_CATEGORIES,
  MAX_UNIT_PRICE_MINOR,
  productDisplayName,
  productSchema,
  type CatalogueProductInput,
} from '../../../src-shared/catalogue/product';

const valid: CatalogueProductInput = {
  sku: 'TEA-001',
  barcodes: ['6901234567892'],
  names: { 'zh-Hans': '西湖龙井茶 250g', 'zh-Hant': '西湖龍井茶 250g', en: 'West Lake Longjing tea 250g' },
  category: 'beverage',
  unitPriceMinor: 12800,
  active: true,
  measure: 'each',
};

function problems(input: unknown): string[] {
  const r = productSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('productSchema', () => {
  it('accepts a product and stores it in normal form', () => {
    const p = productSchema.parse({
      ...valid,
      sku: ' TEA-001 ',
      barcodes: ['036000291452', ' ６９０１２３４５６７８９２ ', '00123'],
      names: { 'zh-Hans': ' 西湖龙井茶 250g ', 'zh-Hant': '', en: '' },
      mnemonic: 'ljc',
    });
    expect(p).toEqual({
      ...valid,
      barcodes: ['0036000291452', '6901234567892', '123'],
      names: { 'zh-Hans': '西湖龙井茶 250g', 'zh-Hant': '', en: '' },
      mnemonic: 'LJC',
    });
    // The stored form is a fixed point.
    expect(productSchema.parse(p)).toEqual(p);
  });

  it('prices in fen: whole, above zero, at most ¥999,999.99', () => {
    expect(problems({ ...valid, unitPriceMinor: 0 })).toHaveLength(1);
    expect(problems({ ...valid, unitPriceMinor: -100 })).toHaveLength(1);
    expect(problems({ ...valid, unitPriceMinor: 12.5 })).toHaveLength(1);
    expect(problems({ ...valid, unitPriceMinor: MAX_UNIT_PRICE_MINOR + 1 })).toHaveLength(1);
    expect(problems({ ...valid, unitPriceMinor: MAX_UNIT_PRICE_MINOR })).toEqual([]);
    expect(problems({ ...valid, unitPriceMinor: 1 })).toEqual([]);
  });

  it('needs at least one valid barcode, none listed twice in any form', () => {
    expect(problems({ ...valid, barcodes: [] })).toHaveLength(1);
    expect(problems({ ...valid, barcodes: ['6901234567893'] })[0]).toMatch(/check digit/);
    expect(problems({ ...valid, barcodes: ['6.90123E+12'] })[0]).toMatch(/6.9E\+12/);
    expect(problems({ ...valid, barcodes: ['036000291452', '0036000291452'] })[0]).toMatch(/twice/);
    expect(problems({ ...valid, barcodes: ['123', '000123'] })[0]).toMatch(/twice/);
  });

  it('needs a name in some language, without line breaks, and a known category', () => {
    expect(problems({ ...valid, names: { 'zh-Hans': ' ', 'zh-Hant': '', en: '' } })[0]).toMatch(/at least one language/);
    expect(problems({ ...valid, names: { ...valid.names, en: 'two\nlines' } })).toHaveLength(1);
    expect(problems({ ...valid, names: { 'zh-Hans': '龙井' } })).not.toEqual([]);
    expect(problems({ ...valid, names: { ...valid.names, en: 'x'.repeat(101) } })).toHaveLength(1);
    expect(problems({ ...valid, category: 'tea' })).toHaveLength(1);
    expect(problems({ ...valid, sku: 'tea 001' })).toHaveLength(1);
    expect(problems({ ...valid, sku: '-tea' })).toHaveLength(1);
    expect(problems({ ...valid, mnemonic: '龙井' })).toHaveLength(1);
    expect(problems({ ...valid, mnemonic: '' })).toHaveLength(1);
    expect(problems({ ...valid, measure: 'litre' })).toHaveLength(1);
  });

  it('has the demo catalogue’s categories, and takes every demo product', () => {
    expect([...CATALOGUE_CATEGORIES]).toEqual(DEMO_CATEGORIES);
    for (const { products } of DEMO_CATALOGUE) {
      for (const d of products) {
        expect(problems({ ...valid, sku: d.sku, barcodes: [d.sku], names: { 'zh-Hans': d.description, 'zh-Hant': '', en: '' }, category: d.category, unitPriceMinor: d.unitPriceMinor })).toEqual([]);
      }
    }
  });
});

describe('productDisplayName', () => {
  it('falls back to whichever name is set', () => {
    const p = productSchema.parse(valid);
    expect(productDisplayName(p, 'en')).toBe('West Lake Longjing tea 250g');
    expect(productDisplayName({ names: { 'zh-Hans': '', 'zh-Hant': '龍井', en: '' } }, 'en')).toBe('龍井');
    expect(productDisplayName({ names: { 'zh-Hans': '龙井', 'zh-Hant': '', en: '' } }, 'zh-Hant')).toBe('龙井');
  });
});
