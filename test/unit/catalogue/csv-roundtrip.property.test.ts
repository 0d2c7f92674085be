import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { catalogueCsvText, exportCatalogueCsv } from '../../../src-shared/catalogue/csv-export';
import { dryRunCatalogueCsv } from '../../../src-shared/catalogue/csv-import';
import { ean13CheckDigit, ean8CheckDigit, upcaCheckDigit } from '../../../src-shared/catalogue/gtin';
import { CATALOGUE_CATEGORIES, MAX_UNIT_PRICE_MINOR, productSchema, type CatalogueProduct } from '../../../src-shared/catalogue/product';
import { generateCatalogue } from '../../helpers/catalogue-fixtures';

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const barcode = fc.oneof(
  digits(12).map((b) => b + ean13CheckDigit(b)),
  digits(11).map((b) => `0${b}${upcaCheckDigit(b)}`),
  digits(7).map((b) => b + ean8CheckDigit(b)),
  fc.integer({ min: 1, max: 9_999_999 }).map(String),
  fc.string({ unit: fc.constantFrom(...'ABCXYZ0123-'), minLength: 1, maxLength: 20 }).filter((s) => /^[A-Z0-9]/.test(s) && /[A-Z-]/.test(s)),
);
// Names with what breaks CSV writers: separators, quotes, a leading =, pipes, full-width and rare characters.
const nameChar = fc.constantFrom(...'龙井茶鐵觀音大米𠮷 ,"\'|=+-@;\tabcXYZ0123.￥×é');
const name = fc.string({ unit: nameChar, maxLength: 40 }).map((s) => s.replace(/\t/g, ' ').trim());
const product: fc.Arbitrary<CatalogueProduct> = fc
  .record({
    sku: fc.string({ unit: fc.constantFrom(...'ABCabc0129._-'), minLength: 1, maxLength: 32 }).filter((s) => /^[A-Za-z0-9]/.test(s)),
    barcodes: fc.uniqueArray(barcode, { minLength: 1, maxLength: 4 }),
    names: fc.record({ 'zh-Hans': name, 'zh-Hant': name, en: name }).filter((n) => n['zh-Hans'] + n['zh-Hant'] + n.en !== ''),
    category: fc.constantFrom(...CATALOGUE_CATEGORIES),
    unitPriceMinor: fc.oneof(fc.integer({ min: 1, max: MAX_UNIT_PRICE_MINOR }), fc.constantFrom(1, 5, 10, 100, MAX_UNIT_PRICE_MINOR)),
    active: fc.boolean(),
    measure: fc.constantFrom('each' as const, 'weight' as const),
    mnemonic: fc.option(fc.string({ unit: fc.constantFrom(...'LJCXYZ019'), minLength: 1, maxLength: 16 }), { nil: undefined }),
  })
  .map((p) => {
    const { mnemonic, ...rest } = p;
    return mnemonic === undefined ? rest : { ...rest, mnemonic };
  });
/** Products with distinct SKUs and no code shared between two of them (as a catalogue must be). */
const catalogue = fc.uniqueArray(product, { selector: (p) => p.sku, maxLength: 30 }).map((ps) => {
  const seen = new Set<string>();
  return ps.flatMap((p) => {
    const barcodes = p.barcodes.filter((c) => !seen.has(c));
    barcodes.forEach((c) => seen.add(c));
    return barcodes.length === 0 ? [] : [{ ...p, barcodes }];
  });
});

describe('CSV export then import (property)', () => {
  it('gives back the same products, with and without Excel text cells', () => {
    fc.assert(
      fc.property(catalogue, fc.boolean(), (products, excelTextCodes) => {
        const run = dryRunCatalogueCsv(exportCatalogueCsv(products, { excelTextCodes }));
        expect(run.issues).toEqual([]);
        expect(run.encoding).toBe('utf-8');
        expect(run.products).toEqual(products);
      }),
      { numRuns: 300 },
    );
  });

  it('gives back the same products from the file re-saved as GB18030 (no BOM)', () => {
    fc.assert(
      fc.property(catalogue, (products) => {
        const run = dryRunCatalogueCsv(new Uint8Array(iconv.encode(catalogueCsvText(products), 'gb18030')));
        expect(run.issues).toEqual([]);
        expect(run.products).toEqual(products);
      }),
      { numRuns: 150 },
    );
  });

  it('imports only products the schema accepts, already in stored form', () => {
    fc.assert(
      fc.property(catalogue, (products) => {
        for (const p of dryRunCatalogueCsv(exportCatalogueCsv(products)).products) expect(productSchema.parse(p)).toEqual(p);
      }),
      { numRuns: 100 },
    );
  });

  it('round trips a realistic catalogue of 2,000 products', () => {
    const products = generateCatalogue(2000, 3);
    const bytes = exportCatalogueCsv(products);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const run = dryRunCatalogueCsv(bytes, { existingBarcodeOwner: () => undefined });
    expect(run.issues).toEqual([]);
    expect(run.products).toEqual(products);
  });
});
