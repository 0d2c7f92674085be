/**
 * A grid of dots (one byte per dot, 1 = black) to compose raster lines in, and its packing into
 * the printer's 1-bit format (MonoBitmap: rows MSB first, as GS v 0 takes them).
 */
import type { MonoBitmap } from '../encoder';

export class DotGrid {
  readonly dots: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    dots?: Uint8Array,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
      throw new RangeError('a dot grid has a whole, non-negative size');
    }
    if (dots !== undefined && dots.length !== width * height) throw new RangeError('dots do not match width x height');
    this.dots = dots ?? new Uint8Array(width * height);
  }

  get(x: number, y: number): boolean {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return false;
    return this.dots[y * this.width + x] === 1;
  }

  set(x: number, y: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.dots[y * this.width + x] = 1;
  }

  /**
   * ORs `src` into this grid with its top-left corner at (left, top); dots outside are clipped.
   * `embolden` also sets that many dots to the right of each black dot (what ESC E does to text).
   */
  draw(src: DotGrid, left: number, top: number, embolden = 0): void {
    for (let y = 0; y < src.height; y++) {
      for (let x = 0; x < src.width; x++) {
        if (src.dots[y * src.width + x] !== 1) continue;
        for (let k = 0; k <= embolden; k++) this.set(left + x + k, top + y);
      }
    }
  }

  /** A rectangle outline `stroke` dots thick (the replacement box for a character we cannot draw). */
  strokeRect(left: number, top: number, width: number, height: number, stroke = 1): void {
    for (let y = top; y < top + height; y++) {
      for (let x = left; x < left + width; x++) {
        const edge = x < left + stroke || x >= left + width - stroke || y < top + stroke || y >= top + height - stroke;
        if (edge) this.set(x, y);
      }
    }
  }

  /** Whether any dot in the rectangle is black. */
  hasInk(left = 0, top = 0, width = this.width - left, height = this.height - top): boolean {
    for (let y = Math.max(0, top); y < Math.min(this.height, top + height); y++) {
      for (let x = Math.max(0, left); x < Math.min(this.width, left + width); x++) {
        if (this.dots[y * this.width + x] === 1) return true;
      }
    }
    return false;
  }

  /** Packs the grid into whole bytes per row, MSB first (bit 7 of byte 0 is the top-left dot). */
  toMonoBitmap(): MonoBitmap {
    const widthBytes = Math.ceil(this.width / 8);
    const data = new Uint8Array(widthBytes * this.height);
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        if (this.dots[y * this.width + x] === 1) {
          const i = y * widthBytes + (x >> 3);
          data[i] = (data[i] ?? 0) | (0x80 >> (x & 7));
        }
      }
    }
    return { widthDots: this.width, heightDots: this.height, data };
  }

  /** The inverse of toMonoBitmap (for tests and for checking what will print). */
  static fromMonoBitmap(image: MonoBitmap): DotGrid {
    const widthBytes = Math.ceil(image.widthDots / 8);
    if (image.data.length !== widthBytes * image.heightDots) throw new RangeError('bitmap data length does not match its size');
    const grid = new DotGrid(image.widthDots, image.heightDots);
    for (let y = 0; y < image.heightDots; y++) {
      for (let x = 0; x < image.widthDots; x++) {
        if (((image.data[y * widthBytes + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0) grid.set(x, y);
      }
    }
    return grid;
  }
}
