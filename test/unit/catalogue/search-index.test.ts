import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseProductCode } from '../../../src-shared/catalogue/gtin';
import { fullKey, initialsKey, productSearchKeys } from '../../../src-shared/catalogue/pinyin-keys';
import { productSchema, PRODUCT_NAME_LANGUAGES, type CatalogueProduct, type CatalogueProductInput } from '../../../src-shared/catalogue/product';
import { CatalogueSearchIndex, searchText, type CatalogueSearchHit, type SearchMatchKind } from '../../../src-shared/catalogue/search-index';

function product(sku: string, zhHans: string, barcodes: string[], extra: Partial<CatalogueProductInput> = {}): CatalogueProduct {
  return productSchema.parse({ sku, barcodes, names: { 'zh-Hans': zhHans, 'zh-Hant': '', en: '' }, category: 'grocery', unitPriceMinor: 100, active: true, measure: 'each', ...extra });
}

const TEA = product('TEA-1', '西湖龙井茶', ['6901234567892'], { names: { 'zh-Hans': '西湖龙井茶', 'zh-Hant': '西湖龍井茶', en: 'West Lake Longjing tea' }, mnemonic: 'XHLJ' });
const OIL = product('OIL-1', '金龙鱼花生油 1.8L', ['6902345678903']);
const LJC = product('LJC-9', '龙井茶', ['036000291452']);
const HOTPOT = product('HP-1', '重庆火锅底料', ['96385074']);
const APPLE = product('FR-1', '苹果', ['00123'], { measure: 'weight', names: { 'zh-Hans': '苹果', 'zh-Hant': '蘋果', en: 'Apples' } });
const OLD = product('OLD-1', '龙井茶叶 旧包装', ['6903456789014'], { active: false });
const ALL = [TEA, OIL, LJC, HOTPOT, APPLE, OLD];

const brief = (hits: CatalogueSearchHit[]) => hits.map((h) => `${h.product.sku} ${h.rank} ${h.match}`);

describe('CatalogueSearchIndex.search: what it finds', () => {
  const index = CatalogueSearchIndex.build(ALL);

  it('finds by SKU and by code, exactly first (any case, any code form)', () => {
    expect(brief(index.search('tea-1'))).toEqual(['TEA-1 0 sku']);
    expect(brief(index.search('6901234567892'))).toEqual(['TEA-1 0 barcode']);
    expect(brief(index.search('036000291452'))).toEqual(['LJC-9 0 barcode']); // a UPC-A finds its EAN-13 form
    expect(brief(index.search('123'))).toEqual(['FR-1 0 barcode']);
    expect(brief(index.search('000123'))).toEqual(['FR-1 0 barcode']); // the PLU, leading zeros not counting
    expect(index.search('OIL')[0]).toMatchObject({ rank: 2, match: 'sku', position: 'prefix', key: 'oil-1' });
    expect(brief(index.search('69023'))).toEqual(['OIL-1 2 barcode']);
    expect(brief(index.search('0360'))).toEqual(['LJC-9 2 barcode']); // a UPC-A prefix
  });

  it('finds by initials and full pinyin, from the start or from a syllable inside', () => {
    expect(brief(index.search('ljc'))).toEqual(['LJC-9 1 initials', 'TEA-1 4 initials']);
    expect(brief(index.search('longjing'))).toEqual(['LJC-9 2 pinyin', 'TEA-1 4 pinyin']);
    expect(brief(index.search("long'jing cha"))).toEqual(['LJC-9 1 pinyin', 'TEA-1 4 pinyin']);
    expect(brief(index.search('huasheng'))).toEqual(['OIL-1 4 pinyin']);
    expect(brief(index.search('hsy'))).toEqual(['OIL-1 4 initials']);
    expect(brief(index.search('zhongqing'))).toEqual(['HP-1 2 pinyin']); // the other reading of 重
    expect(brief(index.search('xhlj'))).toEqual(['TEA-1 1 mnemonic']);
    // Inside a syllable: loose, after everything else (TEA-1's English name holds it too).
    expect(brief(index.search('ongjin'))).toEqual(['TEA-1 5 name', 'LJC-9 6 pinyin']);
  });

  it('finds names in every language, a name’s start before its inside', () => {
    expect(brief(index.search('龙井'))).toEqual(['LJC-9 3 name', 'TEA-1 5 name']);
    expect(brief(index.search('龍井'))).toEqual(['TEA-1 5 name']);
    expect(brief(index.search('蘋果'))).toEqual(['FR-1 1 name']);
    expect(brief(index.search('apples'))).toEqual(['FR-1 1 name']);
    expect(brief(index.search('LAKE long'))).toEqual(['TEA-1 5 name']);
    expect(brief(index.search('1.8l'))).toEqual(['OIL-1 5 name']);
    expect(brief(index.search('１.８Ｌ'))).toEqual(['OIL-1 5 name']); // full-width, as a Chinese input method types it
  });

  it('leaves inactive products out unless asked', () => {
    expect(index.search('旧包装')).toEqual([]);
    expect(brief(index.search('旧包装', 20, { includeInactive: true }))).toEqual(['OLD-1 5 name']);
    expect(brief(index.search('龙井茶', 20, { includeInactive: true }))).toEqual(['LJC-9 1 name', 'OLD-1 3 name', 'TEA-1 5 name']);
    expect(index.findByCode('6903456789014').map((p) => p.sku)).toEqual(['OLD-1']);
  });

  it('honours the limit and answers nothing for nothing', () => {
    expect(index.search('l', 2)).toHaveLength(2);
    expect(index.search('   ')).toEqual([]);
    expect(index.search('ljc', 0)).toEqual([]);
    expect(index.search('ljc', Number.NaN)).toEqual([]);
    expect(index.search('zzzz')).toEqual([]);
  });
});

describe('CatalogueSearchIndex: changes', () => {
  it('adds, updates, removes, upserts', () => {
    const index = CatalogueSearchIndex.build([TEA, OIL]);
    expect(index.size).toBe(2);
    expect(() => index.add(TEA)).toThrow(RangeError);
    expect(() => index.update(LJC)).toThrow(RangeError);
    index.add(LJC);
    expect(brief(index.search('ljc'))).toEqual(['LJC-9 1 initials', 'TEA-1 4 initials']);
    // A price change is made in place; a name change re-indexes.
    index.update({ ...LJC, unitPriceMinor: 999 });
    expect(index.get('LJC-9')?.unitPriceMinor).toBe(999);
    index.update({ ...LJC, names: { ...LJC.names, 'zh-Hans': '碧螺春' } });
    expect(brief(index.search('ljc'))).toEqual(['LJC-9 2 sku', 'TEA-1 4 initials']);
    expect(brief(index.search('blc'))).toEqual(['LJC-9 1 initials']);
    index.update({ ...OIL, active: false });
    expect(index.search('hsy')).toEqual([]);
    expect(index.remove('TEA-1')).toBe(true);
    expect(index.remove('TEA-1')).toBe(false);
    expect(index.search('6901234567892')).toEqual([]);
    expect(index.findByCode('6901234567892')).toEqual([]);
    index.upsert(TEA);
    index.upsert({ ...TEA, barcodes: ['96385074'] });
    expect(index.findByCode('6901234567892')).toEqual([]);
    expect(index.findByCode('96385074').map((p) => p.sku)).toEqual(['TEA-1']);
    expect(index.size).toBe(3);
    expect(index.has('OIL-1') && !index.has('nope')).toBe(true);
  });

  it('takes precomputed keys (as stored at import)', () => {
    const tea = { ...TEA, mnemonic: 'ZZ' };
    const keys = JSON.parse(JSON.stringify(productSearchKeys(tea))) as ReturnType<typeof productSearchKeys>;
    const index = CatalogueSearchIndex.build([{ product: tea, keys }]);
    expect(brief(index.search('zz'))).toEqual(['TEA-1 1 mnemonic']);
    expect(brief(index.search('xhlj'))).toEqual(['TEA-1 2 initials']);
    index.update({ ...tea, mnemonic: 'AB' }, productSearchKeys({ ...tea, mnemonic: 'AB' }));
    expect(brief(index.search('ab'))).toEqual(['TEA-1 1 mnemonic']);
  });

  it('stays right through delta merges and compactions', () => {
    const many = Array.from({ length: 3000 }, (_, i) => product(`P-${String(i).padStart(4, '0')}`, `商品${String(i)}号`, [String(i + 1)]));
    const index = new CatalogueSearchIndex();
    for (const p of many) index.add(p); // 9,000 sorted entries through the delta: two merges
    for (let i = 0; i < 3000; i += 2) index.remove(`P-${String(i).padStart(4, '0')}`); // compacts along the way
    expect(index.size).toBe(1500);
    expect(brief(index.search('p-0001'))).toEqual(['P-0001 0 sku']);
    expect(index.search('p-000')).toHaveLength(5);
    expect(index.search('sp', 3000)).toHaveLength(500); // MAX_SEARCH_LIMIT
    expect(index.search('商品', 500).every((h) => h.rank === 3)).toBe(true);
    expect(index.search('商品2998号')).toEqual([]);
    expect(brief(index.search('商品2999号'))).toEqual(['P-2999 1 name']);
    expect(index.findByCode('3000').map((p) => p.sku)).toEqual(['P-2999']);
  });
});

// ---------------------------------------------------------------------------------------------
// The index against a brute-force reading of the ranking rules (property)
// ---------------------------------------------------------------------------------------------

const KINDS: readonly SearchMatchKind[] = ['sku', 'barcode', 'mnemonic', 'initials', 'pinyin', 'name'];
interface Expected {
  sku: string;
  rank: number;
  kind: number;
  key: string;
  order: number;
}

/** Every product's best match, by the documented rules, computed the slow way. */
function reference(products: readonly CatalogueProduct[], query: string, limit: number, includeInactive: boolean): Expected[] {
  const text = searchText(query);
  const n = Math.min(500, Math.floor(limit));
  if (!(n >= 1) || text === '') return [];
  const compact = text.replace(/[\s']/g, '');
  const han = /\p{Script=Han}/u.test(text);
  const code = normaliseProductCode(compact);
  const out: Expected[] = [];
  products.forEach((p, order) => {
    if (!p.active && !includeInactive) return;
    const cands: Expected[] = [];
    const add = (rank: number, kind: number, key: string) => cands.push({ sku: p.sku, rank, kind, key, order });
    const sku = p.sku.toLowerCase();
    if (sku === compact) add(0, 0, compact);
    else if (sku.startsWith(compact)) add(2, 0, sku);
    for (const b of p.barcodes) {
      const lower = b.toLowerCase();
      if (code.ok && code.code === b) add(0, 1, lower);
      if (lower === compact) add(0, 1, lower);
      else if (lower.startsWith(compact)) add(2, 1, lower);
      if (/^[0-9]{1,11}$/.test(compact) && lower.startsWith(`0${compact}`)) add(2, 1, lower);
    }
    const keys = productSearchKeys(p);
    if (!han) {
      const sorted: [number, string][] = [];
      if (keys.mnemonic !== null) sorted.push([2, keys.mnemonic]);
      for (const r of keys.readings) sorted.push([4, fullKey(r)], [3, initialsKey(r)]);
      for (const [kind, key] of sorted) {
        if (key === compact) add(1, kind, key);
        else if (key.startsWith(compact)) add(2, kind, key);
      }
      if (/^[\p{L}\p{N}]+$/u.test(compact) && /\p{L}/u.test(compact)) {
        const within: [number, string, Set<number> | null][] = [];
        const first = keys.readings[0];
        if (first !== undefined) {
          let at = 0;
          const bounds = new Set<number>();
          for (const t of first) {
            bounds.add(at);
            at += t.length;
          }
          within.push([4, fullKey(first), bounds]);
        }
        for (const r of keys.readings) within.push([3, initialsKey(r), null]);
        for (const [kind, key, bounds] of within) {
          for (let at = key.indexOf(compact, 1); at > 0; at = key.indexOf(compact, at + 1)) {
            add(bounds === null || bounds.has(at) ? 4 : 6, kind, key);
          }
        }
      }
    }
    for (const l of PRODUCT_NAME_LANGUAGES) {
      const name = searchText(p.names[l]);
      if (name === '') continue;
      if (name === text) add(1, 5, name);
      else if (name.startsWith(text)) add(3, 5, name);
      else if (name.includes(text)) add(5, 5, name);
    }
    cands.sort((a, b) => a.rank - b.rank || (a.rank <= 2 ? (a.key < b.key ? -1 : a.key > b.key ? 1 : a.kind - b.kind) : 0));
    if (cands[0] !== undefined) out.push(cands[0]);
  });
  out.sort((a, b) => a.rank - b.rank || (a.rank <= 2 ? (a.key < b.key ? -1 : a.key > b.key ? 1 : a.kind - b.kind || (a.sku < b.sku ? -1 : 1)) : a.order - b.order));
  return out.slice(0, n);
}

const CHARS = [...'龙井茶长行重庆乐和参花生油大米西湖', ...'ab1-'];
const arbProduct = (i: number) =>
  fc
    .record({
      zh: fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 5 }),
      en: fc.constantFrom('', 'tea', 'Long tea', 'rice 1kg', 'oil'),
      code: fc.constantFrom('6901234567892', '036000291452', '96385074', '00123', '1234', '12', 'AB-1', 'LJ', '2100123012343'),
      mnemonic: fc.option(fc.constantFrom('LJC', 'LJ', 'CQ', 'X1'), { nil: undefined }),
      active: fc.boolean(),
    })
    .map(({ zh, en, code, mnemonic, active }) => {
      const extra: Partial<CatalogueProductInput> = { active, names: { 'zh-Hans': zh, 'zh-Hant': '', en } };
      if (mnemonic !== undefined) extra.mnemonic = mnemonic;
      // Codes repeat across products on purpose: the index must cope (the import prevents it).
      return product(`S${i % 3 === 0 ? 'a' : 'A'}-${String(i)}`, zh, [code], extra);
    });

describe('CatalogueSearchIndex.search (property)', () => {
  it('answers as the ranking rules say, built at once or product by product', () => {
    const catalogue = fc.integer({ min: 1, max: 25 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => arbProduct(i))));
    const query = fc.oneof(
      fc.constantFrom('l', 'lj', 'ljc', 'long', 'longjing', 'jing', 'cha', 'ch', 'zhang', 'hang', 'xing', 'hs', 'huasheng', 'cq', 'zq', 'sa', 'sa-1', 'SA-1', '6901', '0360', '036000291452', '123', '00123', '12', '1', 'ab', 'ab-1', 'tea', 'Long', 'rice 1', 'oil', 'x1', 'le', 'yue', 'he', 'huo', 'ong', 'ngj'),
      fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 3 }),
    );
    fc.assert(
      fc.property(catalogue, fc.array(fc.tuple(query, fc.integer({ min: 1, max: 6 }), fc.boolean()), { minLength: 1, maxLength: 8 }), (products, queries) => {
        const built = CatalogueSearchIndex.build(products);
        const grown = new CatalogueSearchIndex();
        for (const p of products) grown.add(p);
        for (const [q, limit, includeInactive] of queries) {
          const expected = reference(products, q, limit, includeInactive).map((e) => `${e.sku} ${e.rank} ${e.rank <= 2 ? `${KINDS[e.kind]!} ${e.key}` : ''}`);
          for (const index of [built, grown]) {
            const actual = index.search(q, limit, { includeInactive }).map((h) => `${h.product.sku} ${h.rank} ${h.rank <= 2 ? `${h.match} ${h.key}` : ''}`);
            expect(actual, `query ${JSON.stringify(q)} limit ${String(limit)}`).toEqual(expected);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers as the ranking rules say after updates and removals', () => {
    fc.assert(
      fc.property(
        fc.tuple(...Array.from({ length: 12 }, (_, i) => arbProduct(i))),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.constantFrom('remove', 'rename', 'toggle', 'readd')), { maxLength: 15 }),
        fc.constantFrom('l', 'ljc', 'long', '龙', '茶', 'sa', '6901', 'tea', 'cha'),
        (initial, changes, q) => {
          const index = CatalogueSearchIndex.build(initial);
          // The reference keeps products in index order: a re-indexed product moves to the end.
          let current: CatalogueProduct[] = [...initial];
          for (const [i, change] of changes) {
            const p = initial[i]!;
            const now = current.find((c) => c.sku === p.sku);
            if (change === 'remove' && now) {
              index.remove(p.sku);
              current = current.filter((c) => c.sku !== p.sku);
            } else if (change === 'rename' && now) {
              const renamed = { ...now, names: { ...now.names, 'zh-Hans': `${now.names['zh-Hans']}茶` } };
              index.update(renamed);
              current = [...current.filter((c) => c.sku !== p.sku), renamed];
            } else if (change === 'toggle' && now) {
              const toggled = { ...now, active: !now.active };
              index.update(toggled);
              current = current.map((c) => (c.sku === p.sku ? toggled : c));
            } else if (change === 'readd' && !now) {
              index.add(p);
              current = [...current, p];
            }
          }
          index.compact();
          const expected = reference(current, q, 5, false).map((e) => `${e.sku} ${e.rank}`);
          expect(index.search(q, 5).map((h) => `${h.product.sku} ${h.rank}`)).toEqual(expected);
          expect(index.size).toBe(current.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
