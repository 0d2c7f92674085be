import { describe, expect, it } from 'vitest';
import { dryRunCatalogueCsv } from '../../../src-shared/catalogue/csv-import';
import { CATALOGUE_ISSUE_CODES, type CatalogueImportIssue } from '../../../src-shared/catalogue/import-issues';
import { DEFAULT_VARIABLE_MEASURE_LAYOUTS } from '../../../src-shared/catalogue/variable-measure';
import { translate } from '../../../src-renderer/i18n';
import { CATALOGUE_ISSUE_MESSAGE_KEYS, describeCatalogueIssue } from '../../../src-renderer/i18n/errors';
import { en } from '../../../src-renderer/i18n/messages/en';

const HEADER = 'sku,barcodes,name_zh_hans,name_zh_hant,name_en,category,price,active,measure,mnemonic';
const lines = (...ls: string[]) => new TextEncoder().encode(ls.join('\n'));

/** Files that between them make every issue the dry run knows. */
function everyIssue(): CatalogueImportIssue[] {
  const bad = dryRunCatalogueCsv(
    lines(
      HEADER,
      'A,6901234567893|6.9E+12|a b|036000291452|0036000291452,,,,tea,abc,maybe,litre,龙井',
      'B,96385074,x,,,eco,-1,1,,',
      'B,96385074|2100123012343,x,,,eco,0,1,,',
      'C D,1,y,,,eco,1.234,1,,',
      'E,2,z,,,eco,1000000,1,,',
      `F,${Array.from({ length: 21 }, (_, i) => `P${i}`).join('|')},${'n'.repeat(101)},"a\nb",,eco,,1,,`,
      'G,3,w,,,eco,1,1,,,extra',
      'H,4,v,,,eco,1,1,,',
    ),
    { layouts: DEFAULT_VARIABLE_MEASURE_LAYOUTS, existingBarcodeOwner: (code) => (code === '4' ? 'OTHER' : undefined) },
  ).issues;
  const header = dryRunCatalogueCsv(lines('sku,sku,colour', '')).issues;
  const delimiter = dryRunCatalogueCsv(lines(HEADER.replaceAll(',', ';'))).issues;
  return [...bad, ...header, ...delimiter];
}

describe('the words for dry-run problems', () => {
  const issues = everyIssue();

  it('the sample files raise every issue code', () => {
    expect(new Set(issues.map((i) => i.code))).toEqual(new Set(CATALOGUE_ISSUE_CODES));
  });

  it('every issue has a message whose placeholders its parameters fill, in each language', () => {
    for (const issue of issues) {
      const { key, params } = describeCatalogueIssue(issue);
      expect(key).toBe(CATALOGUE_ISSUE_MESSAGE_KEYS[issue.code]);
      const placeholders = [...en[key].matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      for (const p of placeholders) expect(params, `${issue.code} {${p}}`).toHaveProperty(p);
      for (const locale of ['en', 'zh-Hans', 'zh-Hant'] as const) expect(translate(locale, key, params)).not.toMatch(/\{\w+\}/);
    }
  });

  it('reads well', () => {
    const price = issues.find((i) => i.code === 'price_too_large')!;
    expect(translate('zh-Hans', CATALOGUE_ISSUE_MESSAGE_KEYS.price_too_large, price.params)).toBe('价格 1000000 超过允许的最高价（999999.99 元）。请检查是否多写了数字。');
    const twice = issues.find((i) => i.code === 'duplicate_sku')!;
    expect(translate('zh-Hant', CATALOGUE_ISSUE_MESSAGE_KEYS.duplicate_sku, twice.params)).toBe('貨號 B 在第 3 列也出現了。每個商品只佔一列。');
  });
});
