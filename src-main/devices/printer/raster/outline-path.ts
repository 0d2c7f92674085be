/**
 * Glyph outlines as drawing commands (the shape fontkit's `glyph.path.commands` has) and their
 * flattening into closed polygons in dot coordinates. Pure: no font library, no I/O.
 */

/**
 * moveTo x y, lineTo x y, quadraticCurveTo cx cy x y, bezierCurveTo c1x c1y c2x c2y x y,
 * closePath. Font units, y up.
 */
export interface PathCommand {
  command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
  args: readonly number[];
}

/** A closed polygon: x0, y0, x1, y1, ... (the last point joins the first). */
export type Contour = number[];

/** Maps a point in font units to dot coordinates (an affine map, so curves stay curves). */
export type PointTransform = (x: number, y: number) => readonly [number, number];

/** Largest distance, in dots, between a curve and the straight segments that replace it. */
export const DEFAULT_FLATNESS_DOTS = 0.05;
const MAX_SEGMENTS_PER_CURVE = 64;

/**
 * Segments needed so that n uniform steps stay within `tolerance` of the curve. For a Bézier
 * curve the chord error of a step is at most max|B''| / (8 n^2); |B''| is bounded by
 * 2|p0 - 2p1 + p2| (quadratic) and 6 max(|p0 - 2p1 + p2|, |p1 - 2p2 + p3|) (cubic).
 */
function segmentsFor(maxSecondDerivative: number, tolerance: number): number {
  const n = Math.ceil(Math.sqrt(maxSecondDerivative / (8 * tolerance)));
  return Math.min(MAX_SEGMENTS_PER_CURVE, Math.max(1, n));
}

function secondDifference(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return Math.hypot(ax - 2 * bx + cx, ay - 2 * by + cy);
}

/**
 * Turns outline commands into closed polygons in dot space. Every subpath is closed, whether
 * or not it ends with closePath, as font outlines are filled with the non-zero rule.
 */
export function flattenOutline(
  commands: readonly PathCommand[],
  transform: PointTransform,
  tolerance = DEFAULT_FLATNESS_DOTS,
): Contour[] {
  const contours: Contour[] = [];
  let current: Contour = [];
  let x = 0;
  let y = 0;
  const finish = (): void => {
    if (current.length >= 6) contours.push(current);
    current = [];
  };
  const add = (px: number, py: number): void => {
    current.push(px, py);
    x = px;
    y = py;
  };
  const arg = (args: readonly number[], i: number): number => args[i] ?? 0;

  for (const c of commands) {
    const a = c.args;
    switch (c.command) {
      case 'moveTo': {
        finish();
        const [px, py] = transform(arg(a, 0), arg(a, 1));
        add(px, py);
        break;
      }
      case 'lineTo': {
        if (current.length === 0) current.push(x, y);
        const [px, py] = transform(arg(a, 0), arg(a, 1));
        add(px, py);
        break;
      }
      case 'quadraticCurveTo': {
        if (current.length === 0) current.push(x, y);
        const [x1, y1] = transform(arg(a, 0), arg(a, 1));
        const [x2, y2] = transform(arg(a, 2), arg(a, 3));
        const x0 = x;
        const y0 = y;
        const n = segmentsFor(2 * secondDifference(x0, y0, x1, y1, x2, y2), tolerance);
        for (let i = 1; i <= n; i++) {
          const t = i / n;
          const u = 1 - t;
          add(u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2);
        }
        break;
      }
      case 'bezierCurveTo': {
        if (current.length === 0) current.push(x, y);
        const [x1, y1] = transform(arg(a, 0), arg(a, 1));
        const [x2, y2] = transform(arg(a, 2), arg(a, 3));
        const [x3, y3] = transform(arg(a, 4), arg(a, 5));
        const x0 = x;
        const y0 = y;
        const dd = Math.max(secondDifference(x0, y0, x1, y1, x2, y2), secondDifference(x1, y1, x2, y2, x3, y3));
        const n = segmentsFor(6 * dd, tolerance);
        for (let i = 1; i <= n; i++) {
          const t = i / n;
          const u = 1 - t;
          const b0 = u * u * u;
          const b1 = 3 * u * u * t;
          const b2 = 3 * u * t * t;
          const b3 = t * t * t;
          add(b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3, b0 * y0 + b1 * y1 + b2 * y2 + b3 * y3);
        }
        break;
      }
      case 'closePath': {
        const sx = current[0];
        const sy = current[1];
        finish();
        if (sx !== undefined && sy !== undefined) {
          x = sx;
          y = sy;
        }
        break;
      }
    }
  }
  finish();
  return contours;
}
