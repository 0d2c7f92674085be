/**
 * Builds the documents the print queue stores: a ReceiptDoc from a completed sale or refund
 * (every string final: time in the store's time zone, phone masked, tier named in the
 * receipt's language), and the printer test page. Pure apart from the reads it needs.
 */
import type { PrinterConfig } from '../../../src-shared/api/contract-devices';
import type { RefundDto, SaleDto, SaleTenderLine } from '../../../src-shared/api/dto';
import { findTenderType } from '../../../src-shared/tenders/tender-types';
import { businessDateOf } from '../../../src-shared/domain/dates';
import { deriveLots, expiringWithin } from '../../../src-shared/domain/lots';
import type { Tier } from '../../../src-shared/domain/types';
import type { ReceiptCurrency, ReceiptDoc, ReceiptMember, ReceiptPayment } from '../../../src-shared/receipt/receipt-doc';
import type { ReportDoc } from '../../../src-shared/receipt/report-doc';
import { memberFacts } from '../../ledger/entries.repo';
import { TenderSettings } from '../../ledger/tender-settings';
import type { CoreContext, Executor } from '../../core/context';

export type ReceiptLanguage = PrinterConfig['language'];

/** What the builder needs from the printer settings. */
export type ReceiptSettings = Pick<PrinterConfig, 'language' | 'headerLines' | 'footerLines' | 'terminalLabel'>;

interface Words {
  tiers: Record<Tier, string>;
  refund: string;
  reprint: string;
  thanks: string;
  pointsTakenBack: (p: number) => string;
  pointsReturned: (p: number) => string;
  testTitle: string;
  testRows: { printer: string; paper: string; encoding: string; chineseMode: string; on: string; off: string; sample: string };
}

const WORDS: Record<ReceiptLanguage, Words> = {
  en: {
    tiers: { regular: 'Regular', silver: 'Silver', gold: 'Gold', diamond: 'Diamond' },
    refund: 'REFUND',
    reprint: 'REPRINT',
    thanks: 'Thank you',
    pointsTakenBack: (p) => `Points taken back: ${p}`,
    pointsReturned: (p) => `Points returned: ${p}`,
    testTitle: 'Printer test',
    testRows: { printer: 'Printer', paper: 'Paper', encoding: 'Encoding', chineseMode: 'Chinese mode', on: 'on', off: 'off', sample: 'Sample' },
  },
  'zh-Hans': {
    tiers: { regular: '普通会员', silver: '银卡', gold: '金卡', diamond: '钻石卡' },
    refund: '退货单',
    reprint: '重印',
    thanks: '谢谢惠顾',
    pointsTakenBack: (p) => `扣回积分: ${p}`,
    pointsReturned: (p) => `退回积分: ${p}`,
    testTitle: '打印测试',
    testRows: { printer: '打印机', paper: '纸宽', encoding: '编码', chineseMode: '中文模式', on: '开', off: '关', sample: '示例' },
  },
  'zh-Hant': {
    tiers: { regular: '普通會員', silver: '銀卡', gold: '金卡', diamond: '鑽石卡' },
    refund: '退貨單',
    reprint: '補印',
    thanks: '謝謝光臨',
    pointsTakenBack: (p) => `扣回點數: ${p}`,
    pointsReturned: (p) => `退回點數: ${p}`,
    testTitle: '列印測試',
    testRows: { printer: '印表機', paper: '紙寬', encoding: '編碼', chineseMode: '中文模式', on: '開', off: '關', sample: '範例' },
  },
};

export function receiptWords(language: ReceiptLanguage): Words {
  return WORDS[language];
}

const SYMBOLS: Record<string, Omit<ReceiptCurrency, 'code'>> = {
  CNY: { symbol: '¥', minorDigits: 2 },
  TWD: { symbol: 'NT$', minorDigits: 2 },
  HKD: { symbol: 'HK$', minorDigits: 2 },
  USD: { symbol: '$', minorDigits: 2 },
  EUR: { symbol: 'EUR ', minorDigits: 2 },
};

export function currencyOf(code: string): ReceiptCurrency {
  return { code, ...(SYMBOLS[code] ?? { symbol: `${code} `, minorDigits: 2 }) };
}

/** '2026-06-15 10:02' in the store's time zone. */
export function formatLocalTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export function terminalLabel(ctx: Pick<CoreContext, 'terminalId'>, settings: Pick<ReceiptSettings, 'terminalLabel'>): string {
  return settings.terminalLabel !== undefined && settings.terminalLabel !== '' ? settings.terminalLabel : ctx.terminalId.slice(-6).toUpperCase();
}

function header(ctx: CoreContext, settings: ReceiptSettings) {
  return { name: ctx.storeName, addressLines: [...settings.headerLines] };
}

function footer(settings: ReceiptSettings): string[] {
  return settings.footerLines.length > 0 ? [...settings.footerLines] : [WORDS[settings.language].thanks];
}

async function expiringSoon(ex: Executor, ctx: CoreContext, memberId: string, at: string): Promise<ReceiptMember['expiringSoon']> {
  const rules = ctx.rulesOn(businessDateOf(at, ctx.timeZone));
  const soon = expiringWithin(deriveLots(await memberFacts(ex, memberId)), at, rules.expiry.warnDays);
  if (soon.points <= 0 || soon.firstExpiry === null) return null;
  return { points: soon.points, date: businessDateOf(soon.firstExpiry, ctx.timeZone) };
}

/** The customer's receipt for a sale, as it was when the sale completed. */
export async function buildSaleReceipt(
  ex: Executor,
  ctx: CoreContext,
  sale: SaleDto,
  cashierName: string,
  settings: ReceiptSettings,
): Promise<ReceiptDoc> {
  const words = WORDS[settings.language];
  const member: ReceiptMember | null =
    sale.member === null
      ? null
      : {
          maskedPhone: sale.member.maskedPhone ?? '-',
          tier: words.tiers[sale.tierAtSale ?? sale.member.tier],
          pointsEarned: sale.earnedPoints,
          pointsRedeemed: sale.redeemedPoints,
          newBalance: sale.balanceAfter ?? sale.member.balance,
          expiringSoon: await expiringSoon(ex, ctx, sale.member.id, sale.createdAt),
        };
  return {
    store: header(ctx, settings),
    terminal: terminalLabel(ctx, settings),
    cashier: cashierName,
    receiptId: sale.receiptNo,
    time: formatLocalTime(sale.createdAt, ctx.timeZone),
    currency: currencyOf(ctx.currency),
    lines: sale.lines.map((l) => ({
      description: l.description ?? l.sku ?? l.category,
      qty: l.quantity,
      unitMinor: l.unitPriceMinor,
      lineMinor: l.grossMinor,
    })),
    totals: {
      grossMinor: sale.grossMinor,
      pointsRedeemed: sale.redeemedPoints,
      pointsRedeemedValueMinor: sale.redeemedValueMinor,
      paidMinor: sale.paidMinor,
    },
    payment: await paymentOf(ex, ctx, sale.tenders, sale.roundingMinor, settings.language),
    member,
    ruleSetVersion: String(sale.ruleSetVersion),
    footer: footer(settings),
    qrContent: sale.receiptNo,
  };
}

/** The tenders as the receipt prints them, in its language (the store's tender names). */
async function paymentOf(ex: Executor, ctx: CoreContext, tenders: readonly SaleTenderLine[], roundingMinor: number, language: ReceiptLanguage): Promise<ReceiptPayment | undefined> {
  if (tenders.length === 0) return undefined;
  const { config } = await new TenderSettings(ctx).get(ex);
  const cash = tenders.filter((t) => t.kind === 'cash');
  return {
    tenders: tenders.map((t) => ({ name: findTenderType(config, t.code)?.names[language] ?? t.code, amountMinor: t.amountMinor, reference: t.reference })),
    roundingMinor,
    cash: cash.length === 0 ? null : { tenderedMinor: cash.reduce((a, t) => a + t.tenderedMinor, 0), changeMinor: cash.reduce((a, t) => a + t.changeMinor, 0) },
    opensDrawer: tenders.some((t) => (t.kind === 'cash' && t.tenderedMinor > 0) || findTenderType(config, t.code)?.opensDrawer === true),
  };
}

/** The refund slip: the refunded lines as negative amounts, and the points taken back or returned. */
export async function buildRefundReceipt(
  ex: Executor,
  ctx: CoreContext,
  refund: RefundDto,
  sale: SaleDto,
  cashierName: string,
  settings: ReceiptSettings,
): Promise<ReceiptDoc> {
  const words = WORDS[settings.language];
  const byLine = new Map(sale.lines.map((l) => [l.lineNo, l]));
  const extra: string[] = [];
  if (refund.reverseEarnedPoints > 0) extra.push(words.pointsTakenBack(refund.reverseEarnedPoints));
  if (refund.returnRedeemedPoints > 0) extra.push(words.pointsReturned(refund.returnRedeemedPoints));
  return {
    store: header(ctx, settings),
    title: words.refund,
    terminal: terminalLabel(ctx, settings),
    cashier: cashierName,
    receiptId: refund.receiptNo,
    time: formatLocalTime(refund.createdAt, ctx.timeZone),
    currency: currencyOf(ctx.currency),
    lines: refund.lines.map((l) => {
      const sold = byLine.get(l.lineNo);
      return {
        description: sold?.description ?? sold?.sku ?? sold?.category ?? `#${l.lineNo}`,
        qty: l.quantity,
        unitMinor: sold?.unitPriceMinor ?? 0,
        lineMinor: -l.refundMinor,
      };
    }),
    totals: { grossMinor: -refund.refundMinor, pointsRedeemed: 0, pointsRedeemedValueMinor: 0, paidMinor: -refund.refundMinor },
    member:
      sale.member === null
        ? null
        : {
            maskedPhone: sale.member.maskedPhone ?? '-',
            tier: words.tiers[sale.member.tier],
            pointsEarned: 0,
            pointsRedeemed: 0,
            newBalance: refund.balanceAfter ?? sale.member.balance,
            expiringSoon: await expiringSoon(ex, ctx, sale.member.id, refund.createdAt),
          },
    payment: await paymentOf(ex, ctx, refund.tenders, 0, settings.language),
    ruleSetVersion: String(sale.ruleSetVersion),
    footer: [...extra, ...footer(settings)],
    qrContent: refund.receiptNo,
  };
}

/** A receipt marked as a reprint (the original document, with the reprint title on top). */
export function asReprint(doc: ReceiptDoc, language: ReceiptLanguage): ReceiptDoc {
  const mark = WORDS[language].reprint;
  // A reprint moves no cash: it never kicks the drawer.
  const payment = doc.payment && { ...doc.payment, opensDrawer: false };
  return { ...doc, title: doc.title !== undefined && doc.title !== '' ? `${mark} ${doc.title}` : mark, ...(payment ? { payment } : {}) };
}

/** The test page: the settings in use and sample text in the printer's encoding. */
export function buildTestPage(ctx: CoreContext, printer: PrinterConfig, target: string, printedBy: string | undefined): ReportDoc {
  const w = WORDS[printer.language];
  const columns = printer.columns ?? (printer.paperWidth === 58 ? 32 : 48);
  // Without a Chinese font the Chinese sample prints as a picture: the page shows the raster font works.
  const sample = printer.chineseMode
    ? printer.encoding === 'big5'
      ? '繁體中文 收銀 ￥12.50'
      : '简体中文 收银 ￥12.50'
    : printer.language === 'zh-Hant'
      ? 'Latin text 12.50 繁體中文 收銀'
      : 'Latin text 12.50 简体中文 收银';
  return {
    title: w.testTitle,
    store: { name: ctx.storeName, addressLines: [...printer.headerLines] },
    terminal: terminalLabel(ctx, printer),
    time: formatLocalTime(ctx.now().toISOString(), ctx.timeZone),
    ...(printedBy !== undefined ? { printedBy } : {}),
    sections: [
      {
        rows: [
          { label: w.testRows.printer, value: target },
          { label: w.testRows.paper, value: `${printer.paperWidth} mm / ${columns}` },
          { label: w.testRows.encoding, value: printer.chineseMode ? printer.encoding.toUpperCase() : printer.codePage.toUpperCase() },
          { label: w.testRows.chineseMode, value: printer.chineseMode ? w.testRows.on : w.testRows.off },
        ],
      },
      { heading: w.testRows.sample, rows: [{ label: sample, value: '' }, { label: '0123456789'.repeat(Math.ceil(columns / 10)).slice(0, columns), value: '' }] },
    ],
    footer: footer(printer),
  };
}
