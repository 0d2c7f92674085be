import { describe, expect, it } from 'vitest';
import type { CheckoutPreviewDto } from '../../../src-shared/api/dto';
import type { SalesReportDto } from '../../../src-shared/api/contract-reports';
import { shortcutOf } from '../../../src-renderer/app/shortcuts';
import { barLayout, labelEvery, linePaths, niceMax } from '../../../src-renderer/components/chart-geometry';
import { earnedTotal, earnRows, memberNotes, redeemLimitKey } from '../../../src-renderer/features/checkout/checkout-view';
import { csvField, toCsv } from '../../../src-renderer/features/reports/csv';
import { csvCell, dayReportTables, salesTables, tableToCsv, zListTable } from '../../../src-renderer/features/reports/report-view';
import type { DayReportDto, ZReportDto } from '../../../src-shared/api/contract-money';
import type { SyncStatusDto } from '../../../src-shared/api/contract-sync';
import { connectivityKey, deviceSummary, syncSummary } from '../../../src-renderer/features/status/status-view';
import { translator } from '../../../src-renderer/i18n';
import { MEMBER } from './fixtures';

const key = (k: string, extra: Partial<Parameters<typeof shortcutOf>[0]> = {}) => shortcutOf({ key: k, altKey: false, ctrlKey: false, metaKey: false, ...extra });

describe('keyboard shortcuts', () => {
  it('function keys for screens and actions, Alt+letter by physical key, nothing with Ctrl', () => {
    expect(key('F1')).toEqual({ kind: 'screen', screen: 'checkout' });
    expect(key('F2')).toEqual({ kind: 'focus', target: 'member' });
    expect(key('F9')).toEqual({ kind: 'complete' });
    expect(key('F8')).toEqual({ kind: 'screen', screen: 'reports' });
    expect(key('Escape')).toEqual({ kind: 'escape' });
    expect(key('a')).toBeNull();
    // Under a Chinese input method `key` may be 'Process'; the physical key still decides.
    expect(key('Process', { altKey: true, code: 'KeyN' })).toEqual({ kind: 'nextCustomer' });
    expect(key('m', { altKey: true })).toEqual({ kind: 'redeemMax' });
    expect(key('3', { altKey: true, code: 'Digit3' })).toEqual({ kind: 'quickCategory', index: 2 });
    expect(key('F9', { ctrlKey: true })).toBeNull();
    // The cash drawer screen, and the quick-cash keys of the payment step (the row under 1 to 4).
    expect(key('F5')).toEqual({ kind: 'screen', screen: 'drawer' });
    expect(key('Process', { altKey: true, code: 'KeyQ' })).toEqual({ kind: 'quickCash', index: 0 });
    expect(key('r', { altKey: true, code: 'KeyR' })).toEqual({ kind: 'quickCash', index: 3 });
  });
});

describe('checkout view-model', () => {
  it('member notes: blocked, expiring points with the window, birthday month, offline limit, negative balance', () => {
    expect(memberNotes(MEMBER).map((n) => n.key)).toEqual(['member.birthdayMonth']);
    const m = { ...MEMBER, status: 'blocked' as const, expiringSoon: { points: 300, firstExpiry: '2026-07-01T00:00:00.000Z', withinDays: 30 }, offlineRedeemRemaining: 1500, balance: -20, birthdayThisMonth: false };
    expect(memberNotes(m)).toEqual([
      { key: 'member.blocked', params: {}, tone: 'danger', testId: 'member-blocked' },
      { key: 'member.expiring', params: { points: 300, days: 30, date: '2026-07-01T00:00:00.000Z' }, tone: 'warning', testId: 'member-expiring' },
      { key: 'member.offlineLimit', params: { points: 1500 }, tone: 'warning', testId: 'member-offline-limit' },
      { key: 'member.negative', params: { points: 20 }, tone: 'danger' },
    ]);
  });

  it('the earn preview as rows: purchase, tier and campaign multipliers, bonuses, capped points', () => {
    const p: CheckoutPreviewDto = {
      grossMinor: 10000,
      redeemedPoints: 0,
      redeemedValueMinor: 0,
      paidMinor: 10000,
      earn: {
        purchasePoints: 250,
        bonuses: [{ reason: 'birthday', campaignId: null, points: 200 }],
        cappedPoints: 10,
        tierMultiplierBp: 12500,
        lines: [{ lineNo: 1, points: 250, campaignId: 'eco-week', campaignMultiplierBp: 20000 }],
      },
      maxRedeem: null,
      riskHold: null,
      ruleSetVersion: 1,
    };
    const t = translator('en');
    expect(earnRows(p).map((r) => t(r.key, r.params))).toEqual(['Purchase: 250 pts', 'Tier ×1.25', 'eco-week: ×2', 'Birthday bonus +200', '10 pts over the daily cap are not credited.']);
    expect(earnedTotal(p)).toBe(450);
    expect(redeemLimitKey('bill_cap')).toBe('redeem.limitBill');
    expect(redeemLimitKey('offline_limit')).toBe('redeem.limitOffline');
    expect(redeemLimitKey('something new')).toBe('redeem.limitRules');
  });
});

describe('status view-model', () => {
  it('sync in words: not set up, waiting changes, and a new till loading members from head office', () => {
    const t = translator('en');
    const base: SyncStatusDto = { state: 'online', serverUrl: 'https://hq.example', lastSuccessAt: '2026-06-15T02:00:00.000Z', pending: 0, lastError: null, clockOffsetMs: 0, clockWarning: false, problems: 0, syncing: false, bootstrap: null };
    const words = (sync: Parameters<typeof syncSummary>[0]['sync']) => {
      const r = syncSummary({ sync, connectivity: 'online' }, () => '10:00');
      return [t(r.key, r.params), r.tone];
    };
    expect(words(null)).toEqual(['Sync: not set up', 'neutral']);
    expect(words({ ...base, pending: 3 })[1]).toBe('neutral');
    expect(words({ ...base, bootstrap: { membersLoaded: 450000, startedAt: '2026-06-15T01:00:00.000Z' } })).toEqual([
      'Loading members from head office: 450,000 so far. You can keep selling.',
      'warn',
    ]);
  });

  it('connectivity and the worst device state in words', () => {
    expect(connectivityKey('standalone')).toMatchObject({ label: 'status.standalone', tone: 'neutral' });
    expect(connectivityKey('offline')).toMatchObject({ label: 'status.offline', tone: 'warn' });
    expect(deviceSummary({}, false)).toEqual({ printer: { key: 'printer.unknown', tone: 'neutral', message: '' }, scanner: { key: 'scanner.keyboardOnly', tone: 'neutral', message: '' } });
    expect(deviceSummary({}, true).printer.key).toBe('printer.none');
    const s = deviceSummary(
      {
        'printer:p': { device: 'printer', id: 'p', state: 'paper_out', message: 'Out of paper' },
        'scanner:a': { device: 'scanner', id: 'a', state: 'ready', message: '' },
        'scanner:b': { device: 'scanner', id: 'b', state: 'offline', message: 'unplugged' },
      },
      true,
    );
    expect(s).toEqual({ printer: { key: 'printer.paperOut', tone: 'bad', message: 'Out of paper' }, scanner: { key: 'scanner.offline', tone: 'bad', message: 'unplugged' } });
  });
});

describe('charts', () => {
  it('nice axis maxima', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(180)).toBe(200);
    expect(niceMax(2300)).toBe(2500);
    expect(niceMax(41000)).toBe(50000);
    expect(niceMax(100)).toBe(100);
  });

  it('bars fill the plot from the baseline in proportion, grouped by series', () => {
    const box = { width: 200, height: 120, left: 20, bottom: 20, top: 0, right: 0 };
    const { bars, ticks, max } = barLayout([[50, 100], [25, 0]], box, 2);
    expect(max).toBe(100);
    expect(bars).toHaveLength(4);
    const tall = bars.find((b) => b.index === 1 && b.series === 0)!;
    expect(tall).toMatchObject({ y: 0, height: 100, value: 100 });
    const half = bars.find((b) => b.index === 0 && b.series === 0)!;
    expect(half).toMatchObject({ y: 50, height: 50 });
    for (const b of bars) expect(b.y + b.height).toBeCloseTo(100);
    expect(bars.find((b) => b.index === 0 && b.series === 1)!.x).toBeGreaterThan(half.x);
    expect(ticks.map((t) => t.value)).toEqual([0, 50, 100]);
    expect(barLayout([[-5]], box).bars[0]!.height).toBe(0);
  });

  it('lines run edge to edge; labels thin out when there are many days', () => {
    const box = { width: 110, height: 110, left: 10, bottom: 10, top: 0, right: 0 };
    const { paths } = linePaths([[0, 50, 100]], box);
    expect(paths[0]).toBe('M10 100 L60 50 L110 0');
    const show = labelEvery(31, 10);
    expect([0, 1, 3, 4, 30].map(show)).toEqual([true, false, false, true, true]);
  });
});

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks, defuses formulas, keeps numbers plain', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvField('-12.50')).toBe('-12.50');
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField(null)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
    expect(toCsv([['a', 1], ['王芳, 收银员', null]])).toBe('a,1\r\n"王芳, 收银员",\r\n');
  });

  it('report tables export money as decimals and rates as percentages', () => {
    expect(csvCell({ kind: 'money', value: 123456 }, 2)).toBe('1234.56');
    expect(csvCell({ kind: 'pct', value: 3333 }, 2)).toBe('33.33');
    const r: SalesReportDto = {
      range: { period: 'today', from: '2026-06-15', to: '2026-06-15', days: 1, timeZone: 'Asia/Shanghai', currency: 'CNY', generatedAt: '' },
      sales: 2,
      grossMinor: 3000,
      redeemedValueMinor: 0,
      paidMinor: 3000,
      memberSales: 1,
      memberPaidMinor: 1000,
      memberShareBp: 3333,
      memberReceiptShareBp: 5000,
      averageTicketMinor: 1500,
      memberAverageTicketMinor: 1000,
      guestAverageTicketMinor: 2000,
      refunds: 0,
      refundMinor: 0,
      netMinor: 3000,
      byDay: [{ date: '2026-06-15', sales: 2, paidMinor: 3000, memberPaidMinor: 1000 }],
      byCategory: [{ category: 'grocery', quantity: 2, paidMinor: 3000 }],
    };
    const rows = tableToCsv(salesTables(r, translator('en'), (c) => c.toUpperCase()), 2);
    expect(rows[0]).toEqual(['Sales']);
    expect(rows[1]).toEqual(['Figure', 'Value']);
    expect(rows).toContainEqual(['Member share of sales', '33.33']);
    expect(rows).toContainEqual(['Average ticket', '15.00']);
    expect(rows).toContainEqual(['2026-06-15', 2, '30.00', '10.00']);
    expect(rows).toContainEqual(['GROCERY', 2, '30.00']);
  });
});

describe('X and Z reports as tables', () => {
  const day: DayReportDto = {
    kind: 'x',
    zNo: null,
    businessDate: '2026-06-15',
    generatedAt: '2026-06-15T10:00:00.000Z',
    storeName: 'Test Store',
    terminalId: 't1',
    currency: 'CNY',
    sales: { count: 2, grossMinor: 10000, discountMinor: 0, redeemedValueMinor: 500, redeemedPoints: 500, paidMinor: 9500, roundingMinor: -20, averageTicketMinor: 4750, memberCount: 1, memberPaidMinor: 6000, memberShareBp: 6315 },
    refunds: { count: 1, amountMinor: 3000 },
    netMinor: 6500,
    tenders: [{ code: 'WECHAT', salesCount: 1, salesMinor: 3000, refundsCount: 0, refundsMinor: 0, netMinor: 3000 }],
    drawers: [
      { sessionId: 's1', openedAt: '2026-06-15T01:00:00.000Z', openedBy: 'c1', floatMinor: 26000, openingDiscrepancyMinor: null, cashSalesMinor: 3800, cashRefundsMinor: 0, payInsMinor: 0, payOutsMinor: 1500, pickupsMinor: 10000, noSales: 0, expectedMinor: 18300, countedMinor: 17000, overShortMinor: -1300, closedAt: '2026-06-15T09:00:00.000Z', closedBy: 'c1' },
      { sessionId: 's2', openedAt: '2026-06-15T09:30:00.000Z', openedBy: 'm1', floatMinor: 5000, openingDiscrepancyMinor: -12000, cashSalesMinor: 0, cashRefundsMinor: 0, payInsMinor: 0, payOutsMinor: 0, pickupsMinor: 0, noSales: 1, expectedMinor: 5000, countedMinor: null, overShortMinor: null, closedAt: null, closedBy: null },
    ],
    points: { issued: 95, redeemed: 500, expired: 0, issuedValueMinor: 95, redeemedValueMinor: 500, expiredValueMinor: 0 },
    staff: [{ staffId: 'c1', name: 'Wang Fang', salesCount: 2, salesMinor: 9500, refundsCount: 1, refundsMinor: 3000 }],
    categories: [],
    refundList: [{ refundId: 'r1', receiptNo: 'R1', amountMinor: 3000, staffId: 'c1', approvedBy: 'm1', reason: 'Faulty', at: '2026-06-15T08:00:00.000Z' }],
    overrides: 0,
    grandTotalMinor: null,
    firstReceiptNo: 'R1',
    lastReceiptNo: 'R2',
  };
  const names = { tender: (c: string) => (c === 'WECHAT' ? 'WeChat Pay' : c), staff: (id: string | null) => (id === 'c1' ? 'Wang Fang' : id === 'm1' ? 'Li Na' : '—') };

  it('the X: totals, tenders by name, drawers with expected, counted and over/short (a session still open says so), points with their value, refunds with the approver', () => {
    const tables = dayReportTables(day, translator('en'), names);
    expect(tables.map((t) => t.id)).toEqual(['day-summary', 'day-tenders', 'day-drawers', 'day-points', 'day-staff', 'day-refunds']);
    const rows = tableToCsv(tables, 2);
    expect(rows[0]).toEqual(['X report: the business day so far']);
    expect(rows).toContainEqual(['Cash rounding', '-0.20']);
    expect(rows).not.toContainEqual(expect.arrayContaining(['Z number']));
    expect(rows).toContainEqual(['WeChat Pay', 1, '30.00', 0, '0.00', '30.00']);
    expect(rows).toContainEqual(['2026-06-15T01:00:00.000Z', 'Wang Fang', '260.00', '38.00', '0.00', '0.00', '15.00', '100.00', 0, '183.00', '170.00', '-13.00', '2026-06-15T09:00:00.000Z']);
    expect(rows.find((r) => r[0] === '2026-06-15T09:30:00.000Z')?.slice(-3)).toEqual(['—', '—', 'still open']);
    expect(rows).toContainEqual(['Points redeemed', 500, '5.00']);
    expect(rows).toContainEqual(['R1', '30.00', 'Wang Fang', 'Li Na', 'Faulty', '2026-06-15T08:00:00.000Z']);
  });

  it('the Z: its number and the grand total; the list of Z reports', () => {
    const z: ZReportDto = { ...day, kind: 'z', zNo: 7, grandTotalMinor: 123400, id: 'z7', closedAt: '2026-06-15T14:00:00.000Z', closedBy: 'm1', hash: 'h', replayed: false };
    const rows = tableToCsv(dayReportTables(z, translator('en'), names), 2);
    expect(rows[0]).toEqual(['Z report']);
    expect(rows).toContainEqual(['Z number', 7]);
    expect(rows).toContainEqual(['Grand total (all Z reports)', '1234.00']);
    expect(tableToCsv([zListTable([z], translator('en'), names)], 2)[2]).toEqual([7, '2026-06-15', '2026-06-15T14:00:00.000Z', 'Li Na', '65.00', '1234.00']);
  });
});
