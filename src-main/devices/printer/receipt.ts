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
import { EscPosEncoder, type MonoBitmap } from './encoder';
import { twoColumns, wrapText, type TextMeasure } from './layout';
import type { PrinterProfile } from './profile';

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
};

/**
 * Renders a line of text (at most `columns` columns of 12 x 24 dots, wide characters taking
 * two) to a bitmap `columns * 12 * scale` dots wide. Supplied by the app when the printer
 * has no Chinese font (for example from an offscreen canvas with a CJK font); Tillsmith ships
 * no rasteriser of its own.
 */
export type TextRasteriser = (text: string, options: { columns: number; scale: 1 | 2 }) => MonoBitmap;

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

const WIDE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x20000, 0x3fffd],
];

/** East Asian Wide/Fullwidth (the ranges that matter on receipts). */
export function isWideCodePoint(cp: number): boolean {
  for (const [lo, hi] of WIDE_RANGES) if (cp >= lo && cp <= hi) return true;
  return false;
}

/**
 * Widths for layout. Normally those of the printer's encoding; with a raster fallback, a
 * character the printer cannot print takes the width it will have in the bitmap.
 */
function layoutMeasure(encoder: EscPosEncoder, raster: boolean): TextMeasure {
  const codec = encoder.codec;
  if (!raster) return codec;
  const charWidth = (ch: string): number => {
    const e = codec.encodeChar(ch);
    if (!e.replaced) return e.width;
    return isWideCodePoint(ch.codePointAt(0) ?? 0) ? 2 : 1;
  };
  return {
    charWidth,
    width: (text: string) => {
      let w = 0;
      for (const ch of text.normalize('NFC')) w += charWidth(ch);
      return w;
    },
  };
}

/** Encodes a ReceiptDoc as ESC/POS bytes: one array, to be sent in one write. */
export function renderReceipt(doc: ReceiptDoc, options: RenderReceiptOptions): Uint8Array {
  validate(doc);
  const labels = options.labels ?? LABELS_EN;
  const enc = new EscPosEncoder(options.profile);
  const rasteriser = options.rasterFallback;
  const m = layoutMeasure(enc, rasteriser !== undefined);
  const C = options.profile.columns;
  const money = (minor: number): string => formatMinor(minor, doc.currency);
  let scale: 1 | 2 = 1;

  const emit = (text: string): void => {
    if (rasteriser !== undefined && !enc.codec.canPrint(text)) {
      enc.raster(rasteriser(text, { columns: Math.floor(C / scale), scale }));
    } else {
      enc.line(text);
    }
  };
  const rows = (left: string, right: string): void => {
    for (const l of twoColumns(left, right, C, m)) emit(l);
  };
  const wrapped = (text: string, columns = C, indent = 0): void => {
    for (const l of wrapText(text, columns - indent, m)) emit(' '.repeat(indent) + l);
  };
  const rule = (): void => {
    enc.line('-'.repeat(C));
  };

  enc.initialize();

  // Header: store name double size, centred.
  enc.align('center').bold(true).size(2, 2);
  scale = 2;
  wrapped(doc.store.name, Math.floor(C / 2));
  enc.size(1, 1).bold(false);
  scale = 1;
  for (const a of doc.store.addressLines) wrapped(a);
  if (doc.store.phone !== undefined && doc.store.phone !== '') wrapped(doc.store.phone);
  if (doc.title !== undefined && doc.title !== '') {
    enc.bold(true);
    wrapped(doc.title);
    enc.bold(false);
  }
  enc.align('left');
  rule();
  rows(labels.receipt, doc.receiptId);
  rows(labels.time, doc.time);
  rows(labels.terminal, doc.terminal);
  rows(labels.cashier, doc.cashier);
  rule();

  for (const line of doc.lines) {
    rows(line.description, money(line.lineMinor));
    if (line.qty !== 1) wrapped(labels.qtyTimesUnit(line.qty, money(line.unitMinor)), C, 2);
  }
  rule();

  rows(labels.total, money(doc.totals.grossMinor));
  if (doc.totals.pointsRedeemed > 0) {
    rows(labels.pointsRedeemed(doc.totals.pointsRedeemed), money(-doc.totals.pointsRedeemedValueMinor));
  }
  enc.bold(true);
  rows(labels.paid, money(doc.totals.paidMinor));
  enc.bold(false);

  const member = doc.member;
  if (member !== null) {
    rule();
    rows(labels.member, ensureMaskedPhone(member.maskedPhone));
    rows(labels.tier, member.tier);
    rows(labels.pointsEarned, `+${member.pointsEarned}`);
    if (member.pointsRedeemed > 0) rows(labels.memberPointsRedeemed, `-${member.pointsRedeemed}`);
    rows(labels.newBalance, String(member.newBalance));
    if (member.expiringSoon !== null && member.expiringSoon.points > 0) {
      wrapped(labels.expiring(member.expiringSoon.points, member.expiringSoon.date));
    }
  }
  rule();

  enc.align('center');
  if (options.qr !== false) {
    const qr = options.qr ?? {};
    enc.qr(doc.qrContent ?? doc.receiptId, {
      model: 2,
      size: qr.size ?? 6,
      errorCorrection: qr.errorCorrection ?? 'M',
    });
    enc.line();
  }
  wrapped(labels.rules(doc.ruleSetVersion));
  for (const f of doc.footer) wrapped(f);
  enc.align('left');

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
  if (doc.member !== null) {
    assertWhole(doc.member.pointsEarned, 'member.pointsEarned');
    assertWhole(doc.member.pointsRedeemed, 'member.pointsRedeemed');
    assertWhole(doc.member.newBalance, 'member.newBalance');
    if (doc.member.expiringSoon !== null) assertWhole(doc.member.expiringSoon.points, 'member.expiringSoon.points');
  }
}
