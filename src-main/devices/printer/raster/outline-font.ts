/**
 * Loads an outline font (OpenType CFF or TrueType, single or a .ttc collection) with fontkit
 * and exposes only what rasterising needs: the em box and each character's outline. fontkit is
 * imported lazily (a large module, loaded only by a till that draws receipt lines as pictures),
 * and each font file is parsed once per process.
 */
import { readFile } from 'node:fs/promises';
import type { FontkitCollection, FontkitFont } from 'fontkit';
import type { PathCommand } from './outline-path';
import { RasterFontError } from './raster-font-error';

export interface OutlineGlyph {
  /** Advance width in font units. */
  advanceWidth: number;
  /** The outline in font units, y up. */
  commands: readonly PathCommand[];
}

export interface OutlineFont {
  /** For messages: the face and the file, e.g. 'NotoSansMonoCJKsc-Regular in /usr/share/...'. */
  readonly name: string;
  readonly path: string;
  readonly unitsPerEm: number;
  /**
   * Top of the em box above the baseline, in font units: a line of text is one em tall, from
   * `emTop` down to `emTop - unitsPerEm`. For CJK fonts this is the ideographic em box
   * (880 / -120 in Noto Sans CJK), so ideographs fill the 24-dot cell as printer fonts do.
   */
  readonly emTop: number;
  /** The glyph of a code point, or null when the font has none. */
  glyph(codePoint: number): OutlineGlyph | null;
}

export interface LoadedOutlineFont {
  font: OutlineFont;
  /** Problems that did not stop loading (a face name not in the collection). */
  warnings: RasterFontError[];
}

function isCollection(x: FontkitFont | FontkitCollection): x is FontkitCollection {
  return x.type === 'TTC' || x.type === 'DFont';
}

function emTopOf(font: FontkitFont): number {
  const upm = font.unitsPerEm;
  let os2: FontkitFont['OS/2'] = null;
  try {
    os2 = font['OS/2'];
  } catch {
    os2 = null; // a damaged OS/2 table: fall back to hhea
  }
  const typoTop = os2?.typoAscender ?? 0;
  const typoBottom = os2?.typoDescender ?? 0;
  const [top, bottom] = typoTop - typoBottom > 0 ? [typoTop, typoBottom] : [font.ascent, font.descent];
  if (!(top - bottom > 0)) return upm * 0.88;
  return (upm * top) / (top - bottom);
}

function wrap(font: FontkitFont, path: string): OutlineFont {
  const name = `${font.postscriptName ?? 'font'} in ${path}`;
  return {
    name,
    path,
    unitsPerEm: font.unitsPerEm,
    emTop: emTopOf(font),
    glyph(codePoint: number): OutlineGlyph | null {
      const g = font.glyphForCodePoint(codePoint);
      if (g.id === 0) return null;
      return { advanceWidth: g.advanceWidth, commands: g.path.commands };
    },
  };
}

async function readFontFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new RasterFontError(
        'font_not_found',
        `The font for printing Chinese as images is missing: ${path} does not exist. Install fonts-noto-cjk (Debian) or set the printer's rasterFont path; until then Chinese text prints as boxes.`,
        path,
        undefined,
        e,
      );
    }
    throw new RasterFontError('font_unreadable', `The font ${path} cannot be read (${code ?? String(e)}); Chinese text prints as boxes.`, path, undefined, e);
  }
}

async function parse(path: string, face: string | undefined): Promise<LoadedOutlineFont> {
  const bytes = await readFontFile(path);
  let parsed: FontkitFont | FontkitCollection;
  try {
    const fontkit = await import('fontkit');
    parsed = fontkit.create(bytes);
  } catch (e) {
    throw new RasterFontError(
      'font_unreadable',
      `${path} is not a font that can be read (${e instanceof Error ? e.message : String(e)}); Chinese text prints as boxes.`,
      path,
      undefined,
      e,
    );
  }
  if (!isCollection(parsed)) return { font: wrap(parsed, path), warnings: [] };
  const chosen = face !== undefined ? parsed.getFont(face) : null;
  const first = parsed.fonts[0];
  if (chosen !== null) return { font: wrap(chosen, path), warnings: [] };
  if (first === undefined) throw new RasterFontError('font_unreadable', `The font collection ${path} holds no fonts.`, path);
  const warnings =
    face === undefined
      ? []
      : [
          new RasterFontError(
            'face_not_found',
            `The font collection ${path} has no face named ${face}; using ${first.postscriptName ?? 'its first face'}. Faces: ${parsed.fonts.map((f) => f.postscriptName ?? '?').join(', ')}.`,
            path,
          ),
        ];
  return { font: wrap(first, path), warnings };
}

const loaded = new Map<string, Promise<LoadedOutlineFont>>();

/**
 * The font at `path` (in a collection: the face whose PostScript name is `face`, else the first
 * one). Parsed once per process and kept; a failure is not kept, so a font installed later is
 * picked up by the next call. Rejects with a RasterFontError.
 */
export function loadOutlineFont(path: string, face?: string): Promise<LoadedOutlineFont> {
  const key = `${path}\u0000${face ?? ''}`;
  let p = loaded.get(key);
  if (p === undefined) {
    p = parse(path, face);
    loaded.set(key, p);
    p.catch(() => {
      if (loaded.get(key) === p) loaded.delete(key);
    });
  }
  return p;
}
