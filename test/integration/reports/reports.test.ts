import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../../src-main/seed/demo';
import { addDaysToDate, mondayOf, resolvePeriod, resolveRange, startOfBusinessDate } from '../../../src-main/reports/range';
import { estimateClv, pointsValueMinor, ratioBp, rfmSegment } from '../../../src-main/reports/metrics';
import { endOfDayDoc, printMoney } from '../../../src-main/reports/end-of-day-doc';
import { DEFAULT_RULE_SET } from '../../../src-shared/domain/rules';
import { expectCode, key, openTestTerminal, TestClock, type TestTerminal } from '../../helpers/terminal';

/**
 * The manager's reports over a real terminal database: a small, known day of trading (the clock
 * is 10:00 in Shanghai on Monday 15 June 2026), checked figure by figure.
 */
let t: TestTerminal;
const line = (unitPriceMinor: number, category = 'grocery', quantity = 1, lineNo = 1) => ({ lineNo, category, quantity, unitPriceMinor });

async function signInManager(): Promise<void> {
  await t.call('session.signIn', { staffId: await t.staffId('manager'), pin: DEMO_STAFF.find((s) => s.role === 'manager')!.pin });
}

beforeEach(async () => {
  t = await openTestTerminal({ clock: new TestClock(Date.parse('2026-06-15T02:00:00.000Z')) });
  await t.signInCashier();
});
afterEach(() => t.close());

describe('report ranges in the store time zone', () => {
  it('today, yesterday, this week (from Monday), this month and custom ranges', () => {
    expect(resolvePeriod('today', '2026-06-17', {})).toEqual({ from: '2026-06-17', to: '2026-06-17' });
    expect(resolvePeriod('yesterday', '2026-06-01', {})).toEqual({ from: '2026-05-31', to: '2026-05-31' });
    expect(resolvePeriod('week', '2026-06-17', {})).toEqual({ from: '2026-06-15', to: '2026-06-17' });
    expect(mondayOf('2026-06-21')).toBe('2026-06-15'); // a Sunday
    expect(mondayOf('2026-06-15')).toBe('2026-06-15');
    expect(resolvePeriod('month', '2026-06-17', {})).toEqual({ from: '2026-06-01', to: '2026-06-17' });
    expect(resolvePeriod('custom', '2026-06-17', { from: '2026-01-01', to: '2026-01-31' })).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(addDaysToDate('2024-02-28', 1)).toBe('2024-02-29');
    expect(() => resolvePeriod('custom', '2026-06-17', { from: '2026-02-30', to: '2026-03-01' })).toThrow(/calendar date/);
    expect(() => resolvePeriod('custom', '2026-06-17', { from: '2025-01-01', to: '2026-06-01' })).toThrow(/at most/);
  });

  it('a business date starts at local midnight (Shanghai: 16:00 UTC the day before; New York follows DST)', () => {
    expect(new Date(startOfBusinessDate('2026-06-15', 'Asia/Shanghai')).toISOString()).toBe('2026-06-14T16:00:00.000Z');
    expect(new Date(startOfBusinessDate('2026-07-01', 'America/New_York')).toISOString()).toBe('2026-07-01T04:00:00.000Z');
    expect(new Date(startOfBusinessDate('2026-01-15', 'America/New_York')).toISOString()).toBe('2026-01-15T05:00:00.000Z');
    // 00:30 in Shanghai on the 15th is still the 14th in UTC, but the range of "today" holds it.
    const r = resolveRange({ period: 'today' }, { now: new Date('2026-06-14T16:30:00.000Z'), timeZone: 'Asia/Shanghai', currency: 'CNY' });
    expect(r).toMatchObject({ from: '2026-06-15', to: '2026-06-15', days: 1, startIso: '2026-06-14T16:00:00.000Z', endIso: '2026-06-15T16:00:00.000Z' });
  });
});

describe('report arithmetic', () => {
  it('ratios in basis points, point values per tier, the RFM grid and the CLV estimate', () => {
    expect(ratioBp(1, 3)).toBe(3333);
    expect(ratioBp(5, 0)).toBe(0);
    expect(pointsValueMinor(1050, DEFAULT_RULE_SET, 'regular')).toBe(1050);
    expect(pointsValueMinor(1050, DEFAULT_RULE_SET, 'diamond')).toBe(1260);
    expect(rfmSegment(5, 5)).toBe('champions');
    expect(rfmSegment(4, 4)).toBe('loyal');
    expect(rfmSegment(5, 1)).toBe('new_customers');
    expect(rfmSegment(4, 1)).toBe('promising');
    expect(rfmSegment(4, 3)).toBe('potential_loyalists');
    expect(rfmSegment(3, 3)).toBe('need_attention');
    expect(rfmSegment(3, 1)).toBe('about_to_sleep');
    expect(rfmSegment(1, 5)).toBe('cannot_lose');
    expect(rfmSegment(2, 3)).toBe('at_risk');
    expect(rfmSegment(1, 1)).toBe('hibernating');
    // 10 buyers, 40 orders, ¥4,000 paid, 5 silent: AOV ¥100, 4 a year, churn 50% -> 24 months -> ¥800.
    expect(estimateClv({ buyers: 10, orders: 40, revenueMinor: 400000, silentBuyers: 5 })).toEqual({
      averageOrderMinor: 10000,
      purchasesPerYearX100: 400,
      yearlyChurnBp: 5000,
      expectedLifetimeMonths: 24,
      estimatedMinor: 80000,
      buyers: 10,
    });
    // Churn below 20% counts as 20%: at most five years.
    expect(estimateClv({ buyers: 10, orders: 10, revenueMinor: 10000, silentBuyers: 0 }).expectedLifetimeMonths).toBe(60);
    expect(estimateClv({ buyers: 0, orders: 0, revenueMinor: 0, silentBuyers: 0 }).estimatedMinor).toBe(0);
  });
});

describe('reports over the terminal database', () => {
  async function trade(): Promise<{ a: string; b: string; receiptA: string }> {
    const a = (await t.call('members.register', { idempotencyKey: key(), phone: '13800000001', name: '王小明', consentTerms: true, consentMarketing: true })).id;
    const b = (await t.call('members.register', { idempotencyKey: key(), phone: '13800000002', consentTerms: true, consentMarketing: false })).id;
    const first = await t.call('checkout.complete', { idempotencyKey: key(), memberId: a, lines: [line(100000, 'grocery'), line(20000, 'dairy', 2, 2)] }); // ¥1,400: 1400 pts
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: a, lines: [line(10000, 'fresh')], redeemPoints: 500 }); // pays ¥95, earns 95
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: b, lines: [line(5000, 'grocery')] }); // ¥50: 50 pts
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: null, lines: [line(3000, 'snacks')] }); // guest ¥30
    await t.call('refunds.create', { idempotencyKey: key(), saleId: first.id, lines: [{ lineNo: 2, quantity: 1 }] }); // ¥200 back
    return { a, b, receiptA: first.receiptNo };
  }

  it('are for managers only', async () => {
    await expectCode(t.call('reports.sales', { period: 'today' }), 'FORBIDDEN');
    await t.call('session.signOut', {});
    await expectCode(t.call('reports.sales', { period: 'today' }), 'NOT_SIGNED_IN');
    await expectCode(t.call('reports.sales', { period: 'custom', from: '2026-06-10' }), 'INVALID_INPUT');
  });

  it('sales: totals, member share, average ticket, refunds, by day and by category', async () => {
    await trade();
    await signInManager();
    const r = await t.call('reports.sales', { period: 'week' });
    expect(r.range).toMatchObject({ period: 'week', from: '2026-06-15', to: '2026-06-15', days: 1, timeZone: 'Asia/Shanghai', currency: 'CNY' });
    expect(r).toMatchObject({
      sales: 4,
      grossMinor: 140000 + 10000 + 5000 + 3000,
      redeemedValueMinor: 500,
      paidMinor: 140000 + 9500 + 5000 + 3000,
      memberSales: 3,
      memberPaidMinor: 154500,
      memberReceiptShareBp: 7500,
      averageTicketMinor: Math.floor(157500 / 4),
      memberAverageTicketMinor: 51500,
      guestAverageTicketMinor: 3000,
      refunds: 1,
      refundMinor: 20000,
      netMinor: 137500,
    });
    expect(r.memberShareBp).toBe(Math.round((154500 * 10000) / 157500));
    expect(r.byDay).toEqual([{ date: '2026-06-15', sales: 4, paidMinor: 157500, memberPaidMinor: 154500 }]);
    expect(r.byCategory[0]).toEqual({ category: 'grocery', quantity: 2, paidMinor: 105000 });
    expect(r.byCategory.map((c) => c.category).sort()).toEqual(['dairy', 'fresh', 'grocery', 'snacks']);

    const month = await t.call('reports.sales', { period: 'month' });
    expect(month.range).toMatchObject({ from: '2026-06-01', to: '2026-06-15', days: 15 });
    expect(month.byDay).toHaveLength(15);
    expect(month.byDay[0]).toEqual({ date: '2026-06-01', sales: 0, paidMinor: 0, memberPaidMinor: 0 });
    const yesterday = await t.call('reports.sales', { period: 'yesterday' });
    expect(yesterday).toMatchObject({ sales: 0, averageTicketMinor: 0, memberShareBp: 0 });
  });

  it('points: issued, redeemed, reversed, redemption rate and the liability at redemption value', async () => {
    await trade();
    await signInManager();
    const p = await t.call('reports.points', { period: 'today' });
    // 1400 + 95 + 50 earned; the refund of ¥200 of the first sale takes back 200.
    expect(p.issued).toEqual({ earn: 1545, bonus: 0, adjustIn: 0, refundReturned: 0, total: 1545 });
    expect(p.redeemed).toEqual({ bill: 500, reward: 0, total: 500 });
    expect(p.reversed).toBe(200);
    expect(p.expired).toBe(0);
    expect(p.redemptionRateBp).toBe(Math.round((500 * 10000) / 1545));
    expect(p.liability.points).toBe(1545 - 500 - 200);
    expect(p.liability.valueMinor).toBe(845); // all regular: 100 points = ¥1
    expect(p.liability.byTier.find((x) => x.tier === 'regular')).toEqual({ tier: 'regular', members: 2, points: 845, valueMinor: 845 });
    expect(p.byDay).toEqual([{ date: '2026-06-15', issued: 1545, redeemed: 500, expired: 0 }]);
  });

  it('members: tiers, new members, repeat purchase, RFM, CLV; churn risk lists members silent 90 days', async () => {
    const { a } = await trade();
    await signInManager();
    const m = await t.call('reports.members', { period: 'today' });
    expect(m).toMatchObject({ members: 2, newMembers: 2, anonymousMembers: 0, blockedMembers: 0, purchasingMembers: 2, repeatMembers: 1, repeatRateBp: 5000 });
    expect(m.tiers).toEqual([
      { tier: 'regular', members: 2 },
      { tier: 'silver', members: 0 },
      { tier: 'gold', members: 0 },
      { tier: 'diamond', members: 0 },
    ]);
    expect(m.rfm.segments.reduce((s, x) => s + x.members, 0)).toBe(2);
    expect(m.clv).toMatchObject({ buyers: 2, averageOrderMinor: Math.floor(154500 / 3), yearlyChurnBp: 0, expectedLifetimeMonths: 60 });

    // 100 days later nobody has bought: both are at risk, the one with most points first.
    t.clock.set('2026-09-23T02:00:00.000Z');
    const c = await t.call('reports.churnRisk', { silentDays: 90, limit: 1 });
    expect(c).toMatchObject({ asOf: '2026-09-23', silentDays: 90, total: 2, pointsAtRisk: 845 });
    expect(c.members).toEqual([
      {
        id: a,
        maskedName: '王**',
        maskedPhone: '138****0001',
        tier: 'regular',
        balance: 795,
        lastPurchaseDate: '2026-06-15',
        silentDays: 100,
        yearSpendMinor: 149500,
        consentMarketing: true,
      },
    ]);
    expect((await t.call('reports.churnRisk', { silentDays: 120, limit: 50 })).total).toBe(0);
  });

  it('exceptions: manager adjustments and wrong PINs from the audit log, overdrafts, capped points', async () => {
    const { b } = await trade();
    const approval = await t.managerApproval();
    await t.call('points.adjust', { idempotencyKey: key(), memberId: b, points: -300, reason: 'Correction after a test sale', approval });
    await expectCode(t.call('session.signIn', { staffId: await t.staffId('cashier'), pin: '0000' }), 'INVALID_PIN');
    await signInManager();
    const e = await t.call('reports.exceptions', { period: 'today' });
    expect(e.adjustments).toEqual({ count: 1, pointsIn: 0, pointsOut: 300 });
    expect(e.pinFailures).toBe(1);
    expect(e.overdrafts).toMatchObject({ members: 1, points: 250, valueMinor: 250 });
    expect(e.overdrafts.list[0]).toMatchObject({ id: b, balance: -250, maskedPhone: '138****0002' });
    expect(e.capped).toEqual({ entries: 0, points: 0, members: 0 });
    expect(e.refusedAttempts).toEqual({ count: 0, points: 0, members: 0, byReason: [], list: [] });
    const adjust = e.entries.find((x) => x.action === 'points.adjust')!;
    expect(adjust).toMatchObject({ kind: 'adjustment', staffName: DEMO_STAFF[0].name, approverName: 'Li Na 李娜', subject: '138****0002', businessDate: '2026-06-15' });
    expect(adjust.details).toMatchObject({ points: -300, reason: 'Correction after a test sale' });
    expect(e.entries.find((x) => x.action === 'staff.pinFailed')).toMatchObject({ kind: 'pin_failure' });
  });

  it('exceptions: refused redemptions counted by reason and listed newest first, masked; they moved no points', async () => {
    const { a, b } = await trade();
    const pointsBefore = await (async () => {
      await signInManager();
      const p = await t.call('reports.points', { period: 'today' });
      await t.signInCashier();
      return p;
    })();
    // a holds 795 points, b 50.
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), memberId: a, lines: [line(400000)], redeemPoints: 1000 }), 'INSUFFICIENT_POINTS');
    t.clock.advance(60_000);
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), memberId: a, lines: [line(1000)], redeemPoints: 700 }), 'REDEMPTION_ABOVE_BILL_CAP');
    t.clock.advance(60_000);
    await expectCode(t.call('rewards.redeem', { idempotencyKey: key(), memberId: b, rewardId: 'coupon-10' }), 'INSUFFICIENT_POINTS');
    t.clock.advance(60_000);
    const manager = await t.managerApproval();
    await t.call('members.block', { memberId: b, reason: 'Card shared by several people', approval: manager });
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), memberId: b, lines: [line(10000)], redeemPoints: 100, approval: manager }), 'MEMBER_BLOCKED');
    await signInManager();
    const e = await t.call('reports.exceptions', { period: 'today' });
    expect(e.refusedAttempts).toMatchObject({
      count: 4,
      points: 1000 + 700 + 1000 + 100,
      members: 2,
      byReason: [
        { reason: 'INSUFFICIENT_POINTS', count: 2, points: 2000 },
        { reason: 'MEMBER_BLOCKED', count: 1, points: 100 },
        { reason: 'REDEMPTION_ABOVE_BILL_CAP', count: 1, points: 700 },
      ],
    });
    expect(e.refusedAttempts.list.map((x) => [x.reason, x.channel, x.points, x.member, x.staffName, x.approverName, x.offline])).toEqual([
      ['MEMBER_BLOCKED', 'bill', 100, '138****0002', DEMO_STAFF[0].name, 'Li Na 李娜', false],
      ['INSUFFICIENT_POINTS', 'reward', 1000, '138****0002', DEMO_STAFF[0].name, null, false],
      ['REDEMPTION_ABOVE_BILL_CAP', 'bill', 700, '王** 138****0001', DEMO_STAFF[0].name, null, false],
      ['INSUFFICIENT_POINTS', 'bill', 1000, '王** 138****0001', DEMO_STAFF[0].name, null, false],
    ]);
    expect(e.refusedAttempts.list[3]).toMatchObject({ at: '2026-06-15T02:00:00.000Z', businessDate: '2026-06-15', details: { requested: 1000, available: 795 } });
    expect(e.refusedAttempts.list[1]!.details).toMatchObject({ rewardId: 'coupon-10' });
    // Nothing personal in the report beyond the masks.
    expect(JSON.stringify(e.refusedAttempts)).not.toMatch(/13800000001|王小明/);
    // The refusals moved no points and are not audited events of another kind.
    const p = await t.call('reports.points', { period: 'today' });
    expect({ issued: p.issued, redeemed: p.redeemed, liability: p.liability.points }).toEqual({
      issued: pointsBefore.issued,
      redeemed: pointsBefore.redeemed,
      liability: pointsBefore.liability.points,
    });
    expect(e.entries.some((x) => x.action === 'redemption.refused')).toBe(false);
    // Another day's report does not include them.
    expect((await t.call('reports.exceptions', { period: 'yesterday' })).refusedAttempts.count).toBe(0);
    expect((await t.call('reports.exceptions', { period: 'custom', from: '2026-06-15', to: '2026-06-15' })).refusedAttempts.count).toBe(4);
    // The end-of-day summary counts them too, on its day only.
    expect((await t.call('reports.endOfDay', {})).exceptions.refusedRedemptions).toBe(4);
    expect((await t.call('reports.endOfDay', { date: '2026-06-14' })).exceptions.refusedRedemptions).toBe(0);
  });

  it('end of day: the day in one summary, by staff member', async () => {
    const { receiptA } = await trade();
    await signInManager();
    const d = await t.call('reports.endOfDay', {});
    expect(d).toMatchObject({
      date: '2026-06-15',
      sales: 4,
      paidMinor: 157500,
      refunds: 1,
      refundMinor: 20000,
      netMinor: 137500,
      memberSales: 3,
      pointsIssued: 1545,
      pointsRedeemed: 500,
      newMembers: 2,
      firstReceipt: receiptA,
      currency: 'CNY',
    });
    expect(d.byStaff).toEqual([{ staffId: await t.staffId('cashier'), name: DEMO_STAFF[0].name, sales: 4, paidMinor: 157500, refunds: 1 }]);
    const other = await t.call('reports.endOfDay', { date: '2026-06-14' });
    expect(other).toMatchObject({ sales: 0, byStaff: [], firstReceipt: null });
    // No receipt printer is set up on this till: the print view is the way to print.
    await expectCode(t.call('reports.printEndOfDay', {}), 'DEVICE_NOT_CONFIGURED');
    const doc = endOfDayDoc(d, { language: 'zh-Hans', time: '2026-06-15 10:00', terminal: 'T1', printedBy: 'Li Na' });
    expect(doc.title).toBe('日结报表');
    expect(doc.sections[1]!.rows).toContainEqual({ label: '实收', value: '¥1,575.00', bold: true });
    expect(doc.sections[4]!.rows).toEqual([{ label: `${DEMO_STAFF[0].name} (4)`, value: '¥1,575.00' }]);
    expect(printMoney(-5, 'CNY')).toBe('-¥0.05');
    expect(printMoney(123456789, 'TWD')).toBe('NT$1,234,567.89');
  });
});

describe('the customer display state', () => {
  it('is held by the core, numbered, pushed as display.changed, and idle clears the basket', async () => {
    const seen: number[] = [];
    t.terminal.events.on('display.changed', (s) => seen.push(s.seq));
    expect(await t.call('display.state', {})).toMatchObject({ mode: 'idle', seq: 0, currency: 'CNY', lines: [] });
    const basket = await t.call('display.update', {
      mode: 'basket',
      language: 'en',
      lines: [{ description: null, category: 'grocery', quantity: 2, amountMinor: 1000 }],
      grossMinor: 1000,
      paidMinor: 1000,
      member: { tier: 'gold' },
      pointsEarned: 15,
    });
    expect(basket).toMatchObject({ mode: 'basket', seq: 1, language: 'en', member: { tier: 'gold' }, updatedAt: '2026-06-15T02:00:00.000Z' });
    await t.call('session.signOut', {});
    // No session needed: the display page has no staff member of its own.
    const idle = await t.call('display.update', { mode: 'idle', language: 'zh-Hant', lines: [{ description: 'x', category: 'y', quantity: 1, amountMinor: 1 }] });
    expect(idle).toMatchObject({ mode: 'idle', seq: 2, language: 'zh-Hant', lines: [], member: null });
    expect(seen).toEqual([1, 2]);
    await expectCode(t.call('display.update', { mode: 'basket', language: 'fr' as 'en' }), 'INVALID_INPUT');
  });
});
