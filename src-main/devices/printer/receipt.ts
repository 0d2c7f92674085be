/**
 * Lays out a ReceiptDoc for a fixed-pitch ESC/POS printer and encodes it as one byte array.
 */
import {
  assertWhole,
  ensureMaskedPhone,
  formatMinor,
  type ReceiptDoc,
} from '../../../src-shared/receipt/receipt-doc';
import type { CutMode, QrErrorCorrection } from './commands';
import { EscPosEncoder } from './encoder';
import { LineWriter, type TextRasteriser } from './line-writer';
import type { PrinterProfile } from './profile';

export { isWideCodePoint } from './char-width';
export type { TextRasteriser, TextRasterOptions } from './line-writer';

export interface ReceiptLabels {
  receipt: string;
  time: string;
  terminal: string;
  cashier: string;
  total: string;
  pointsRedeemed: (points: number) => string;
  paid: string;
  member: string;
  tier: string;
  pointsEarned: string;
  memberPointsRedeemed: string;
  newBalance: string;
  expiring: (points: number, date: string) => string;
  rules: (version: string) => string;
  qtyTimesUnit: (qty: number, unit: string) => string;
  rounding: string;
  cashTendered: string;
  change: string;
}

export const LABELS_EN: ReceiptLabels = {
  receipt: 'Receipt',
  time: 'Time',
  terminal: 'Terminal',
  cashier: 'Cashier',
  total: 'Total',
  pointsRedeemed: (p) => `Points redeemed (${p})`,
  paid: 'Paid',
  member: 'Member',
  tier: 'Tier',
  pointsEarned: 'Points earned',
  memberPointsRedeemed: 'Points redeemed',
  newBalance: 'Points balance',
  expiring: (p, d) => `${p} points expire on ${d}`,
  rules: (v) => `Rules v${v}`,
  qtyTimesUnit: (q, u) => `${q} x ${u}`,
  rounding: 'Rounding',
  cashTendered: 'Cash tendered',
  change: 'Change',
};

export const LABELS_ZH_HANS: ReceiptLabels = {
  receipt: '单号',
  time: '时间',
  terminal: '收银机',
  cashier: '收银员',
  total: '合计',
  pointsRedeemed: (p) => `积分抵扣(${p}分)`,
  paid: '实付',
  member: '会员',
  tier: '等级',
  pointsEarned: '本次积分',
  memberPointsRedeemed: '使用积分',
  newBalance: '积分余额',
  expiring: (p, d) => `${p}积分将于${d}过期`,
  rules: (v) => `积分规则 v${v}`,
  qtyTimesUnit: (q, u) => `${q} x ${u}`,
  rounding: '抹零',
  cashTendered: '收现金',
  change: '找零',
};

export const LABELS_ZH_HANT: ReceiptLabels = {
  receipt: '單號',
  time: '時間',
  terminal: '收銀機',
  cashier: '收銀員',
  total: '合計',
  pointsRedeemed: (p) => `點數折抵(${p}點)`,
  paid: '實付',
  member: '會員',
  tier: '等級',
  pointsEarned: '本次點數',
  memberPointsRedeemed: '使用點數',
  newBalance: '點數餘額',
  expiring: (p, d) => `${p}點將於${d}到期`,
  rules: (v) => `點數規則 v${v}`,
  qtyTimesUnit: (q, u) => `${q} x ${u}`,
  rounding: '抹零',
  cashTendered: '收現金',
  change: '找零',
};

export interface RenderReceiptOptions {
  profile: PrinterProfile;
  labels?: ReceiptLabels;
  /** QR code of the receipt (content: doc.qrContent ?? doc.receiptId); false for none. */
  qr?: { size?: number; errorCorrection?: QrErrorCorrection } | false;
  /** Default 'partial'; 'none' for printers without a cutter. */
  cut?: CutMode | 'none';
  /** Lines fed before the cut so the last printed line clears the cutter (default 4). */
  feedBeforeCut?: number;
  /** Kick the cash drawer (ESC p, pin 2) at the end of the receipt. */
  openDrawer?: boolean;
  /** Used for lines the printer cannot print as text (only when given). */
  rasterFallback?: TextRasteriser;
}

/** Encodes a ReceiptDoc as ESC/POS bytes: one array, to be sent in one write. */
export function renderReceipt(doc: ReceiptDoc, options: RenderReceiptOptions): Uint8Array {
  validate(doc);
  const labels = options.labels ?? LABELS_EN;
  const enc = new EscPosEncoder(options.profile);
  const out = new LineWriter(enc, options.rasterFallback);
  const C = out.columns;
  const money = (minor: number): string => formatMinor(minor, doc.currency);

  enc.initialize();

  // Header: store name double size, centred.
  out.align('center').bold(true).size(2, 2);
  out.wrapped(doc.store.name, Math.floor(C / 2));
  out.size(1, 1).bold(false);
  for (const a of doc.store.addressLines) out.wrapped(a);
  if (doc.store.phone !== undefined && doc.store.phone !== '') out.wrapped(doc.store.phone);
  if (doc.title !== undefined && doc.title !== '') {
    out.bold(true);
    out.wrapped(doc.title);
    out.bold(false);
  }
  out.align('left');
  out.rule();
  out.rows(labels.receipt, doc.receiptId);
  out.rows(labels.time, doc.time);
  out.rows(labels.terminal, doc.terminal);
  out.rows(labels.cashier, doc.cashier);
  out.rule();

  for (const line of doc.lines) {
    out.rows(line.description, money(line.lineMinor));
    if (line.qty !== 1) out.wrapped(labels.qtyTimesUnit(line.qty, money(line.unitMinor)), C, 2);
  }
  out.rule();

  out.rows(labels.total, money(doc.totals.grossMinor));
  if (doc.totals.pointsRedeemed > 0) {
    out.rows(labels.pointsRedeemed(doc.totals.pointsRedeemed), money(-doc.totals.pointsRedeemedValueMinor));
  }
  out.bold(true);
  out.rows(labels.paid, money(doc.totals.paidMinor));
  out.bold(false);
  const payment = doc.payment;
  if (payment !== undefined && payment.tenders.length > 0) {
    if (payment.roundingMinor !== 0) out.rows(labels.rounding, money(payment.roundingMinor));
    for (const t of payment.tenders) {
      out.rows(t.name, money(t.amountMinor));
      // Card slips and wallet transactions are found by their last digits; never more is printed.
      if (t.reference) out.wrapped(`  ${t.reference.length > 4 ? `…${t.reference.slice(-4)}` : t.reference}`);
    }
    if (payment.cash !== null) {
      out.rows(labels.cashTendered, money(payment.cash.tenderedMinor));
      out.rows(labels.change, money(payment.cash.changeMinor));
    }
  }

  const member = doc.member;
  if (member !== null) {
    out.rule();
    out.rows(labels.member, ensureMaskedPhone(member.maskedPhone));
    out.rows(labels.tier, member.tier);
    out.rows(labels.pointsEarned, `+${member.pointsEarned}`);
    if (member.pointsRedeemed > 0) out.rows(labels.memberPointsRedeemed, `-${member.pointsRedeemed}`);
    out.rows(labels.newBalance, String(member.newBalance));
    if (member.expiringSoon !== null && member.expiringSoon.points > 0) {
      out.wrapped(labels.expiring(member.expiringSoon.points, member.expiringSoon.date));
    }
  }
  out.rule();

  out.align('center');
  if (options.qr !== false) {
    const qr = options.qr ?? {};
    enc.qr(doc.qrContent ?? doc.receiptId, {
      model: 2,
      size: qr.size ?? 6,
      errorCorrection: qr.errorCorrection ?? 'M',
    });
    enc.line();
  }
  out.wrapped(labels.rules(doc.ruleSetVersion));
  for (const f of doc.footer) out.wrapped(f);
  out.align('left');

  if (options.openDrawer === true) enc.openDrawer(2);
  const cut = options.cut ?? 'partial';
  if (cut === 'none') enc.feed(options.feedBeforeCut ?? 4);
  else enc.cut(cut, options.feedBeforeCut ?? 4);
  return enc.encode();
}

function validate(doc: ReceiptDoc): void {
  doc.lines.forEach((l, i) => {
    assertWhole(l.qty, `lines[${i}].qty`);
    assertWhole(l.unitMinor, `lines[${i}].unitMinor`);
    assertWhole(l.lineMinor, `lines[${i}].lineMinor`);
  });
  assertWhole(doc.totals.grossMinor, 'totals.grossMinor');
  assertWhole(doc.totals.pointsRedeemed, 'totals.pointsRedeemed');
  assertWhole(doc.totals.pointsRedeemedValueMinor, 'totals.pointsRedeemedValueMinor');
  assertWhole(doc.totals.paidMinor, 'totals.paidMinor');
  doc.payment?.tenders.forEach((t, i) => assertWhole(t.amountMinor, `payment.tenders[${i}].amountMinor`));
  if (doc.payment) assertWhole(doc.payment.roundingMinor, 'payment.roundingMinor');
  if (doc.member !== null) {
    assertWhole(doc.member.pointsEarned, 'member.pointsEarned');
    assertWhole(doc.member.pointsRedeemed, 'member.pointsRedeemed');
    assertWhole(doc.member.newBalance, 'member.newBalance');
    if (doc.member.expiringSoon !== null) assertWhole(doc.member.expiringSoon.points, 'member.expiringSoon.points');
  }
}
