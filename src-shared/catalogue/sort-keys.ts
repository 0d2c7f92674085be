/**
 * Sorting many short strings fast, for building the search index. Array.prototype.sort compares
 * whole strings through the engine's generic comparison (about 3.4 s for 1.7 million pinyin
 * keys on the development VM); this multikey quicksort (Bentley and Sedgewick) compares one
 * UTF-16 code unit at a time out of a typed array (about half that), and never recompares the
 * prefix two keys already share. Pure TypeScript.
 */

/** Below this many entries a range is finished by insertion sort. */
const SMALL = 16;

/**
 * The permutation that sorts `keys` by UTF-16 code units (the order of `<` on strings, so a key
 * sorts before every longer key it begins), equal keys by their index (stable).
 */
export function sortedOrder(keys: readonly string[]): Int32Array {
  const n = keys.length;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i += 1) {
    offsets[i] = total;
    total += keys[i]!.length;
  }
  offsets[n] = total;
  const units = new Uint16Array(total);
  for (let i = 0; i < n; i += 1) {
    const s = keys[i]!;
    const o = offsets[i]!;
    for (let j = 0; j < s.length; j += 1) units[o + j] = s.charCodeAt(j);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i += 1) order[i] = i;
  // Explicit stack of (lo, hi, depth) ranges: the recursion would be as deep as the longest key.
  // Each partition pushes three ranges and pops one, and a range never outlives its depth, so
  // the stack holds at most 2 x (longest key + log2 n) ranges; it grows when needed anyway.
  let stack = new Int32Array(3 * 1024);
  let top = 0;
  stack[top++] = 0;
  stack[top++] = n;
  stack[top++] = 0;
  while (top > 0) {
    const depth = stack[--top]!;
    const hi = stack[--top]!;
    const lo = stack[--top]!;
    const size = hi - lo;
    if (size < 2) continue;
    if (size < SMALL) {
      insertionSort(order, lo, hi, depth, offsets, units);
      continue;
    }
    const a = unitAt(offsets, units, order[lo]!, depth);
    const b = unitAt(offsets, units, order[lo + (size >> 1)]!, depth);
    const c = unitAt(offsets, units, order[hi - 1]!, depth);
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    // Three-way partition on the code unit at `depth`: [lo, lt) below, [lt, gt] equal, (gt, hi) above.
    let lt = lo;
    let gt = hi - 1;
    let i = lo;
    while (i <= gt) {
      const entry = order[i]!;
      const unit = unitAt(offsets, units, entry, depth);
      if (unit < pivot) {
        order[i] = order[lt]!;
        order[lt] = entry;
        lt += 1;
        i += 1;
      } else if (unit > pivot) {
        order[i] = order[gt]!;
        order[gt] = entry;
        gt -= 1;
      } else {
        i += 1;
      }
    }
    if (top + 9 > stack.length) {
      const grown = new Int32Array(stack.length * 2);
      grown.set(stack);
      stack = grown;
    }
    stack[top++] = lo;
    stack[top++] = lt;
    stack[top++] = depth;
    stack[top++] = gt + 1;
    stack[top++] = hi;
    stack[top++] = depth;
    if (pivot >= 0) {
      stack[top++] = lt;
      stack[top++] = gt + 1;
      stack[top++] = depth + 1;
    } else {
      order.subarray(lt, gt + 1).sort(); // equal keys, all ended: by index
    }
  }
  return order;
}

/** The code unit of entry i at depth d, or -1 past its end (so shorter keys sort first). */
function unitAt(offsets: Int32Array, units: Uint16Array, i: number, d: number): number {
  const at = offsets[i]! + d;
  return at < offsets[i + 1]! ? units[at]! : -1;
}

function insertionSort(order: Int32Array, lo: number, hi: number, depth: number, offsets: Int32Array, units: Uint16Array): void {
  for (let i = lo + 1; i < hi; i += 1) {
    const v = order[i]!;
    let j = i - 1;
    for (; j >= lo; j -= 1) {
      const u = order[j]!;
      let d = depth;
      let cu = unitAt(offsets, units, u, d);
      let cv = unitAt(offsets, units, v, d);
      while (cu === cv && cu >= 0) {
        d += 1;
        cu = unitAt(offsets, units, u, d);
        cv = unitAt(offsets, units, v, d);
      }
      if (cu > cv || (cu === cv && u > v)) order[j + 1] = u;
      else break;
    }
    order[j + 1] = v;
  }
}
