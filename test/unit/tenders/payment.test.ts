import { describe, expect, it } from 'vitest';
import { DEFAULT_TENDER_TYPES, parseTenderConfig } from '../../../src-shared/tenders/tender-types';
import {
  QUICK_CASH_MIN_NOTE_MINOR,
  quickCashAmounts,
  remainingDue,
  roundCashHalfUp,
  settleSale,
  tenderReference,
} from '../../../src-shared/tenders/payment';
import { CNY_DENOMINATIONS_MINOR } from '../../../src-shared/tenders/tender-types';
import { alipay, card, cash, config, expectDomainError, voucher, wechat } from './fixtures';

const none = config('none');

describe('settleSale: cash and change', () => {
  it('cash over the due gives change; the cash applied is what stays in the drawer', () => {
    const s = settleSale(3750, [cash(5000)], none);
    expect(s).toMatchObject({
      dueMinor: 3750,
      cashTenderedMinor: 5000,
      cashAppliedMinor: 3750,
      changeMinor: 1250,
      roundingMinor: 0,
      paidMinor: 3750,
      nonCashMinor: 0,
      opensDrawer: true,
    });
    expect(s.lines).toEqual([{ code: 'CASH', kind: 'cash', appliedMinor: 3750, tenderedMinor: 5000, changeMinor: 1250, reference: null }]);
  });

  it('exact cash gives no change', () => {
    expect(settleSale(3750, [cash(3750)], none)).toMatchObject({ changeMinor: 0, cashAppliedMinor: 3750 });
  });

  it('several cash handovers are one cash tender, at the place of the first', () => {
    const s = settleSale(2030, [cash(2000), card(10), cash(50)], none);
    expect(s.lines.map((l) => [l.code, l.appliedMinor, l.tenderedMinor, l.changeMinor])).toEqual([
      ['CASH', 2020, 2050, 30],
      ['CARD', 10, 10, 0],
    ]);
  });

  it('a sale paid entirely with points has nothing to settle', () => {
    expect(settleSale(0, [], none)).toMatchObject({ lines: [], paidMinor: 0, roundingMinor: 0, opensDrawer: false });
  });

  it('short cash is refused with what is missing', () => {
    const err = expectDomainError(() => settleSale(3750, [cash(2000)], none), 'TENDER_SHORT');
    expect(err.details).toEqual({ dueMinor: 3750, shortMinor: 1750 });
  });
});

describe('settleSale: split tenders', () => {
  it('card, wallet, voucher and cash together; only cash gives change', () => {
    const s = settleSale(12000, [card(3000), wechat(2000), alipay(1000), voucher(5000), cash(2000)], none);
    expect(s.lines.map((l) => [l.code, l.appliedMinor, l.changeMinor])).toEqual([
      ['CARD', 3000, 0],
      ['WECHAT', 2000, 0],
      ['ALIPAY', 1000, 0],
      ['VOUCHER', 5000, 0],
      ['CASH', 1000, 1000],
    ]);
    expect(s).toMatchObject({ nonCashMinor: 11000, cashAppliedMinor: 1000, changeMinor: 1000, paidMinor: 12000 });
  });

  it('without cash the non-cash tenders must add up to the due exactly', () => {
    expect(settleSale(5000, [card(2000), wechat(3000)], none)).toMatchObject({ paidMinor: 5000, opensDrawer: false, changeMinor: 0 });
    expect(expectDomainError(() => settleSale(5000, [card(2000), wechat(2999)], none), 'TENDER_SHORT').details).toEqual({
      dueMinor: 5000,
      shortMinor: 1,
    });
  });

  it('a non-cash tender above what is left asks for change it cannot give', () => {
    const err = expectDomainError(() => settleSale(1000, [card(600), wechat(600, '4200001234')], none), 'TENDER_NO_CHANGE');
    expect(err.details).toEqual({ index: 1, code: 'WECHAT', amountMinor: 600, nonCashLimitMinor: 400 });
    expectDomainError(() => settleSale(1000, [card(1001)], none), 'TENDER_NO_CHANGE');
    // Cash first does not make room for more card: the card is charged what it says.
    expectDomainError(() => settleSale(1000, [cash(500), card(1200)], none), 'TENDER_NO_CHANGE');
  });

  it('the order of the lines does not matter', () => {
    const a = settleSale(12000, [cash(10000), card(2000)], none);
    const b = settleSale(12000, [card(2000), cash(10000)], none);
    expect(a.cashAppliedMinor).toBe(10000);
    expect({ ...a, lines: [] }).toEqual({ ...b, lines: [] });
  });
});

describe('settleSale: cash rounding', () => {
  it('rounds the cash part half-up to 1 jiao', () => {
    const r = config('0.10');
    expect(settleSale(1234, [cash(1230)], r)).toMatchObject({ cashAppliedMinor: 1230, roundingMinor: -4, paidMinor: 1230, changeMinor: 0 });
    expect(settleSale(1235, [cash(2000)], r)).toMatchObject({ cashAppliedMinor: 1240, roundingMinor: 5, changeMinor: 760 });
    expect(settleSale(1236, [cash(1240)], r)).toMatchObject({ cashAppliedMinor: 1240, roundingMinor: 4 });
    expect(settleSale(1240, [cash(1240)], r)).toMatchObject({ roundingMinor: 0 });
    expectDomainError(() => settleSale(1235, [cash(1235)], r), 'TENDER_SHORT');
  });

  it('rounds the cash part half-up to 5 jiao', () => {
    const r = config('0.50');
    expect(settleSale(1224, [cash(1200)], r)).toMatchObject({ cashAppliedMinor: 1200, roundingMinor: -24 });
    expect(settleSale(1225, [cash(1250)], r)).toMatchObject({ cashAppliedMinor: 1250, roundingMinor: 25 });
    expect(settleSale(1234, [cash(2000)], r)).toMatchObject({ cashAppliedMinor: 1250, roundingMinor: 16, changeMinor: 750 });
  });

  it('rounds the cash part half-up to 1 yuan', () => {
    const r = config('1.00');
    expect(settleSale(1249, [cash(1200)], r)).toMatchObject({ cashAppliedMinor: 1200, roundingMinor: -49 });
    expect(settleSale(1250, [cash(1300)], r)).toMatchObject({ cashAppliedMinor: 1300, roundingMinor: 50 });
    expect(settleSale(1234, [cash(5000)], r)).toMatchObject({ cashAppliedMinor: 1200, roundingMinor: -34, changeMinor: 3800 });
  });

  it('never rounds a non-cash tender: with mixed tenders only the cash remainder is rounded', () => {
    const r = config('0.10');
    const s = settleSale(1234, [card(1000), cash(500)], r);
    expect(s.lines.map((l) => [l.code, l.appliedMinor, l.tenderedMinor, l.changeMinor])).toEqual([
      ['CARD', 1000, 1000, 0],
      ['CASH', 230, 500, 270],
    ]);
    expect(s).toMatchObject({ roundingMinor: -4, paidMinor: 1230 });
  });

  it('a sale without cash has no rounding, whatever the setting', () => {
    const r = config('1.00');
    expect(settleSale(1234, [card(1234)], r)).toMatchObject({ roundingMinor: 0, paidMinor: 1234 });
    expect(expectDomainError(() => settleSale(1234, [card(1200)], r), 'TENDER_SHORT').details.shortMinor).toBe(34);
  });

  it('a remainder that rounds to nothing is settled by a cash line of 0', () => {
    const r = config('0.10');
    const before = remainingDue(1234, [card(1230)], r);
    expect(before).toMatchObject({ settled: false, nonCashLimitMinor: 4, cashDueMinor: 0, cashShortMinor: 0, cashRoundingMinor: -4 });
    const s = settleSale(1234, [card(1230), cash(0)], r);
    expect(s).toMatchObject({ cashAppliedMinor: 0, cashTenderedMinor: 0, roundingMinor: -4, paidMinor: 1230 });
  });

  it('rounding is its own amount on the settlement: Σ applied = due + rounding', () => {
    const s = settleSale(98765, [wechat(50000), cash(50000)], config('0.50'));
    expect(s.lines.reduce((a, l) => a + l.appliedMinor, 0)).toBe(s.dueMinor + s.roundingMinor);
    expect(s.roundingMinor).toBe(-15); // 48765 -> 48750
  });
});

describe('settleSale: checks on each line', () => {
  it('references: required ones must be there and match; they are trimmed', () => {
    expect(expectDomainError(() => settleSale(1000, [card(1000, null)], none), 'TENDER_REFERENCE_REQUIRED').details).toEqual({
      index: 0,
      code: 'CARD',
    });
    expectDomainError(() => settleSale(1000, [card(1000, '   ')], none), 'TENDER_REFERENCE_REQUIRED');
    expectDomainError(() => settleSale(1000, [wechat(1000, '')], none), 'TENDER_REFERENCE_REQUIRED');
    expectDomainError(() => settleSale(1000, [voucher(1000, null)], none), 'TENDER_REFERENCE_REQUIRED');
    expectDomainError(() => settleSale(1000, [card(1000, '12345')], none), 'TENDER_REFERENCE_INVALID');
    expectDomainError(() => settleSale(1000, [alipay(1000, '20261122-0001')], none), 'TENDER_REFERENCE_INVALID');
    expectDomainError(() => settleSale(1000, [voucher(1000, 'X'.repeat(65))], none), 'TENDER_REFERENCE_INVALID');
    expect(settleSale(1000, [card(1000, ' 4321 ')], none).lines[0]?.reference).toBe('4321');
    expect(settleSale(1000, [cash(1000)], none).lines[0]?.reference).toBeNull();
  });

  it('tenderReference checks one line\'s reference as settleSale will, for the payment screen', () => {
    expect(tenderReference(none, 'CARD', ' 4321 ')).toBe('4321');
    expect(tenderReference(none, 'CASH', '')).toBeNull();
    expect(expectDomainError(() => tenderReference(none, 'WECHAT', '  ', 2), 'TENDER_REFERENCE_REQUIRED').details).toEqual({ index: 2, code: 'WECHAT' });
    expectDomainError(() => tenderReference(none, 'CARD', '12345'), 'TENDER_REFERENCE_INVALID');
    expectDomainError(() => tenderReference(none, 'NOPE', 'x'), 'TENDER_UNKNOWN');
  });

  it('unknown and switched-off tenders are refused', () => {
    expect(expectDomainError(() => settleSale(1000, [{ code: 'BITCOIN', amountMinor: 1000 }], none), 'TENDER_UNKNOWN').details).toEqual({
      index: 0,
      code: 'BITCOIN',
    });
    const noVouchers = parseTenderConfig({
      tenderTypes: DEFAULT_TENDER_TYPES.map((t) => (t.code === 'VOUCHER' ? { ...t, active: false } : t)),
    });
    expectDomainError(() => settleSale(1000, [voucher(1000)], noVouchers), 'TENDER_INACTIVE');
  });

  it('amounts are whole fen; a non-cash amount must be above 0', () => {
    expectDomainError(() => settleSale(1000, [card(0)], none), 'TENDER_INVALID_AMOUNT');
    expectDomainError(() => settleSale(1000, [card(-100)], none), 'TENDER_INVALID_AMOUNT');
    expectDomainError(() => settleSale(1000, [card(999.5)], none), 'TENDER_INVALID_AMOUNT');
    expectDomainError(() => settleSale(1000, [cash(-1)], none), 'TENDER_INVALID_AMOUNT');
    expectDomainError(() => settleSale(1000, [cash(1000.1)], none), 'TENDER_INVALID_AMOUNT');
    expectDomainError(() => settleSale(1000, [cash(Number.NaN)], none), 'TENDER_INVALID_AMOUNT');
    expectDomainError(() => settleSale(1000, [cash(Number.MAX_SAFE_INTEGER), cash(Number.MAX_SAFE_INTEGER)], none), 'TENDER_INVALID_AMOUNT');
    expectDomainError(() => settleSale(-1, [], none), 'INVALID_INPUT');
    expectDomainError(() => settleSale(10.5, [], none), 'INVALID_INPUT');
  });

  it('checks each line before the totals', () => {
    // The bad reference on line 2 is reported although the card on line 1 already asks for change.
    expectDomainError(() => settleSale(1000, [card(5000), wechat(100, null)], none), 'TENDER_REFERENCE_REQUIRED');
  });

  it('only tenders that open the drawer open it', () => {
    expect(settleSale(1000, [card(1000)], none).opensDrawer).toBe(false);
    expect(settleSale(1000, [card(500), cash(500)], none).opensDrawer).toBe(true);
    const paperVouchers = parseTenderConfig({
      tenderTypes: DEFAULT_TENDER_TYPES.map((t) => (t.code === 'VOUCHER' ? { ...t, opensDrawer: true } : t)),
    });
    expect(settleSale(1000, [voucher(1000)], paperVouchers).opensDrawer).toBe(true);
  });
});

describe('remainingDue: the payment screen, tender by tender', () => {
  it('shows what is left as lines are added', () => {
    expect(remainingDue(3750, [], none)).toEqual({
      dueMinor: 3750,
      nonCashMinor: 0,
      cashTenderedMinor: 0,
      nonCashLimitMinor: 3750,
      cashDueMinor: 3750,
      cashRoundingMinor: 0,
      cashShortMinor: 3750,
      nonCashToSettleMinor: 3750,
      changeMinor: 0,
      settled: false,
    });
    expect(remainingDue(3750, [card(2000)], none)).toMatchObject({ nonCashLimitMinor: 1750, cashShortMinor: 1750, settled: false });
    expect(remainingDue(3750, [card(2000), cash(1000)], none)).toMatchObject({
      cashShortMinor: 750,
      nonCashToSettleMinor: 750,
      settled: false,
    });
    expect(remainingDue(3750, [card(2000), cash(1000), cash(1000)], none)).toMatchObject({
      cashShortMinor: 0,
      nonCashToSettleMinor: 0,
      changeMinor: 250,
      settled: true,
    });
  });

  it('does not ask for references yet (the cashier types them after the amount)', () => {
    expect(remainingDue(1000, [card(1000, null)], none).settled).toBe(true);
    expectDomainError(() => settleSale(1000, [card(1000, null)], none), 'TENDER_REFERENCE_REQUIRED');
  });

  it('refuses a non-cash line above what is left, as settleSale does', () => {
    expectDomainError(() => remainingDue(1000, [card(1500)], none), 'TENDER_NO_CHANGE');
  });

  it('with rounding: cash due is rounded, a non-cash amount never is', () => {
    const r = config('0.10');
    expect(remainingDue(1234, [], r)).toMatchObject({ nonCashLimitMinor: 1234, cashDueMinor: 1230, cashRoundingMinor: -4, cashShortMinor: 1230 });
    expect(remainingDue(1236, [card(1000)], r)).toMatchObject({ nonCashLimitMinor: 236, cashDueMinor: 240, cashRoundingMinor: 4 });
  });

  it('after partial cash, a card can take the rest so that the cash part needs no rounding', () => {
    const r = config('0.50');
    // 20.30 due, the customer hands over 10.30 and pays the rest by card.
    const p = remainingDue(2030, [cash(1030)], r);
    expect(p).toMatchObject({ cashDueMinor: 2050, cashShortMinor: 1020, nonCashToSettleMinor: 1030, settled: false });
    const s = settleSale(2030, [cash(1030), card(p.nonCashToSettleMinor)], r);
    expect(s).toMatchObject({ cashAppliedMinor: 1000, changeMinor: 30, roundingMinor: 0, paidMinor: 2030 });
  });
});

describe('roundCashHalfUp', () => {
  it('rounds to the nearest multiple, an exact half up', () => {
    expect([1230, 1234, 1235, 1239].map((a) => roundCashHalfUp(a, 10))).toEqual([1230, 1230, 1240, 1240]);
    expect([1224, 1225, 1274, 1275].map((a) => roundCashHalfUp(a, 50))).toEqual([1200, 1250, 1250, 1300]);
    expect([1249, 1250].map((a) => roundCashHalfUp(a, 100))).toEqual([1200, 1300]);
    expect(roundCashHalfUp(1234, 0)).toBe(1234);
    expect(roundCashHalfUp(0, 100)).toBe(0);
    expect(roundCashHalfUp(4, 10)).toBe(0);
  });
});

describe('quickCashAmounts', () => {
  it('offers the exact amount and the next notes above it', () => {
    expect(quickCashAmounts(3750, CNY_DENOMINATIONS_MINOR)).toEqual([3750, 4000, 5000, 10000]);
    expect(quickCashAmounts(1230, CNY_DENOMINATIONS_MINOR)).toEqual([1230, 1500, 2000, 5000]);
    expect(quickCashAmounts(4000, CNY_DENOMINATIONS_MINOR)).toEqual([4000, 5000, 10000]);
    expect(quickCashAmounts(18000, CNY_DENOMINATIONS_MINOR)).toEqual([18000, 20000]);
    expect(quickCashAmounts(25000, CNY_DENOMINATIONS_MINOR)).toEqual([25000, 26000, 30000]);
    expect(quickCashAmounts(0, CNY_DENOMINATIONS_MINOR)).toEqual([0]);
  });

  it('takes the number of keys and the smallest note as options', () => {
    expect(QUICK_CASH_MIN_NOTE_MINOR).toBe(500);
    expect(quickCashAmounts(3750, CNY_DENOMINATIONS_MINOR, { count: 1 })).toEqual([3750, 4000]);
    expect(quickCashAmounts(3750, CNY_DENOMINATIONS_MINOR, { minNoteMinor: 100 })).toEqual([3750, 3800, 4000, 5000]);
    expect(quickCashAmounts(320, CNY_DENOMINATIONS_MINOR, { minNoteMinor: 10, count: 4 })).toEqual([320, 350, 400, 500, 1000]);
  });

  it('refuses amounts that are not whole fen', () => {
    expectDomainError(() => quickCashAmounts(37.5, CNY_DENOMINATIONS_MINOR), 'INVALID_INPUT');
    expectDomainError(() => quickCashAmounts(3750, [0]), 'INVALID_INPUT');
  });
});
