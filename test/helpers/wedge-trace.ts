/**
 * Keyboard timing traces for the keyboard-wedge detector, and a simulated clock to replay them:
 * the detector's timers run on the clock, never on real time, so a replay is exact and fast.
 * Used by the detector's unit tests and by bench/wedge-rejoin.bench.ts.
 *
 * A trace is a list of keydowns with time stamps. Generated traces:
 *   - a scanner: every key 10 to 40 ms after the one before, optionally with one late gap;
 *   - a person: 100 to 300 ms a key with irregular pauses, and now and then two keys pressed
 *     almost together (rollover), which is as fast as a scanner for that one pair.
 */
import { luhnCheckDigit } from '../../src-shared/cards';
import { ean13CheckDigit } from '../../src-shared/barcodes';
import { Rng } from '../../src-main/seed/prng';
import { WedgeDetector, type KeyFacts, type WedgeSettings } from '../../src-renderer/scan/wedge-detector';

export { Rng };

export interface TraceKey {
  at: number;
  /** KeyboardEvent.code */
  code: string;
  /** KeyboardEvent.key (the character, or the key's name) */
  key: string;
  shift: boolean;
  target: string;
  editable: boolean;
}

export type TraceOutput =
  | { kind: 'scan'; raw: string; at: number; target: string; rejoined: boolean }
  | { kind: 'release'; text: string; at: number; target: string };

export interface Replay {
  outputs: TraceOutput[];
  /** One per non-modifier key, in order. */
  verdicts: Array<'hold' | 'pass'>;
  /** When each typed character reached its field (released) or went into a scan, by index in the trace's characters. */
  settledAt: number[];
}

/** US-keyboard physical key and Shift of each character a scanner or a test types. */
export const US_KEYS: Readonly<Record<string, readonly [code: string, shift: boolean]>> = (() => {
  const m: Record<string, readonly [string, boolean]> = {};
  for (let c = 0; c < 26; c++) {
    const l = String.fromCharCode(65 + c);
    m[l.toLowerCase()] = [`Key${l}`, false];
    m[l] = [`Key${l}`, true];
  }
  for (let d = 0; d < 10; d++) m[String(d)] = [`Digit${d}`, false];
  Object.assign(m, {
    ':': ['Semicolon', true], ';': ['Semicolon', false], '/': ['Slash', false], '?': ['Slash', true], '-': ['Minus', false],
    '=': ['Equal', false], ' ': ['Space', false], '.': ['Period', false], '%': ['Digit5', true], '^': ['Digit6', true], ']': ['BracketRight', false],
  });
  return m;
})();

export interface TypeOptions {
  target?: string;
  editable?: boolean;
  /** The key after the text: 'Enter', 'Tab', 'NumpadEnter', or null for none. */
  terminator?: string | null;
}

/**
 * Keydowns typing `text` from `start`: `gaps[i]` ms before character i+1 (and, after the last
 * character, before the terminator). Shifted characters are preceded by a ShiftLeft keydown at
 * the same time, as a scanner sends them.
 */
export function typed(text: string, start: number, gaps: readonly number[], opts: TypeOptions = {}): TraceKey[] {
  const target = opts.target ?? 'field';
  const editable = opts.editable ?? true;
  const keys: TraceKey[] = [];
  let at = start;
  let i = 0;
  for (const ch of text) {
    if (i > 0) at += gaps[i - 1] ?? 0;
    const k = US_KEYS[ch];
    if (k === undefined) throw new Error(`no US key for ${JSON.stringify(ch)}`);
    if (k[1]) keys.push({ at, code: 'ShiftLeft', key: 'Shift', shift: true, target, editable });
    keys.push({ at, code: k[0], key: ch, shift: k[1], target, editable });
    i += 1;
  }
  const terminator = opts.terminator === undefined ? 'Enter' : opts.terminator;
  if (terminator !== null) {
    at += gaps[i - 1] ?? 0;
    keys.push({ at, code: terminator, key: terminator === 'NumpadEnter' ? 'Enter' : terminator, shift: false, target, editable });
  }
  return keys;
}

/** The characters a trace types (what a field should end up holding, or a scan report), in order. */
export function charsOf(trace: readonly TraceKey[]): string {
  return trace
    .filter((k) => k.key.length === 1)
    .map((k) => k.key)
    .join('');
}

/** A demo-store member card number (62228 + 10 digits + Luhn digit, as src-main/seed/identifiers.ts prints them). */
export function memberCard(rng: Rng): string {
  let body = '62228';
  while (body.length < 15) body += String(rng.int(0, 9));
  return body + luhnCheckDigit(body);
}

/** An EAN-13 with a Chinese GS1 prefix (690-699). */
export function ean13(rng: Rng): string {
  let body = `69${rng.int(0, 9)}`;
  while (body.length < 12) body += String(rng.int(0, 9));
  return body + ean13CheckDigit(body);
}

export interface ScanShape {
  /** Per-key gap range of the scanner (default 10-40 ms). */
  keyMs?: readonly [number, number];
  /** One gap (between two keys, or before the terminator) is this long instead; null: none. */
  lateGapMs?: number | null;
  /** Which gap is late (0: before the second character; text.length - 1: before the terminator); default random. */
  lateAt?: number;
}

/** Gaps of a scanner typing `length` characters and a terminator: 10-40 ms each, one of them late. */
export function scannerGaps(rng: Rng, length: number, shape: ScanShape = {}): { gaps: number[]; lateAt: number | null } {
  const [lo, hi] = shape.keyMs ?? [10, 40];
  const gaps = Array.from({ length }, () => lo + rng.next() * (hi - lo));
  const late = shape.lateGapMs ?? null;
  if (late === null) return { gaps, lateAt: null };
  const lateAt = shape.lateAt ?? rng.int(0, length - 1);
  gaps[lateAt] = late;
  return { gaps, lateAt };
}

/** Gaps of a person typing `length` keys: 100-300 ms with irregular pauses, some keys rolled over (10-45 ms). */
export function humanGaps(rng: Rng, length: number, rollover = 0.08): number[] {
  return Array.from({ length }, () => {
    if (rng.chance(rollover)) return 10 + rng.next() * 35;
    const base = 100 + rng.next() * 200;
    // Now and then a pause to look at the card or the screen.
    return rng.chance(0.1) ? base + rng.next() * 600 : base;
  });
}

/** A simulated clock: timers run when `advanceTo` passes their due time, earliest first. */
export class SimClock {
  now = 0;
  private timers: Array<{ due: number; fn: () => void; id: number }> = [];
  private nextId = 1;

  setTimer = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.push({ due: this.now + ms, fn, id });
    return id;
  };

  clearTimer = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };

  /** Runs every timer due before `t` (or at `t` too with `inclusive`), then sets the time to `t`. */
  advanceTo(t: number, inclusive = true): void {
    for (;;) {
      let due: { due: number; fn: () => void; id: number } | undefined;
      for (const x of this.timers) if ((inclusive ? x.due <= t : x.due < t) && (due === undefined || x.due < due.due)) due = x;
      if (due === undefined) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.now = Math.max(this.now, due.due);
      due.fn();
    }
    this.now = Math.max(this.now, t);
  }
}

export interface ReplayOptions {
  /** When a timer is due at the very time of a key, run the key first (as a busy browser may). */
  keysBeforeTimers?: boolean;
  /** Silence after the last key, for the detector's timers to run out (default 2 s). */
  tailMs?: number;
}

/** Feeds `trace` to a fresh detector on a simulated clock and records what it reported and when. */
export function replay(trace: readonly TraceKey[], settings: WedgeSettings, opts: ReplayOptions = {}): Replay {
  const clock = new SimClock();
  const outputs: TraceOutput[] = [];
  const verdicts: Replay['verdicts'] = [];
  const settledAt: number[] = [];
  const settle = (n: number): void => {
    for (let i = 0; i < n; i++) settledAt.push(clock.now);
  };
  const d = new WedgeDetector<string>(settings, {
    onScan: (s, target) => {
      outputs.push({ kind: 'scan', raw: s.raw, at: clock.now, target, rejoined: s.rejoined === true });
      settle(s.raw.length);
    },
    onRelease: (text, target) => {
      outputs.push({ kind: 'release', text, at: clock.now, target });
      settle(text.length);
    },
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
  });
  for (const k of trace) {
    clock.advanceTo(k.at, !opts.keysBeforeTimers);
    const facts: KeyFacts = { code: k.code, key: k.key, keyCode: 0, shiftKey: k.shift, ctrlKey: false, altKey: false, metaKey: false, isComposing: false, at: k.at };
    const v = d.keydown(facts, k.target, k.editable);
    if (k.code !== 'ShiftLeft') verdicts.push(v);
  }
  clock.advanceTo((trace.at(-1)?.at ?? 0) + (opts.tailMs ?? 2000));
  return { outputs, verdicts, settledAt };
}
