/**
 * Writes laid-out lines for renderReceipt and renderReport: text through the encoder, or, when a
 * raster fallback is given and the printer cannot print a line as text (no Chinese font), the
 * line as a GS v 0 picture drawn at the same alignment, weight and size, then a small feed
 * (ESC J) for the space a text line has under it. It also keeps the
 * widths layout uses: with a fallback, a character the printer cannot print counts the width it
 * has in the picture (2 columns for CJK), so text and picture lines line up.
 */
import { isWideCodePoint } from './char-width';
import type { Alignment } from './commands';
import type { EscPosEncoder, MonoBitmap } from './encoder';
import { twoColumns, wrapText, type TextMeasure } from './layout';

export interface TextRasterOptions {
  /** Columns of the line at this size: the profile's columns divided by `scale`. */
  columns: number;
  /** 2 for double-size lines (the store name). */
  scale: 1 | 2;
  /** Where the text sits in the full-width picture (default left). */
  align?: Alignment;
  /** Emphasised, as ESC E would print it. */
  bold?: boolean;
  /**
   * Columns each character takes in the layout of this line (1 or 2), so the picture puts every
   * character where the layout counted it; default 2 for East Asian wide characters, else 1.
   */
  charWidth?: (ch: string) => number;
}

/**
 * Renders a line of text (at most `columns` columns of 12 x 24 dots, wide characters taking
 * two) to a bitmap `columns * 12 * scale` dots wide, the text placed as `align` says.
 * Tillsmith's own is FontTextRasteriser (raster/text-line-rasteriser.ts).
 */
export type TextRasteriser = (text: string, options: TextRasterOptions) => MonoBitmap;

/** Widths for layout: the printer's, or with a raster fallback the picture's for what it cannot print. */
export function layoutMeasure(encoder: EscPosEncoder, raster: boolean): TextMeasure {
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

/**
 * Feed (ESC J) after each picture line: a picture is 24 dots tall where a text line takes
 * about 30 with the default line spacing, so picture lines keep the pitch of text lines.
 */
export const PICTURE_LINE_GAP_DOTS = 6;

export class LineWriter {
  readonly measure: TextMeasure;
  /** Font A columns of the paper. */
  readonly columns: number;
  private alignment: Alignment = 'left';
  private emphasised = false;
  private scale: 1 | 2 = 1;

  constructor(
    readonly enc: EscPosEncoder,
    private readonly rasteriser?: TextRasteriser,
  ) {
    this.measure = layoutMeasure(enc, rasteriser !== undefined);
    this.columns = enc.profile.columns;
  }

  align(a: Alignment): this {
    this.alignment = a;
    this.enc.align(a);
    return this;
  }

  bold(on: boolean): this {
    this.emphasised = on;
    this.enc.bold(on);
    return this;
  }

  size(width: 1 | 2, height: 1 | 2): this {
    this.scale = width;
    this.enc.size(width, height);
    return this;
  }

  /** One laid-out line: text, or a picture when the printer cannot print it as text. */
  line(text: string): this {
    const r = this.rasteriser;
    if (r !== undefined && !this.enc.codec.canPrint(text)) {
      this.enc.raster(
        r(text, {
          columns: Math.floor(this.columns / this.scale),
          scale: this.scale,
          align: this.alignment,
          bold: this.emphasised,
          charWidth: (ch) => this.measure.charWidth(ch),
        }),
      );
      this.enc.feedDots(PICTURE_LINE_GAP_DOTS);
    } else {
      this.enc.line(text);
    }
    return this;
  }

  /** Label left, value flush right (a long label wraps in the space the value leaves). */
  rows(left: string, right: string): this {
    for (const l of twoColumns(left, right, this.columns, this.measure)) this.line(l);
    return this;
  }

  /** Wrapped to `columns` (default the paper's), each line indented by `indent` spaces. */
  wrapped(text: string, columns = this.columns, indent = 0): this {
    for (const l of wrapText(text, columns - indent, this.measure)) this.line(' '.repeat(indent) + l);
    return this;
  }

  /** A dashed rule across the paper. */
  rule(): this {
    this.enc.line('-'.repeat(this.columns));
    return this;
  }
}
