/**
 * The keyboard-wedge detector rejoins a scan split by one late keystroke, on timing traces
 * replayed on a simulated clock (test/helpers/wedge-trace.ts): scanners at 10-40 ms a key with
 * one gap up to 150 ms, people at 100-300 ms a key with rollover, and mixtures of the two.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCheckedCode } from '../../../src-shared/cards';
import { DEFAULT_WEDGE_SETTINGS, type WedgeSettings } from '../../../src-renderer/scan/wedge-detector';
import { charsOf, ean13, humanGaps, memberCard, replay, Rng, scannerGaps, typed, type TraceKey, type TraceOutput } from '../../helpers/wedge-trace';

const S: WedgeSettings = DEFAULT_WEDGE_SETTINGS;
const CARD = '6222800000000010';

const scans = (o: TraceOutput[]): string[] => o.flatMap((x) => (x.kind === 'scan' ? [x.raw] : []));
const released = (o: TraceOutput[]): string => o.flatMap((x) => (x.kind === 'release' ? [x.text] : [])).join('');
/** Everything that left the detector, in order: scans in brackets. */
const stream = (o: TraceOutput[]): string => o.map((x) => (x.kind === 'scan' ? `[${x.raw}]` : x.text)).join('');

describe('a scan split by one late keystroke', () => {
  it('is one scan with the full code for a late gap anywhere, up to 150 ms, in a field and on the page', () => {
    expect(isCheckedCode(CARD)).toBe(true);
    for (const editable of [true, false]) {
      for (let lateAt = 0; lateAt < CARD.length; lateAt++) {
        for (const late of [51, 70, 100, 140, 150]) {
          const gaps = Array.from({ length: CARD.length }, (_, i) => (i === lateAt ? late : 25));
          const r = replay(typed(CARD, 1000, gaps, { editable, target: editable ? 'field' : 'page' }), S);
          expect(r.outputs, `gap ${late} ms before key ${lateAt + 1}`).toEqual([
            { kind: 'scan', raw: CARD, at: expect.any(Number), target: editable ? 'field' : 'page', rejoined: lateAt < CARD.length - 1 },
          ]);
        }
      }
    }
  });

  it('500 generated scans (member cards and EAN-13) at 10-40 ms a key with one random gap up to 150 ms: exactly one scan each', () => {
    const rng = new Rng(18, 3);
    for (let i = 0; i < 500; i++) {
      const code = i % 2 === 0 ? memberCard(rng) : ean13(rng);
      const { gaps } = scannerGaps(rng, code.length, { lateGapMs: 40 + rng.next() * 110 });
      const trace = typed(code, 1000, gaps, { editable: rng.chance(0.7) });
      for (const keysBeforeTimers of [false, true]) {
        const r = replay(trace, S, { keysBeforeTimers });
        expect(scans(r.outputs), `${code} ${gaps.map((g) => g.toFixed(0)).join(',')}`).toEqual([code]);
        expect(released(r.outputs)).toBe('');
      }
    }
  });

  it('reports the scan at the terminator: the window adds no wait to a scan', () => {
    const gaps = Array.from({ length: CARD.length }, (_, i) => (i === 4 ? 120 : 20));
    const trace = typed(CARD, 1000, gaps);
    const r = replay(trace, S);
    expect(r.outputs).toEqual([{ kind: 'scan', raw: CARD, at: trace.at(-1)!.at, target: 'field', rejoined: true }]);
    // The Enter is held (it ends a scan), like every key of the scan in a field.
    expect(r.verdicts.every((v) => v === 'hold')).toBe(true);
  });

  it('on the page the first key of each part passes, as the first key of any burst does', () => {
    const gaps = Array.from({ length: CARD.length }, (_, i) => (i === 6 ? 100 : 20));
    const r = replay(typed(CARD, 1000, gaps, { target: 'page', editable: false }), S);
    expect(scans(r.outputs)).toEqual([CARD]);
    expect(r.verdicts.map((v, i) => (v === 'pass' ? i : -1)).filter((i) => i >= 0)).toEqual([0, 7]);
  });

  it('works with every terminator the settings offer (Enter, Tab, either, none)', () => {
    const gaps = Array.from({ length: CARD.length }, (_, i) => (i === 9 ? 130 : 15));
    const cases: Array<[WedgeSettings['terminator'], string | null]> = [
      ['Enter', 'Enter'],
      ['Enter', 'NumpadEnter'],
      ['Tab', 'Tab'],
      ['EnterOrTab', 'Tab'],
      ['EnterOrTab', 'NumpadEnter'],
      ['none', null],
    ];
    for (const [terminator, key] of cases) {
      const r = replay(typed(CARD, 1000, gaps, { terminator: key }), { ...S, terminator });
      expect(r.outputs.map((o) => o.kind === 'scan' && o.raw), `${terminator} ${key}`).toEqual([CARD]);
    }
  });

  it('joins the other checked forms too: EAN-8, UPC-A, TSM1: QR payloads, track 2 and an AIM prefix', () => {
    for (const code of ['96385074', '036000291452', 'TSM1:6222020000000049', ';4000123456789017=2912?', ']C06222020000000015']) {
      const gaps = Array.from({ length: code.length }, (_, i) => (i === 3 ? 110 : 12));
      const r = replay(typed(code, 1000, gaps), { ...S, minLength: 6 });
      expect(r.outputs.map((o) => o.kind === 'scan' && o.raw && o.rejoined), code).toEqual([true]);
      expect(scans(r.outputs)).toEqual([code]);
    }
  });

  it('two split scans back to back are two scans', () => {
    const rng = new Rng(7);
    const a = memberCard(rng);
    const b = ean13(rng);
    const first = typed(a, 1000, scannerGaps(rng, a.length, { lateGapMs: 140, lateAt: 3 }).gaps);
    const second = typed(b, first.at(-1)!.at + 30, scannerGaps(rng, b.length, { lateGapMs: 90, lateAt: 10 }).gaps);
    // The third starts 30 ms after the second ends, and its second key is late.
    const third = typed(a, second.at(-1)!.at + 30, scannerGaps(rng, a.length, { lateGapMs: 120, lateAt: 0 }).gaps);
    const r = replay([...first, ...second, ...third], S);
    expect(r.outputs.map((o) => o.kind === 'scan' && [o.raw, o.rejoined])).toEqual([
      [a, true],
      [b, true],
      [a, true],
    ]);
  });
});

describe('what is not joined', () => {
  it('a late gap longer than rejoinMs still splits the scan: the head is typing, given back first', () => {
    const gaps = Array.from({ length: CARD.length }, (_, i) => (i === 5 ? 200 : 10));
    const r = replay(typed(CARD, 1000, gaps), S);
    expect(r.outputs.map((o) => [o.kind, o.kind === 'scan' ? o.raw : o.text])).toEqual([
      ['release', CARD.slice(0, 6)],
      ['scan', CARD.slice(6)],
    ]);
  });

  it('a joined text whose check digit fails is not a scan: each part is decided on its own', () => {
    const bad = '6222800000000017';
    expect(isCheckedCode(bad)).toBe(false);
    const gaps = Array.from({ length: bad.length }, (_, i) => (i === 5 ? 90 : 10));
    const r = replay(typed(bad, 1000, gaps), S);
    expect(stream(r.outputs)).toBe('622280[0000000017]');
    // Exactly what the detector without the rejoin window does.
    expect(replay(typed(bad, 1000, gaps), { ...S, rejoinMs: 0 }).outputs.map(({ at: _at, ...o }) => o)).toEqual(r.outputs.map(({ at: _at, ...o }) => o));
  });

  it('a half scan followed by a person typing: the half is given back to the field, then every typed digit, in order', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 200; i++) {
      const half = memberCard(rng).slice(0, rng.int(1, 12));
      const phone = `13${rng.int(100000000, 999999999)}`;
      const start = 1000;
      const head = typed(half, start, scannerGaps(rng, half.length).gaps, { terminator: null });
      const gap = 60 + rng.next() * 200;
      const person = typed(phone, head.at(-1)!.at + gap, humanGaps(rng, phone.length));
      const r = replay([...head, ...person], S);
      expect(scans(r.outputs)).toEqual([]);
      expect(released(r.outputs)).toBe(half + phone);
      // The person's Enter passes (the form is submitted) once everything is in the field.
      expect(r.verdicts.at(-1)).toBe('pass');
    }
  });

  it('a person typing a valid member card number by hand is never a scan, whatever their rhythm', () => {
    const rng = new Rng(12);
    for (let i = 0; i < 300; i++) {
      const card = memberCard(rng);
      const trace = typed(card, 1000, humanGaps(rng, card.length, 0.15));
      const r = replay(trace, S);
      expect(scans(r.outputs)).toEqual([]);
      expect(released(r.outputs)).toBe(card);
      expect(r.verdicts.at(-1)).toBe('pass');
    }
  });

  it('letters are not held for the rejoin window; digits are, at most rejoinMs', () => {
    const letter = replay(typed('w', 1000, [], { terminator: null }), S);
    expect(letter.outputs).toEqual([{ kind: 'release', text: 'w', at: 1000 + S.maxInterKeyMs + 1, target: 'field' }]);
    const digit = replay(typed('7', 1000, [], { terminator: null }), S);
    expect(digit.outputs).toEqual([{ kind: 'release', text: '7', at: 1000 + 150 + 1, target: 'field' }]);
  });

  it('a digit typed soon after another key is not held for the window: only the first after a pause is', () => {
    const r = replay(typed('1385', 1000, [120, 260, 200], { terminator: null }), S);
    expect(r.outputs.map((o) => o.kind === 'release' && [o.text, o.at - 1000])).toEqual([
      // '3' came 120 ms after '1' (within the window): '1' is given back when '3' stops.
      ['1', 120 + S.maxInterKeyMs + 1],
      ['3', 120 + S.maxInterKeyMs + 1],
      ['8', 380 + S.maxInterKeyMs + 1],
      ['5', 580 + S.maxInterKeyMs + 1],
    ]);
  });

  it('a person typing digits sees each one within about two keys, and never out of order', () => {
    const rng = new Rng(13);
    for (let i = 0; i < 100; i++) {
      const digits = String(rng.int(10_000_000, 99_999_999)) + String(rng.int(1000, 9999));
      const trace = typed(digits, 1000, humanGaps(rng, digits.length, 0), { terminator: null });
      const r = replay(trace, S);
      expect(released(r.outputs)).toBe(digits);
      const keys = trace.filter((k) => k.key.length === 1);
      keys.forEach((k, j) => expect(r.settledAt[j]! - k.at).toBeLessThanOrEqual(150 + S.maxInterKeyMs + 2));
    }
  });
});

describe('properties', () => {
  const KEYS = ['0', '1', '2', '5', '6', '8', '9', 'a', 'T', ';', 'Enter', 'Backspace'];
  /** A random trace in one field: keys from KEYS with gaps from 0 to 400 ms, scanner-like stretches more likely. */
  const traceArb = fc
    .array(fc.record({ key: fc.constantFrom(...KEYS), gap: fc.oneof(fc.integer({ min: 5, max: 45 }), fc.integer({ min: 46, max: 400 })) }), { maxLength: 60 })
    .map((ks) => {
      let at = 1000;
      const trace: TraceKey[] = [];
      for (const { key, gap } of ks) {
        at += gap;
        if (key.length > 1) trace.push({ at, code: key, key, shift: false, target: 'field', editable: true });
        else trace.push(...typed(key, at, [], { terminator: null }));
      }
      return trace;
    });

  it('nothing typed into a field is lost, doubled or reordered: every character is given back or scanned, in order', () => {
    fc.assert(
      fc.property(traceArb, (trace) => {
        const r = replay(trace, S);
        expect(r.outputs.map((o) => (o.kind === 'scan' ? o.raw : o.text)).join('')).toBe(charsOf(trace));
      }),
      { numRuns: 2000 },
    );
  });

  it('without a rejoined scan the result is exactly that of the detector without the window', () => {
    fc.assert(
      fc.property(traceArb, fc.constantFrom<WedgeSettings['terminator']>('Enter', 'none'), (trace, terminator) => {
        const r = replay(trace, { ...S, terminator });
        fc.pre(r.outputs.every((o) => o.kind !== 'scan' || !o.rejoined));
        const plain = replay(trace, { ...S, terminator, rejoinMs: 0 });
        const strip = (o: TraceOutput[]) => o.map(({ at: _at, ...x }) => x);
        expect(strip(r.outputs)).toEqual(strip(plain.outputs));
        expect(r.verdicts).toEqual(plain.verdicts);
      }),
      { numRuns: 2000 },
    );
  });

  it('a timer due at the very time of a key gives the same result whichever runs first', () => {
    fc.assert(
      fc.property(traceArb, (trace) => {
        const strip = (o: TraceOutput[]) => o.map(({ at: _at, ...x }) => x);
        expect(strip(replay(trace, S, { keysBeforeTimers: true }).outputs)).toEqual(strip(replay(trace, S).outputs));
      }),
      { numRuns: 1000 },
    );
  });

  it('a rejoined scan is always a checked code of at least minLength characters', () => {
    fc.assert(
      fc.property(traceArb, (trace) => {
        for (const o of replay(trace, S).outputs) if (o.kind === 'scan' && o.rejoined) expect(o.raw.length >= S.minLength && isCheckedCode(o.raw)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
