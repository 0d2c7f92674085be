/**
 * Geometry of the small SVG charts, as pure functions (tested in node): nice axis maxima, bar
 * rectangles and line paths in a viewBox. Values are whatever the report gives (minor units,
 * points, counts); labels are formatted by the caller.
 */

/** The smallest "nice" number (1, 2, 2.5, 5 x 10^n) at or above `v`; 1 for v <= 0. */
export function niceMax(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const exp = Math.floor(Math.log10(v));
  const base = 10 ** exp;
  for (const m of [1, 2, 2.5, 5, 10]) {
    const candidate = m * base;
    if (candidate >= v - 1e-9) return candidate;
  }
  return 10 * base;
}

export interface ChartBox {
  width: number;
  height: number;
  /** Room for the axis labels. */
  left: number;
  bottom: number;
  top: number;
  right: number;
}

export const DEFAULT_BOX: ChartBox = { width: 640, height: 220, left: 70, bottom: 28, top: 10, right: 10 };

export interface Bar {
  index: number;
  series: number;
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
}

export interface Tick {
  y: number;
  value: number;
}

/** Grouped bars: one group per category, one bar per series in each group. Negative values count as 0. */
export function barLayout(series: number[][], box: ChartBox = DEFAULT_BOX, tickCount = 4): { bars: Bar[]; ticks: Tick[]; max: number; groupWidth: number } {
  const n = Math.max(0, ...series.map((s) => s.length));
  const max = niceMax(Math.max(0, ...series.flat()));
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const groupWidth = n > 0 ? plotW / n : plotW;
  const inner = groupWidth * 0.8;
  const barW = series.length > 0 ? inner / series.length : inner;
  const bars: Bar[] = [];
  for (let i = 0; i < n; i++) {
    series.forEach((s, k) => {
      const value = Math.max(0, s[i] ?? 0);
      const h = (value / max) * plotH;
      bars.push({
        index: i,
        series: k,
        x: box.left + i * groupWidth + (groupWidth - inner) / 2 + k * barW,
        y: box.top + plotH - h,
        width: Math.max(1, barW - 1),
        height: h,
        value,
      });
    });
  }
  return { bars, ticks: ticksOf(max, box, tickCount), max, groupWidth };
}

export function ticksOf(max: number, box: ChartBox, count: number): Tick[] {
  const plotH = box.height - box.top - box.bottom;
  return Array.from({ length: count + 1 }, (_, i) => {
    const value = (max * i) / count;
    return { value, y: box.top + plotH - (value / max) * plotH };
  });
}

/** An SVG path through the points of each series (x evenly spaced, the first and last at the plot edges). */
export function linePaths(series: number[][], box: ChartBox = DEFAULT_BOX, tickCount = 4): { paths: string[]; points: { x: number; y: number; value: number }[][]; ticks: Tick[]; max: number } {
  const n = Math.max(0, ...series.map((s) => s.length));
  const max = niceMax(Math.max(0, ...series.flat()));
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const xOf = (i: number): number => box.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const points = series.map((s) => s.map((v, i) => ({ x: round(xOf(i)), y: round(box.top + plotH - (Math.max(0, v) / max) * plotH), value: v })));
  const paths = points.map((pts) => pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x} ${p.y}`).join(' '));
  return { paths, points, ticks: ticksOf(max, box, tickCount), max };
}

/** Which category labels to print so they do not overlap: every k-th, always the last. */
export function labelEvery(count: number, maxLabels: number): (index: number) => boolean {
  const step = Math.max(1, Math.ceil(count / Math.max(1, maxLabels)));
  return (i) => i % step === 0 || i === count - 1;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
