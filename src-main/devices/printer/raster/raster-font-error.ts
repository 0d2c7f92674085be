/**
 * Why Chinese text on a printer without a Chinese font printed as boxes. The receipt still
 * prints (a box stands for each character that could not be drawn); these errors go to the
 * printer's status line and the job's last_error so the cause can be fixed.
 */

export type RasterFontErrorCode =
  /** No font file at the configured (or any default) path. */
  | 'font_not_found'
  /** The file exists but cannot be read or is not a font fontkit understands. */
  | 'font_unreadable'
  /** The font collection (.ttc) has no face of the configured name; its first face is used. */
  | 'face_not_found'
  /** The font has no glyph for a character. */
  | 'glyph_missing';

export class RasterFontError extends Error {
  constructor(
    readonly code: RasterFontErrorCode,
    message: string,
    readonly fontPath: string,
    readonly codePoint?: number,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'RasterFontError';
  }

  /** Identifies the problem (not the occurrence): one report per font and character. */
  get key(): string {
    return `${this.code}:${this.fontPath}:${this.codePoint ?? ''}`;
  }
}

export function describeCodePoint(codePoint: number): string {
  return `"${String.fromCodePoint(codePoint)}" (U+${codePoint.toString(16).toUpperCase().padStart(4, '0')})`;
}
