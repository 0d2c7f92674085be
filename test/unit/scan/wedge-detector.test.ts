/**
 * The keyboard-wedge detector on synthetic keydown sequences: a manual clock drives its timer,
 * so every timing case is exact.
 */
import { describe, expect, it } from 'vitest';
import { charOfCode } from '../../../src-renderer/scan/key-decode';
import { WedgeDetector, type DetectedScan, type KeyFacts, type WedgeSettings } from '../../../src-renderer/scan/wedge-detector';

class ManualClock {
  now = 1000;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private next = 1;
  setTimer = (fn: () => void, ms: number): unknown => {
    const id = this.next++;
    this.timers.push({ at: this.now + ms, fn, id });
    return id;
  };
  clearTimer = (h: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== h);
  };
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
    }
    this.now = until;
  }
}

const US: Record<string, [string, boolean]> = {};
for (let c = 0; c < 26; c++) {
  const l = String.fromCharCode(65 + c);
  US[l.toLowerCase()] = [`Key${l}`, false];
  US[l] = [`Key${l}`, true];
}
for (let d = 0; d < 10; d++) US[String(d)] = [`Digit${d}`, false];
Object.assign(US, { ':': ['Semicolon', true], ';': ['Semicolon', false], '/': ['Slash', false], '-': ['Minus', false], '=': ['Equal', false], '?': ['Slash', true], ' ': ['Space', false], '.': ['Period', false], '%': ['Digit5', true], '^': ['Digit6', true] });

interface Rig {
  d: WedgeDetector<string>;
  clock: ManualClock;
  scans: Array<DetectedScan & { target: string }>;
  released: Array<{ text: string; target: string }>;
  verdicts: string[];
  /** Types `text` (then the terminator key unless null) with `gap` ms between keys. */
  type(text: string, gap: number, opts?: { terminator?: string | null; target?: string; editable?: boolean; ime?: boolean; layout?: 'us' | 'azerty' }): void;
  key(code: string, extra?: Partial<KeyFacts>, target?: string, editable?: boolean): string;
}

function rig(settings: Partial<WedgeSettings> = {}): Rig {
  const clock = new ManualClock();
  const scans: Rig['scans'] = [];
  const released: Rig['released'] = [];
  const verdicts: string[] = [];
  const d = new WedgeDetector<string>(
    { maxInterKeyMs: 50, minLength: 6, terminator: 'Enter', timeoutMs: 150, ...settings },
    {
      onScan: (s, target) => scans.push({ ...s, target }),
      onRelease: (text, target) => released.push({ text, target }),
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
    },
  );
  const key: Rig['key'] = (code, extra = {}, target = 'page', editable = false) => {
    const v = d.keydown(
      { code, key: extra.key ?? code, keyCode: extra.keyCode ?? 0, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, isComposing: false, at: clock.now, ...extra },
      target,
      editable,
    );
    verdicts.push(v);
    return v;
  };
  const type: Rig['type'] = (text, gap, opts = {}) => {
    const target = opts.target ?? 'page';
    const editable = opts.editable ?? false;
    let first = true;
    for (const ch of text) {
      if (!first) clock.advance(gap);
      first = false;
      const [code, shift] = US[ch]!;
      // An AZERTY layout reports other characters in `key` for the same physical keys.
      const shown = opts.layout === 'azerty' ? ({ KeyA: 'q', KeyQ: 'a', Digit1: '&', Digit2: 'é' } as Record<string, string>)[code] ?? ch : ch;
      if (shift) key('ShiftLeft', { shiftKey: true }, target, editable);
      key(code, { shiftKey: shift, key: opts.ime ? 'Process' : shown, keyCode: opts.ime ? 229 : 0, isComposing: opts.ime ?? false }, target, editable);
    }
    if (opts.terminator !== null) {
      clock.advance(gap);
      key(opts.terminator ?? 'Enter', { key: opts.ime ? 'Process' : (opts.terminator ?? 'Enter'), keyCode: opts.ime ? 229 : 13 }, target, editable);
    }
  };
  return { d, clock, scans, released, verdicts, type, key };
}

describe('keyboard-wedge detector', () => {
  it('reports a fast burst ending in Enter as a scan, decoded from the physical keys', () => {
    const r = rig();
    r.type('6222020000000015', 8);
    expect(r.scans).toEqual([{ raw: '6222020000000015', durationMs: 8 * 16, ime: false, target: 'page' }]);
    expect(r.released).toEqual([]);
    // The first key passes (nothing to type into on the page), the rest and Enter are held.
    expect(r.verdicts[0]).toBe('pass');
    expect(r.verdicts.slice(1).every((v) => v === 'hold')).toBe(true);
  });

  it('keeps case, digits and punctuation (Shift) of QR and track-2 payloads', () => {
    const r = rig();
    r.type('TSM1:6222020000000049', 5);
    r.clock.advance(500);
    r.type(';4000123456789017=2912?', 5);
    r.clock.advance(500);
    r.type('%B4000^', 5);
    expect(r.scans.map((s) => s.raw)).toEqual(['TSM1:6222020000000049', ';4000123456789017=2912?', '%B4000^']);
  });

  it('is not fooled by the keyboard layout or a Chinese input method (keyCode 229)', () => {
    const r = rig();
    r.type('AQ12aq', 6, { layout: 'azerty' });
    r.clock.advance(500);
    r.type('6222020000000015', 6, { ime: true, target: 'field', editable: true });
    expect(r.scans).toEqual([
      { raw: 'AQ12aq', durationMs: 36, ime: false, target: 'page' },
      { raw: '6222020000000015', durationMs: 96, ime: true, target: 'field' },
    ]);
    expect(r.released).toEqual([]);
  });

  it('gives human typing back to the text field it was meant for, in order', () => {
    const r = rig();
    r.type('13812345678', 120, { target: 'field', editable: true });
    expect(r.scans).toEqual([]);
    // Every key was held (possible burst), then given back once the gap showed a person.
    expect(r.released.map((x) => x.text).join('')).toBe('13812345678');
    expect(r.released.every((x) => x.target === 'field')).toBe(true);
    // The Enter came after the last key was given back: it passes, so the form is submitted.
    expect(r.verdicts.at(-1)).toBe('pass');
  });

  it('gives back a fast pair of keys (key rollover) before the next slow one', () => {
    const r = rig();
    r.type('th', 20, { target: 'field', editable: true, terminator: null });
    r.clock.advance(130);
    r.type('e', 0, { target: 'field', editable: true, terminator: null });
    r.clock.advance(200);
    expect(r.released.map((x) => x.text)).toEqual(['th', 'e']);
    expect(r.scans).toEqual([]);
  });

  it('a burst shorter than minLength is typing, even with Enter', () => {
    const r = rig();
    r.type('1234', 5, { target: 'field', editable: true });
    expect(r.scans).toEqual([]);
    expect(r.released).toEqual([{ text: '1234', target: 'field' }]);
    expect(r.verdicts.at(-1)).toBe('pass');
  });

  it('one late gap is bridged when the check digit confirms the joined code (wedge-rejoin.test.ts has the timing traces)', () => {
    const r = rig();
    r.type('622202', 8, { target: 'field', editable: true, terminator: null });
    r.clock.advance(80);
    r.type('0000000015', 8, { target: 'field', editable: true });
    expect(r.scans).toEqual([{ raw: '6222020000000015', durationMs: 40 + 80 + 80, ime: false, target: 'field', rejoined: true }]);
    expect(r.released).toEqual([]);
  });

  it('a gap longer than rejoinMs in the middle breaks the scan', () => {
    const r = rig();
    r.type('622202', 8, { target: 'field', editable: true, terminator: null });
    r.clock.advance(200);
    r.type('0000000015', 8, { target: 'field', editable: true });
    expect(r.scans).toEqual([{ raw: '0000000015', durationMs: 80, ime: false, target: 'field' }]);
    expect(r.released).toEqual([{ text: '622202', target: 'field' }]);
  });

  it('waits up to timeoutMs for the terminator of a complete-length burst', () => {
    const r = rig();
    r.type('6222020000000015', 8, { terminator: null });
    r.clock.advance(120);
    r.key('Enter');
    expect(r.scans.map((s) => s.raw)).toEqual(['6222020000000015']);
    const late = rig();
    late.type('6222020000000015', 8, { terminator: null, target: 'field', editable: true });
    late.clock.advance(200);
    late.key('Enter', {}, 'field', true);
    expect(late.scans).toEqual([]);
    expect(late.released).toEqual([{ text: '6222020000000015', target: 'field' }]);
  });

  it('supports Tab, either terminator, and no terminator (silence ends the scan)', () => {
    const tab = rig({ terminator: 'Tab' });
    tab.type('6222020000000015', 5, { terminator: 'Tab' });
    expect(tab.scans.map((s) => s.raw)).toEqual(['6222020000000015']);
    const either = rig({ terminator: 'EnterOrTab' });
    either.type('123456', 5, { terminator: 'Tab' });
    either.clock.advance(500);
    either.type('654321', 5, { terminator: 'NumpadEnter' });
    expect(either.scans.map((s) => s.raw)).toEqual(['123456', '654321']);
    const none = rig({ terminator: 'none', timeoutMs: 100 });
    none.type('6222020000000015', 5, { terminator: null, target: 'field', editable: true });
    expect(none.scans).toEqual([]);
    none.clock.advance(101);
    expect(none.scans.map((s) => s.raw)).toEqual(['6222020000000015']);
    expect(none.released).toEqual([]);
  });

  it('Backspace, arrows and shortcuts are a person: held keys are given back first', () => {
    const r = rig();
    r.type('ab', 10, { target: 'field', editable: true, terminator: null });
    expect(r.key('Backspace', {}, 'field', true)).toBe('pass');
    expect(r.released).toEqual([{ text: 'ab', target: 'field' }]);
    r.type('cd', 10, { target: 'field', editable: true, terminator: null });
    expect(r.key('KeyV', { ctrlKey: true }, 'field', true)).toBe('pass');
    expect(r.released.map((x) => x.text)).toEqual(['ab', 'cd']);
  });

  it('a burst that moves to another element starts again there', () => {
    const r = rig();
    r.type('abc', 5, { target: 'one', editable: true, terminator: null });
    r.clock.advance(5);
    r.key('KeyD', {}, 'two', true);
    expect(r.released).toEqual([{ text: 'abc', target: 'one' }]);
  });

  it('decodes every printable US key and nothing else', () => {
    expect(charOfCode('KeyZ', false)).toBe('z');
    expect(charOfCode('KeyZ', true)).toBe('Z');
    expect(charOfCode('Digit0', true)).toBe(')');
    expect(charOfCode('Numpad7', false)).toBe('7');
    expect(charOfCode('Enter', false)).toBeNull();
    expect(charOfCode('F5', false)).toBeNull();
    expect(charOfCode('ArrowLeft', false)).toBeNull();
    expect(charOfCode('KeyÄ', false)).toBeNull();
  });
});
