/**
 * The keyboard-wedge detector's rejoin window on timing traces replayed on a simulated clock
 * (the pure detector, no browser): scanner traces at 10-40 ms a key with one random late gap up
 * to 150 ms (member cards and EAN-13 codes, mixed, into a text field or onto the page), and a
 * corpus of people typing (phone numbers, card numbers and barcodes by hand, names, PINs) at
 * 100-300 ms a key with irregular pauses and some rolled-over key pairs; then half scans followed
 * by a person typing. Each trace also goes through the same detector without the window
 * (rejoinMs 0), as it was before, for comparison. Prints figures; asserts nothing.
 *
 *   npx tsx bench/wedge-rejoin.bench.ts [--scans 500] [--humans 500] [--seed 18]
 *
 * Figures: failed scans (anything but exactly one scan with the whole code and nothing typed),
 * people typing taken for a scan (false joins, and any scan at all), typing lost or reordered,
 * how long after its last key a scan is reported with and without the window (the extra latency
 * the window adds to a scan), and how long a person's keystroke takes to reach the field.
 */
import { pathToFileURL } from 'node:url';
import { DEFAULT_WEDGE_SETTINGS, type WedgeSettings } from '../src-renderer/scan/wedge-detector';
import { charsOf, ean13, humanGaps, memberCard, replay, Rng, scannerGaps, typed, type TraceKey, type TraceOutput } from '../test/helpers/wedge-trace';

interface Options {
  scans: number;
  humans: number;
  seed: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { scans: 500, humans: 500, seed: 18 };
  for (let i = 0; i < argv.length; i += 2) {
    const v = Number(argv[i + 1]);
    if (argv[i] === '--scans') o.scans = v;
    else if (argv[i] === '--humans') o.humans = v;
    else if (argv[i] === '--seed') o.seed = v;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return o;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

const pct = (xs: number[]): { p50: number; p99: number; max: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s.at(-1) ?? NaN };
};

const released = (o: TraceOutput[]): string => o.flatMap((x) => (x.kind === 'release' ? [x.text] : [])).join('');

interface ScanCase {
  code: string;
  trace: TraceKey[];
  lateGapMs: number;
}

interface HumanCase {
  what: string;
  trace: TraceKey[];
}

/** Scans ended by `terminator` (null: by silence; the late gap then falls between two characters). */
function scanCases(rng: Rng, n: number, terminator: string | null): ScanCase[] {
  return Array.from({ length: n }, () => {
    const code = rng.chance(0.5) ? memberCard(rng) : ean13(rng);
    const lateGapMs = 10 + rng.next() * 140;
    const { gaps } = scannerGaps(rng, terminator === null ? code.length - 1 : code.length, { lateGapMs });
    const editable = rng.chance(0.7);
    return { code, lateGapMs, trace: typed(code, 1000, gaps, { editable, target: editable ? 'field' : 'page', terminator }) };
  });
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function humanCases(rng: Rng, n: number): HumanCase[] {
  const kinds: Array<[string, () => string]> = [
    ['phone', () => `1${rng.pick(['3', '5', '8'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`],
    ['member card by hand', () => memberCard(rng)],
    ['barcode by hand', () => ean13(rng)],
    ['last four', () => String(rng.int(0, 9999)).padStart(4, '0')],
    ['PIN', () => rng.pick(['1111', '2222', '9999'])],
    ['amount', () => String(rng.int(1, 99_999))],
    ['name', () => Array.from({ length: rng.int(3, 9) }, () => rng.pick([...LETTERS])).join('')],
  ];
  return Array.from({ length: n }, (_, i) => {
    const [what, make] = kinds[i % kinds.length]!;
    const text = make();
    return { what, trace: typed(text, 1000, humanGaps(rng, text.length)) };
  });
}

/**
 * A scan cut off after a few characters (no terminator), then a person typing a phone number.
 * `maxHalf`: the longest cut-off part (with terminator `none` a fast burst of minLength is a scan).
 */
function halfScanCases(rng: Rng, n: number, maxHalf: number): Array<{ expected: string; trace: TraceKey[] }> {
  return Array.from({ length: n }, () => {
    const code = rng.chance(0.5) ? memberCard(rng) : ean13(rng);
    const half = code.slice(0, rng.int(1, Math.min(maxHalf, code.length - 2)));
    const head = typed(half, 1000, scannerGaps(rng, half.length).gaps, { terminator: null });
    const phone = `13${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
    const person = typed(phone, head.at(-1)!.at + 60 + rng.next() * 240, humanGaps(rng, phone.length));
    return { expected: half + phone, trace: [...head, ...person] };
  });
}

export interface WedgeRejoinFigures {
  scans: number;
  failures: number;
  /** A few failed scans with what the detector reported, for a reader to look at. */
  failedExamples: string[];
  failuresWithoutWindow: number;
  splitScans: number;
  humans: number;
  falseJoins: number;
  humanScans: number;
  humanLostOrReordered: number;
  halfScans: number;
  halfScanFailures: number;
  scanLatency: { p50: number; p99: number; max: number };
  scanLatencyWithoutWindow: { p50: number; p99: number; max: number };
  keystrokeDelay: { p50: number; p99: number; max: number };
  keystrokeDelayWithoutWindow: { p50: number; p99: number; max: number };
}

export function runWedgeRejoinBench(opts: Options, settings: WedgeSettings = DEFAULT_WEDGE_SETTINGS): WedgeRejoinFigures {
  const rng = new Rng(opts.seed);
  const without: WedgeSettings = { ...settings, rejoinMs: 0 };

  // Scans: exactly one scan event with the whole code, nothing typed into the field.
  let failures = 0;
  let failuresWithoutWindow = 0;
  let splitScans = 0;
  const latency: number[] = [];
  const latencyWithout: number[] = [];
  const examples: string[] = [];
  const terminator = settings.terminator === 'none' ? null : settings.terminator === 'Tab' ? 'Tab' : 'Enter';
  for (const c of scanCases(rng, opts.scans, terminator)) {
    if (c.lateGapMs > settings.maxInterKeyMs) splitScans += 1;
    const lastKeyAt = c.trace.at(-1)!.at;
    const ok = (o: TraceOutput[]) => o.length === 1 && o[0]!.kind === 'scan' && o[0]!.raw === c.code;
    const r = replay(c.trace, settings);
    if (ok(r.outputs)) latency.push(r.outputs[0]!.at - lastKeyAt);
    else {
      failures += 1;
      if (examples.length < 5) examples.push(`${c.code} (late gap ${c.lateGapMs.toFixed(0)} ms): ${JSON.stringify(r.outputs)}`);
    }
    const before = replay(c.trace, without);
    if (ok(before.outputs)) latencyWithout.push(before.outputs[0]!.at - lastKeyAt);
    else failuresWithoutWindow += 1;
  }

  // People typing: never a scan; every character reaches the field, in order.
  let falseJoins = 0;
  let humanScans = 0;
  let humanLost = 0;
  const delay: number[] = [];
  const delayWithout: number[] = [];
  const humans = humanCases(rng, opts.humans);
  for (const h of humans) {
    const r = replay(h.trace, settings);
    const scans = r.outputs.filter((o) => o.kind === 'scan');
    humanScans += scans.length > 0 ? 1 : 0;
    falseJoins += scans.some((o) => o.kind === 'scan' && o.rejoined) ? 1 : 0;
    if (released(r.outputs) !== charsOf(h.trace)) humanLost += 1;
    const keys = h.trace.filter((k) => k.key.length === 1);
    const before = replay(h.trace, without);
    keys.forEach((k, i) => {
      delay.push((r.settledAt[i] ?? NaN) - k.at);
      delayWithout.push((before.settledAt[i] ?? NaN) - k.at);
    });
  }

  let halfScanFailures = 0;
  const halves = halfScanCases(rng, Math.max(1, Math.round(opts.humans / 5)), settings.terminator === 'none' ? settings.minLength - 1 : 14);
  for (const h of halves) {
    const r = replay(h.trace, settings);
    if (r.outputs.some((o) => o.kind === 'scan') || released(r.outputs) !== h.expected) halfScanFailures += 1;
  }

  const figures: WedgeRejoinFigures = {
    scans: opts.scans,
    failures,
    failedExamples: examples,
    failuresWithoutWindow,
    splitScans,
    humans: humans.length,
    falseJoins,
    humanScans,
    humanLostOrReordered: humanLost,
    halfScans: halves.length,
    halfScanFailures,
    scanLatency: pct(latency),
    scanLatencyWithoutWindow: pct(latencyWithout),
    keystrokeDelay: pct(delay),
    keystrokeDelayWithoutWindow: pct(delayWithout),
  };
  return figures;
}

function print(opts: Options): void {
  const ms = (x: { p50: number; p99: number; max: number }) => `p50 ${x.p50.toFixed(0)} / p99 ${x.p99.toFixed(0)} / max ${x.max.toFixed(0)} ms`;
  for (const terminator of ['Enter', 'none'] as const) {
    const settings: WedgeSettings = { ...DEFAULT_WEDGE_SETTINGS, terminator };
    const f = runWedgeRejoinBench(opts, settings);
    console.log(
      `Keyboard-wedge rejoin window (rejoinMs ${settings.rejoinMs}, maxInterKeyMs ${settings.maxInterKeyMs}, terminator ${terminator}; seed ${opts.seed}; simulated clock)`,
    );
    console.log(`  scans: ${f.scans} at 10-40 ms a key, one gap of 10-150 ms each (${f.splitScans} longer than maxInterKeyMs); 70 % into a text field`);
    console.log(`    failed: ${f.failures} (expected 0); without the window: ${f.failuresWithoutWindow}`);
    for (const e of f.failedExamples) console.log(`      ${e}`);
    console.log(`    reported after the last key: ${ms(f.scanLatency)}; without the window: ${ms(f.scanLatencyWithoutWindow)} (of the scans it got right)`);
    console.log(`  people typing: ${f.humans} traces at 100-300 ms a key, pauses and rolled-over pairs`);
    console.log(`    false joins: ${f.falseJoins} (expected 0); any scan: ${f.humanScans}; typing lost or reordered: ${f.humanLostOrReordered}`);
    console.log(`    keystroke to field: ${ms(f.keystrokeDelay)}; without the window: ${ms(f.keystrokeDelayWithoutWindow)}`);
    console.log(`  half a scan, then a person typing: ${f.halfScans} traces; not given back whole and in order: ${f.halfScanFailures}`);
    console.log('');
  }
}

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href) print(parseArgs(process.argv.slice(2)));
