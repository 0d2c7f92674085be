/**
 * The raster fallback of one printer without a Chinese font: which font to draw with (the
 * configured file, else Noto Sans CJK where the distribution puts it), loaded on first use and
 * kept, and the words that tell the cashier when characters printed as boxes and why.
 */
import { access } from 'node:fs/promises';
import { loadOutlineFont } from './outline-font';
import { RasterFontError } from './raster-font-error';
import { FontTextRasteriser, type FontTextRasteriserOptions, type RasterReport } from './text-line-rasteriser';

/** Where distributions install Noto Sans CJK (a .ttc with CFF outlines), most likely first. */
export const NOTO_SANS_CJK_PATHS: readonly string[] = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', // Debian, Ubuntu: fonts-noto-cjk
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', // Arch: noto-fonts-cjk
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', // Fedora: google-noto-sans-cjk-ttc-fonts
];

/**
 * The face of the collection to draw with: the monospaced Noto Sans Mono CJK, whose Latin
 * letters and digits are half an em wide (one 12-dot cell), in the receipt's script.
 */
export function defaultRasterFace(language: 'en' | 'zh-Hans' | 'zh-Hant'): string {
  return language === 'zh-Hant' ? 'NotoSansMonoCJKtc-Regular' : 'NotoSansMonoCJKsc-Regular';
}

export interface CjkRasterFallbackOptions {
  /** The font file; default: the first of `candidates` that exists. */
  fontPath?: string;
  /** In a collection, the PostScript name of the face (default: its first face). */
  face?: string;
  /** Default NOTO_SANS_CJK_PATHS. */
  candidates?: readonly string[];
  rasteriser?: FontTextRasteriserOptions;
}

async function firstExisting(paths: readonly string[]): Promise<string | null> {
  for (const p of paths) {
    try {
      await access(p);
      return p;
    } catch {
      // try the next one
    }
  }
  return null;
}

export class CjkRasterFallback {
  private loaded: FontTextRasteriser | null = null;
  private loading: Promise<FontTextRasteriser> | null = null;

  constructor(private readonly options: CjkRasterFallbackOptions = {}) {}

  /**
   * The rasteriser, loading the font on first use. Never rejects: without a usable font it
   * draws boxes and reports why, and the next call tries to load the font again.
   */
  rasteriser(): Promise<FontTextRasteriser> {
    if (this.loaded !== null) return Promise.resolve(this.loaded);
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(): Promise<FontTextRasteriser> {
    const o = this.options;
    const candidates = o.candidates ?? NOTO_SANS_CJK_PATHS;
    const path = o.fontPath ?? (await firstExisting(candidates)) ?? candidates[0] ?? '';
    try {
      const { font, warnings } = await loadOutlineFont(path, o.face);
      this.loaded = FontTextRasteriser.withFont(font, o.rasteriser, warnings);
      return this.loaded;
    } catch (e) {
      const error =
        e instanceof RasterFontError
          ? e
          : new RasterFontError('font_unreadable', `The font ${path} could not be loaded (${e instanceof Error ? e.message : String(e)}).`, path, undefined, e);
      return FontTextRasteriser.withoutFont(error, o.rasteriser);
    }
  }
}

/** One sentence for the job's last_error and the printer's status line; null when all was drawn. */
export function describeRasterReport(report: RasterReport): string | null {
  if (report.problems.length === 0 && report.boxes === 0) return null;
  const shown = report.problems.slice(0, 3).map((p) => p.message);
  if (report.problems.length > 3) shown.push(`(${report.problems.length - 3} more)`);
  const boxes = report.boxes === 0 ? '' : `${report.boxes} character${report.boxes === 1 ? '' : 's'} printed as boxes. `;
  return `${boxes}${shown.join(' ')}`.trim();
}
