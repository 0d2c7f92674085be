import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_MAX_READINGS, fullKey, initialsKey, pinyinKeys, pinyinReadings, productSearchKeys } from '../../../src-shared/catalogue/pinyin-keys';
import { sortedOrder } from '../../../src-shared/catalogue/sort-keys';

const names = (hans: string, hant = '', en = '') => ({ names: { 'zh-Hans': hans, 'zh-Hant': hant, en } });

describe('pinyin keys', () => {
  it('reads a name in full and by initials, without tones', () => {
    expect(pinyinKeys('龙井茶')).toEqual({ full: ['longjingcha'], initials: ['ljc'] });
    expect(pinyinReadings('西湖龙井')).toEqual([['xi', 'hu', 'long', 'jing']]);
  });

  it('reads in context first (phrases), then swaps one polyphone at a time', () => {
    const chongqing = pinyinKeys('重庆火锅');
    expect(chongqing.full[0]).toBe('chongqinghuoguo');
    expect(chongqing.full).toContain('zhongqinghuoguo');
    expect(chongqing.initials).toEqual(['cqhg', 'zqhg']);
    const bank = pinyinKeys('银行');
    expect(bank.full[0]).toBe('yinhang');
    expect(bank.full).toContain('yinxing');
    expect(pinyinKeys('长春').full.slice(0, 2)).toEqual(['changchun', 'zhangchun']);
  });

  it('writes ü as v, as pinyin keyboards do', () => {
    expect(pinyinKeys('绿茶').full).toEqual(['lvcha', 'lucha']);
    expect(pinyinKeys('女儿红').full[0]).toBe('nverhong');
  });

  it('keeps at most maxReadings readings, the contextual one first', () => {
    const many = '乐和长行重参';
    expect(pinyinReadings(many)).toHaveLength(DEFAULT_MAX_READINGS);
    expect(pinyinReadings(many, { maxReadings: 2 })).toHaveLength(2);
    expect(pinyinReadings(many, { maxReadings: 0 })).toHaveLength(1);
    expect(pinyinReadings(many, { maxReadings: 1 })[0]).toEqual(pinyinReadings(many)[0]);
  });

  it('keeps letters and digits as tokens of their own', () => {
    expect(pinyinReadings('金龙鱼花生油 1.8L')[0]).toEqual(['jin', 'long', 'yu', 'hua', 'sheng', 'you', '1', '8l']);
    expect(pinyinKeys('金龙鱼花生油 1.8L')).toMatchObject({ full: ['jinlongyuhuashengyou18l'], initials: ['jlyhsy18'] });
    expect(pinyinKeys('Pasta 500g')).toEqual({ full: ['pasta500g'], initials: ['p5'] });
    expect(pinyinKeys('ＣＯＣＡ 可乐').full[0]).toBe('cocakele');
  });

  it('skips what it cannot read', () => {
    expect(pinyinReadings('！？…')).toEqual([]);
    expect(pinyinKeys('')).toEqual({ full: [], initials: [] });
    // 𠮷 (CJK extension B) has no reading in pinyin-pro: the rest of the name still reads.
    expect(pinyinReadings('𠮷野家')[0]).toEqual(['ye', 'jia']);
  });

  it('the initials are the first letters of the full reading, for any name (property)', () => {
    const han = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(han, fc.constantFrom(...' ab1.')), maxLength: 12 }), (name) => {
        const readings = pinyinReadings(name);
        expect(readings.length).toBeLessThanOrEqual(DEFAULT_MAX_READINGS);
        expect(new Set(readings.map((r) => r.join(' '))).size).toBe(readings.length);
        for (const r of readings) {
          expect(r.every((t) => /^[\p{L}\p{N}]+$/u.test(t) && t === t.toLowerCase())).toBe(true);
          expect(initialsKey(r)).toBe(r.map((t) => t[0]).join(''));
          expect(fullKey(r).startsWith(r[0] ?? '')).toBe(true);
          // Every reading has the contextual reading's shape: one token per Han character or run.
          expect(r).toHaveLength(readings[0]!.length);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('productSearchKeys', () => {
  it('reads the Simplified name, else the Traditional, else the English one', () => {
    expect(productSearchKeys(names('龙井茶', '龍井茶', 'Longjing tea')).readings).toEqual([['long', 'jing', 'cha']]);
    expect(productSearchKeys(names('', '鐵觀音', 'Tieguanyin')).readings[0]).toEqual(['tie', 'guan', 'yin']);
    expect(productSearchKeys(names('', '', 'Green tea')).readings).toEqual([['green', 'tea']]);
  });

  it('adds the readings of a Traditional name worded differently', () => {
    const keys = productSearchKeys(names('薯片', '洋芋片'));
    expect(keys.readings.map((r) => r.join(''))).toEqual(expect.arrayContaining(['shupian', 'yangyupian']));
    expect(productSearchKeys(names('龙井', '龍井')).readings).toEqual([['long', 'jing']]);
  });

  it('keeps the mnemonic in lower case, or null', () => {
    expect(productSearchKeys({ ...names('龙井'), mnemonic: 'LJ01' }).mnemonic).toBe('lj01');
    expect(productSearchKeys(names('龙井')).mnemonic).toBeNull();
  });

  it('is plain data: it survives JSON', () => {
    const keys = productSearchKeys({ ...names('重庆火锅底料', '重慶火鍋底料', 'Hotpot base'), mnemonic: 'CQ' });
    expect(JSON.parse(JSON.stringify(keys))).toEqual(keys);
  });
});

describe('sortedOrder', () => {
  it('orders as < does on strings, equal keys by index', () => {
    const keys = ['b', 'ab', '', 'a', 'abc', 'ab', '龙', 'Z', '𠮷', '\uffff', 'a'];
    const order = [...sortedOrder(keys)];
    expect(order.map((i) => keys[i])).toEqual(['', 'Z', 'a', 'a', 'ab', 'ab', 'abc', 'b', '龙', '𠮷', '\uffff']);
    expect(order.indexOf(3)).toBeLessThan(order.indexOf(10));
    expect(order.indexOf(1)).toBeLessThan(order.indexOf(5));
  });

  it('agrees with a comparison sort (property)', () => {
    const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'z', '0', '龙', '\u0000'), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 300 }), (keys) => {
        const expected = keys.map((_, i) => i).sort((x, y) => (keys[x]! < keys[y]! ? -1 : keys[x]! > keys[y]! ? 1 : x - y));
        expect([...sortedOrder(keys)]).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
