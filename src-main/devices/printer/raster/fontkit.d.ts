/**
 * The part of fontkit 2 (which ships no type declarations) that outline-font.ts uses.
 */
declare module 'fontkit' {
  export interface FontkitPathCommand {
    command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
    args: number[];
  }
  export interface FontkitGlyph {
    /** 0 is .notdef: the font has no glyph for the character asked for. */
    id: number;
    advanceWidth: number;
    path: { commands: FontkitPathCommand[] };
  }
  export interface FontkitFont {
    type: 'TTF' | 'WOFF' | 'WOFF2';
    postscriptName: string | null;
    unitsPerEm: number;
    /** hhea ascent and descent (descent is negative). */
    ascent: number;
    descent: number;
    'OS/2'?: { typoAscender?: number; typoDescender?: number } | null;
    glyphForCodePoint(codePoint: number): FontkitGlyph;
  }
  export interface FontkitCollection {
    type: 'TTC' | 'DFont';
    fonts: FontkitFont[];
    getFont(postscriptName: string): FontkitFont | null;
  }
  export function create(buffer: Uint8Array): FontkitFont | FontkitCollection;
}
