import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { isDomainError } from '../../../src-shared/errors/domain-error';
import { assertImportable, dryRunCatalogueCsv, type CatalogueDryRunOptions } from '../../../src-shared/catalogue/csv-import';
import type { CatalogueImportIssue } from '../../../src-shared/catalogue/import-issues';
import { formatPriceYuan, parseActiveFlag, parsePriceYuan, unwrapExcelText } from '../../../src-shared/catalogue/csv-format';
import { DEFAULT_VARIABLE_MEASURE_LAYOUTS } from '../../../src-shared/catalogue/variable-measure';

const HEADER = 'sku,barcodes,name_zh_hans,name_zh_hant,name_en,category,price,active,measure,mnemonic';
const ROW = 'TEA-1,6901234567892,西湖龙井茶,西湖龍井茶,Longjing tea,beverage,128.00,1,each,LJC';

function csv(...lines: string[]): Uint8Array {
  return new TextEncoder().encode(lines.join('\r\n') + '\r\n');
}

function issues(bytes: Uint8Array, options?: CatalogueDryRunOptions): Omit<CatalogueImportIssue, 'params'>[] {
  return dryRunCatalogueCsv(bytes, options).issues.map(({ row, column, code }) => ({ row, column, code }));
}

/** One data row (row 2) with one cell replaced, and its issues. */
function rowIssues(column: number, value: string): CatalogueImportIssue[] {
  const cells = ROW.split(',');
  cells[column] = value;
  return dryRunCatalogueCsv(csv(HEADER, cells.join(','))).issues;
}

describe('dryRunCatalogueCsv: a good file', () => {
  it('returns the products in stored form and no issue', () => {
    const run = dryRunCatalogueCsv(
      csv(
        HEADER,
        ROW,
        'RICE-5,036000291452|00123,五常大米 5kg,,,grocery,"1,299.5",是,weight,',
        'X.1,="0012345678905",,,"Pasta, 500g",grocery,¥9,TRUE,,',
      ),
    );
    expect(run.issues).toEqual([]);
    expect(run.encoding).toBe('utf-8');
    expect(run.rowCount).toBe(3);
    expect(run.products).toEqual([
      { sku: 'TEA-1', barcodes: ['6901234567892'], names: { 'zh-Hans': '西湖龙井茶', 'zh-Hant': '西湖龍井茶', en: 'Longjing tea' }, category: 'beverage', unitPriceMinor: 12800, active: true, measure: 'each', mnemonic: 'LJC' },
      { sku: 'RICE-5', barcodes: ['0036000291452', '123'], names: { 'zh-Hans': '五常大米 5kg', 'zh-Hant': '', en: '' }, category: 'grocery', unitPriceMinor: 129950, active: true, measure: 'weight' },
      { sku: 'X.1', barcodes: ['0012345678905'], names: { 'zh-Hans': '', 'zh-Hant': '', en: 'Pasta, 500g' }, category: 'grocery', unitPriceMinor: 900, active: true, measure: 'each' },
    ]);
    expect(assertImportable(run)).toBe(run.products);
  });

  it('reads ="..." as text in the code columns only', () => {
    const run = dryRunCatalogueCsv(csv(HEADER, '="007",="0012345678905",,,"=""Hi""",eco,1,1,,'));
    expect(run.issues).toEqual([]);
    expect(run.products[0]).toMatchObject({ sku: '007', barcodes: ['0012345678905'], names: { en: '="Hi"' } });
  });

  it('takes the columns in any order, without the optional ones, names matched case-insensitively', () => {
    const run = dryRunCatalogueCsv(csv(' Price ,SKU,active,category,name_en,name_zh_hant,name_zh_hans,Barcodes', '3.5,A1,0,snacks,Chips,,薯片,96385074'));
    expect(run.issues).toEqual([]);
    expect(run.products).toEqual([{ sku: 'A1', barcodes: ['96385074'], names: { 'zh-Hans': '薯片', 'zh-Hant': '', en: 'Chips' }, category: 'snacks', unitPriceMinor: 350, active: false, measure: 'each' }]);
  });

  it('reads GB18030 files (Excel on Chinese Windows)', () => {
    const run = dryRunCatalogueCsv(new Uint8Array(iconv.encode(`${HEADER}\r\n${ROW}\r\n`, 'gb18030')));
    expect(run.encoding).toBe('gb18030');
    expect(run.issues).toEqual([]);
    expect(run.products[0]?.names['zh-Hant']).toBe('西湖龍井茶');
  });

  it('numbers rows as a spreadsheet does: blank rows count, Excel’s empty rows are skipped', () => {
    const run = dryRunCatalogueCsv(csv(HEADER, '', ',,,,,,,,,', ROW.replace('128.00', 'abc')));
    expect(run.rowCount).toBe(1);
    expect(issues(csv(HEADER, '', ',,,,,,,,,', ROW.replace('128.00', 'abc')))).toEqual([{ row: 4, column: 'price', code: 'price_not_a_number' }]);
  });
});

describe('dryRunCatalogueCsv: the header', () => {
  it('reports missing, unknown and repeated columns on row 1', () => {
    expect(issues(csv('sku,barcodes,name_zh_hans,name_zh_hant,name_en,category,prce,active,active', 'A,96385074,a,b,c,eco,1,1,1'))).toEqual([
      { row: 1, column: null, code: 'unknown_column' },
      { row: 1, column: 'price', code: 'missing_column' },
      { row: 1, column: 'active', code: 'duplicate_column' },
    ]);
  });

  it('says when the file was saved with semicolons or tabs', () => {
    expect(issues(csv(HEADER.replaceAll(',', ';'))).map((i) => i.code)).toContain('wrong_delimiter');
    expect(issues(csv(HEADER.replaceAll(',', '\t'))).map((i) => i.code)).toContain('wrong_delimiter');
  });

  it('makes no product when a required column is missing, though the rows are checked', () => {
    const run = dryRunCatalogueCsv(csv('sku,barcodes,name_zh_hans,name_zh_hant,name_en,category,active', 'A,96385074,薯片,,,snacks,1', 'B,1,饼干,,,tea,1'));
    expect(run.issues.map((i) => `${i.row}:${i.code}`)).toEqual(['1:missing_column', '3:unknown_category']);
    expect(run.products).toEqual([]);
  });

  it('reports an empty file as missing every required column', () => {
    expect(issues(new Uint8Array()).map((i) => i.code)).toEqual(Array(8).fill('missing_column'));
  });
});

describe('dryRunCatalogueCsv: every row problem, with its row, column and parameters', () => {
  it('sku', () => {
    expect(rowIssues(0, '')).toEqual([{ row: 2, column: 'sku', code: 'required', params: {} }]);
    expect(rowIssues(0, 'TEA 1')).toEqual([{ row: 2, column: 'sku', code: 'sku_invalid', params: { value: 'TEA 1', max: 32 } }]);
    expect(issues(csv(HEADER, ROW, ROW.replace('6901234567892', '96385074')))).toEqual([{ row: 3, column: 'sku', code: 'duplicate_sku' }]);
    expect(dryRunCatalogueCsv(csv(HEADER, ROW, ROW.replace('6901234567892', '96385074'))).issues[0]?.params).toEqual({ sku: 'TEA-1', otherRow: 2 });
  });

  it('barcodes', () => {
    expect(rowIssues(1, '6901234567893')).toEqual([{ row: 2, column: 'barcodes', code: 'barcode_check_digit', params: { value: '6901234567893' } }]);
    expect(rowIssues(1, '6.90123E+12')).toEqual([{ row: 2, column: 'barcodes', code: 'barcode_scientific', params: { value: '6.90123E+12' } }]);
    expect(rowIssues(1, 'ab c')[0]).toMatchObject({ code: 'barcode_invalid', params: { value: 'ab c' } });
    expect(rowIssues(1, '036000291452|0036000291452')).toEqual([{ row: 2, column: 'barcodes', code: 'barcode_repeated', params: { barcode: '0036000291452' } }]);
    expect(rowIssues(1, ' | ')[0]).toMatchObject({ code: 'required' });
    expect(rowIssues(1, Array.from({ length: 21 }, (_, i) => `P${i}`).join('|'))[0]).toMatchObject({ code: 'too_many_barcodes', params: { max: 20 } });
    const twice = dryRunCatalogueCsv(csv(HEADER, ROW, ROW.replace('TEA-1', 'TEA-2').replace('6901234567892', '96385074|6901234567892')));
    expect(twice.issues).toEqual([{ row: 3, column: 'barcodes', code: 'duplicate_barcode', params: { barcode: '6901234567892', otherRow: 2, otherSku: 'TEA-1' } }]);
    expect(twice.products.map((p) => p.sku)).toEqual(['TEA-1']);
  });

  it('barcodes held by products already in the till', () => {
    const owners = new Map([
      ['6901234567892', 'OLD-1'],
      ['96385074', 'TEA-2'],
      ['123', 'OLD-2'],
    ]);
    const existingBarcodeOwner = (code: string) => owners.get(code);
    // Held by another SKU not in the file: refused.
    expect(dryRunCatalogueCsv(csv(HEADER, ROW), { existingBarcodeOwner }).issues).toEqual([
      { row: 2, column: 'barcodes', code: 'barcode_taken', params: { barcode: '6901234567892', otherSku: 'OLD-1' } },
    ]);
    // Held by this SKU already: fine. Held by a SKU that this file gives other codes: it moves.
    const moving = dryRunCatalogueCsv(csv(HEADER, ROW.replace('6901234567892', '96385074'), ROW.replace('TEA-1', 'TEA-2').replace('6901234567892', '00123')), {
      existingBarcodeOwner: (code) => (code === '96385074' ? 'TEA-2' : code === '123' ? 'TEA-2' : undefined),
    });
    expect(moving.issues).toEqual([]);
    expect(moving.products).toHaveLength(2);
  });

  it('barcodes that a scale label would shadow', () => {
    expect(dryRunCatalogueCsv(csv(HEADER, ROW.replace('6901234567892', '2100123012343')), { layouts: DEFAULT_VARIABLE_MEASURE_LAYOUTS }).issues).toEqual([
      { row: 2, column: 'barcodes', code: 'barcode_variable_measure', params: { barcode: '2100123012343', layout: 'cn-weighed-amount' } },
    ]);
    expect(dryRunCatalogueCsv(csv(HEADER, ROW.replace('6901234567892', '2900123012349'))).issues).toEqual([]);
  });

  it('names', () => {
    expect(issues(csv(HEADER, 'A,96385074, , ,,eco,1,1,,'))).toEqual([{ row: 2, column: null, code: 'name_missing' }]);
    expect(rowIssues(4, 'x'.repeat(101))).toEqual([{ row: 2, column: 'name_en', code: 'name_too_long', params: { max: 100 } }]);
    expect(rowIssues(4, '"two\nlines"')).toEqual([{ row: 2, column: 'name_en', code: 'name_invalid', params: {} }]);
  });

  it('category, price, active, measure, mnemonic', () => {
    expect(rowIssues(5, 'tea')).toEqual([{ row: 2, column: 'category', code: 'unknown_category', params: { value: 'tea' } }]);
    expect(rowIssues(5, ' Beverage ')).toEqual([]);
    const price = (value: string) => rowIssues(6, value).map((i) => i.code);
    expect(price('abc')).toEqual(['price_not_a_number']);
    expect(price('12.')).toEqual(['price_not_a_number']);
    expect(price('"1,29"')).toEqual(['price_not_a_number']);
    expect(price('-1')).toEqual(['price_negative']);
    expect(price('-0')).toEqual(['price_zero']);
    expect(price('0.00')).toEqual(['price_zero']);
    expect(price('1.234')).toEqual(['price_too_many_decimals']);
    expect(price('1000000')).toEqual(['price_too_large']);
    expect(price('99999999999999999999')).toEqual(['price_too_large']);
    expect(price('')).toEqual(['required']);
    expect(price('1.230')).toEqual([]);
    expect(rowIssues(6, '1000000')[0]?.params).toEqual({ value: '1000000', max: '999999.99' });
    expect(rowIssues(7, 'maybe')).toEqual([{ row: 2, column: 'active', code: 'active_invalid', params: { value: 'maybe' } }]);
    expect(rowIssues(8, 'litre')).toEqual([{ row: 2, column: 'measure', code: 'measure_invalid', params: { value: 'litre' } }]);
    expect(rowIssues(9, '龙井')).toEqual([{ row: 2, column: 'mnemonic', code: 'mnemonic_invalid', params: { value: '龙井', max: 16 } }]);
  });

  it('a row shifted by an unquoted comma is reported once, not cell by cell', () => {
    expect(issues(csv(HEADER, 'A,96385074,饼干,,Biscuits, chocolate,snacks,12.9,1,each,'))).toEqual([{ row: 2, column: null, code: 'wrong_field_count' }]);
    // Missing trailing cells are empty cells; a spreadsheet's empty columns after the header's are ignored.
    expect(issues(csv(HEADER, 'A,96385074,饼干,,,snacks,12.9,1'))).toEqual([]);
    expect(issues(csv(`${HEADER},,`, 'A,96385074,饼干,,,snacks,12.9,1,,,,'))).toEqual([]);
    expect(issues(csv(HEADER, 'A,96385074,饼干,,,snacks,12.9,1,,,'))).toEqual([{ row: 2, column: null, code: 'wrong_field_count' }]);
  });

  it('lists every problem of the file, by row then column, and keeps only clean rows', () => {
    const run = dryRunCatalogueCsv(csv(HEADER, 'B,6901234567893,,,,tea,0,x,,', ROW, 'C,96385074,薯片,,,snacks,-5,1,,'));
    // The row's own problems (column null) first, then by column.
    expect(run.issues.map(({ row, column, code }) => `${row}:${column ?? '-'}:${code}`)).toEqual([
      '2:-:name_missing',
      '2:barcodes:barcode_check_digit',
      '2:category:unknown_category',
      '2:price:price_zero',
      '2:active:active_invalid',
      '4:price:price_negative',
    ]);
    expect(run.products.map((p) => p.sku)).toEqual(['TEA-1']);
    expect(() => assertImportable(run)).toThrow(expect.objectContaining({ code: 'CATALOGUE_IMPORT_INVALID', details: { count: 6, firstRow: 2 } }));
  });
});

describe('dryRunCatalogueCsv: files it cannot read', () => {
  it('refuses broken quoting with the line', () => {
    try {
      dryRunCatalogueCsv(csv(HEADER, ROW, 'A,"96385074,x'));
      throw new Error('expected a refusal');
    } catch (e) {
      expect(isDomainError(e) && e.code).toBe('CATALOGUE_FILE_UNREADABLE');
      expect(isDomainError(e) && e.details).toMatchObject({ reason: 'csv_syntax' });
    }
  });
});

describe('the format’s cells', () => {
  it('prices in yuan to fen and back, exactly', () => {
    expect(parsePriceYuan('12.9')).toEqual({ ok: true, minor: 1290 });
    expect(parsePriceYuan('０.０５')).toEqual({ ok: true, minor: 5 });
    expect(parsePriceYuan('￥ 1,234,567.00')).toEqual({ ok: false, problem: 'price_too_large' });
    expect(parsePriceYuan('999999.99')).toEqual({ ok: true, minor: 99_999_999 });
    expect(parsePriceYuan('0.1')).toEqual({ ok: true, minor: 10 });
    for (const minor of [1, 9, 10, 99, 100, 12345, 99_999_999]) expect(parsePriceYuan(formatPriceYuan(minor))).toEqual({ ok: true, minor });
    expect(formatPriceYuan(5)).toBe('0.05');
    expect(() => formatPriceYuan(1.5)).toThrow(RangeError);
  });

  it('active flags and Excel’s forced text', () => {
    expect(['1', 'true', 'YES', 'y', '是', ' True '].map(parseActiveFlag)).toEqual([true, true, true, true, true, true]);
    expect(['0', 'false', 'No', 'n', '否'].map(parseActiveFlag)).toEqual([false, false, false, false, false]);
    expect(parseActiveFlag('')).toBeNull();
    expect(unwrapExcelText('="00123"')).toBe('00123');
    expect(unwrapExcelText(' ="a""b" ')).toBe('a"b');
    expect(unwrapExcelText('=1+1')).toBe('=1+1');
  });
});
