/**
 * Draws a line of receipt text as a 1-bit picture for printers that have no Chinese font
 * (the TextRasteriser that renderReceipt and renderReport use for lines the printer cannot
 * print as text). The grid is the printer's own: a half-width character takes a 12 x 24-dot
 * cell, a wide (CJK) character a 24 x 24 cell, both times `scale` for double-size lines, so a
 * picture line lines up with the text lines around it.
 *
 * Glyphs come from an outline font (outline-font.ts), are flattened and filled by our own
 * scanline rasteriser (scanline-fill.ts), and are cached per font, character and size. A
 * character the font lacks, or every character when the font could not be loaded, prints as a
 * box: the receipt always prints, and the reasons are collected as RasterFontErrors.
 */
import { isControlCodePoint, isWideCodePoint } from '../char-width';
import type { MonoBitmap } from '../encoder';
import type { TextRasterOptions } from '../line-writer';
import { DotGrid } from './dot-grid';
import type { OutlineFont, OutlineGlyph } from './outline-font';
import { flattenOutline } from './outline-path';
import { RasterFontError, describeCodePoint } from './raster-font-error';
import { fillContours, type FillOptions } from './scanline-fill';

/** Font A cell: 12 dots wide, 24 high. */
export const CELL_WIDTH_DOTS = 12;
export const CELL_HEIGHT_DOTS = 24;
export interface FontTextRasteriserOptions {
  fill?: FillOptions;
  /** Bound on cached glyph pictures per font (default 8192); the cache starts afresh when full. */
  maxCachedGlyphs?: number;
}

export interface RasterReport {
  /** Characters printed as a box since the last report. */
  boxes: number;
  /** The distinct reasons, first occurrence first. */
  problems: RasterFontError[];
}

const glyphCaches = new WeakMap<OutlineFont, Map<string, DotGrid | null>>();

/**
 * Renders one glyph into a cell `cells` half-widths wide at `scale`: the em box maps onto the
 * cell height (24 dots x scale) and the advance is centred in the cell, squeezed if wider.
 */
export function rasteriseGlyph(font: OutlineFont, glyph: OutlineGlyph, cells: 1 | 2, scale: 1 | 2, fill: FillOptions = {}): DotGrid {
  const width = cells * CELL_WIDTH_DOTS * scale;
  const height = CELL_HEIGHT_DOTS * scale;
  const dotsPerUnit = height / font.unitsPerEm;
  const cellUnits = (cells * font.unitsPerEm) / 2;
  const advance = glyph.advanceWidth;
  const squeeze = advance > cellUnits ? cellUnits / advance : 1;
  const left = (cellUnits - advance * squeeze) / 2;
  const baseline = font.emTop * dotsPerUnit;
  const contours = flattenOutline(glyph.commands, (x, y) => [(left + x * squeeze) * dotsPerUnit, baseline - y * dotsPerUnit]);
  return new DotGrid(width, height, fillContours(contours, width, height, fill));
}

/**
 * The character to draw and its cells. When the layout gives a wide character one column (the
 * printer's code page folds ￥ to ¥, so ¥ is what the layout measured), its half-width
 * compatibility form (NFKC) is drawn instead of squeezing the wide glyph.
 */
function cellOf(ch: string, charWidth: ((ch: string) => number) | undefined): { cp: number; cells: 1 | 2 } {
  const cp = ch.codePointAt(0) ?? 0x20;
  const wide = isWideCodePoint(cp);
  const cells: 1 | 2 = (charWidth?.(ch) ?? (wide ? 2 : 1)) >= 2 ? 2 : 1;
  if (cells === 1 && wide) {
    const narrow = [...ch.normalize('NFKC')];
    const only = narrow.length === 1 ? (narrow[0]?.codePointAt(0) ?? cp) : cp;
    return { cp: isWideCodePoint(only) ? cp : only, cells };
  }
  return { cp, cells };
}

export class FontTextRasteriser {
  private readonly problems = new Map<string, RasterFontError>();
  private boxes = 0;
  private readonly fill: FillOptions;
  private readonly maxCached: number;

  private constructor(
    private readonly font: OutlineFont | null,
    private readonly fontError: RasterFontError | null,
    options: FontTextRasteriserOptions,
  ) {
    this.fill = options.fill ?? {};
    this.maxCached = options.maxCachedGlyphs ?? 8192;
  }

  /** Draws with `font`. `warnings` (from loading) are reported with the first line drawn. */
  static withFont(font: OutlineFont, options: FontTextRasteriserOptions = {}, warnings: readonly RasterFontError[] = []): FontTextRasteriser {
    const r = new FontTextRasteriser(font, null, options);
    for (const w of warnings) r.problems.set(w.key, w);
    return r;
  }

  /** Without a font: every visible character is a box, and `error` says why. */
  static withoutFont(error: RasterFontError, options: FontTextRasteriserOptions = {}): FontTextRasteriser {
    return new FontTextRasteriser(null, error, options);
  }

  /** The TextRasteriser function (bound, to hand to renderReceipt / renderReport). */
  readonly rasterise = (text: string, options: TextRasterOptions): MonoBitmap => this.render(text, options).toMonoBitmap();

  /** The line as a grid of dots: `columns` x 12 x scale wide, 24 x scale high. */
  render(text: string, options: TextRasterOptions): DotGrid {
    const { columns, scale } = options;
    if (!Number.isInteger(columns) || columns < 1) throw new RangeError('columns must be a whole number >= 1');
    const cellWidth = CELL_WIDTH_DOTS * scale;
    const line = new DotGrid(columns * cellWidth, CELL_HEIGHT_DOTS * scale);
    const chars = [...text.normalize('NFC')].map((ch) => cellOf(ch, options.charWidth));
    const textWidth = chars.reduce((w, c) => w + c.cells * cellWidth, 0);
    const free = Math.max(0, line.width - textWidth);
    let x = options.align === 'center' ? Math.floor(free / 2) : options.align === 'right' ? free : 0;
    const embolden = options.bold === true ? scale : 0;
    for (const c of chars) {
      if (x + c.cells * cellWidth > line.width) break; // wider than the paper: cut, as the printer would
      const glyph = this.glyphPicture(c.cp, c.cells, scale);
      if (glyph !== null) line.draw(glyph, x, 0, embolden);
      x += c.cells * cellWidth;
    }
    return line;
  }

  /** Boxes drawn and reasons since the last call (the print worker asks after each job). */
  takeReport(): RasterReport {
    const report = { boxes: this.boxes, problems: [...this.problems.values()] };
    this.boxes = 0;
    this.problems.clear();
    return report;
  }

  private note(problem: RasterFontError): void {
    if (!this.problems.has(problem.key)) this.problems.set(problem.key, problem);
  }

  /** The character's picture, null for blanks (spaces, controls). */
  private glyphPicture(cp: number, cells: 1 | 2, scale: 1 | 2): DotGrid | null {
    if (isControlCodePoint(cp) || /^\s$/u.test(String.fromCodePoint(cp))) return null;
    const font = this.font;
    if (font === null) {
      if (this.fontError !== null) this.note(this.fontError);
      return this.box(cells, scale);
    }
    let cache = glyphCaches.get(font);
    if (cache === undefined) {
      cache = new Map();
      glyphCaches.set(font, cache);
    }
    const key = `${cp}/${cells}/${scale}/${this.fill.subsamples ?? 4}/${this.fill.threshold ?? 0.5}`;
    let picture = cache.get(key);
    if (picture === undefined) {
      const glyph = font.glyph(cp);
      picture = glyph === null ? null : rasteriseGlyph(font, glyph, cells, scale, this.fill);
      if (cache.size >= this.maxCached) cache.clear();
      cache.set(key, picture);
    }
    if (picture !== null) return picture;
    this.note(new RasterFontError('glyph_missing', `The font ${font.name} has no glyph for ${describeCodePoint(cp)}; it printed as a box.`, font.path, cp));
    return this.box(cells, scale);
  }

  private box(cells: 1 | 2, scale: 1 | 2): DotGrid {
    this.boxes += 1;
    const w = cells * CELL_WIDTH_DOTS * scale;
    const h = CELL_HEIGHT_DOTS * scale;
    const g = new DotGrid(w, h);
    g.strokeRect(scale, 3 * scale, w - 2 * scale, h - 5 * scale, scale);
    return g;
  }
}
