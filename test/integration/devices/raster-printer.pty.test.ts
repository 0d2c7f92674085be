/**
 * A printer without a Chinese font (Chinese mode off, CP858), end to end through the whole
 * terminal and a REAL serial link (socat pseudo-terminals): the sale's receipt, the end-of-day
 * report and the test page arrive with GS v 0 pictures where the Chinese lines are (drawn from Noto
 * Sans CJK), the rest as code-page text, and no double-byte text at all. Without the font the
 * receipt still prints, with boxes, and the printer's status and the job say why.
 */
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { enqueueReport } from '../../../src-main/devices/print-queue';
import { CjkRasterFallback, EscPosEncoder, layoutMeasure, PROFILE_80MM_LATIN, twoColumns, DotGrid } from '../../../src-main/devices/printer';
import { nonRasterBytes, type DecodedEvent } from '../../helpers/escpos-decoder';
import { EventRecorder, openTill, printerTestLifecycle, serialPrinter, type PrinterRig, type Till } from './device-rig';

let till: Till | null = null;
const life = printerTestLifecycle('tillsmith-raster-', async () => {
  await till?.close();
  till = null;
});

/** A printer without a Chinese font: it powers up (and stays) in single-byte mode. */
function latinPrinter(): Promise<PrinterRig> {
  return life.printer('printer', { cjkEncoding: 'gb18030', chineseModeAtPowerOn: false });
}

const LATIN = { chineseMode: false, codePage: 'cp858' as const, language: 'zh-Hans' as const };
const CJK = /[\u3000-\u9fff\uff00-\uffef]/u;
type Raster = Extract<DecodedEvent, { type: 'raster' }>;
const rasters = (events: DecodedEvent[]): Raster[] => events.filter((e): e is Raster => e.type === 'raster');
const jobs = (t: Till) => t.terminal.ctx.raw.prepare('SELECT kind, state, attempts, last_error AS lastError FROM print_job ORDER BY seq').all() as Array<{ kind: string; state: string; attempts: number; lastError: string | null }>;

function indexOfBytes(haystack: readonly number[], needle: readonly number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

describe('printer without a Chinese font', () => {
  it('prints receipts and the end-of-day report with pictures where the Chinese lines are, and no GB18030 text', async () => {
    till = await openTill();
    const p = await latinPrinter();
    await till.configure(serialPrinter(p.host, LATIN));
    await till.sale([{ description: '乌龙茶 Oolong tea', quantity: 2, unitPriceMinor: 1250 }]);
    await p.sim.until((s) => s.count('cut') === 1);

    const r = p.sim.receipt();
    expect(r.unknown).toEqual([]);
    expect(r.events).not.toContainEqual({ type: 'chinese_mode', on: true });
    for (const l of r.lines) {
      expect(l.text).not.toMatch(CJK);
      expect(l.text).not.toContain('?');
    }
    expect(r.text[0]).toBe('Tillsmith Demo Store');
    expect(r.text).toContain('  2 x ¥12.50');

    // The item row arrives as exactly the picture the layout calls for: 乌龙茶 on the left, the amount flush right.
    const measure = layoutMeasure(new EscPosEncoder(PROFILE_80MM_LATIN), true);
    const [row = ''] = twoColumns('乌龙茶 Oolong tea', '¥25.00', 48, measure);
    const expected = (await new CjkRasterFallback({ face: 'NotoSansMonoCJKsc-Regular' }).rasteriser()).rasterise(row, {
      columns: 48,
      scale: 1,
      align: 'left',
      bold: false,
      charWidth: (ch) => measure.charWidth(ch),
    });
    const pics = rasters(r.events);
    const item = pics.find((x) => x.data.length === expected.data.length && x.data.every((b, i) => b === expected.data[i]));
    expect(item).toBeDefined();
    const g = DotGrid.fromMonoBitmap({ widthDots: 576, heightDots: item!.heightDots, data: item!.data });
    expect(g.hasInk(0, 0, 72, 24)).toBe(true); // 乌龙茶: columns 0-5
    expect(g.hasInk(564, 0, 12, 24)).toBe(true); // the last 0 of ¥25.00 in column 47
    expect(g.height).toBe(24);
    // 单号, 时间, 收银机, 收银员 王芳, the item, 合计, 实付, 积分规则 and 谢谢惠顾: all pictures, all full width.
    expect(pics).toHaveLength(9);
    for (const x of pics) expect(x.widthBytes).toBe(72);

    // The end-of-day summary goes the same way.
    await enqueueReport(till.terminal.devices.queue, {
      title: '日结报表',
      store: { name: 'Tillsmith Demo Store', addressLines: [] },
      terminal: 'T01',
      time: '2026-06-15 22:00',
      sections: [{ heading: '销售', rows: [{ label: '单数', value: '1' }, { label: 'Takings', value: '¥25.00', bold: true }] }],
      footer: ['End of report'],
    });
    await p.sim.until((s) => s.count('cut') === 2);
    const report = p.sim.receipt(r.events.length);
    expect(report.text).toContain('Takings'.padEnd(48 - 6) + '¥25.00');
    expect(rasters(report.events)).toHaveLength(5); // 日结报表, 收银机, 时间, 销售, 单数

    // The test page shows a Chinese sample, as a picture, after the Latin text the printer prints itself.
    const before = p.sim.events.length;
    expect(await till.call('devices.testPrint', {})).toMatchObject({ kind: 'test', state: 'printed', lastError: null });
    await p.sim.until((s) => s.count('cut') === 3);
    const page = p.sim.receipt(before);
    expect(page.text.some((l) => l.startsWith('0123456789'))).toBe(true);
    expect(rasters(page.events).length).toBeGreaterThanOrEqual(5); // title, labels, the sample

    // Nothing went out as double-byte text: outside the pictures every byte >= 0x80 is ¥ (0xBE in CP858).
    const text = nonRasterBytes(p.sim.received);
    expect(text.filter((b) => b >= 0x80 && b !== 0xbe)).toEqual([]);
    for (const s of ['乌龙茶', '王芳', '合计', '日结报表']) expect(indexOfBytes(text, [...iconv.encode(s, 'gb18030')])).toBe(-1);
    expect(indexOfBytes(text, [0x1c, 0x26])).toBe(-1); // FS & never sent
    expect(jobs(till)).toEqual([
      { kind: 'receipt', state: 'printed', attempts: 1, lastError: null },
      { kind: 'end_of_day', state: 'printed', attempts: 1, lastError: null },
      { kind: 'test', state: 'printed', attempts: 1, lastError: null },
    ]);
  });

  it('without the font, still prints the receipt once, with boxes, and says which font is missing', async () => {
    till = await openTill();
    const p = await latinPrinter();
    const status = new EventRecorder(till.terminal.events, 'devices.status');
    const missing = path.join(life.dir(), 'fonts', 'NotoSansCJK-Regular.ttc');
    await till.configure(serialPrinter(p.host, { ...LATIN, rasterFont: { path: missing } }));
    await till.sale([{ description: '乌龙茶', quantity: 1, unitPriceMinor: 1250 }]);
    await p.sim.until((s) => s.count('cut') === 1);
    const printed = await status.until((e) => e.device === 'printer' && e.state === 'ready' && e.message.startsWith('Printed'));
    expect(printed.message).toContain(`${missing} does not exist`);

    const pics = rasters(p.sim.receipt().events);
    expect(pics.length).toBe(9);
    for (const x of pics) expect(DotGrid.fromMonoBitmap({ widthDots: 576, heightDots: x.heightDots, data: x.data }).hasInk()).toBe(true);
    const [job] = jobs(till);
    expect(job).toMatchObject({ kind: 'receipt', state: 'printed', attempts: 1 });
    expect(job?.lastError).toMatch(/^\d+ characters printed as boxes\. The font for printing Chinese as images is missing: .*NotoSansCJK-Regular\.ttc does not exist\. Install fonts-noto-cjk/);
    expect(nonRasterBytes(p.sim.received).filter((b) => b >= 0x80 && b !== 0xbe)).toEqual([]);
  });
});
