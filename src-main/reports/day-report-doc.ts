import type { DayReportDto } from '../../src-shared/api/contract-money';
import type { ReportDoc, ReportRow } from '../../src-shared/receipt/report-doc';
import { printCount, printMoney, printPercent, type PrintLanguage } from './end-of-day-doc';

/** The words of a printed X or Z report, per printer language. */
const WORDS: Record<PrintLanguage, Record<string, string>> = {
  en: {
    x: 'X report', z: 'Z report', zNo: 'Z number', date: 'Business date', sales: 'Sales', receipts: 'Receipts', gross: 'Before points',
    discount: 'Line discounts', points: 'Paid with points', paid: 'Sales (paid)', rounding: 'Cash rounding', refunds: 'Refunds', refunded: 'Refunded',
    net: 'Net sales', memberShare: 'Member share', avgTicket: 'Average ticket', tenders: 'By tender', drawer: 'Cash drawer', float: 'Float',
    cashSales: 'Cash sales', cashRefunds: 'Cash refunds', payIns: 'Pay-ins', payOuts: 'Pay-outs', pickups: 'Pick-ups', noSales: 'No-sale openings',
    expected: 'Expected', counted: 'Counted', overShort: 'Over / short', open: 'still open', loyalty: 'Loyalty', issued: 'Points issued',
    redeemed: 'Points redeemed', expired: 'Points expired', byStaff: 'By staff', refundList: 'Refunds', approvedBy: 'approved by', overrides: 'Overrides',
    first: 'First receipt', last: 'Last receipt', grandTotal: 'Grand total',
  },
  'zh-Hans': {
    x: 'X 报表（班中）', z: 'Z 报表（日结）', zNo: 'Z 序号', date: '营业日', sales: '销售', receipts: '单数', gross: '积分抵扣前',
    discount: '单品折扣', points: '积分抵扣', paid: '销售额（实收）', rounding: '抹零', refunds: '退款', refunded: '退款额',
    net: '净销售额', memberShare: '会员占比', avgTicket: '客单价', tenders: '按付款方式', drawer: '钱箱', float: '备用金',
    cashSales: '现金销售', cashRefunds: '现金退款', payIns: '存入', payOuts: '支出', pickups: '上缴', noSales: '无销售开箱',
    expected: '应有', counted: '实点', overShort: '长款/短款', open: '未结班', loyalty: '会员积分', issued: '发放积分',
    redeemed: '使用积分', expired: '过期积分', byStaff: '按收银员', refundList: '退款明细', approvedBy: '批准', overrides: '店长授权',
    first: '首单', last: '末单', grandTotal: '累计总额',
  },
  'zh-Hant': {
    x: 'X 報表（班中）', z: 'Z 報表（日結）', zNo: 'Z 序號', date: '營業日', sales: '銷售', receipts: '單數', gross: '點數折抵前',
    discount: '單品折扣', points: '點數折抵', paid: '銷售額（實收）', rounding: '抹零', refunds: '退款', refunded: '退款額',
    net: '淨銷售額', memberShare: '會員占比', avgTicket: '客單價', tenders: '按付款方式', drawer: '錢箱', float: '零用金',
    cashSales: '現金銷售', cashRefunds: '現金退款', payIns: '存入', payOuts: '支出', pickups: '上繳', noSales: '無銷售開箱',
    expected: '應有', counted: '實點', overShort: '長款/短款', open: '未結班', loyalty: '會員點數', issued: '發放點數',
    redeemed: '使用點數', expired: '到期點數', byStaff: '按收銀員', refundList: '退款明細', approvedBy: '核准', overrides: '店長授權',
    first: '首單', last: '末單', grandTotal: '累計總額',
  },
};

const count = printCount;
const percent = printPercent;

/**
 * An X or Z report as a printed report (final text in the printer's language): the same figures
 * as on screen, the tender names as the store configured them.
 */
export function dayReportDoc(
  d: DayReportDto,
  opts: { language: PrintLanguage; time: string; terminal: string; printedBy?: string; headerLines?: string[]; tenderName: (code: string) => string; staffName: (id: string) => string },
): ReportDoc {
  const w = WORDS[opts.language];
  const money = (m: number) => printMoney(m, d.currency);
  const head: ReportRow[] = [{ label: w.date!, value: d.businessDate, bold: true }];
  if (d.zNo !== null) head.unshift({ label: w.zNo!, value: String(d.zNo), bold: true });
  return {
    title: d.kind === 'z' ? w.z! : w.x!,
    store: { name: d.storeName, addressLines: [...(opts.headerLines ?? [])] },
    terminal: opts.terminal,
    time: opts.time,
    ...(opts.printedBy !== undefined ? { printedBy: opts.printedBy } : {}),
    sections: [
      { rows: head },
      {
        heading: w.sales,
        rows: [
          { label: w.receipts!, value: count(d.sales.count) },
          { label: w.gross!, value: money(d.sales.grossMinor) },
          { label: w.discount!, value: money(d.sales.discountMinor) },
          { label: w.points!, value: money(d.sales.redeemedValueMinor) },
          { label: w.paid!, value: money(d.sales.paidMinor), bold: true },
          { label: w.rounding!, value: money(d.sales.roundingMinor) },
          { label: w.refunds!, value: count(d.refunds.count) },
          { label: w.refunded!, value: money(d.refunds.amountMinor) },
          { label: w.net!, value: money(d.netMinor), bold: true },
          { label: w.memberShare!, value: percent(d.sales.memberShareBp) },
          { label: w.avgTicket!, value: money(d.sales.averageTicketMinor) },
        ],
      },
      { heading: w.tenders, rows: d.tenders.map((t) => ({ label: `${opts.tenderName(t.code)} (${count(t.salesCount)}/${count(t.refundsCount)})`, value: money(t.netMinor) })) },
      ...d.drawers.map((s) => ({
        heading: `${w.drawer} ${s.openedAt.slice(11, 16)}${s.closedAt ? `–${s.closedAt.slice(11, 16)}` : ` (${w.open})`}`,
        rows: [
          { label: w.float!, value: money(s.floatMinor) },
          { label: w.cashSales!, value: money(s.cashSalesMinor) },
          { label: w.cashRefunds!, value: money(-s.cashRefundsMinor) },
          { label: w.payIns!, value: money(s.payInsMinor) },
          { label: w.payOuts!, value: money(-s.payOutsMinor) },
          { label: w.pickups!, value: money(-s.pickupsMinor) },
          { label: w.noSales!, value: count(s.noSales) },
          { label: w.expected!, value: money(s.expectedMinor), bold: true },
          { label: w.counted!, value: s.countedMinor === null ? '-' : money(s.countedMinor) },
          { label: w.overShort!, value: s.overShortMinor === null ? '-' : money(s.overShortMinor), bold: true },
        ],
      })),
      {
        heading: w.loyalty,
        rows: [
          { label: w.issued!, value: `${count(d.points.issued)} (${money(d.points.issuedValueMinor)})` },
          { label: w.redeemed!, value: `${count(d.points.redeemed)} (${money(d.points.redeemedValueMinor)})` },
          { label: w.expired!, value: `${count(d.points.expired)} (${money(d.points.expiredValueMinor)})` },
        ],
      },
      { heading: w.byStaff, rows: d.staff.map((s) => ({ label: `${s.name} (${count(s.salesCount)})`, value: money(s.salesMinor - s.refundsMinor) })) },
      {
        heading: w.refundList,
        rows: [
          ...d.refundList.map((r) => ({ label: `${r.receiptNo}${r.approvedBy ? ` ${w.approvedBy} ${opts.staffName(r.approvedBy)}` : ''}`, value: money(-r.amountMinor) })),
          { label: w.overrides!, value: count(d.overrides) },
        ],
      },
      {
        rows: [
          { label: w.first!, value: d.firstReceiptNo ?? '-' },
          { label: w.last!, value: d.lastReceiptNo ?? '-' },
          ...(d.grandTotalMinor !== null ? [{ label: w.grandTotal!, value: money(d.grandTotalMinor), bold: true }] : []),
        ],
      },
    ],
    footer: [],
  };
}
