/**
 * Look-up and checkout latency at a store's size, measured through the real services: createTerminal + dispatch
 * (schema validation included), signed in as a cashier, on a demo store seeded with
 * `seedDemoStore` (about 20 ledger entries per member).
 *
 *   npx tsx bench/ledger.bench.ts [--members 10000] [--data-dir DIR] [--samples 1000] [--checkouts 400] [--sample-seed 4242] [--no-verify] [--prewarm] [--customer-gap-ms 600]
 *
 * The seeded database is kept and reused: DIR if given (seeded there if it holds no database),
 * else bench/results/ledger-db-<members>/ (git-ignored). Figures are printed as a table and
 * written to bench/results/ledger-<members>.json. Benches print; they assert nothing.
 *
 * Measured (latency of one dispatch each, after a short warm-up, one at a time):
 *   card      members.find by card number (and members.scan: the full member view a scan opens)
 *   phone     members.find by full phone number
 *   last4     members.find by the last four phone digits (first 20 matches)
 *   name      members.find by name: Chinese two-character names, and three-letter Latin prefixes
 *   checkout  checkout.complete with earn and a 100-point redemption, committed durably
 *             (WAL, synchronous=FULL: fsync of the WAL on every commit)
 * Targets (issue 2, at 1,000,000 members / 20,000,000 entries): card and phone p99 < 1 ms,
 * last4 and name p99 < 20 ms, checkout p99 < 5 ms.
 */
import { randomBytes } from 'node:crypto';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { nameMatchQuery } from '../src-shared/search/name-tokens';
import { createUuidV7 } from '../src-shared/sync/ids';
import { DEMO_SEED_META_KEY } from '../src-main/seed/demo';
import { Rng } from '../src-main/seed/prng';
import { DATABASE_FILE } from '../src-main/terminal/config';
import { createTerminal } from '../src-main/terminal/create-terminal';
import { notSoldToSinceSeed } from './lib/fresh-buyers';
import { benchCaller, signInDemoStaff } from './lib/terminal-session';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s[s.length - 1] ?? NaN, mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length) };
}

const TARGETS: Record<string, number> = { card: 1, phone: 1, last4: 20, 'name (zh 2-char)': 20, 'name (latin prefix)': 20, checkout: 5 };

export interface LedgerBenchResult {
  members: number;
  ledgerEntries: number;
  sales: number;
  dataDir: string;
  seeded: { now: boolean; seconds: number | null; seededAt: string | null; worker: boolean | null; indexBuildSeconds: number | null };
  openSeconds: number;
  prewarm: { bytes: number; seconds: number } | null;
  customerGapMs: number;
  databaseBytes: number;
  bytesPerMember: number;
  pragmas: { journal_mode: string; synchronous: number };
  latenciesMs: Record<string, Stats & { target?: number; met?: boolean }>;
  verify: { ok: boolean; seconds: number } | null;
  queryPlans: Record<string, string[]>;
  machine: { cpus: number; loadAvgStart: number[]; loadAvgEnd: number[]; node: string };
  measuredAt: string;
}

export async function runLedgerBench(opts: {
  members: number;
  dataDir?: string;
  samples: number;
  checkouts: number;
  verify: boolean;
  /** Which random members are looked up (another seed gives members whose pages are not cached yet). */
  sampleSeed?: number;
  /** Put the till's per-customer working set in the OS file cache first (see prewarmWorkingSet). */
  prewarm?: boolean;
  /** Idle time between customers in the main checkout figure, ms (default 600). */
  customerGapMs?: number;
}): Promise<LedgerBenchResult> {
  const loadAvgStart = os.loadavg();
  const dataDir = path.resolve(opts.dataDir ?? path.join(RESULTS, `ledger-db-${opts.members}`));
  const file = path.join(dataDir, DATABASE_FILE);
  const exists = fs.existsSync(file);
  if (!exists) {
    console.log(`Seeding ${opts.members.toLocaleString('en')} members into ${dataDir} ...`);
    const seeding = await createTerminal({ dataDir, seedDemo: { members: opts.members, paymentsAtTill: false } });
    await seeding.close();
  }
  // The bench clock: real time, moved on 4 s before every checkout so that the terminal's
  // velocity rule (20 redemptions a minute) never holds one for a manager.
  let clockMs = Date.now();
  const t0 = performance.now();
  const t = await createTerminal({ dataDir, now: () => new Date(clockMs), seedDemo: false });
  const openSeconds = (performance.now() - t0) / 1000;
  const { raw } = t.ctx;
  const prewarm = opts.prewarm ? prewarmWorkingSet(file) : null;
  const seedMeta = raw.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(DEMO_SEED_META_KEY) as string | undefined;
  const seed = seedMeta ? (JSON.parse(seedMeta) as { elapsedMs: number; seededAt?: string; worker?: boolean; indexBuildMs?: number }) : null;
  // The store trades on from the end of its demo history, whenever the bench runs (so figures do not
  // depend on how long ago it was seeded), after the last redemption of any earlier bench run.
  const lastRedeem = raw.prepare(`SELECT max(created_at) FROM ledger_entry WHERE kind = 'redeem'`).pluck().get() as string | null;
  if (seed?.seededAt) clockMs = Date.parse(seed.seededAt) + 60_000;
  if (lastRedeem) clockMs = Math.max(clockMs, Date.parse(lastRedeem) + 120_000);
  const members = Number(raw.prepare('SELECT count(*) FROM member').pluck().get());
  if (members !== opts.members) console.log(`Note: ${dataDir} holds ${members.toLocaleString('en')} members (asked for ${opts.members.toLocaleString('en')}); measuring it as it is.`);
  const ledgerEntries = Number(raw.prepare('SELECT max(rowid) FROM ledger_entry').pluck().get() ?? 0);
  const sales = Number(raw.prepare('SELECT max(rowid) FROM sale').pluck().get() ?? 0);
  return measure(t, { ...opts, customerGapMs: opts.customerGapMs ?? 600, prewarm, dataDir, members, ledgerEntries, sales, seed, seededNow: !exists, openSeconds, loadAvgStart, advance: (ms) => (clockMs += ms) });
}

async function measure(
  t: Awaited<ReturnType<typeof createTerminal>>,
  o: {
    sampleSeed?: number;
    samples: number;
    checkouts: number;
    verify: boolean;
    dataDir: string;
    members: number;
    ledgerEntries: number;
    sales: number;
    seed: { elapsedMs: number; seededAt?: string; worker?: boolean; indexBuildMs?: number } | null;
    seededNow: boolean;
    openSeconds: number;
    prewarm: { bytes: number; seconds: number } | null;
    customerGapMs: number;
    loadAvgStart: number[];
    advance: (ms: number) => void;
  },
): Promise<LedgerBenchResult> {
  const { raw } = t.ctx;
  try {
    const call = benchCaller(t);
    await signInDemoStaff(call, 'cashier');

    // Random members (seeded, so runs compare), with what a cashier would type for each.
    const rng = new Rng(o.sampleSeed ?? 4242, o.members);
    const bySeq = raw.prepare(`
      SELECT m.seq, m.id, m.phone, m.phone_last4, m.name, m.balance,
        (SELECT code FROM card c WHERE c.member_id = m.id AND c.status = 'active' AND c.kind = 'printed' LIMIT 1) AS card
      FROM member m WHERE m.seq = ?`);
    type Sampled = { seq: number; id: string; phone: string; phone_last4: string; name: string | null; balance: number; card: string | null };
    const pick = (n: number, ok: (m: Sampled) => boolean, maxTries = n * 50): Sampled[] => {
      const out: Sampled[] = [];
      for (let tries = 0; out.length < n && tries < maxTries; tries++) {
        const m = bySeq.get(rng.int(1, o.members)) as Sampled | undefined;
        if (m && ok(m)) out.push(m);
      }
      return out;
    };
    const n = o.samples;
    const withCard = pick(n, (m) => m.card !== null);
    const withPhone = pick(n, () => true);
    const zhNames = pick(n, (m) => m.name !== null && /^\p{Script=Han}{2}$/u.test(m.name));
    const latinNames = pick(n, (m) => m.name !== null && /^[A-Za-z]{3}/.test(m.name));
    // Buyers no earlier run sold to (see notSoldToSinceSeed), each at most once in this run; on a
    // small store that runs out after a few runs, and the rest are then members sold to before.
    const fresh = notSoldToSinceSeed(raw);
    const chosen = new Set<string>();
    const pickBuyers = (count: number, freshOnly: boolean) =>
      pick(count, (m) => {
        if (m.balance < 1000 || chosen.has(m.id) || (freshOnly && !fresh(m.id))) return false;
        chosen.add(m.id);
        return true;
      });
    const buyers = pickBuyers(o.checkouts * 4, true);
    const resold = o.checkouts * 4 - buyers.length;
    if (resold > 0) {
      buyers.push(...pickBuyers(resold, false));
      console.warn(`note: ${resold} buyers are members earlier runs sold to (too few others with points): their index leaves fill up, so checkouts read more than at a till. Seed the store again for clean figures.`);
    }

    const time = async (label: string, inputs: unknown[], method: string, check?: (v: unknown, i: number) => void) => {
      for (const input of inputs.slice(0, Math.min(50, inputs.length))) await call(method, input); // warm-up
      const ms: number[] = [];
      for (let i = 0; i < inputs.length; i++) {
        const s = performance.now();
        const v = await call(method, inputs[i]);
        ms.push(performance.now() - s);
        check?.(v, i);
      }
      return [label, stats(ms)] as const;
    };
    const expectMember = (list: Sampled[]) => (v: unknown, i: number) => {
      const found = v as { id: string }[];
      if (!found.some((x) => x.id === list[i]!.id)) throw new Error(`look-up did not find member ${list[i]!.seq}`);
    };

    const latencies: Record<string, Stats> = {};
    const lookups: [string, unknown[], string, ((v: unknown, i: number) => void)?][] = [
      ['card', withCard.map((m) => ({ query: m.card, by: 'card' })), 'members.find', expectMember(withCard)],
      ['card scan (member view)', withCard.map((m) => ({ raw: m.card })), 'members.scan'],
      ['phone', withPhone.map((m) => ({ query: m.phone, by: 'phone' })), 'members.find', expectMember(withPhone)],
      ['last4', withPhone.map((m) => ({ query: m.phone_last4, by: 'last4', limit: 20 })), 'members.find'],
      ['name (zh 2-char)', zhNames.map((m) => ({ query: m.name, by: 'name', limit: 20 })), 'members.find'],
      ['name (latin prefix)', latinNames.map((m) => ({ query: m.name!.slice(0, 3).toLowerCase(), by: 'name', limit: 20 })), 'members.find'],
    ];
    for (const [label, inputs, method, check] of lookups) latencies[label] = (await time(label, inputs, method, check))[1];
    // For attribution: the same look-ups again, now that their pages are in memory (cache misses vs. work).
    for (const [label, inputs, method] of lookups) latencies[`${label}, again (warm, info)`] = (await time(label, inputs, method))[1];

    // Checkout: two lines, 100 points redeemed, earn on the rest; one durable transaction each.
    const lines = [
      { lineNo: 1, category: 'grocery', sku: '6920000000017', description: '五常大米 5kg', quantity: 1, unitPriceMinor: 6990 },
      { lineNo: 2, category: 'dairy', sku: '6920000000024', description: '全脂牛奶 1L', quantity: 2, unitPriceMinor: 1290 },
    ];
    const newKey = createUuidV7({ now: Date.now, randomBytes: (n) => randomBytes(n) });
    // As at the till, the basket is previewed (untimed) before "complete": the UI previews on every
    // change, so the member's pages are the ones the preview just read. `previewFirst: false` times a
    // checkout of a member nothing has read yet (cold pages: on a 1M store, reads from disk).
    // `gapMs`: the next customer comes that long after the last one left (the modelled workload, not a
    // synchronisation): the till is idle in between, as at a counter, so its WAL checkpointer can run.
    const checkouts = async (group: Sampled[], previewFirst = true, gapMs = 0) => {
      const ms: number[] = [];
      let warm = 0;
      for (const m of group) {
        // Back to back, the next request still arrives as an I/O event (IPC or HTTP), so due timers
        // (the WAL checkpointer) run between customers, as at a busy till; bare awaits would starve them.
        await new Promise((resolve) => (gapMs > 0 ? setTimeout(resolve, gapMs) : setImmediate(resolve)));
        o.advance(4000);
        // Keys as the till's UI makes them: UUIDv7, time-ordered.
        const input = { idempotencyKey: newKey(), memberId: m.id, lines, redeemPoints: 100 };
        if (previewFirst) {
          const preview = await t.dispatch('checkout.preview', { memberId: m.id, lines, redeemPoints: 100 });
          // Points of this member expired since they were picked (lazy expiry): not a buyer after all.
          if (!preview.ok && preview.error.code === 'INSUFFICIENT_POINTS') continue;
          if (!preview.ok) throw new Error(`checkout.preview: ${preview.error.code} ${preview.error.message}`);
        }
        const s = performance.now();
        const r = await t.dispatch('checkout.complete', input);
        const took = performance.now() - s;
        // Not previewed: a member whose points expired since they were picked is refused (rolled back).
        if (!r.ok && r.error.code === 'INSUFFICIENT_POINTS' && !previewFirst) continue;
        if (!r.ok) throw new Error(`checkout.complete: ${r.error.code} ${r.error.message}`);
        // A member who already bought a lot today earns nothing more (the daily cap): the excess is
        // still recorded on an earn entry, so the checkout did the same work.
        const sale = r.value as { redeemedPoints: number; earnedPoints: number; cappedPoints: number };
        if (sale.redeemedPoints !== 100 || (sale.earnedPoints <= 0 && sale.cappedPoints <= 0)) throw new Error('checkout did not earn and redeem');
        if (warm++ < 10) continue;
        ms.push(took);
      }
      return stats(ms);
    };
    const c = o.checkouts;
    latencies.checkout = await checkouts(buyers.slice(0, c), true, o.customerGapMs);
    // For attribution only: a burst of back-to-back checkouts (no idle moment), the same without the fsync (synchronous=NORMAL is not durable in WAL mode), members
    // nothing has read yet, and the disk's own fsync latency for a 4 KiB append.
    latencies['checkout, back to back (info)'] = await checkouts(buyers.slice(c, c * 2));
    raw.pragma('synchronous = NORMAL');
    latencies['checkout, no fsync (info)'] = await checkouts(buyers.slice(c * 2, c * 3));
    raw.pragma('synchronous = FULL');
    latencies['checkout, not previewed: cold member (info)'] = await checkouts(buyers.slice(c * 3), false);
    latencies['fsync 4 KiB append (info)'] = fsyncProbe(o.dataDir, 200);
    // The floor under any durable checkout on this machine: a one-row SQLite commit (WAL, FULL) in
    // a scratch database beside the store, with the same idle gap before each.
    latencies[`1-row durable commit, ${o.customerGapMs} ms apart (info)`] = await commitFloorProbe(o.dataDir, Math.min(200, o.checkouts), o.customerGapMs);

    let verify: LedgerBenchResult['verify'] = null;
    if (o.verify) {
      const s = performance.now();
      const v = (await call('ledger.verify', {})) as { ok: boolean };
      verify = { ok: v.ok, seconds: (performance.now() - s) / 1000 };
    }

    const plan = (sqlText: string, ...params: unknown[]) =>
      (raw.prepare(`EXPLAIN QUERY PLAN ${sqlText}`).all(...params) as { detail: string }[]).map((r) => r.detail);
    const sample = withPhone[0]!;
    const queryPlans = {
      card: plan('SELECT * FROM card WHERE code = ?', withCard[0]?.card ?? ''),
      phone: plan('SELECT * FROM member WHERE phone = ?', sample.phone),
      last4: plan(`SELECT * FROM member WHERE phone_last4 = ? AND status != 'erased' ORDER BY seq DESC LIMIT 20`, sample.phone_last4),
      name: plan(
        `SELECT m.* FROM member_name_fts f JOIN member m ON m.seq = f.rowid WHERE member_name_fts MATCH ? AND m.status != 'erased' ORDER BY f.rowid DESC LIMIT 20`,
        nameMatchQuery(zhNames[0]?.name ?? 'wang') ?? 'wang',
      ),
    };

    const dbFile = path.join(o.dataDir, DATABASE_FILE);
    const databaseBytes = [dbFile, `${dbFile}-wal`].reduce((sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
    const result: LedgerBenchResult = {
      members: o.members,
      ledgerEntries: o.ledgerEntries,
      sales: o.sales,
      dataDir: o.dataDir,
      seeded: {
        now: o.seededNow,
        seconds: o.seed ? o.seed.elapsedMs / 1000 : null,
        seededAt: o.seed?.seededAt ?? null,
        worker: o.seed?.worker ?? null,
        indexBuildSeconds: o.seed?.indexBuildMs !== undefined ? o.seed.indexBuildMs / 1000 : null,
      },
      openSeconds: o.openSeconds,
      prewarm: o.prewarm,
      customerGapMs: o.customerGapMs,
      databaseBytes,
      bytesPerMember: databaseBytes / Math.max(1, o.members),
      pragmas: { journal_mode: String(raw.pragma('journal_mode', { simple: true })), synchronous: Number(raw.pragma('synchronous', { simple: true })) },
      latenciesMs: Object.fromEntries(
        Object.entries(latencies).map(([k, s]) => [k, TARGETS[k] === undefined ? s : { ...s, target: TARGETS[k], met: s.p99 < TARGETS[k]! }]),
      ),
      verify,
      queryPlans,
      machine: { cpus: os.cpus().length, loadAvgStart: o.loadAvgStart, loadAvgEnd: os.loadavg(), node: process.version },
      measuredAt: new Date().toISOString(),
    };
    return result;
  } finally {
    await t.close();
  }
}

/** Tables whose rows and indexes a till reads for every customer, and the per-member indexes of the big tables. */
const WORKING_SET_TABLES = ['member', 'card', 'member_period_spend', 'member_field_clock', 'member_name_fts_data', 'member_name_fts_idx', 'member_name_fts_docsize', 'product', 'staff', 'meta'];
const WORKING_SET_INDEXES = ['ledger_member', 'remote_entry_member', 'sale_member'];

/**
 * Reads the till's per-customer working set once, so the OS file cache holds it as it would on a
 * till that has been trading for a while: every member, card and counter row with their indexes,
 * and the per-member indexes of the ledger and sales (at 1,000,000 members ~6 GB of a ~33 GB file).
 * The sale, sale-line and ledger tables themselves (~20 GB) stay cold. Without it the figures are
 * those of a till just after a reboot. dbstat walks every page of the b-trees it is asked about,
 * on a connection of its own: the terminal's page cache is left as it is.
 */
export function prewarmWorkingSet(file: string): { bytes: number; seconds: number } {
  const started = performance.now();
  const raw = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  raw.pragma('cache_size = -8192');
  try {
    return readWorkingSet(raw, started);
  } finally {
    raw.close();
  }
}

function readWorkingSet(raw: Database, started: number): { bytes: number; seconds: number } {
  const names = raw
    .prepare(`SELECT name FROM sqlite_schema WHERE tbl_name IN (${WORKING_SET_TABLES.map(() => '?').join(',')}) OR name IN (${WORKING_SET_INDEXES.map(() => '?').join(',')})`)
    .pluck()
    .all(...WORKING_SET_TABLES, ...WORKING_SET_INDEXES) as string[];
  const size = raw.prepare('SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?').pluck();
  let bytes = 0;
  for (const name of names) bytes += Number(size.get(name));
  return { bytes, seconds: (performance.now() - started) / 1000 };
}

/** Latency of appending 4 KiB to a file and fdatasync-ing it, in the data folder (what a WAL commit waits for). */
function fsyncProbe(dir: string, n: number): Stats {
  const file = path.join(dir, 'fsync-probe.tmp');
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(4096, 1);
  const ms: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      fs.writeSync(fd, block);
      fs.fdatasyncSync(fd);
      ms.push(performance.now() - s);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  return stats(ms);
}

/** Latency of the smallest durable SQLite transaction (one row, WAL, synchronous=FULL), `gapMs` after the last. */
async function commitFloorProbe(dir: string, n: number, gapMs: number): Promise<Stats> {
  const file = path.join(dir, 'commit-probe.sqlite');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE probe (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO probe (v) VALUES (?)');
    const commit = db.transaction((v: string) => insert.run(v));
    for (let i = 0; i < 20; i++) commit('warm-up');
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
      const s = performance.now();
      commit('x'.repeat(100));
      ms.push(performance.now() - s);
    }
    return stats(ms);
  } finally {
    db.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  }
}

export function printLedgerBench(r: LedgerBenchResult): void {
  const f = (x: number) => (x < 10 ? x.toFixed(3) : x.toFixed(1));
  console.log('');
  console.log(`Ledger bench: ${r.members.toLocaleString('en')} members, ${r.ledgerEntries.toLocaleString('en')} ledger entries, ${r.sales.toLocaleString('en')} sales`);
  console.log(`  database      ${(r.databaseBytes / 1e9).toFixed(2)} GB, ${(r.bytesPerMember / 1024).toFixed(1)} KiB per member (${r.dataDir})`);
  console.log(`  seeding       ${r.seeded.seconds === null ? 'unknown' : `${r.seeded.seconds.toFixed(1)} s`}${r.seeded.now ? ' (this run)' : ` (earlier run${r.seeded.seededAt ? `, ${r.seeded.seededAt}` : ''})`}${r.seeded.worker ? ', history generated in a worker thread' : ''}${r.seeded.indexBuildSeconds ? `, ${r.seeded.indexBuildSeconds.toFixed(1)} s of it building deferred indexes` : ''}`);
  console.log(`  terminal open ${r.openSeconds.toFixed(2)} s; journal_mode=${r.pragmas.journal_mode}, synchronous=${r.pragmas.synchronous} (2 = FULL)`);
  if (r.prewarm) console.log(`  prewarm       ${(r.prewarm.bytes / 1e9).toFixed(2)} GB of member-side tables and indexes read into the OS cache in ${r.prewarm.seconds.toFixed(1)} s`);
  console.log(`  checkout      customers ${r.customerGapMs} ms apart (the till idle in between); the "back to back" row has no gap`);
  if (r.verify) console.log(`  ledger.verify ${r.verify.ok ? 'ok' : 'MISMATCH'} in ${r.verify.seconds.toFixed(1)} s`);
  console.log(`  machine       ${r.machine.cpus} CPUs, load average ${r.machine.loadAvgStart.map((x) => x.toFixed(1)).join('/')} at start, ${r.machine.loadAvgEnd.map((x) => x.toFixed(1)).join('/')} at end`);
  console.log('');
  console.log(`  ${'latency (ms)'.padEnd(26)} ${'n'.padStart(5)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}   target p99`);
  for (const [k, s] of Object.entries(r.latenciesMs)) {
    const target = 'target' in s && s.target !== undefined ? `< ${s.target} ms ${s.met ? 'met' : 'MISSED'}` : '';
    console.log(`  ${k.padEnd(26)} ${String(s.n).padStart(5)} ${f(s.p50).padStart(8)} ${f(s.p95).padStart(8)} ${f(s.p99).padStart(8)} ${f(s.max).padStart(8)}   ${target}`);
  }
  console.log('');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      members: { type: 'string', default: '10000' },
      'data-dir': { type: 'string' },
      samples: { type: 'string', default: '1000' },
      checkouts: { type: 'string', default: '400' },
      'no-verify': { type: 'boolean', default: false },
      'sample-seed': { type: 'string', default: '4242' },
      prewarm: { type: 'boolean', default: false },
      'customer-gap-ms': { type: 'string', default: '600' },
    },
  });
  const members = Number(values.members);
  const r = await runLedgerBench({
    members,
    dataDir: values['data-dir'],
    samples: Number(values.samples),
    checkouts: Number(values.checkouts),
    verify: !values['no-verify'],
    sampleSeed: Number(values['sample-seed']),
    prewarm: values.prewarm,
    customerGapMs: Number(values['customer-gap-ms']),
  });
  printLedgerBench(r);
  fs.mkdirSync(RESULTS, { recursive: true });
  const out = path.join(RESULTS, `ledger-${r.members}.json`);
  fs.writeFileSync(out, `${JSON.stringify(r, null, 2)}\n`);
  console.log(`Wrote ${path.relative(process.cwd(), out)}`);
}
