/**
 * Keyboard-wedge scan detection, as a pure state machine (no DOM, no React): fed keydown
 * facts with their time stamps, it decides whether a burst of keys is a scanner or a person.
 *
 * A scan is at least `minLength` characters typed with no gap longer than `maxInterKeyMs`
 * and ended by the terminator (Enter, Tab, either, or, with `none`, by silence). People type
 * with gaps of 100 ms and more; scanners at 1 to 50 ms per key (some up to 100 ms: raise
 * `maxInterKeyMs` for those).
 *
 * So that a scan never lands in a text field as typing, every character of a possible burst
 * is held back (the caller prevents its default action) and, when the burst turns out to be a
 * person typing, given back to the field it was meant for, in order, before the key that
 * broke the burst. In a non-editable place the first key passes untouched (nothing to type
 * into) and only the following fast keys are held.
 *
 * Characters come from the physical key (KeyboardEvent.code) and Shift, so keyboard layouts
 * and a Chinese input method (keyCode 229, key 'Process', composition events) cannot garble
 * a scan (see key-decode.ts).
 */
import { charOfCode, isModifierCode } from './key-decode';

export interface WedgeSettings {
  maxInterKeyMs: number;
  minLength: number;
  terminator: 'Enter' | 'Tab' | 'EnterOrTab' | 'none';
  /** With `none`: the silence that ends a scan. Otherwise: how long a complete-length burst may wait for its terminator. */
  timeoutMs: number;
}

export const DEFAULT_WEDGE_SETTINGS: WedgeSettings = { maxInterKeyMs: 50, minLength: 6, terminator: 'Enter', timeoutMs: 150 };

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
}

export interface WedgeCallbacks<T> {
  onScan(scan: DetectedScan, target: T): void;
  /** Held characters of a burst that was a person typing: put them into `target`, where they were going. */
  onRelease(text: string, target: T): void;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Nothing is held any more (a scan was reported or the keys were given back). */
  onIdle?(): void;
}

/** `hold`: prevent the key's default action (and stop it reaching the page); `pass`: leave it alone. */
export type KeyVerdict = 'hold' | 'pass';

interface Burst<T> {
  target: T;
  editable: boolean;
  chars: string[];
  /** Characters whose default action was prevented (to be given back if this is typing). */
  held: string;
  firstAt: number;
  lastAt: number;
  ime: boolean;
}

export class WedgeDetector<T> {
  private burst: Burst<T> | null = null;
  private timer: unknown = null;

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
    return this.burst !== null;
  }

  private isTerminator(code: string): boolean {
    const t = this.settings.terminator;
    const enter = code === 'Enter' || code === 'NumpadEnter';
    if (t === 'Enter') return enter;
    if (t === 'Tab') return code === 'Tab';
    if (t === 'EnterOrTab') return enter || code === 'Tab';
    return false;
  }

  keydown(k: KeyFacts, target: T, editable: boolean): KeyVerdict {
    if (isModifierCode(k.code)) return this.burst !== null ? 'hold' : 'pass';
    const ime = k.keyCode === 229 || k.key === 'Process' || k.isComposing;
    let b = this.burst;

    // A gap too long for a scanner ends the burst before this key is looked at.
    if (b !== null) {
      const limit = this.isTerminator(k.code) && b.chars.length >= this.settings.minLength ? Math.max(this.settings.timeoutMs, this.settings.maxInterKeyMs) : this.settings.maxInterKeyMs;
      if (k.at - b.lastAt > limit || b.target !== target) {
        this.endBurst();
        b = null;
      }
    }

    if (k.ctrlKey || k.altKey || k.metaKey) {
      this.flushAsTyping();
      return 'pass';
    }

    if (this.isTerminator(k.code)) {
      if (b === null) return 'pass';
      if (b.chars.length >= this.settings.minLength) {
        this.clear();
        this.cb.onScan({ raw: b.chars.join(''), durationMs: k.at - b.firstAt, ime: b.ime || ime }, b.target);
        return 'hold';
      }
      this.flushAsTyping();
      return 'pass';
    }

    const ch = decodeKey(k);
    if (ch === null) {
      // Backspace, arrows, Escape...: a person. Give back what was held, then let the key act.
      this.flushAsTyping();
      return 'pass';
    }

    if (b === null) {
      b = { target, editable, chars: [], held: '', firstAt: k.at, lastAt: k.at, ime: false };
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

  /** Silence: with terminator `none` a long enough burst is a scan; otherwise the held keys were typing. */
  private arm(): void {
    this.disarm();
    const b = this.burst;
    if (b === null) return;
    const s = this.settings;
    const wait = s.terminator === 'none' ? Math.max(s.timeoutMs, s.maxInterKeyMs) : b.chars.length >= s.minLength ? Math.max(s.timeoutMs, s.maxInterKeyMs) : s.maxInterKeyMs;
    this.timer = this.cb.setTimer(() => {
      this.timer = null;
      this.endBurst();
    }, wait + 1);
  }

  private disarm(): void {
    if (this.timer !== null) {
      this.cb.clearTimer(this.timer);
      this.timer = null;
    }
  }

  private clear(): void {
    this.disarm();
    const had = this.burst !== null;
    this.burst = null;
    if (had) this.cb.onIdle?.();
  }

  private endBurst(): void {
    const b = this.burst;
    if (b === null) return;
    if (this.settings.terminator === 'none' && b.chars.length >= this.settings.minLength) {
      this.clear();
      this.cb.onScan({ raw: b.chars.join(''), durationMs: b.lastAt - b.firstAt, ime: b.ime }, b.target);
      return;
    }
    this.flushAsTyping();
  }

  /** Gives the held characters back as typing. */
  flushAsTyping(): void {
    const b = this.burst;
    this.clear();
    if (b !== null && b.held !== '' && b.editable) this.cb.onRelease(b.held, b.target);
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
