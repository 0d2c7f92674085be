import { describe, expect, it } from 'vitest';
import {
  LABELS_EN,
  LABELS_ZH_HANS,
  LABELS_ZH_HANT,
  PROFILE_58MM_GB18030,
  PROFILE_80MM_BIG5,
  PROFILE_80MM_GB18030,
  PROFILE_80MM_LATIN,
  PrinterTextCodec,
  isWideCodePoint,
  renderReceipt,
  twoColumns,
  wrapText,
  type MonoBitmap,
  type PrinterProfile,
  type TextRasterOptions,
} from '../../../src-main/devices/printer';
import { ensureMaskedPhone, formatMinor, type ReceiptDoc } from '../../../src-shared/receipt';
import { decodeEscPos, type DecodedLine } from '../../helpers/escpos-decoder';
import { PrintQueue } from '../../../src-main/devices/print-queue';
import { asReprint } from '../../../src-main/devices/print-queue/receipt-builder';

/** Independent East-Asian-width count for cross-checking (CJK ideographs, full-width forms, CJK punctuation). */
function eastAsianWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\uff01-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

const gb48 = new PrinterTextCodec(PROFILE_80MM_GB18030);
const gb32 = new PrinterTextCodec(PROFILE_58MM_GB18030);

function doc(overrides: Partial<ReceiptDoc> = {}): ReceiptDoc {
  return {
    store: { name: '滨江路便利店', addressLines: ['上海市浦东新区滨江大道1号'], phone: '021-5555 1234' },
    terminal: 'T01',
    cashier: '张三',
    receiptId: 'R-20261120-0042',
    time: '2026-11-20 14:03',
    currency: { code: 'CNY', symbol: '¥', minorDigits: 2 },
    lines: [
      { description: '农夫山泉 矿泉水 550ml', qty: 2, unitMinor: 200, lineMinor: 400 },
      { description: 'Organic green tea with jasmine flowers, large bottle', qty: 1, unitMinor: 650, lineMinor: 650 },
      { description: '进口新西兰奇异果（金果）礼盒装六个装超值优惠', qty: 1, unitMinor: 8990, lineMinor: 8990 },
    ],
    totals: { grossMinor: 10040, pointsRedeemed: 500, pointsRedeemedValueMinor: 500, paidMinor: 9540 },
    member: {
      maskedPhone: '138****5678',
      tier: '金卡',
      pointsEarned: 95,
      pointsRedeemed: 500,
      newBalance: 1234,
      expiringSoon: { points: 120, date: '2026-12-31' },
    },
    ruleSetVersion: '7',
    footer: ['谢谢惠顾 Thank you!'],
    ...overrides,
  };
}

describe('formatMinor', () => {
  const cny = { symbol: '¥', minorDigits: 2 };
  it('formats integer minor units without floats', () => {
    expect(formatMinor(0, cny)).toBe('¥0.00');
    expect(formatMinor(5, cny)).toBe('¥0.05');
    expect(formatMinor(123456, cny)).toBe('¥1234.56');
    expect(formatMinor(-500, cny)).toBe('-¥5.00');
    expect(formatMinor(123456789, cny, ',')).toBe('¥1,234,567.89');
    expect(formatMinor(1999, { symbol: 'NT$', minorDigits: 0 })).toBe('NT$1999');
    expect(formatMinor(Number.MAX_SAFE_INTEGER, cny)).toBe('¥90071992547409.91');
  });
  it('refuses non-integers', () => {
    expect(() => formatMinor(1.5, cny)).toThrow(RangeError);
    expect(() => formatMinor(Number.NaN, cny)).toThrow(RangeError);
    expect(() => formatMinor(1, { symbol: '¥', minorDigits: 2.5 })).toThrow(RangeError);
  });
});

describe('ensureMaskedPhone', () => {
  it('masks an unmasked phone and leaves a masked one alone', () => {
    expect(ensureMaskedPhone('13812345678')).toBe('138****5678');
    expect(ensureMaskedPhone('+86 138 1234 5678')).toBe('+86 1** **** 5678');
    expect(ensureMaskedPhone('138****5678')).toBe('138****5678');
    expect(ensureMaskedPhone('5678')).toBe('**78');
  });
});

describe('wrapText', () => {
  it('breaks CJK text between characters, counting 2 columns each', () => {
    const lines = wrapText('进口新西兰奇异果礼盒装六个装超值优惠', 32, gb32);
    expect(lines).toEqual(['进口新西兰奇异果礼盒装六个装超值', '优惠']);
    for (const l of lines) expect(gb32.width(l)).toBeLessThanOrEqual(32);
  });

  it('never splits a double-width character over the margin', () => {
    // 'abc' + 8 CJK = 3 + 16 = 19 columns at width 10: 'abc' + 3 CJK (9 cols) then 5 CJK (10 cols)
    expect(wrapText('abc一二三四五六七八', 10, gb48)).toEqual(['abc一二三', '四五六七八']);
  });

  it('moves Latin words whole and breaks only overlong words', () => {
    expect(wrapText('Organic green tea with jasmine', 12, gb48)).toEqual(['Organic', 'green tea', 'with jasmine']);
    expect(wrapText('Supercalifragilistic', 8, gb48)).toEqual(['Supercal', 'ifragili', 'stic']);
  });

  it('does not start a line with closing punctuation', () => {
    const lines = wrapText('一二三四五，六', 10, gb48);
    expect(lines[1]?.startsWith('，')).toBe(false);
    expect(lines).toEqual(['一二三四', '五，六']);
  });

  it('keeps explicit line breaks and returns one empty line for empty text', () => {
    expect(wrapText('a\nb', 10, gb48)).toEqual(['a', 'b']);
    expect(wrapText('', 10, gb48)).toEqual(['']);
    expect(() => wrapText('x', 1, gb48)).toThrow(RangeError);
  });
});

describe('twoColumns', () => {
  for (const [codec, columns] of [
    [gb32, 32],
    [gb48, 48],
  ] as const) {
    it(`puts the amount flush right at ${columns} columns with CJK labels`, () => {
      const rows = twoColumns('农夫山泉 矿泉水 550ml', '￥4.00', columns, codec);
      expect(rows).toHaveLength(1);
      expect(codec.width(rows[0] ?? '')).toBe(columns);
      expect(rows[0]?.endsWith('￥4.00')).toBe(true);
      expect(eastAsianWidth(rows[0] ?? '')).toBe(columns);
    });

    it(`wraps a long CJK name within the space left by the amount at ${columns} columns`, () => {
      const name = '进口新西兰奇异果（金果）礼盒装六个装超值优惠特价';
      const rows = twoColumns(name, '￥89.90', columns, codec);
      expect(rows.length).toBeGreaterThan(1);
      expect(codec.width(rows[0] ?? '')).toBe(columns);
      expect(rows[0]?.endsWith(' ￥89.90')).toBe(true);
      for (const r of rows) expect(codec.width(r)).toBeLessThanOrEqual(columns);
      for (const r of rows.slice(1)) expect(codec.width(r)).toBeLessThanOrEqual(columns - codec.width('￥89.90') - 1);
      expect(rows.map((r, i) => (i === 0 ? r.slice(0, r.lastIndexOf('￥')).trimEnd() : r)).join('')).toBe(name);
    });
  }

  it('puts a right text that is too wide on its own line', () => {
    const rows = twoColumns('Note', 'A very long value that fills the line', 32, gb32);
    expect(rows[0]).toBe('Note');
    expect(gb32.width(rows[1] ?? '')).toBe(32);
  });
});

function checkLines(lines: DecodedLine[], columns: number): void {
  for (const l of lines) expect(l.columns, `"${l.text}"`).toBeLessThanOrEqual(columns);
}

describe('renderReceipt', () => {
  it('80 mm GB18030: header, rows, member block, QR, cut, drawer', () => {
    const bytes = renderReceipt(doc(), { profile: PROFILE_80MM_GB18030, labels: LABELS_ZH_HANS, openDrawer: true });
    const r = decodeEscPos(bytes, { cjkEncoding: 'gb18030' });
    expect(r.unknown).toEqual([]);
    checkLines(r.lines, 48);

    const header = r.lines[0];
    expect(header).toMatchObject({ text: '滨江路便利店', align: 'center', bold: true, widthScale: 2, heightScale: 2 });
    expect(r.lines[1]).toMatchObject({ text: '上海市浦东新区滨江大道1号', align: 'center', widthScale: 1 });

    const row = (label: string): DecodedLine => {
      const found = r.lines.find((l) => l.text.startsWith(label));
      if (found === undefined) throw new Error(`no row ${label}`);
      return found;
    };
    for (const [label, value] of [
      ['单号', 'R-20261120-0042'],
      ['收银员', '张三'],
      ['合计', '￥100.40'],
      ['积分抵扣(500分)', '-￥5.00'],
      ['实付', '￥95.40'],
      ['会员', '138****5678'],
      ['等级', '金卡'],
      ['本次积分', '+95'],
      ['使用积分', '-500'],
      ['积分余额', '1234'],
    ] as const) {
      const l = row(label);
      expect(l.text.endsWith(value), l.text).toBe(true);
      expect(l.columns, l.text).toBe(48);
      expect(l.align).toBe('left');
    }
    expect(row('实付').bold).toBe(true);
    expect(r.text).toContain('  2 x ￥2.00');
    expect(r.text).toContain('120积分将于2026-12-31过期');
    expect(r.text.some((t) => t.startsWith('农夫山泉 矿泉水 550ml') && t.endsWith('￥4.00'))).toBe(true);

    expect(r.qrCodes).toEqual([{ payload: 'R-20261120-0042', model: 2, size: 6, errorCorrection: 'M' }]);
    expect(r.cuts).toEqual(['partial']);
    expect(r.drawerKicks).toEqual([{ pin: 2, onMs: 100, offMs: 500 }]);
    const footer = r.lines.find((l) => l.text === '谢谢惠顾 Thank you!');
    expect(footer?.align).toBe('center');
    // the cut is the last thing in the job
    expect(r.events[r.events.length - 1]).toEqual({ type: 'cut', mode: 'partial' });
  });

  it('58 mm: every line fits 32 columns and amounts end at column 32', () => {
    const bytes = renderReceipt(doc(), { profile: PROFILE_58MM_GB18030, labels: LABELS_EN });
    const r = decodeEscPos(bytes, { cjkEncoding: 'gb18030' });
    checkLines(r.lines, 32);
    const money = r.lines.filter((l) => /￥\d+\.\d\d$/.test(l.text) && !l.text.startsWith('  '));
    expect(money.length).toBeGreaterThanOrEqual(6);
    for (const l of money) expect(l.columns, l.text).toBe(32);
    // wrapped continuation of the long Chinese name sits left of the amount column
    const i = r.text.findIndex((t) => t.startsWith('进口新西兰'));
    expect(r.text[i + 1]).toBe('礼盒装六个装超值优惠');
    expect(r.text).toContain('Points redeemed (500)    -￥5.00');
  });

  it('Big5 with Traditional labels decodes back to the same text', () => {
    const bytes = renderReceipt(
      doc({
        store: { name: '信義路門市', addressLines: ['台北市信義區信義路五段7號'] },
        cashier: '陳小明',
        currency: { code: 'TWD', symbol: 'NT$', minorDigits: 0 },
        lines: [{ description: '烏龍茶 600ml', qty: 3, unitMinor: 25, lineMinor: 75 }],
        totals: { grossMinor: 75, pointsRedeemed: 0, pointsRedeemedValueMinor: 0, paidMinor: 75 },
        member: { maskedPhone: '0912***678', tier: '金卡', pointsEarned: 7, pointsRedeemed: 0, newBalance: 88, expiringSoon: null },
        footer: ['謝謝光臨'],
      }),
      { profile: PROFILE_80MM_BIG5, labels: LABELS_ZH_HANT },
    );
    const r = decodeEscPos(bytes, { cjkEncoding: 'big5' });
    checkLines(r.lines, 48);
    expect(r.text).toContain('信義路門市');
    expect(r.text).toContain('台北市信義區信義路五段7號');
    expect(r.text.some((t) => t.startsWith('收銀員') && t.endsWith('陳小明'))).toBe(true);
    expect(r.text.some((t) => t.startsWith('烏龍茶 600ml') && t.endsWith('NT$75'))).toBe(true);
    expect(r.text).toContain('  3 x NT$25');
    expect(r.text.some((t) => t.startsWith('使用點數'))).toBe(false); // nothing redeemed
    expect(r.text).toContain('謝謝光臨');
    expect(r.text.join('')).not.toContain('?');
  });

  it('leaves out the member block for a guest, and the redemption row when nothing was redeemed', () => {
    const bytes = renderReceipt(
      doc({ member: null, totals: { grossMinor: 100, pointsRedeemed: 0, pointsRedeemedValueMinor: 0, paidMinor: 100 } }),
      { profile: PROFILE_80MM_GB18030, cut: 'full', qr: false },
    );
    const r = decodeEscPos(bytes, { cjkEncoding: 'gb18030' });
    expect(r.text.some((t) => t.startsWith('Member'))).toBe(false);
    expect(r.text.some((t) => t.startsWith('Points redeemed'))).toBe(false);
    expect(r.qrCodes).toEqual([]);
    expect(r.cuts).toEqual(['full']);
    expect(r.drawerKicks).toEqual([]);
  });

  it('masks a phone number that arrives unmasked', () => {
    const d = doc();
    if (d.member === null) throw new Error('member expected');
    const bytes = renderReceipt({ ...d, member: { ...d.member, maskedPhone: '13812345678' } }, { profile: PROFILE_80MM_GB18030 });
    const text = decodeEscPos(bytes, { cjkEncoding: 'gb18030' }).text.join('\n');
    expect(text).toContain('138****5678');
    expect(text).not.toContain('13812345678');
  });

  it('uses qrContent when given', () => {
    const bytes = renderReceipt(doc({ qrContent: 'https://tillsmith.example/r/R-20261120-0042' }), {
      profile: PROFILE_80MM_GB18030,
      qr: { size: 4, errorCorrection: 'Q' },
    });
    expect(decodeEscPos(bytes, { cjkEncoding: 'gb18030' }).qrCodes).toEqual([
      { payload: 'https://tillsmith.example/r/R-20261120-0042', model: 2, size: 4, errorCorrection: 'Q' },
    ]);
  });

  it('refuses fractional money', () => {
    expect(() =>
      renderReceipt(doc({ totals: { grossMinor: 100.5, pointsRedeemed: 0, pointsRedeemedValueMinor: 0, paidMinor: 100 } }), {
        profile: PROFILE_80MM_GB18030,
      }),
    ).toThrow(/whole number/);
  });

  it('on a printer without a Chinese font, Chinese text prints as ? unless a raster fallback is given', () => {
    const plain = decodeEscPos(renderReceipt(doc(), { profile: PROFILE_80MM_LATIN }), {
      cjkEncoding: 'gb18030',
      chineseModeAtPowerOn: false,
    });
    expect(plain.text[0]).toBe('??????');
    expect(plain.events.filter((e) => e.type === 'raster')).toEqual([]);

    const calls: Array<{ text: string; columns: number; scale: number; align?: string; bold?: boolean }> = [];
    const rasteriser = (text: string, o: TextRasterOptions): MonoBitmap => {
      calls.push({ text, columns: o.columns, scale: o.scale, align: o.align, bold: o.bold });
      const widthDots = o.columns * 12 * o.scale;
      const heightDots = 24 * o.scale;
      return { widthDots, heightDots, data: new Uint8Array((widthDots / 8) * heightDots) };
    };
    const withRaster = decodeEscPos(renderReceipt(doc(), { profile: PROFILE_80MM_LATIN, rasterFallback: rasteriser }), {
      cjkEncoding: 'gb18030',
      chineseModeAtPowerOn: false,
    });
    const rasters = withRaster.events.filter((e) => e.type === 'raster');
    expect(rasters.length).toBe(calls.length);
    // the store name: double size, centred and bold, which the picture must show itself
    expect(calls[0]).toEqual({ text: '滨江路便利店', columns: 24, scale: 2, align: 'center', bold: true });
    expect(rasters[0]).toMatchObject({ widthBytes: 72, heightDots: 48 });
    // rows are laid out with CJK at 2 columns even though the printer has no CJK font
    const cashier = calls.find((c) => c.text.startsWith('Cashier'));
    expect(eastAsianWidth(cashier?.text ?? '')).toBe(48);
    // lines without Chinese stay text
    expect(withRaster.text).toContain('Receipt'.padEnd(48 - 'R-20261120-0042'.length) + 'R-20261120-0042');
    expect(withRaster.text.join('')).not.toContain('?');
  });

  it('isWideCodePoint covers CJK ideographs and full-width forms only', () => {
    expect(isWideCodePoint('中'.codePointAt(0) ?? 0)).toBe(true);
    expect(isWideCodePoint('￥'.codePointAt(0) ?? 0)).toBe(true);
    expect(isWideCodePoint('a'.codePointAt(0) ?? 0)).toBe(false);
    expect(isWideCodePoint('é'.codePointAt(0) ?? 0)).toBe(false);
  });

  it('works for every profile without throwing and never emits unknown commands', () => {
    const profiles: PrinterProfile[] = [PROFILE_80MM_GB18030, PROFILE_58MM_GB18030, PROFILE_80MM_BIG5, PROFILE_80MM_LATIN, { ...PROFILE_80MM_GB18030, columns: 42 }];
    for (const p of profiles) {
      const r = decodeEscPos(renderReceipt(doc(), { profile: p }), {
        cjkEncoding: p.cjkEncoding,
        chineseModeAtPowerOn: p.chineseMode,
      });
      expect(r.unknown).toEqual([]);
      checkLines(r.lines, p.columns);
    }
  });
});

describe('payment on the receipt', () => {
  const payment = {
    tenders: [
      { name: '微信支付', amountMinor: 5000, reference: '4200001234567890' },
      { name: '现金', amountMinor: 4540, reference: null },
    ],
    roundingMinor: -2,
    cash: { tenderedMinor: 5000, changeMinor: 460 },
    opensDrawer: true,
  };

  it('prints each tender (a reference by its last digits only), the rounding, cash tendered and change, and kicks the drawer for cash', () => {
    const openDrawer = PrintQueue.opensDrawer('receipt', doc({ payment }));
    const r = decodeEscPos(renderReceipt(doc({ payment }), { profile: PROFILE_80MM_GB18030, labels: LABELS_ZH_HANS, openDrawer }), { cjkEncoding: 'gb18030' });
    const text = r.text.join('\n');
    for (const expected of ['抹零', '微信支付', '现金', '收现金', '找零', '…7890']) expect(text).toContain(expected);
    expect(text).not.toContain('4200001234567890');
    expect(r.text.find((l) => l.startsWith('找零'))).toMatch(/4\.60$/);
    expect(r.drawerKicks).toHaveLength(1);
  });

  it('never kicks the drawer for a card or wallet sale or a reprint; a sale without payment details as before', () => {
    const card = { tenders: [{ name: 'Bank card', amountMinor: 9540, reference: '1234' }], roundingMinor: 0, cash: null, opensDrawer: false };
    expect(PrintQueue.opensDrawer('receipt', doc({ payment: card }))).toBe(false);
    expect(PrintQueue.opensDrawer('reprint', asReprint(doc({ payment }), 'en'))).toBe(false);
    expect(PrintQueue.opensDrawer('refund_receipt', doc({ payment }))).toBe(true);
    expect(PrintQueue.opensDrawer('receipt', doc())).toBe(true);
    expect(PrintQueue.opensDrawer('refund_receipt', doc())).toBe(false);
  });
});
