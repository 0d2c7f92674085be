import type { EndOfDayDto } from '../../src-shared/api/contract-reports';
import type { ReportDoc } from '../../src-shared/receipt/report-doc';

/**
 * The end-of-day summary as a printed report (final text, in the printer's language): the
 * device area lays it out for the receipt printer (src-main/devices/printer/report.ts).
 */
export type PrintLanguage = 'zh-Hans' | 'zh-Hant' | 'en';

const WORDS: Record<PrintLanguage, Record<string, string>> = {
  en: {
    title: 'End of day',
    sales: 'Sales',
    receipts: 'Receipts',
    gross: 'Before points',
    points: 'Paid with points',
    paid: 'Sales (paid)',
    refunds: 'Refunds',
    refunded: 'Refunded',
    net: 'Net sales',
    memberShare: 'Member share',
    avgTicket: 'Average ticket',
    loyalty: 'Loyalty',
    issued: 'Points issued',
    redeemed: 'Points redeemed',
    newMembers: 'New members',
    receiptsRange: 'Receipts',
    first: 'First',
    last: 'Last',
    byStaff: 'By staff',
    exceptions: 'Exceptions',
    overrides: 'Overrides',
    adjustments: 'Adjustments',
    capped: 'Capped points',
    pinFailures: 'Wrong PINs',
    offline: 'Offline sales',
    refused: 'Refused redemptions',
    date: 'Business date',
  },
  'zh-Hans': {
    title: '日结报表',
    sales: '销售',
    receipts: '小票数',
    gross: '积分抵扣前',
    points: '积分抵扣',
    paid: '实收',
    refunds: '退货单数',
    refunded: '退款',
    net: '净销售额',
    memberShare: '会员占比',
    avgTicket: '客单价',
    loyalty: '会员积分',
    issued: '发放积分',
    redeemed: '兑换积分',
    newMembers: '新会员',
    receiptsRange: '小票号',
    first: '首张',
    last: '末张',
    byStaff: '按员工',
    exceptions: '异常',
    overrides: '店长授权',
    adjustments: '手工调整',
    capped: '封顶积分',
    pinFailures: '密码错误',
    offline: '离线交易',
    refused: '拒绝兑换',
    date: '营业日',
  },
  'zh-Hant': {
    title: '日結報表',
    sales: '銷售',
    receipts: '收據數',
    gross: '積分抵扣前',
    points: '積分抵扣',
    paid: '實收',
    refunds: '退貨單數',
    refunded: '退款',
    net: '淨銷售額',
    memberShare: '會員佔比',
    avgTicket: '客單價',
    loyalty: '會員積分',
    issued: '發放積分',
    redeemed: '兌換積分',
    newMembers: '新會員',
    receiptsRange: '收據號',
    first: '首張',
    last: '末張',
    byStaff: '按員工',
    exceptions: '異常',
    overrides: '店長授權',
    adjustments: '手工調整',
    capped: '封頂積分',
    pinFailures: '密碼錯誤',
    offline: '離線交易',
    refused: '拒絕兌換',
    date: '營業日',
  },
};

const SYMBOLS: Record<string, string> = { CNY: '¥', TWD: 'NT$', HKD: 'HK$', USD: '$' };

/** 123456 -> "¥1,234.56" (two decimals; integer arithmetic, no floats). */
export function printMoney(minor: number, currency: string): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${SYMBOLS[currency] ?? `${currency} `}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** 12345 -> "12,345". */
export const printCount = (n: number): string => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
/** Basis points as a percentage with one decimal. */
export const printPercent = (bp: number): string => `${(bp / 100).toFixed(1)}%`;
const count = printCount;
const percent = printPercent;

export function endOfDayDoc(
  d: EndOfDayDto,
  opts: { language: PrintLanguage; time: string; terminal: string; printedBy?: string; headerLines?: string[] },
): ReportDoc {
  const w = WORDS[opts.language];
  const money = (m: number) => printMoney(m, d.currency);
  return {
    title: w.title!,
    store: { name: d.storeName, addressLines: [...(opts.headerLines ?? [])] },
    terminal: opts.terminal,
    time: opts.time,
    ...(opts.printedBy !== undefined ? { printedBy: opts.printedBy } : {}),
    sections: [
      { rows: [{ label: w.date!, value: d.date, bold: true }] },
      {
        heading: w.sales,
        rows: [
          { label: w.receipts!, value: count(d.sales) },
          { label: w.gross!, value: money(d.grossMinor) },
          { label: w.points!, value: money(d.redeemedValueMinor) },
          { label: w.paid!, value: money(d.paidMinor), bold: true },
          { label: w.refunds!, value: count(d.refunds) },
          { label: w.refunded!, value: money(d.refundMinor) },
          { label: w.net!, value: money(d.netMinor), bold: true },
          { label: w.memberShare!, value: percent(d.memberShareBp) },
          { label: w.avgTicket!, value: money(d.averageTicketMinor) },
        ],
      },
      {
        heading: w.loyalty,
        rows: [
          { label: w.issued!, value: count(d.pointsIssued) },
          { label: w.redeemed!, value: count(d.pointsRedeemed) },
          { label: w.newMembers!, value: count(d.newMembers) },
        ],
      },
      {
        heading: w.receiptsRange,
        rows: [
          { label: w.first!, value: d.firstReceipt ?? '-' },
          { label: w.last!, value: d.lastReceipt ?? '-' },
        ],
      },
      { heading: w.byStaff, rows: d.byStaff.map((s) => ({ label: `${s.name} (${count(s.sales)})`, value: money(s.paidMinor) })) },
      {
        heading: w.exceptions,
        rows: [
          { label: w.overrides!, value: count(d.exceptions.overrides) },
          { label: w.adjustments!, value: count(d.exceptions.adjustments) },
          { label: w.capped!, value: count(d.exceptions.cappedPoints) },
          { label: w.pinFailures!, value: count(d.exceptions.pinFailures) },
          { label: w.offline!, value: count(d.exceptions.offlineSales) },
          { label: w.refused!, value: count(d.exceptions.refusedRedemptions) },
        ],
      },
    ],
    footer: [],
  };
}
