/**
 * Keyboard-wedge scan detection, as a pure state machine (no DOM, no React): fed keydown
 * facts with their time stamps, and timers from an injected scheduler, it decides whether a
 * burst of keys is a scanner or a person.
 *
 * A scan is at least `minLength` characters typed with no gap longer than `maxInterKeyMs`
 * and ended by the terminator (Enter, Tab, either, or, with `none`, by silence). People type
 * with gaps of 100 ms and more; scanners at 1 to 50 ms per key (some up to 100 ms: raise
 * `maxInterKeyMs` for those).
 *
 * One late keystroke: a scanner on a busy USB hub or a loaded machine sometimes delivers one
 * key 70 to 150 ms late, which splits the scan in two fast bursts. The first burst (the head)
 * is then held for up to `rejoinMs` after its last key while it could still begin a checked
 * code (src-shared/cards/checked-code.ts: digits, `TSM1:`, track 2). A fast burst that starts
 * within that window continues it; when the terminator (or, with `none`, silence) ends the
 * pair, it is one scan only if the joined text is a checked code: a member card number whose
 * Luhn digit holds, or an EAN-13, UPC-A or EAN-8 whose GS1 check digit holds. Otherwise each
 * part is decided on its own exactly as if no rejoin had been tried. Only one late gap is
 * bridged: when the continuation in turn stops, the head is decided on its own and the
 * continuation becomes the new head.
 *
 * People are never joined: a join needs every key but one within `maxInterKeyMs` of the one
 * before and a valid check digit over at least `minLength` characters, and people type at 100
 * to 300 ms a key. What the window costs them: the first digit they type after a pause appears
 * up to `rejoinMs` after the key instead of `maxInterKeyMs`. A single key that follows another
 * within QUIET_BEFORE_SCAN_MS is the next key of someone typing, not the start of a scan, and
 * is not held longer; nor are letters, which begin no checked code.
 *
 * So that a scan never lands in a text field as typing, every character of a possible burst
 * is held back (the caller prevents its default action) and, when the burst turns out to be a
 * person typing, given back to the field it was meant for, in order, before the key that
 * broke the burst; nothing held is ever dropped from a field. In a non-editable place the
 * first key of each burst passes untouched (nothing to type into) and only the following fast
 * keys are held.
 *
 * Characters come from the physical key (KeyboardEvent.code) and Shift, so keyboard layouts
 * and a Chinese input method (keyCode 229, key 'Process', composition events) cannot garble
 * a scan (see key-decode.ts).
 */
import { isCheckedCode, mayBeginCheckedCode } from '../../src-shared/cards/checked-code';
import { charOfCode, isModifierCode } from './key-decode';

export interface WedgeSettings {
  maxInterKeyMs: number;
  minLength: number;
  terminator: 'Enter' | 'Tab' | 'EnterOrTab' | 'none';
  /** With `none`: the silence that ends a scan. Otherwise: how long a complete-length burst may wait for its terminator. */
  timeoutMs: number;
  /**
   * The longest late gap inside a scan that is bridged when the joined code's check digit
   * holds (default DEFAULT_REJOIN_MS; not above maxInterKeyMs: never).
   */
  rejoinMs?: number;
}

export const DEFAULT_REJOIN_MS = 150;

/**
 * A scan starts after a quiet spell (the scanner is aimed first) or right after another scan.
 * A one-key head that follows the key before it more closely is someone typing (100 to 300 ms a
 * key): it is not held for the rejoin window.
 */
export const QUIET_BEFORE_SCAN_MS = 400;

export const DEFAULT_WEDGE_SETTINGS: WedgeSettings = { maxInterKeyMs: 50, minLength: 6, terminator: 'Enter', timeoutMs: 150, rejoinMs: DEFAULT_REJOIN_MS };

/** What the detector needs to know about one keydown. */
export interface KeyFacts {
  code: string;
  key: string;
  keyCode: number;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** KeyboardEvent.isComposing, or a composition is known to be open. */
  isComposing: boolean;
  /** Milliseconds (event.timeStamp). */
  at: number;
}

export interface DetectedScan {
  raw: string;
  /** From the first key to the terminator. */
  durationMs: number;
  /** An input method was active (keyCode 229 / composition) during the burst. */
  ime: boolean;
  /** Present when one late key had split the scan and the check digit joined the two parts. */
  rejoined?: true;
}

export interface WedgeCallbacks<T> {
  onScan(scan: DetectedScan, target: T): void;
  /** Held characters of a burst that was a person typing: put them into `target`, where they were going. */
  onRelease(text: string, target: T): void;
  /** Runs `fn` after `ms` milliseconds (the detector's only clock besides the keys' time stamps). */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Nothing is held any more (a scan was reported or the keys were given back). */
  onIdle?(): void;
}

/** `hold`: prevent the key's default action (and stop it reaching the page); `pass`: leave it alone. */
export type KeyVerdict = 'hold' | 'pass';

/** A fast burst: keys on one target, each within maxInterKeyMs of the one before. */
interface Burst<T> {
  target: T;
  editable: boolean;
  chars: string[];
  /** Characters whose default action was prevented (to be given back if this is typing). */
  held: string;
  firstAt: number;
  lastAt: number;
  /** Milliseconds from the key before this burst (Infinity after a scan or at the start). */
  quietBefore: number;
  ime: boolean;
}

const text = (b: Burst<unknown>): string => b.chars.join('');

export class WedgeDetector<T> {
  /** A burst that ended at a gap and may still be continued by one late key; set while it is held for that. */
  private head: Burst<T> | null = null;
  /** The burst being typed (with a head: its continuation). */
  private burst: Burst<T> | null = null;
  private timer: unknown = null;
  /** The latest time known: the last key's time stamp, or the due time of the timer that fired. */
  private now = -Infinity;
  /** The last key's time stamp; -Infinity once a scan was reported (the next key may start another). */
  private lastKeyAt = -Infinity;

  constructor(
    private settings: WedgeSettings,
    private readonly cb: WedgeCallbacks<T>,
  ) {}

  update(settings: WedgeSettings): void {
    this.flushAsTyping();
    this.settings = settings;
  }

  /** True while characters are being held back. */
  get pending(): boolean {
    return this.head !== null || this.burst !== null;
  }

  private isTerminator(code: string): boolean {
    const t = this.settings.terminator;
    const enter = code === 'Enter' || code === 'NumpadEnter';
    if (t === 'Enter') return enter;
    if (t === 'Tab') return code === 'Tab';
    if (t === 'EnterOrTab') return enter || code === 'Tab';
    return false;
  }

  private get rejoinMs(): number {
    return this.settings.rejoinMs ?? DEFAULT_REJOIN_MS;
  }

  /** How long a complete-length burst waits for its terminator. */
  private get terminatorWaitMs(): number {
    return Math.max(this.settings.timeoutMs, this.settings.maxInterKeyMs);
  }

  /** Whether a late burst may still continue `h` into a checked code. */
  private mayContinue(h: Burst<T>): boolean {
    if (this.rejoinMs <= this.settings.maxInterKeyMs) return false;
    if (h.chars.length === 1 && h.quietBefore < QUIET_BEFORE_SCAN_MS) return false;
    return mayBeginCheckedCode(text(h));
  }

  /** How long after its last key a head is kept: for its continuation, its terminator, or (`none`) the silence that ends it. */
  private headWaitMs(h: Burst<T>): number {
    const s = this.settings;
    if (s.terminator === 'none') return this.terminatorWaitMs;
    let wait = s.maxInterKeyMs;
    if (h.chars.length >= s.minLength) wait = Math.max(wait, s.timeoutMs);
    if (this.mayContinue(h)) wait = Math.max(wait, this.rejoinMs);
    return wait;
  }

  keydown(k: KeyFacts, target: T, editable: boolean): KeyVerdict {
    if (isModifierCode(k.code)) return this.pending ? 'hold' : 'pass';
    this.now = Math.max(this.now, k.at);
    const ime = k.keyCode === 229 || k.key === 'Process' || k.isComposing;

    // What the time since the last key has ended is decided before this key is looked at.
    if (this.burst !== null && (k.at - this.burst.lastAt > this.settings.maxInterKeyMs || this.burst.target !== target)) this.burstStopped();
    const h = this.head;
    if (this.burst === null && h !== null && (h.target !== target || k.at - h.lastAt > this.headWaitMs(h))) this.settleHead();
    const quietBefore = k.at - this.lastKeyAt;
    this.lastKeyAt = k.at;

    if (k.ctrlKey || k.altKey || k.metaKey) {
      this.flushAsTyping();
      return 'pass';
    }

    if (this.isTerminator(k.code)) return this.terminate(k.at, ime);

    const ch = decodeKey(k);
    if (ch === null) {
      // Backspace, arrows, Escape...: a person. Give back what was held, then let the key act.
      this.flushAsTyping();
      return 'pass';
    }

    let b = this.burst;
    if (b === null) {
      const head = this.head;
      if (head !== null && !(this.mayContinue(head) && k.at - head.lastAt <= this.rejoinMs)) this.settleHead();
      b = { target, editable, chars: [], held: '', firstAt: k.at, lastAt: k.at, quietBefore, ime: false };
      this.burst = b;
    }
    b.chars.push(ch);
    b.lastAt = k.at;
    b.ime ||= ime;
    // In a text field every key of a possible burst is held; elsewhere the first key passes.
    const hold = editable || b.chars.length > 1;
    if (hold) b.held += ch;
    this.arm();
    return hold ? 'hold' : 'pass';
  }

  /** The terminator key: ends the burst (and its head) as a scan, or gives it back and lets the key act. */
  private terminate(at: number, ime: boolean): KeyVerdict {
    const s = this.settings;
    const b = this.burst;
    const h = this.head;
    if (b !== null) {
      if (h !== null) {
        const joined = text(h) + text(b);
        if (joined.length >= s.minLength && isCheckedCode(joined)) {
          this.clear();
          this.scanned({ raw: joined, durationMs: at - h.firstAt, ime: h.ime || b.ime || ime, rejoined: true }, h.target);
          return 'hold';
        }
        this.head = null;
        this.settle(h);
      }
      if (b.chars.length >= s.minLength) {
        this.clear();
        this.scanned({ raw: text(b), durationMs: at - b.firstAt, ime: b.ime || ime }, b.target);
        return 'hold';
      }
      this.flushAsTyping();
      return 'pass';
    }
    if (h !== null && h.chars.length >= s.minLength && at - h.lastAt <= this.terminatorWaitMs) {
      this.clear();
      this.scanned({ raw: text(h), durationMs: at - h.firstAt, ime: h.ime || ime }, h.target);
      return 'hold';
    }
    this.flushAsTyping();
    return 'pass';
  }

  /**
   * The current burst's keys stopped (a gap, another target, or its timer). With a head, the
   * pair is a scan now only with `none` and a checked code; otherwise the head is decided on
   * its own and the burst becomes the head (it may itself be the first half of a split scan).
   */
  private burstStopped(): void {
    const b = this.burst;
    if (b === null) return;
    this.burst = null;
    const h = this.head;
    this.head = b;
    if (h === null) return;
    if (this.settings.terminator === 'none') {
      const joined = text(h) + text(b);
      if (joined.length >= this.settings.minLength && isCheckedCode(joined)) {
        this.clear();
        this.scanned({ raw: joined, durationMs: b.lastAt - h.firstAt, ime: h.ime || b.ime, rejoined: true }, h.target);
        return;
      }
    }
    this.settle(h);
  }

  /** The head's wait is over: it is decided on its own. */
  private settleHead(): void {
    const h = this.head;
    if (h === null) return;
    this.head = null;
    if (!this.pending) this.idle();
    this.settle(h);
  }

  /** A burst with no continuation: with `none` a long enough one is a scan; otherwise its held keys were typing. */
  private settle(b: Burst<T>): void {
    if (this.settings.terminator === 'none' && b.chars.length >= this.settings.minLength) {
      this.scanned({ raw: text(b), durationMs: b.lastAt - b.firstAt, ime: b.ime }, b.target);
      return;
    }
    this.release(b);
  }

  private scanned(scan: DetectedScan, target: T): void {
    this.lastKeyAt = -Infinity;
    this.cb.onScan(scan, target);
  }

  private release(b: Burst<T> | null): void {
    if (b !== null && b.held !== '' && b.editable) this.cb.onRelease(b.held, b.target);
  }

  /** One timer: the current burst's silence, or else the end of the head's wait. */
  private arm(): void {
    this.disarm();
    let due: number;
    if (this.burst !== null) due = this.burst.lastAt + this.settings.maxInterKeyMs + 1;
    else if (this.head !== null) due = this.head.lastAt + this.headWaitMs(this.head) + 1;
    else return;
    this.timer = this.cb.setTimer(() => this.fired(due), Math.max(0, due - this.now));
  }

  private fired(due: number): void {
    this.timer = null;
    this.now = Math.max(this.now, due);
    if (this.burst !== null) this.burstStopped();
    const h = this.head;
    if (this.burst === null && h !== null && this.now - h.lastAt > this.headWaitMs(h)) this.settleHead();
    this.arm();
  }

  private disarm(): void {
    if (this.timer !== null) {
      this.cb.clearTimer(this.timer);
      this.timer = null;
    }
  }

  private idle(): void {
    this.disarm();
    this.cb.onIdle?.();
  }

  private clear(): void {
    const had = this.pending;
    this.head = null;
    this.burst = null;
    this.disarm();
    if (had) this.idle();
  }

  /** Gives every held character back as typing, the head's first. */
  flushAsTyping(): void {
    const h = this.head;
    const b = this.burst;
    this.clear();
    this.release(h);
    this.release(b);
  }

  dispose(): void {
    this.flushAsTyping();
  }
}

/**
 * The character of a keydown: what the OS reported (`key`) when it is one of the two characters
 * this physical key has on a US keyboard (that also respects CapsLock), otherwise the US
 * character from the physical key and Shift (another layout, an input method's 'Process').
 */
export function decodeKey(k: Pick<KeyFacts, 'code' | 'key' | 'shiftKey'>): string | null {
  const plain = charOfCode(k.code, false);
  const shifted = charOfCode(k.code, true);
  if (plain === null || shifted === null) return null;
  if (k.key.length === 1 && (k.key === plain || k.key === shifted)) return k.key;
  return k.shiftKey ? shifted : plain;
}
