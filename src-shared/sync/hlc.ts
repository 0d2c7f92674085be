/**
 * Hybrid logical clock (after Actual Budget's `timestamp.ts`): orders replicated changes
 * across terminals whose wall clocks disagree. Serialised as a fixed-width string that sorts
 * lexicographically in causal order:
 *
 *   2026-11-22T10:00:00.000Z-0000-7f3a9c2e1b4d5a60
 *   └ physical millis (ISO) ┘ └counter┘ └ node id (16 hex) ┘
 *
 * HLC orders changes; it never decides business dates (the store's wall clock does that).
 * A bad local clock never stops a sale: `send` always returns a timestamp; drift beyond
 * `maxDriftMs` is reported to the caller through `onDrift` so the operator can be warned.
 */
export interface Hlc {
  millis: number;
  counter: number;
  node: string;
}

export const HLC_MAX_COUNTER = 0xffff;
const NODE_RE = /^[0-9a-f]{16}$/;

export function formatHlc(h: Hlc): string {
  return `${new Date(h.millis).toISOString()}-${h.counter.toString(16).padStart(4, '0')}-${h.node}`;
}

export function parseHlc(s: string): Hlc | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-f]{4})-([0-9a-f]{16})$/.exec(s);
  if (!m) return null;
  const millis = Date.parse(m[1]!);
  if (Number.isNaN(millis)) return null;
  return { millis, counter: parseInt(m[2]!, 16), node: m[3]! };
}

export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Derives a stable 16-hex node id from a terminal id (a UUID or any string). */
export function nodeIdOf(terminalId: string): string {
  const hex = terminalId.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (hex.length >= 16) return hex.slice(-16);
  // FNV-1a 64-bit over the string for ids that are not hex
  let h = 0xcbf29ce484222325n;
  for (const ch of terminalId) {
    h ^= BigInt(ch.codePointAt(0)!);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

export interface HlcClockOptions {
  node: string;
  now: () => number;
  /** Remote timestamps further ahead of our clock than this are reported as drift. */
  maxDriftMs?: number;
  onDrift?: (driftMs: number, source: 'remote' | 'counter') => void;
  last?: string | null;
}

/** A hybrid logical clock for one node. Not thread-safe; one per terminal. */
export class HlcClock {
  private last: Hlc;
  private readonly opts: Required<Omit<HlcClockOptions, 'last' | 'onDrift'>> & Pick<HlcClockOptions, 'onDrift'>;

  constructor(opts: HlcClockOptions) {
    if (!NODE_RE.test(opts.node)) throw new Error(`HLC node id must be 16 hex characters, got "${opts.node}"`);
    this.opts = { maxDriftMs: 5 * 60_000, ...opts };
    const restored = opts.last ? parseHlc(opts.last) : null;
    this.last = restored ? { ...restored, node: opts.node } : { millis: 0, counter: 0, node: opts.node };
  }

  /** A timestamp for a local event, strictly greater than every timestamp seen so far. */
  send(): string {
    const phys = this.opts.now();
    if (phys > this.last.millis) {
      this.last = { millis: phys, counter: 0, node: this.opts.node };
    } else {
      this.bumpCounter();
    }
    return formatHlc(this.last);
  }

  /** Merges a timestamp received from another node; returns a new local timestamp after it. */
  receive(remote: string): string {
    const r = parseHlc(remote);
    if (!r) throw new Error(`not an HLC timestamp: "${remote}"`);
    const phys = this.opts.now();
    if (r.millis - phys > this.opts.maxDriftMs) this.opts.onDrift?.(r.millis - phys, 'remote');
    const millis = Math.max(phys, this.last.millis, r.millis);
    let counter: number;
    if (millis === this.last.millis && millis === r.millis) counter = Math.max(this.last.counter, r.counter) + 1;
    else if (millis === this.last.millis) counter = this.last.counter + 1;
    else if (millis === r.millis) counter = r.counter + 1;
    else counter = 0;
    this.last = { millis, counter, node: this.opts.node };
    if (counter > HLC_MAX_COUNTER) this.overflow();
    return formatHlc(this.last);
  }

  current(): string {
    return formatHlc(this.last);
  }

  private bumpCounter(): void {
    this.last = { ...this.last, counter: this.last.counter + 1 };
    if (this.last.counter > HLC_MAX_COUNTER) this.overflow();
  }

  /** Counter exhausted within one millisecond: borrow the next millisecond rather than fail a sale. */
  private overflow(): void {
    this.opts.onDrift?.(1, 'counter');
    this.last = { millis: this.last.millis + 1, counter: 0, node: this.opts.node };
  }
}
