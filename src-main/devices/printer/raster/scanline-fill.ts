/**
 * A small scanline rasteriser for closed polygons (flattened glyph outlines): each dot is
 * sampled on an n x n grid of points, a sample is inside when the non-zero winding number of
 * the polygons around it is not zero, and a dot is black when at least `threshold` of its
 * samples are inside. Pure and deterministic; the result is one byte (0 or 1) per dot.
 */
import type { Contour } from './outline-path';

export interface FillOptions {
  /** Samples per dot along each axis (default 4: 16 samples per dot). */
  subsamples?: number;
  /** Share of a dot's samples that must be inside for the dot to be black (default 0.5). */
  threshold?: number;
}

interface Edge {
  yTop: number;
  yBottom: number;
  xAtTop: number;
  /** dx/dy */
  slope: number;
  /** +1 going down, -1 going up. */
  winding: 1 | -1;
}

function edgesOf(contours: readonly Contour[]): Edge[] {
  const edges: Edge[] = [];
  for (const c of contours) {
    const points = c.length >> 1;
    for (let i = 0; i < points; i++) {
      const j = (i + 1) % points;
      const x0 = c[2 * i] ?? 0;
      const y0 = c[2 * i + 1] ?? 0;
      const x1 = c[2 * j] ?? 0;
      const y1 = c[2 * j + 1] ?? 0;
      if (y0 === y1) continue; // horizontal edges never cross a scanline
      if (y0 < y1) edges.push({ yTop: y0, yBottom: y1, xAtTop: x0, slope: (x1 - x0) / (y1 - y0), winding: 1 });
      else edges.push({ yTop: y1, yBottom: y0, xAtTop: x1, slope: (x0 - x1) / (y0 - y1), winding: -1 });
    }
  }
  return edges;
}

/** How many samples of each dot fall inside the polygons (0 .. subsamples^2), row-major. */
export function sampleCoverage(contours: readonly Contour[], widthDots: number, heightDots: number, subsamples = 4): Uint16Array {
  if (!Number.isInteger(widthDots) || !Number.isInteger(heightDots) || widthDots < 0 || heightDots < 0) {
    throw new RangeError('bitmap size must be whole dots');
  }
  if (!Number.isInteger(subsamples) || subsamples < 1 || subsamples > 16) throw new RangeError('subsamples must be 1..16');
  const n = subsamples;
  const counts = new Uint16Array(widthDots * heightDots);
  const edges = edgesOf(contours);
  const crossings: Array<{ x: number; winding: number }> = [];
  const sampleColumns = widthDots * n;

  for (let sy = 0; sy < heightDots * n; sy++) {
    const y = (sy + 0.5) / n;
    crossings.length = 0;
    for (const e of edges) {
      // Half-open [top, bottom): a vertex shared by two edges is counted once.
      if (y >= e.yTop && y < e.yBottom) crossings.push({ x: e.xAtTop + (y - e.yTop) * e.slope, winding: e.winding });
    }
    if (crossings.length < 2) continue;
    crossings.sort((a, b) => a.x - b.x);
    const rowBase = Math.floor(sy / n) * widthDots;
    let winding = 0;
    let spanStart = 0;
    for (const c of crossings) {
      const before = winding;
      winding += c.winding;
      if (before === 0 && winding !== 0) {
        spanStart = c.x;
      } else if (before !== 0 && winding === 0) {
        // Sample columns whose centres (sx + 0.5) / n lie in [spanStart, c.x).
        const from = Math.max(0, Math.ceil(spanStart * n - 0.5));
        const to = Math.min(sampleColumns, Math.ceil(c.x * n - 0.5));
        for (let sx = from; sx < to; sx++) {
          const i = rowBase + Math.floor(sx / n);
          counts[i] = (counts[i] ?? 0) + 1;
        }
      }
    }
  }
  return counts;
}

/** Fills the polygons into a width x height grid of dots: 1 = black, 0 = white, row-major. */
export function fillContours(contours: readonly Contour[], widthDots: number, heightDots: number, options: FillOptions = {}): Uint8Array {
  const n = options.subsamples ?? 4;
  const threshold = options.threshold ?? 0.5;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError('threshold must be in (0, 1]');
  const need = threshold * n * n;
  const counts = sampleCoverage(contours, widthDots, heightDots, n);
  const dots = new Uint8Array(counts.length);
  for (let i = 0; i < counts.length; i++) dots[i] = (counts[i] ?? 0) >= need ? 1 : 0;
  return dots;
}
