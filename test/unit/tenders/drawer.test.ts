import { describe, expect, it } from 'vitest';
import { countDrawer, type DenominationCount } from '../../../src-shared/tenders/denominations';
import {
  applyDrawerEvent,
  blindDrawerView,
  closeDrawer,
  newDrawerSession,
  replayDrawer,
  type DrawerEvent,
  type DrawerSession,
} from '../../../src-shared/tenders/drawer';
import { settleSale } from '../../../src-shared/tenders/payment';
import { allocateRefundToTenders } from '../../../src-shared/tenders/refund-tenders';
import { CNY_DENOMINATIONS_MINOR, DEFAULT_TENDER_CONFIG } from '../../../src-shared/tenders/tender-types';
import { card, cash, expectDomainError } from './fixtures';

const CNY = CNY_DENOMINATIONS_MINOR;

describe('countDrawer', () => {
  it('totals a count by denomination, largest first, leaving out zeros', () => {
    expect(countDrawer({ 50: 4, 10000: 3, 10: 0, 1000: 2 }, CNY)).toEqual({
      lines: [
        { denominationMinor: 10000, count: 3, amountMinor: 30000 },
        { denominationMinor: 1000, count: 2, amountMinor: 2000 },
        { denominationMinor: 50, count: 4, amountMinor: 200 },
      ],
      totalMinor: 32200,
    });
    expect(countDrawer({}, CNY)).toEqual({ lines: [], totalMinor: 0 });
  });

  it('refuses negative, fractional and non-numeric counts', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3' as unknown as number]) {
      const err = expectDomainError(() => countDrawer({ 10000: bad }, CNY), 'DRAWER_COUNT_INVALID');
      expect(err.details).toMatchObject({ denomination: 10000, reason: 'not_a_whole_count' });
    }
  });

  it('refuses notes and coins the store does not use', () => {
    for (const key of ['200', '0', '-100', '1e4', '100.0', 'abc', '010000']) {
      const count = { [key]: 1 } as DenominationCount;
      expect(expectDomainError(() => countDrawer(count, CNY), 'DRAWER_COUNT_INVALID').details).toMatchObject({
        denomination: key,
        reason: 'unknown_denomination',
      });
    }
  });

  it('refuses a count too large to add up exactly', () => {
    expect(expectDomainError(() => countDrawer({ 10000: Number.MAX_SAFE_INTEGER }, CNY), 'DRAWER_COUNT_INVALID').details.reason).toBe('too_large');
  });
});

const open = (float: number, previousClose: number | null = null): DrawerSession =>
  applyDrawerEvent(newDrawerSession(previousClose), { type: 'OPEN', amountMinor: float });

describe('a drawer session', () => {
  it('expected cash follows the events; over/short and the opening discrepancy are recorded', () => {
    const events: DrawerEvent[] = [
      { type: 'OPEN', amountMinor: 50000 },
      { type: 'CASH_SALE', amountMinor: 3750 },
      { type: 'CASH_REFUND', amountMinor: 1000 },
      { type: 'PAY_IN', amountMinor: 2000, reason: 'more coins from the bank' },
      { type: 'PAY_OUT', amountMinor: 500, reason: 'window cleaner' },
      { type: 'PICKUP', amountMinor: 20000 },
      { type: 'NO_SALE', amountMinor: 0 },
    ];
    const session = replayDrawer(events, 50200);
    expect(session).toMatchObject({
      status: 'open',
      openingCountMinor: 50000,
      openingDiscrepancyMinor: -200,
      cashSalesMinor: 3750,
      cashRefundsMinor: 1000,
      payInsMinor: 2000,
      payOutsMinor: 500,
      pickupsMinor: 20000,
      noSaleCount: 1,
      expectedMinor: 34250,
    });
    const closed = closeDrawer(session, countDrawer({ 10000: 3, 2000: 1, 1000: 2, 100: 2, 50: 1 }, CNY).totalMinor);
    expect(closed).toMatchObject({ status: 'closed', closingCountMinor: 34250, overShortMinor: 0, expectedMinor: 34250 });
    expect(closeDrawer(session, 34200).overShortMinor).toBe(-50);
    expect(closeDrawer(session, 34300).overShortMinor).toBe(50);
  });

  it('the first session of a drawer has no opening discrepancy', () => {
    expect(open(50000).openingDiscrepancyMinor).toBeNull();
    expect(open(50000, 50000).openingDiscrepancyMinor).toBe(0);
  });

  it('takes a sale’s net cash and a refund’s cash from the settlement and the refund plan', () => {
    const sale = settleSale(3750, [card(1000), cash(5000)], DEFAULT_TENDER_CONFIG);
    let s = applyDrawerEvent(open(10000), { type: 'CASH_SALE', amountMinor: sale.cashAppliedMinor });
    expect(s.expectedMinor).toBe(10000 + 5000 - 2250);
    const plan = allocateRefundToTenders(
      {
        paid: sale.lines.map((l, i) => ({ id: String(i), code: l.code, appliedMinor: l.appliedMinor })),
        saleRoundingMinor: sale.roundingMinor,
        refunded: [],
        refundMinor: 3750,
        completesSale: true,
      },
      DEFAULT_TENDER_CONFIG,
    );
    s = applyDrawerEvent(s, { type: 'CASH_REFUND', amountMinor: plan.cashOutMinor });
    expect(s.expectedMinor).toBe(10000);
  });

  it('a sale whose cash rounded to nothing moves no money but is recorded', () => {
    expect(applyDrawerEvent(open(100), { type: 'CASH_SALE', amountMinor: 0 }).expectedMinor).toBe(100);
  });

  it('does not change the session it is given', () => {
    const before = open(1000);
    const copy = structuredClone(before);
    applyDrawerEvent(before, { type: 'CASH_SALE', amountMinor: 500 });
    expect(before).toEqual(copy);
  });
});

describe('a drawer session refuses', () => {
  it('anything before the float is counted', () => {
    for (const type of ['CASH_SALE', 'CASH_REFUND', 'PAY_IN', 'PAY_OUT', 'PICKUP', 'NO_SALE', 'CLOSE'] as const) {
      expectDomainError(() => applyDrawerEvent(newDrawerSession(null), { type, amountMinor: type === 'NO_SALE' ? 0 : 100, reason: 'r' }), 'DRAWER_NOT_OPEN');
    }
    expectDomainError(() => closeDrawer(newDrawerSession(null), 0), 'DRAWER_NOT_OPEN');
  });

  it('a second opening', () => {
    expectDomainError(() => applyDrawerEvent(open(100), { type: 'OPEN', amountMinor: 100 }), 'DRAWER_ALREADY_OPEN');
  });

  it('anything after the close, a new opening included', () => {
    const closed = closeDrawer(open(100), 100);
    for (const type of ['OPEN', 'CASH_SALE', 'CASH_REFUND', 'PAY_IN', 'PAY_OUT', 'PICKUP', 'NO_SALE', 'CLOSE'] as const) {
      expectDomainError(() => applyDrawerEvent(closed, { type, amountMinor: type === 'NO_SALE' ? 0 : 1, reason: 'r' }), 'DRAWER_CLOSED');
    }
    // The next session starts from this one's closing count.
    expect(open(120, closed.closingCountMinor).openingDiscrepancyMinor).toBe(20);
  });

  it('taking out more cash than the drawer holds, without saying how much it holds', () => {
    const s = applyDrawerEvent(open(1000), { type: 'CASH_SALE', amountMinor: 500 });
    for (const type of ['CASH_REFUND', 'PAY_OUT', 'PICKUP'] as const) {
      const err = expectDomainError(() => applyDrawerEvent(s, { type, amountMinor: 1501, reason: 'r' }), 'DRAWER_CASH_INSUFFICIENT');
      expect(err.details).toEqual({ type, amountMinor: 1501 });
      expect(applyDrawerEvent(s, { type, amountMinor: 1500, reason: 'r' }).expectedMinor).toBe(0);
    }
  });

  it('pay-ins and pay-outs without a reason', () => {
    for (const type of ['PAY_IN', 'PAY_OUT'] as const) {
      expectDomainError(() => applyDrawerEvent(open(1000), { type, amountMinor: 100 }), 'INVALID_INPUT');
      expectDomainError(() => applyDrawerEvent(open(1000), { type, amountMinor: 100, reason: '  ' }), 'INVALID_INPUT');
    }
  });

  it('amounts that are not whole fen, negative, or 0 where money must move', () => {
    const s = open(1000);
    expectDomainError(() => applyDrawerEvent(newDrawerSession(null), { type: 'OPEN', amountMinor: -1 }), 'INVALID_INPUT');
    expectDomainError(() => applyDrawerEvent(newDrawerSession(null), { type: 'OPEN', amountMinor: 0.5 }), 'INVALID_INPUT');
    expectDomainError(() => applyDrawerEvent(s, { type: 'CASH_SALE', amountMinor: -100 }), 'INVALID_INPUT');
    expectDomainError(() => applyDrawerEvent(s, { type: 'CASH_REFUND', amountMinor: 0 }), 'INVALID_INPUT');
    expectDomainError(() => applyDrawerEvent(s, { type: 'PICKUP', amountMinor: 0 }), 'INVALID_INPUT');
    expectDomainError(() => applyDrawerEvent(s, { type: 'PAY_IN', amountMinor: 10.5, reason: 'r' }), 'INVALID_INPUT');
    expectDomainError(() => applyDrawerEvent(s, { type: 'NO_SALE', amountMinor: 100 }), 'INVALID_INPUT');
    expectDomainError(() => closeDrawer(s, -5), 'INVALID_INPUT');
    expectDomainError(() => newDrawerSession(-1), 'INVALID_INPUT');
    expectDomainError(() => applyDrawerEvent(s, { type: 'REFUND' as 'CASH_REFUND', amountMinor: 100 }), 'INVALID_INPUT');
  });
});

describe('the blind close', () => {
  it('a cashier’s screen sees no amount before the count', () => {
    const s = applyDrawerEvent(open(50000, 48000), { type: 'CASH_SALE', amountMinor: 3750 });
    const view = blindDrawerView(s);
    expect(view).toEqual({ status: 'open', canTakeCash: true });
    expect(JSON.stringify(view)).not.toMatch(/\d/);
    expect(blindDrawerView(newDrawerSession(null))).toEqual({ status: 'not_open', canTakeCash: false });
  });

  it('the expected cash comes out of the close, after the count went in', () => {
    const s = applyDrawerEvent(open(50000), { type: 'CASH_SALE', amountMinor: 3750 });
    const closed = closeDrawer(s, 53700);
    expect([closed.closingCountMinor, closed.expectedMinor, closed.overShortMinor]).toEqual([53700, 53750, -50]);
    expect(blindDrawerView(closed)).toEqual({ status: 'closed', canTakeCash: false });
  });
});
