/**
 * The pure parts of the CJK raster fallback: outline flattening, the non-zero scanline fill with
 * sub-samples and a threshold, and the dot grid that packs into GS v 0 rows.
 */
import { describe, expect, it } from 'vitest';
import { DotGrid } from '../../../src-main/devices/printer/raster/dot-grid';
import { flattenOutline, type PathCommand } from '../../../src-main/devices/printer/raster/outline-path';
import { fillContours, sampleCoverage } from '../../../src-main/devices/printer/raster/scanline-fill';

const identity = (x: number, y: number) => [x, y] as const;

/** A rectangle as outline commands; `clockwise` in y-down space flips the winding direction. */
function rect(x0: number, y0: number, x1: number, y1: number, reverse = false): PathCommand[] {
  const pts: Array<[number, number]> = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
  if (reverse) pts.reverse();
  const [first, ...rest] = pts;
  return [{ command: 'moveTo', args: first ?? [0, 0] }, ...rest.map((p) => ({ command: 'lineTo' as const, args: p })), { command: 'closePath', args: [] }];
}

/** A circle of four cubic Béziers (k = 0.5523). */
function circle(cx: number, cy: number, r: number): PathCommand[] {
  const k = 0.5523 * r;
  return [
    { command: 'moveTo', args: [cx + r, cy] },
    { command: 'bezierCurveTo', args: [cx + r, cy + k, cx + k, cy + r, cx, cy + r] },
    { command: 'bezierCurveTo', args: [cx - k, cy + r, cx - r, cy + k, cx - r, cy] },
    { command: 'bezierCurveTo', args: [cx - r, cy - k, cx - k, cy - r, cx, cy - r] },
    { command: 'bezierCurveTo', args: [cx + k, cy - r, cx + r, cy - k, cx + r, cy] },
    { command: 'closePath', args: [] },
  ];
}

function fill(commands: PathCommand[], w: number, h: number, threshold?: number): DotGrid {
  return new DotGrid(w, h, fillContours(flattenOutline(commands, identity), w, h, threshold === undefined ? {} : { threshold }));
}

function inkCount(g: DotGrid): number {
  return g.dots.reduce((n, d) => n + d, 0);
}

describe('scanline fill', () => {
  it('fills a square on whole dots exactly, and nothing else', () => {
    const g = fill(rect(2, 3, 10, 9), 12, 12);
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 12; x++) expect(g.get(x, y)).toBe(x >= 2 && x < 10 && y >= 3 && y < 9);
    }
  });

  it('counts sub-samples: half-covered edge dots get half the samples, corners a quarter', () => {
    const c = sampleCoverage(flattenOutline(rect(2.5, 2.5, 5.5, 5.5), identity), 8, 8, 4);
    const at = (x: number, y: number) => c[y * 8 + x];
    expect(at(3, 3)).toBe(16);
    expect(at(2, 3)).toBe(8);
    expect(at(5, 4)).toBe(8);
    expect(at(2, 2)).toBe(4);
    expect(at(5, 5)).toBe(4);
    expect(at(1, 3)).toBe(0);
    expect(at(6, 3)).toBe(0);
  });

  it('applies the threshold to partly covered dots', () => {
    const square = rect(2.5, 2.5, 5.5, 5.5);
    expect(inkCount(fill(square, 8, 8, 0.5))).toBe(4 * 4 - 4); // edges (8/16) in, corners (4/16) out
    expect(inkCount(fill(square, 8, 8, 0.25))).toBe(16);
    expect(inkCount(fill(square, 8, 8, 1))).toBe(4); // only the 2 x 2 fully covered dots
  });

  it('uses the non-zero winding rule: a reversed inner contour is a hole, a same-direction one is not', () => {
    const hole = fill([...rect(0, 0, 10, 10), ...rect(3, 3, 7, 7, true)], 10, 10);
    expect(hole.get(5, 5)).toBe(false);
    expect(hole.get(1, 1)).toBe(true);
    expect(inkCount(hole)).toBe(100 - 16);
    const nested = fill([...rect(0, 0, 10, 10), ...rect(3, 3, 7, 7)], 10, 10);
    expect(inkCount(nested)).toBe(100);
    const overlapping = fill([...rect(0, 0, 6, 4), ...rect(4, 0, 10, 4)], 10, 4);
    expect(inkCount(overlapping)).toBe(40);
  });

  it('fills a circle of cubic curves to its area, symmetrically', () => {
    const g = fill(circle(12, 12, 10), 24, 24);
    expect(Math.abs(inkCount(g) - Math.PI * 100)).toBeLessThan(8);
    expect(g.get(12, 12)).toBe(true);
    expect(g.get(0, 0) || g.get(23, 23) || g.get(0, 23) || g.get(23, 0)).toBe(false);
    for (let y = 0; y < 24; y++) for (let x = 0; x < 24; x++) expect(g.get(x, y)).toBe(g.get(23 - x, 23 - y));
  });

  it('fills quadratic curves (TrueType outlines)', () => {
    // A lens: two quadratic arcs between (2, 8) and (18, 8).
    const lens: PathCommand[] = [
      { command: 'moveTo', args: [2, 8] },
      { command: 'quadraticCurveTo', args: [10, 0, 18, 8] },
      { command: 'quadraticCurveTo', args: [10, 16, 2, 8] },
    ];
    const g = fill(lens, 20, 16);
    expect(g.get(10, 8)).toBe(true);
    expect(g.get(10, 4)).toBe(true); // the arcs bulge to y = 4 and 12 at the middle
    expect(g.get(10, 2)).toBe(false);
    expect(g.get(1, 8)).toBe(false);
    // area of the lens: 2 * (2/3 * 16 * 4)
    expect(Math.abs(inkCount(g) - (2 * 2 * 16 * 4) / 3)).toBeLessThan(6);
  });

  it('closes a subpath that has no closePath, and ignores an empty outline', () => {
    const open: PathCommand[] = [
      { command: 'moveTo', args: [1, 1] },
      { command: 'lineTo', args: [5, 1] },
      { command: 'lineTo', args: [5, 5] },
      { command: 'lineTo', args: [1, 5] },
    ];
    expect(inkCount(fill(open, 6, 6))).toBe(16);
    expect(inkCount(fill([], 6, 6))).toBe(0);
  });

  it('clips shapes that leave the grid', () => {
    const g = fill(rect(-5, -5, 3, 3), 6, 6);
    expect(inkCount(g)).toBe(9);
  });
});

describe('flattenOutline', () => {
  it('keeps a flattened cubic within the flatness tolerance of the true curve', () => {
    const [p0, p1, p2, p3] = [
      [0, 0],
      [0, 40],
      [40, 40],
      [40, 0],
    ] as const;
    const bez = (t: number, i: 0 | 1) => (1 - t) ** 3 * p0[i] + 3 * (1 - t) ** 2 * t * p1[i] + 3 * (1 - t) * t ** 2 * p2[i] + t ** 3 * p3[i];
    const [contour] = flattenOutline([{ command: 'moveTo', args: p0 }, { command: 'bezierCurveTo', args: [...p1, ...p2, ...p3] }], identity, 0.05);
    const pts = contour ?? [];
    const n = pts.length / 2 - 1;
    expect(n).toBeGreaterThan(4);
    // uniform steps: point i is B(i/n); the chord midpoint stays within 0.05 dots of B at the mid parameter
    for (let i = 0; i < n; i++) {
      const mx = ((pts[2 * i] ?? 0) + (pts[2 * i + 2] ?? 0)) / 2;
      const my = ((pts[2 * i + 1] ?? 0) + (pts[2 * i + 3] ?? 0)) / 2;
      const t = (i + 0.5) / n;
      expect(Math.hypot(mx - bez(t, 0), my - bez(t, 1))).toBeLessThanOrEqual(0.05);
    }
  });
});

describe('DotGrid', () => {
  it('packs rows MSB first into whole bytes, and back', () => {
    const g = new DotGrid(10, 2);
    g.set(0, 0);
    g.set(9, 0);
    g.set(7, 1);
    g.set(8, 1);
    const m = g.toMonoBitmap();
    expect(m).toEqual({ widthDots: 10, heightDots: 2, data: Uint8Array.from([0x80, 0x40, 0x01, 0x80]) });
    expect(DotGrid.fromMonoBitmap(m).dots).toEqual(g.dots);
  });

  it('draws with emboldening and clips at the edges', () => {
    const src = new DotGrid(2, 1, Uint8Array.from([1, 0]));
    const g = new DotGrid(4, 1);
    g.draw(src, 2, 0, 1);
    expect([...g.dots]).toEqual([0, 0, 1, 1]);
    g.draw(src, 3, 0, 2);
    expect([...g.dots]).toEqual([0, 0, 1, 1]);
  });
});
