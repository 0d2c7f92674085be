import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src-shared/errors/domain-error';
import { DICTIONARIES, translate } from '../../../src-renderer/i18n';
import { ERROR_MESSAGE_KEYS } from '../../../src-renderer/i18n/errors';
import { createFormatter, minorToDecimalString, parseMoneyInput, parsePointsInput } from '../../../src-renderer/i18n/format';
import { en } from '../../../src-renderer/i18n/messages/en';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the i18n layer', () => {
  it('every language has every key, the same placeholders, and no English left untranslated in Chinese', () => {
    const keys = Object.keys(en).sort();
    for (const [locale, dict] of Object.entries(DICTIONARIES)) {
      expect(Object.keys(dict).sort(), locale).toEqual(keys);
      for (const k of keys) {
        const text = dict[k as keyof typeof en];
        expect(text.trim(), `${locale} ${k}`).not.toBe('');
        expect(placeholders(text), `${locale} ${k}`).toEqual(placeholders(en[k as keyof typeof en]));
      }
    }
    const untranslated = keys.filter((k) => !/^(member\.birthdayValue|error\.fromCore|register\.birthdayPlaceholder)$/.test(k) && DICTIONARIES['zh-Hans'][k as keyof typeof en] === en[k as keyof typeof en]);
    expect(untranslated).toEqual([]);
    // Traditional Chinese is not Simplified: a few characters that must differ.
    expect(DICTIONARIES['zh-Hant']['nav.members']).toBe('會員');
    expect(DICTIONARIES['zh-Hant']['nav.settings']).toBe('設定');
    expect(DICTIONARIES['zh-Hans']['nav.members']).toBe('会员');
  });

  it('every error code of the core and of the link has words with a next step', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      const key = (ERROR_MESSAGE_KEYS as Record<string, keyof typeof en>)[code];
      expect(key, code).toBeDefined();
      expect(en[key!].length, code).toBeGreaterThan(20);
    }
  });

  it('fills parameters and formats numbers for the language', () => {
    expect(translate('en', 'common.points', { points: 12345 })).toBe('12,345 pts');
    expect(translate('zh-Hans', 'common.points', { points: 12345 })).toBe('12,345 分');
    expect(translate('en', 'checkout.noMember', { query: '5678' })).toBe('No member matches “5678”.');
    expect(translate('zh-Hant', 'signin.locked', { name: '王芳' })).toContain('王芳');
  });
});

describe('money, points and dates through Intl', () => {
  it('integer minor units become exact decimal strings, never floats', () => {
    expect(minorToDecimalString(12345, 2)).toBe('123.45');
    expect(minorToDecimalString(5, 2)).toBe('0.05');
    expect(minorToDecimalString(-5, 2)).toBe('-0.05');
    expect(minorToDecimalString(900719925474099, 2)).toBe('9007199254740.99');
    expect(minorToDecimalString(42, 0)).toBe('42');
  });

  it('formats CNY in each language', () => {
    expect(createFormatter('en', 'CNY', 'Asia/Shanghai').money(885050)).toBe('CN¥8,850.50');
    expect(createFormatter('zh-Hans', 'CNY', 'Asia/Shanghai').money(885050)).toBe('¥8,850.50');
    expect(createFormatter('zh-Hant', 'CNY', 'Asia/Shanghai').money(885050)).toMatch(/8,850\.50/);
    expect(createFormatter('en', 'CNY', 'Asia/Shanghai').amount(-120)).toBe('-1.20');
    expect(createFormatter('en', 'JPY', 'Asia/Tokyo').money(1500)).toBe('¥1,500');
    expect(createFormatter('en', 'CNY', 'UTC').percentBp(3333)).toBe('33.3%');
    expect(createFormatter('zh-Hans', 'CNY', 'Asia/Shanghai').date('2026-06-15')).toBe('2026年6月15日');
    // An instant shown in the store's time zone: 16:30 UTC is already the next day in Shanghai.
    expect(createFormatter('en', 'CNY', 'Asia/Shanghai').date('2026-06-14T16:30:00.000Z')).toBe('Jun 15, 2026');
  });

  it('reads what the cashier typed as minor units or refuses it', () => {
    expect(parseMoneyInput('12', 2)).toBe(1200);
    expect(parseMoneyInput('12.5', 2)).toBe(1250);
    expect(parseMoneyInput(' 1,234.56 ', 2)).toBe(123456);
    expect(parseMoneyInput('¥8', 2)).toBe(800);
    expect(parseMoneyInput('0.07', 2)).toBe(7);
    expect(parseMoneyInput('1.234', 2)).toBeNull();
    expect(parseMoneyInput('12a', 2)).toBeNull();
    expect(parseMoneyInput('-3', 2)).toBeNull();
    expect(parseMoneyInput('', 2)).toBeNull();
    expect(parseMoneyInput('1500', 0)).toBe(1500);
    expect(parsePointsInput('2,000')).toBe(2000);
    expect(parsePointsInput('20.5')).toBeNull();
  });
});
