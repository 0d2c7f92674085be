import { describe, expect, it } from 'vitest';
import {
  CNY_DENOMINATIONS_MINOR,
  DEFAULT_TENDER_CONFIG,
  DEFAULT_TENDER_TYPES,
  cashRoundingIncrementMinor,
  cashTenderOf,
  compileReferencePattern,
  denominationsFor,
  findTenderType,
  parseTenderConfig,
} from '../../../src-shared/tenders/tender-types';
import { config, expectDomainError } from './fixtures';

const issuesOf = (input: unknown): { path: string; message: string }[] =>
  expectDomainError(() => parseTenderConfig(input), 'INVALID_TENDER_CONFIG').details.issues as { path: string; message: string }[];

const withTypes = (edit: (types: Record<string, unknown>[]) => Record<string, unknown>[]) => ({
  tenderTypes: edit(DEFAULT_TENDER_TYPES.map((t) => ({ ...t }))),
});

describe('the default tender configuration', () => {
  it('has cash, bank card, WeChat Pay, Alipay and vouchers, in three languages', () => {
    expect(DEFAULT_TENDER_CONFIG.tenderTypes.map((t) => t.code)).toEqual(['CASH', 'CARD', 'WECHAT', 'ALIPAY', 'VOUCHER']);
    for (const t of DEFAULT_TENDER_CONFIG.tenderTypes) {
      expect(t.active).toBe(true);
      expect(Object.keys(t.names).sort()).toEqual(['en', 'zh-Hans', 'zh-Hant']);
    }
    expect(findTenderType(DEFAULT_TENDER_CONFIG, 'ALIPAY')?.names['zh-Hant']).toBe('支付寶');
    expect(findTenderType(DEFAULT_TENDER_CONFIG, 'NOPE')).toBeUndefined();
  });

  it('cash opens the drawer and gives change; nothing else does', () => {
    const cash = cashTenderOf(DEFAULT_TENDER_CONFIG);
    expect(cash).toMatchObject({ code: 'CASH', kind: 'cash', opensDrawer: true, givesChange: true, referenceRequired: false });
    for (const t of DEFAULT_TENDER_CONFIG.tenderTypes.filter((t) => t.code !== 'CASH')) {
      expect(t.givesChange, t.code).toBe(false);
      expect(t.opensDrawer, t.code).toBe(false);
      expect(t.referenceRequired, t.code).toBe(true);
    }
  });

  it('a card needs its last four digits, a wallet its transaction number', () => {
    const card = findTenderType(DEFAULT_TENDER_CONFIG, 'CARD');
    const cardPattern = compileReferencePattern(card?.referencePattern ?? '');
    expect(cardPattern?.test('1234')).toBe(true);
    expect(cardPattern?.test('12345')).toBe(false);
    expect(cardPattern?.test('12a4')).toBe(false);
    const wechat = compileReferencePattern(findTenderType(DEFAULT_TENDER_CONFIG, 'WECHAT')?.referencePattern ?? '');
    expect(wechat?.test('4200001234202611220012345678')).toBe(true);
    expect(wechat?.test('42 00')).toBe(false);
  });

  it('defaults: no cash rounding, CNY notes and coins, refunds above 200.00 need a manager, no reason asked', () => {
    expect(DEFAULT_TENDER_CONFIG.cashRounding).toBe('none');
    expect(cashRoundingIncrementMinor(DEFAULT_TENDER_CONFIG)).toBe(0);
    expect(denominationsFor(DEFAULT_TENDER_CONFIG, 'CNY')).toEqual([10000, 5000, 2000, 1000, 500, 100, 50, 10]);
    expect(CNY_DENOMINATIONS_MINOR).toEqual([10000, 5000, 2000, 1000, 500, 100, 50, 10]);
    expect(DEFAULT_TENDER_CONFIG.refundApprovalThresholdMinor).toBe(20000);
    expect(DEFAULT_TENDER_CONFIG.refundReasonRequired).toBe(false);
  });
});

describe('cash rounding increments', () => {
  it('are 1 jiao, 5 jiao and 1 yuan in fen', () => {
    expect(cashRoundingIncrementMinor(config('0.10'))).toBe(10);
    expect(cashRoundingIncrementMinor(config('0.50'))).toBe(50);
    expect(cashRoundingIncrementMinor(config('1.00'))).toBe(100);
  });

  it('refuses any other increment', () => {
    expect(issuesOf({ tenderTypes: DEFAULT_TENDER_TYPES, cashRounding: '0.05' })[0]?.path).toBe('cashRounding');
  });
});

describe('denominations', () => {
  it('are kept per currency, largest first', () => {
    const c = config('none', { denominations: { CNY: [10, 100, 50], HKD: [1000, 50000, 2000] } });
    expect(denominationsFor(c, 'CNY')).toEqual([100, 50, 10]);
    expect(denominationsFor(c, 'HKD')).toEqual([50000, 2000, 1000]);
    expectDomainError(() => denominationsFor(c, 'USD'), 'INVALID_TENDER_CONFIG');
  });

  it('must be positive whole amounts, each once', () => {
    expect(issuesOf({ tenderTypes: DEFAULT_TENDER_TYPES, denominations: { CNY: [100, 100] } })[0]?.path).toBe('denominations.CNY');
    expect(issuesOf({ tenderTypes: DEFAULT_TENDER_TYPES, denominations: { CNY: [0.5] } })[0]?.path).toBe('denominations.CNY.0');
    expect(issuesOf({ tenderTypes: DEFAULT_TENDER_TYPES, denominations: { CNY: [-100] } })[0]?.path).toBe('denominations.CNY.0');
    expect(issuesOf({ tenderTypes: DEFAULT_TENDER_TYPES, denominations: { CNY: [] } })[0]?.path).toBe('denominations.CNY');
    expect(issuesOf({ tenderTypes: DEFAULT_TENDER_TYPES, denominations: { yuan: [100] } })[0]?.path).toBe('denominations.yuan');
  });
});

describe('refund settings', () => {
  it('take a threshold of 0 (every refund) and a reason flag', () => {
    const c = config('none', { refundApprovalThresholdMinor: 0, refundReasonRequired: true });
    expect(c.refundApprovalThresholdMinor).toBe(0);
    expect(c.refundReasonRequired).toBe(true);
  });

  it('refuse a negative or fractional threshold', () => {
    expect(issuesOf({ tenderTypes: DEFAULT_TENDER_TYPES, refundApprovalThresholdMinor: -1 })[0]?.path).toBe('refundApprovalThresholdMinor');
    expect(issuesOf({ tenderTypes: DEFAULT_TENDER_TYPES, refundApprovalThresholdMinor: 100.5 })[0]?.path).toBe('refundApprovalThresholdMinor');
  });
});

describe('tender configuration validation', () => {
  it('codes are unique upper-case ids', () => {
    const twice = issuesOf(withTypes((ts) => [...ts, { ...ts[1], names: { 'zh-Hans': '卡', 'zh-Hant': '卡', en: 'Card 2' } }]));
    expect(twice.map((i) => i.message)).toContain('tender code CARD is listed twice');
    expect(issuesOf(withTypes((ts) => ts.map((t) => (t.code === 'WECHAT' ? { ...t, code: 'wechat' } : t))))[0]?.path).toBe('tenderTypes.2.code');
  });

  it('the cash tender must exist, be the only one, give change, open the drawer and stay active', () => {
    expect(issuesOf(withTypes((ts) => ts.filter((t) => t.kind !== 'cash'))).map((i) => i.message)).toContain('the cash tender is missing');
    const second = { code: 'CASH_HKD', names: { 'zh-Hans': '港币', 'zh-Hant': '港幣', en: 'HKD cash' }, kind: 'cash', opensDrawer: true };
    expect(issuesOf(withTypes((ts) => [...ts, second])).map((i) => i.message)).toContain('there must be exactly one cash tender');
    expect(issuesOf(withTypes((ts) => ts.map((t) => (t.kind === 'cash' ? { ...t, givesChange: false } : t))))[0]?.path).toBe('tenderTypes.0.givesChange');
    expect(issuesOf(withTypes((ts) => ts.map((t) => (t.kind === 'cash' ? { ...t, opensDrawer: false } : t))))[0]?.path).toBe('tenderTypes.0.opensDrawer');
    expect(issuesOf(withTypes((ts) => ts.map((t) => (t.kind === 'cash' ? { ...t, active: false } : t))))[0]?.path).toBe('tenderTypes.0.active');
  });

  it('only the cash tender gives change', () => {
    const issues = issuesOf(withTypes((ts) => ts.map((t) => (t.code === 'VOUCHER' ? { ...t, givesChange: true } : t))));
    expect(issues).toEqual([{ path: 'tenderTypes.4.givesChange', message: 'only the cash tender gives change' }]);
  });

  it('a reference pattern must compile', () => {
    expect(issuesOf(withTypes((ts) => ts.map((t) => (t.code === 'CARD' ? { ...t, referencePattern: '\\d{4' } : t))))[0]?.path).toBe(
      'tenderTypes.1.referencePattern',
    );
  });

  it('names are needed in all three languages', () => {
    expect(issuesOf(withTypes((ts) => ts.map((t) => (t.code === 'CARD' ? { ...t, names: { en: 'Card', 'zh-Hans': '银行卡' } } : t))))[0]?.path).toBe(
      'tenderTypes.1.names.zh-Hant',
    );
  });

  it('a store may add its own tenders and switch some off', () => {
    const c = parseTenderConfig(
      withTypes((ts) => [
        ...ts.map((t) => (t.code === 'VOUCHER' ? { ...t, active: false } : t)),
        { code: 'UNIONPAY_QR', names: { 'zh-Hans': '云闪付', 'zh-Hant': '雲閃付', en: 'UnionPay QR' }, kind: 'wallet', referenceRequired: true },
      ]),
    );
    expect(findTenderType(c, 'VOUCHER')?.active).toBe(false);
    expect(findTenderType(c, 'UNIONPAY_QR')).toMatchObject({ opensDrawer: false, givesChange: false, active: true });
  });
});

describe('parsed configurations', () => {
  it('never share a list of denominations', () => {
    const a = parseTenderConfig({ tenderTypes: DEFAULT_TENDER_TYPES });
    const b = parseTenderConfig({ tenderTypes: DEFAULT_TENDER_TYPES });
    expect(a.denominations.CNY).not.toBe(b.denominations.CNY);
    expect(a.denominations.CNY).toEqual(b.denominations.CNY);
  });
});
