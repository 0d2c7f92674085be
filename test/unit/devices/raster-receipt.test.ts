/**
 * Receipts and reports for a printer without a Chinese font, with the real raster fallback
 * (Noto Sans CJK): every line with Chinese is a full-width GS v 0 picture, everything else stays
 * text in the code page, and not one double-byte character is sent as text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CjkRasterFallback,
  DotGrid,
  LABELS_ZH_HANS,
  PROFILE_80MM_LATIN,
  renderReceipt,
  renderReport,
  type FontTextRasteriser,
  type PrinterProfile,
} from '../../../src-main/devices/printer';
import { printerConfigSchema } from '../../../src-shared/api/contract-devices';
import type { ReceiptDoc } from '../../../src-shared/receipt';
import { rasterFallbackFor, renderJob } from '../../../src-main/devices/device-manager';
import type { PrintJobRow } from '../../../src-main/devices/print-queue/print-job.repo';
import { decodeEscPos, nonRasterBytes, type DecodedEvent } from '../../helpers/escpos-decoder';

const CJK = /[\u3000-\u9fff\uff00-\uffef]/u;

function doc(): ReceiptDoc {
  return {
    store: { name: '滨江路便利店', addressLines: ['上海市浦东新区滨江大道1号'], phone: '021-5555 1234' },
    terminal: 'T01',
    cashier: '张三',
    receiptId: 'R-20261120-0042',
    time: '2026-11-20 14:03',
    currency: { code: 'CNY', symbol: '¥', minorDigits: 2 },
    lines: [
      { description: '农夫山泉 矿泉水 550ml', qty: 2, unitMinor: 200, lineMinor: 400 },
      { description: 'Organic green tea', qty: 1, unitMinor: 650, lineMinor: 650 },
    ],
    totals: { grossMinor: 1050, pointsRedeemed: 0, pointsRedeemedValueMinor: 0, paidMinor: 1050 },
    member: null,
    ruleSetVersion: '7',
    footer: ['谢谢惠顾 Thank you!'],
  };
}

type Raster = Extract<DecodedEvent, { type: 'raster' }>;
const rasters = (events: DecodedEvent[]): Raster[] => events.filter((e): e is Raster => e.type === 'raster');
const grid = (r: Raster): DotGrid => DotGrid.fromMonoBitmap({ widthDots: r.widthBytes * 8, heightDots: r.heightDots, data: r.data });

let noto: FontTextRasteriser;
beforeAll(async () => {
  noto = await new CjkRasterFallback({ face: 'NotoSansMonoCJKsc-Regular' }).rasteriser();
});

describe.each([48, 32])('a %i-column printer without a Chinese font', (columns) => {
  const profile: PrinterProfile = { ...PROFILE_80MM_LATIN, columns };

  it('prints Chinese lines as full-width pictures and the rest as code-page text', () => {
    const bytes = renderReceipt(doc(), { profile, labels: LABELS_ZH_HANS, rasterFallback: noto.rasterise });
    const r = decodeEscPos(bytes, { cjkEncoding: 'gb18030', chineseModeAtPowerOn: false });
    expect(r.unknown).toEqual([]);
    expect(r.events).toContainEqual({ type: 'chinese_mode', on: false });
    expect(r.events).not.toContainEqual({ type: 'chinese_mode', on: true });
    // Text lines: no Chinese, no '?', within the paper.
    for (const l of r.lines) {
      expect(l.text).not.toMatch(CJK);
      expect(l.text).not.toContain('?');
      expect(l.columns).toBeLessThanOrEqual(columns);
    }
    expect(r.text).toContain('Organic green tea'.padEnd(columns - '¥6.50'.length) + '¥6.50');
    // Pictures: the store name (double size), address, 单号/时间/收银机/收银员 rows, the item, 2 x line? (ASCII),
    // 合计, 实付, rules line and footer: each the full paper width.
    const pics = rasters(r.events);
    expect(pics.length).toBeGreaterThanOrEqual(10);
    for (const p of pics) {
      expect(p.widthBytes * 8).toBe(columns * 12);
      expect(grid(p).hasInk()).toBe(true);
    }
    expect(pics[0]?.heightDots).toBe(48);
    expect(pics[1]?.heightDots).toBe(24);
    // each picture is followed by a 6-unit feed (ESC J 6) for the space under a text line
    for (let i = 0; i + 2 < bytes.length; i++) {
      if (bytes[i] === 0x1d && bytes[i + 1] === 0x76 && bytes[i + 2] === 0x30) {
        const end = i + 8 + ((bytes[i + 4] ?? 0) + (bytes[i + 5] ?? 0) * 256) * ((bytes[i + 6] ?? 0) + (bytes[i + 7] ?? 0) * 256);
        expect([...bytes.subarray(end, end + 3)]).toEqual([0x1b, 0x4a, 6]);
      }
    }
    // The store name is centred: its ink has as much white on the left as on the right (within a cell).
    const name = grid(pics[0] as Raster);
    let left = 0;
    while (!name.hasInk(left, 0, 1, name.height)) left++;
    let right = name.width - 1;
    while (!name.hasInk(right, 0, 1, name.height)) right--;
    expect(Math.abs(left - (name.width - 1 - right))).toBeLessThanOrEqual(24);
    // Not one byte of double-byte text outside the pictures: every byte >= 0x80 is ¥ in CP858.
    const text = nonRasterBytes(bytes);
    expect(text.filter((b) => b >= 0x80 && b !== 0xbe)).toEqual([]);
    expect(noto.takeReport()).toEqual({ boxes: 0, problems: [] });
  });

  it('prints an end-of-day report the same way', () => {
    const bytes = renderReport(
      {
        title: '日结报表',
        store: { name: 'Tillsmith Demo Store', addressLines: [] },
        terminal: 'T01',
        time: '2026-06-15 22:00',
        sections: [{ heading: '销售', rows: [{ label: '单数', value: '12' }, { label: 'Takings', value: '¥1234.50', bold: true }] }],
        footer: ['End of report'],
      },
      { profile, labels: { terminal: '收银机', time: '时间', printedBy: '打印人' }, rasterFallback: noto.rasterise },
    );
    const r = decodeEscPos(bytes, { cjkEncoding: 'gb18030', chineseModeAtPowerOn: false });
    expect(r.text[0]).toMatch(/^Tillsmith Demo/);
    expect(r.text).toContain('Takings'.padEnd(columns - '¥1234.50'.length) + '¥1234.50');
    expect(rasters(r.events)).toHaveLength(5); // 日结报表, 收银机, 时间, 销售, 单数
    expect(nonRasterBytes(bytes).filter((b) => b >= 0x80 && b !== 0xbe)).toEqual([]);
  });
});

describe('renderJob for a printer without a Chinese font', () => {
  const job = (d: ReceiptDoc): PrintJobRow => ({ kind: 'receipt', document: JSON.stringify({ type: 'receipt', receipt: d }) }) as unknown as PrintJobRow;

  it('notes a face the collection lacks with the first job only, and the job still prints Chinese as pictures', async () => {
    const config = printerConfigSchema.parse({
      connection: { transport: 'usb-lp', path: '/dev/usb/lp0' },
      chineseMode: false,
      codePage: 'cp858',
      rasterFont: { face: 'NoSuchFace-Regular' },
    });
    const raster = rasterFallbackFor(config);
    expect(raster).not.toBeNull();
    const first = await renderJob(job(doc()), config, raster);
    expect(first.note).toMatch(/no face named NoSuchFace-Regular; using NotoSansCJKjp-Regular/);
    const pics = rasters(decodeEscPos(first.bytes, { cjkEncoding: 'gb18030', chineseModeAtPowerOn: false }).events);
    expect(pics.length).toBeGreaterThan(0);
    const second = await renderJob(job(doc()), config, raster);
    expect(second.note).toBeUndefined();
    expect(second.bytes).toEqual(first.bytes);
  });

  it('gives a printer with a Chinese font no raster fallback at all', () => {
    expect(rasterFallbackFor(printerConfigSchema.parse({ connection: { transport: 'usb-lp', path: '/dev/usb/lp0' } }))).toBeNull();
  });
});
