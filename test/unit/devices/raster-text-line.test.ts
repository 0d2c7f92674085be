/**
 * FontTextRasteriser: receipt lines drawn on the printer's own grid (12 x 24-dot half-width
 * cells, 24 x 24 for CJK), first with a synthetic font whose glyph is a plain rectangle (exact
 * dot positions), then with the real Noto Sans CJK that Debian's fonts-noto-cjk installs (and
 * scripts/setup.sh puts on every machine): 王 has ink where its strokes are, lines of Chinese
 * and Latin line up column for column at 48 and 32 columns, and a missing font or glyph prints
 * a box instead of failing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_80MM_LATIN, twoColumns, type PrinterProfile } from '../../../src-main/devices/printer';
import { EscPosEncoder } from '../../../src-main/devices/printer/encoder';
import { layoutMeasure } from '../../../src-main/devices/printer/line-writer';
import { CjkRasterFallback, NOTO_SANS_CJK_PATHS, describeRasterReport } from '../../../src-main/devices/printer/raster/cjk-raster-fallback';
import { DotGrid } from '../../../src-main/devices/printer/raster/dot-grid';
import type { OutlineFont } from '../../../src-main/devices/printer/raster/outline-font';
import { FontTextRasteriser } from '../../../src-main/devices/printer/raster/text-line-rasteriser';

const NOTO = NOTO_SANS_CJK_PATHS[0] ?? '';

/** A font whose every glyph (except space) is a rectangle: x 100..400, y 0..600 of a 1000-unit em. */
const blockFont: OutlineFont = {
  name: 'block font',
  path: '/test/block.otf',
  unitsPerEm: 1000,
  emTop: 800,
  glyph(cp) {
    if (cp === 0x20) return { advanceWidth: 500, commands: [] };
    if (cp === 0x2603) return null; // ☃: not in this font
    const wide = cp >= 0x4e00;
    const [x0, x1] = wide ? [100, 900] : [100, 400];
    return {
      advanceWidth: wide ? 1000 : 500,
      commands: [
        { command: 'moveTo', args: [x0, 0] },
        { command: 'lineTo', args: [x1, 0] },
        { command: 'lineTo', args: [x1, 600] },
        { command: 'lineTo', args: [x0, 600] },
        { command: 'closePath', args: [] },
      ],
    };
  },
};

/** Columns (of `cellWidth` dots) that hold any ink. */
function inkedCells(g: DotGrid, cellWidth: number): number[] {
  const cells: number[] = [];
  for (let c = 0; c * cellWidth < g.width; c++) if (g.hasInk(c * cellWidth, 0, cellWidth, g.height)) cells.push(c);
  return cells;
}

function inkRows(g: DotGrid, left = 0, width = g.width): number[] {
  const rows: number[] = [];
  for (let y = 0; y < g.height; y++) if (g.hasInk(left, y, width, 1)) rows.push(y);
  return rows;
}

describe('FontTextRasteriser on a synthetic font', () => {
  const r = FontTextRasteriser.withFont(blockFont);

  it('puts a half-width glyph in its 12 x 24 cell at the em-box scale', () => {
    // 24 dots per 1000 units: x 2.4..9.6 -> dots 2..9; baseline at 19.2, top at 4.8 -> rows 5..18
    const g = r.render('A', { columns: 4, scale: 1 });
    expect(g.width).toBe(48);
    expect(g.height).toBe(24);
    for (let y = 0; y < g.height; y++) {
      for (let x = 0; x < g.width; x++) expect(g.get(x, y)).toBe(x >= 2 && x <= 9 && y >= 5 && y <= 18);
    }
  });

  it('gives a wide character 24 dots and doubles everything at scale 2', () => {
    const g = r.render('中A', { columns: 8, scale: 1 });
    expect(inkedCells(g, 12)).toEqual([0, 1, 2]);
    expect(g.hasInk(24 + 2, 5, 8, 14)).toBe(true); // 'A' starts at column 2
    const big = r.render('A', { columns: 4, scale: 2 });
    expect(big.width).toBe(96);
    expect(big.height).toBe(48);
    // 48 dots per 1000 units: x 4.8..19.2 -> dots 5..18; y 9.6..38.4 -> rows 9..38 (half-covered rows count)
    for (let y = 0; y < big.height; y++) {
      for (let x = 0; x < big.width; x++) expect(big.get(x, y)).toBe(x >= 5 && x <= 18 && y >= 9 && y <= 38);
    }
  });

  it('aligns the text inside the full-width picture', () => {
    const centre = r.render('AB', { columns: 10, scale: 1, align: 'center' });
    expect(inkedCells(centre, 12)).toEqual([4, 5]);
    const right = r.render('AB', { columns: 10, scale: 1, align: 'right' });
    expect(inkedCells(right, 12)).toEqual([8, 9]);
  });

  it('emboldens by one dot per scale', () => {
    const plain = r.render('A', { columns: 2, scale: 1 });
    const bold = r.render('A', { columns: 2, scale: 1, bold: true });
    expect(plain.get(10, 10)).toBe(false);
    expect(bold.get(10, 10)).toBe(true);
    expect(bold.get(11, 10)).toBe(false);
  });

  it('draws a box for a character the font lacks, and says so once', () => {
    r.takeReport();
    const g = r.render('☃☃', { columns: 2, scale: 1 });
    expect(g.get(1, 12)).toBe(true); // the box's left side
    expect(g.get(6, 12)).toBe(false); // hollow
    const report = r.takeReport();
    expect(report.boxes).toBe(2);
    expect(report.problems.map((p) => [p.code, p.codePoint])).toEqual([['glyph_missing', 0x2603]]);
    expect(describeRasterReport(report)).toMatch(/^2 characters printed as boxes\. The font block font has no glyph for "☃" \(U\+2603\)/);
    expect(r.takeReport()).toEqual({ boxes: 0, problems: [] });
  });

  it('leaves a blank or control-only line blank and never draws past the paper', () => {
    expect(r.render('', { columns: 4, scale: 1 }).hasInk()).toBe(false);
    expect(r.render('   \t\u0007', { columns: 4, scale: 1 }).hasInk()).toBe(false);
    const clipped = r.render('ABCDEF', { columns: 4, scale: 1 });
    expect(inkedCells(clipped, 12)).toEqual([0, 1, 2, 3]);
  });
});

describe('FontTextRasteriser with Noto Sans CJK (fonts-noto-cjk)', () => {
  let noto: FontTextRasteriser;

  beforeAll(async () => {
    noto = await new CjkRasterFallback({ face: 'NotoSansMonoCJKsc-Regular' }).rasteriser();
    // The font is part of the machine set-up: a missing font must fail here, not skip.
    expect(noto.takeReport()).toEqual({ boxes: 0, problems: [] });
  });

  it('draws 王 with its three horizontal strokes and the vertical one, inside its 24 x 24 cell', () => {
    const g = noto.render('王', { columns: 2, scale: 1 });
    expect(g.width).toBe(24);
    const rows = inkRows(g);
    // Noto's 王 spans y = -35..773 of a 1000-unit em whose top is at 880: dots 2.6..22.0
    expect(Math.min(...rows)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...rows)).toBeLessThanOrEqual(22);
    expect(g.height).toBe(24);
    expect(g.hasInk(0, 0, 24, 2)).toBe(false);
    expect(g.hasInk(0, 23, 24, 1)).toBe(false);
    // Rows where the ink spans most of the cell are the horizontal strokes: three separate groups.
    const wideRows = rows.filter((y) => {
      let n = 0;
      for (let x = 0; x < 24; x++) if (g.get(x, y)) n++;
      return n >= 14;
    });
    const groups = wideRows.filter((y, i) => i === 0 || y !== (wideRows[i - 1] ?? -2) + 1).length;
    expect(groups).toBe(3);
    // The vertical stroke joins them through the middle columns.
    for (let y = Math.min(...wideRows); y <= Math.max(...wideRows); y++) expect(g.hasInk(10, y, 4, 1)).toBe(true);
    // The left and right edges of the cell are white (side bearings).
    expect(g.hasInk(0, 0, 1, g.height)).toBe(false);
    expect(g.hasInk(23, 0, 1, g.height)).toBe(false);
  });

  it('draws Latin letters and digits half-width, and a blank line blank', () => {
    const g = noto.render('A1', { columns: 2, scale: 1 });
    expect(inkedCells(g, 12)).toEqual([0, 1]);
    expect(noto.render('', { columns: 48, scale: 1 }).hasInk()).toBe(false);
    expect(noto.render('                ', { columns: 48, scale: 1 }).hasInk()).toBe(false);
  });

  it('boxes a character outside the font (an emoji) and names it', () => {
    noto.takeReport();
    const g = noto.render('A😀B', { columns: 3, scale: 1 });
    expect(inkedCells(g, 12)).toEqual([0, 1, 2]);
    const report = noto.takeReport();
    expect(report.boxes).toBe(1);
    expect(report.problems[0]).toMatchObject({ name: 'RasterFontError', code: 'glyph_missing', codePoint: 0x1f600, fontPath: NOTO });
  });

  for (const columns of [48, 32]) {
    it(`lines up mixed Chinese and Latin rows with the layout at ${columns} columns`, () => {
      const profile: PrinterProfile = { ...PROFILE_80MM_LATIN, columns };
      const measure = layoutMeasure(new EscPosEncoder(profile), true);
      const cases: Array<[string, string]> = [
        ['合计', '￥12.50'],
        ['收银员', 'Wang Fang 王芳'],
        ['积分抵扣(500分)', '-￥5.00'],
      ];
      for (const [label, value] of cases) {
        const [row = ''] = twoColumns(label, value, columns, measure);
        expect(measure.width(row)).toBe(columns);
        const g = noto.render(row, { columns, scale: 1, charWidth: (ch) => measure.charWidth(ch) });
        expect(g.width).toBe(columns * 12);
        // Expected: each character's cells from the layout widths.
        const expected = new Set<number>();
        let col = 0;
        for (const ch of row) {
          const w = measure.charWidth(ch);
          if (ch !== ' ') for (let k = 0; k < w; k++) expected.add(col + k);
          col += w;
        }
        const inked = inkedCells(g, 12);
        for (const c of inked) expect(expected.has(c)).toBe(true);
        // The value ends flush right, in the last column, as a text row's would.
        expect(inked[inked.length - 1]).toBe(columns - 1);
        // The label starts in the first column.
        expect(inked[0]).toBe(0);
      }
      // ￥ is one column in a code-page layout (it prints as ¥): it is drawn half-width.
      const [row = ''] = twoColumns('合计', '￥12.50', columns, measure);
      const g = noto.render(row, { columns, scale: 1, charWidth: (ch) => measure.charWidth(ch) });
      expect(inkedCells(g, 12).slice(-6)).toEqual([columns - 6, columns - 5, columns - 4, columns - 3, columns - 2, columns - 1]);
    });
  }
});

describe('CjkRasterFallback without a usable font', () => {
  it('prints every character as a box and says the font is missing, without throwing', async () => {
    const r = await new CjkRasterFallback({ fontPath: '/nonexistent/fonts/NotoSansCJK-Regular.ttc' }).rasteriser();
    const g = r.render('合计 12', { columns: 8, scale: 1 });
    expect(inkedCells(g, 12)).toEqual([0, 1, 2, 3, 5, 6]);
    const report = r.takeReport();
    expect(report.boxes).toBe(4);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ code: 'font_not_found', fontPath: '/nonexistent/fonts/NotoSansCJK-Regular.ttc' });
    expect(describeRasterReport(report)).toMatch(/4 characters printed as boxes\. The font for printing Chinese as images is missing: \/nonexistent\/fonts\/NotoSansCJK-Regular\.ttc does not exist\. Install fonts-noto-cjk/);
  });

  it('says a file that is not a font cannot be read', async () => {
    const r = await new CjkRasterFallback({ fontPath: '/etc/hostname' }).rasteriser();
    r.render('王', { columns: 2, scale: 1 });
    expect(r.takeReport().problems[0]).toMatchObject({ code: 'font_unreadable', fontPath: '/etc/hostname' });
  });

  it('uses the first face of a collection when the configured face is not in it, and says so', async () => {
    const r = await new CjkRasterFallback({ fontPath: NOTO, face: 'NoSuchFace-Regular' }).rasteriser();
    expect(r.render('王', { columns: 2, scale: 1 }).hasInk()).toBe(true);
    const report = r.takeReport();
    expect(report.boxes).toBe(0);
    expect(report.problems.map((p) => p.code)).toEqual(['face_not_found']);
    expect(report.problems[0]?.message).toMatch(/no face named NoSuchFace-Regular; using NotoSansCJKjp-Regular/);
  });

  it('loads the font once per process and caches the glyph pictures', async () => {
    const a = await new CjkRasterFallback({ face: 'NotoSansMonoCJKsc-Regular' }).rasteriser();
    const b = await new CjkRasterFallback({ face: 'NotoSansMonoCJKsc-Regular' }).rasteriser();
    const first = a.render('王', { columns: 2, scale: 1 });
    const second = b.render('王', { columns: 2, scale: 1 });
    expect(second.dots).toEqual(first.dots);
  });
});
