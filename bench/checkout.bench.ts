/**
 * The durable checkout against its floor, in one run on one disk:
 *
 *   - raw: a better-sqlite3 transaction inserting 2 rows (WAL, synchronous=FULL, as the till runs)
 *     in a scratch database beside the store: the least any durable sale can cost here;
 *   - loopback: one HTTP round trip to a bare server on 127.0.0.1 (what the bridge adds at least),
 *     right after an untimed one, as each timed checkout comes right after its untimed preview;
 *   - checkout, in process: `checkout.complete` through the terminal's dispatcher;
 *   - checkout, over the bridge: the same through the loopback HTTP bridge, as browser mode calls it;
 *   - pages: WAL frames each checkout's COMMIT appends (one frame per page written).
 *
 *   npx tsx bench/checkout.bench.ts [--members 10000] [--data-dir DIR] [--checkouts 300] [--gap-ms 200] [--pages 100] [--page-map]
 *
 * `--page-map` also names the b-tree (table or index) of every page those commits wrote, from the
 * WAL's frame headers (the documented WAL file format) and SQLite's dbstat table: where a
 * checkout's pages go. It walks the whole database once at the end (seconds at 10k members).
 *
 * Rounds interleave the four timings (raw, loopback, in process, bridge), `--gap-ms` apart, so the
 * disk's and the machine's moods fall on all of them alike; figures are also given as ratios to the
 * raw commit of the same run. Every checkout is previewed first, untimed, as the UI does on every
 * change of the basket. Buyers are members no earlier run sold to, each once. The store is seeded on
 * first use (`--members`, as the demo store; bench/results/ledger-db-N, shared with the ledger bench).
 * Benches assert nothing.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startHttpBridge } from '../src-main/bridge/http-bridge';
import { DEMO_SEED_META_KEY } from '../src-main/seed/demo';
import { Rng } from '../src-main/seed/prng';
import { DATABASE_FILE } from '../src-main/terminal/config';
import { createTerminal } from '../src-main/terminal/create-terminal';
import { createUuidV7 } from '../src-shared/sync/ids';
import { stats, type Stats } from './ledger.bench';
import { notSoldToSinceSeed } from './lib/fresh-buyers';
import { benchCaller, signInDemoStaff } from './lib/terminal-session';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '10000' },
    'data-dir': { type: 'string' },
    checkouts: { type: 'string', default: '300' },
    'gap-ms': { type: 'string', default: '200' },
    pages: { type: 'string', default: '100' },
    'page-map': { type: 'boolean', default: false },
  },
});
const members = Number(values.members);
const rounds = Number(values.checkouts);
const gapMs = Number(values['gap-ms']);
const pageSamples = Number(values.pages);
const dataDir = path.resolve(values['data-dir'] ?? path.join(RESULTS, `ledger-db-${members}`));

if (!fs.existsSync(path.join(dataDir, DATABASE_FILE))) {
  console.log(`Seeding ${members.toLocaleString('en')} members into ${dataDir} ...`);
  const seeding = await createTerminal({ dataDir, seedDemo: { members, paymentsAtTill: false } });
  await seeding.close();
}

// Real time, moved on 4 s per checkout so that the till's velocity rule never holds one for a manager.
let clockMs = Date.now();
const t = await createTerminal({ dataDir, now: () => new Date(clockMs), seedDemo: false, startSync: false });
const { raw } = t.ctx;
const seedMeta = raw.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(DEMO_SEED_META_KEY) as string | undefined;
const seededAt = seedMeta ? (JSON.parse(seedMeta) as { seededAt?: string }).seededAt : undefined;
const lastSale = raw.prepare('SELECT max(created_at) FROM sale').pluck().get() as string | null;
if (seededAt) clockMs = Date.parse(seededAt) + 60_000;
if (lastSale) clockMs = Math.max(clockMs, Date.parse(lastSale) + 120_000);

const call = benchCaller(t);
await signInDemoStaff(call, 'cashier');
// Each customer pays cash with change, into an open drawer session: the sale, its tenders and the
// drawer's share of the day summary are all in the commit measured.
const drawer = await t.dispatch('drawer.open', { idempotencyKey: `bench-drawer-${Date.now()}`, counts: { '10000': 20 } });
if (!drawer.ok && drawer.error.code !== 'DRAWER_ALREADY_OPEN') throw new Error(`drawer.open: ${drawer.error.code} ${drawer.error.message}`);
const token = randomBytes(24).toString('base64url');
const bridge = await startHttpBridge({ dispatch: t.dispatch, token, port: 0 });
const bridgeCall = async (method: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> => {
  const res = await fetch(`${bridge.url}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(input) });
  return (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
};

// A bare loopback server: the round trip any bridge call pays before the till does anything.
const bare = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = '{"ok":true}';
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
const loopback = async () => {
  const res = await fetch(bareUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  await res.json();
};

// The floor: a scratch database beside the store, on the same disk, with the till's pragmas.
const floorFile = path.join(dataDir, 'bench-floor.sqlite');
for (const f of [floorFile, `${floorFile}-wal`, `${floorFile}-shm`]) fs.rmSync(f, { force: true });
const floor = new Database(floorFile);
floor.pragma('journal_mode = WAL');
floor.pragma('synchronous = FULL');
floor.exec('CREATE TABLE sale (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
const insertFloor = floor.prepare('INSERT INTO sale (body) VALUES (?)');
const rawCommit = floor.transaction(() => {
  insertFloor.run('a sale row');
  insertFloor.run('a ledger row');
});

// Buyers with points, nobody an earlier run sold to, each once (seeded PRNG: runs compare).
const fresh = notSoldToSinceSeed(raw);
const rng = new Rng(4242, members);
const bySeq = raw.prepare('SELECT id, balance FROM member WHERE seq = ?');
const chosen = new Set<string>();
const buyers: string[] = [];
const wanted = (rounds + 10) * 2 + pageSamples;
for (let tries = 0; buyers.length < wanted && tries < wanted * 50; tries++) {
  const m = bySeq.get(rng.int(1, members)) as { id: string; balance: number } | undefined;
  if (!m || m.balance < 1000 || chosen.has(m.id) || !fresh(m.id)) continue;
  chosen.add(m.id);
  buyers.push(m.id);
}
if (buyers.length < wanted) console.warn(`note: only ${buyers.length} fresh buyers with points (wanted ${wanted}); seed a larger store for a full run.`);

const lines = [
  { lineNo: 1, category: 'grocery', sku: '6920000000017', description: '五常大米 5kg', quantity: 1, unitPriceMinor: 6990 },
  { lineNo: 2, category: 'dairy', sku: '6920000000024', description: '全脂牛奶 1L', quantity: 2, unitPriceMinor: 1290 },
];
const newKey = createUuidV7({ now: Date.now, randomBytes: (n) => randomBytes(n) });
type Caller = (method: string, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
const inProcess: Caller = (method, input) => t.dispatch(method, input);

/** One customer: preview (untimed), then the timed complete; null when the member cannot redeem after all. */
async function checkout(via: Caller, memberId: string): Promise<number | null> {
  clockMs += 4000;
  const preview = await via('checkout.preview', { memberId, lines, redeemPoints: 100 });
  if (!preview.ok && preview.error?.code === 'INSUFFICIENT_POINTS') return null;
  if (!preview.ok) throw new Error(`checkout.preview: ${preview.error?.code} ${preview.error?.message}`);
  const due = (preview.value as { paidMinor: number }).paidMinor;
  const tenders = [{ code: 'CASH', amountMinor: Math.ceil(due / 5000) * 5000 }];
  const s = performance.now();
  const r = await via('checkout.complete', { idempotencyKey: newKey(), memberId, lines, redeemPoints: 100, tenders });
  const took = performance.now() - s;
  if (!r.ok) throw new Error(`checkout.complete: ${r.error?.code} ${r.error?.message}`);
  return took;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, gapMs));
const timed = { raw: [] as number[], loopback: [] as number[], inProcess: [] as number[], bridge: [] as number[] };
let next = 0;
for (let round = 0; round < rounds + 10 && next + 1 < buyers.length; round++) {
  await pause();
  let s = performance.now();
  rawCommit();
  const rawMs = performance.now() - s;
  await pause();
  await loopback(); // untimed, as the untimed preview goes before each timed checkout
  s = performance.now();
  await loopback();
  const loopMs = performance.now() - s;
  await pause();
  const inProc = await checkout(inProcess, buyers[next++]!);
  await pause();
  const viaBridge = await checkout(bridgeCall, buyers[next++]!);
  if (round < 10) continue; // warm-up: JIT, statement cache, the member-keyed pages of the first reads
  timed.raw.push(rawMs);
  timed.loopback.push(loopMs);
  if (inProc !== null) timed.inProcess.push(inProc);
  if (viaBridge !== null) timed.bridge.push(viaBridge);
}

// Pages written: after a passive checkpoint has copied every frame back, the next commit restarts
// the WAL, so the log's length after it is that commit's frames (pages written, page 1 included).
const frames: number[] = [];
const pagesWritten: number[][] = [];
const walLog = () => (raw.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[])[0]!;
const pageSize = Number(raw.pragma('page_size', { simple: true }));
for (let i = 0; i < pageSamples && next < buyers.length; i++) {
  const before = walLog();
  if (before.log !== before.checkpointed) continue; // a reader held frames back: this sample would not start from an empty WAL
  if ((await checkout(inProcess, buyers[next++]!)) === null) continue;
  const log = walLog().log;
  frames.push(log);
  if (values['page-map']) pagesWritten.push(walFramePages(path.join(dataDir, `${DATABASE_FILE}-wal`), log, pageSize));
}
const pageMap = values['page-map'] ? namePages(raw, pagesWritten) : null;

const memberCount = Number(raw.prepare('SELECT count(*) FROM member').pluck().get());
await bridge.close();
bare.close();
await t.close();
floor.close();
for (const f of [floorFile, `${floorFile}-wal`, `${floorFile}-shm`]) fs.rmSync(f, { force: true });

const row = (label: string, s: Stats) =>
  `${label.padEnd(36)} ${String(s.n).padStart(5)} ${s.p50.toFixed(2).padStart(7)} ${s.p95.toFixed(2).padStart(7)} ${s.p99.toFixed(2).padStart(7)} ${s.max.toFixed(2).padStart(7)}`;
const r = { raw: stats(timed.raw), loopback: stats(timed.loopback), inProcess: stats(timed.inProcess), bridge: stats(timed.bridge) };
const pages = stats(frames);
console.log(`\ncheckout bench: ${memberCount.toLocaleString('en')} members, ${pageSize} B pages, ${gapMs} ms between steps, ${new Date().toISOString()}`);
console.log(`${'ms'.padEnd(36)} ${'n'.padStart(5)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)}`);
console.log(row('raw 2-row durable commit', r.raw));
console.log(row('loopback HTTP round trip', r.loopback));
console.log(row('checkout.complete, in process', r.inProcess));
console.log(row('checkout.complete, over the bridge', r.bridge));
console.log(`\npages written per checkout (WAL frames per COMMIT): mean ${(frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length)).toFixed(1)}, p50 ${pages.p50}, p99 ${pages.p99}, max ${pages.max} (n ${frames.length})`);
if (pageMap) {
  console.log(`\nwhere those pages are (per checkout, mean over ${pagesWritten.length}):`);
  for (const [name, n] of pageMap) console.log(`  ${(n / pagesWritten.length).toFixed(2).padStart(6)}  ${name}`);
}
console.log('\nratios, same run:');
console.log(`  in process / raw commit:              p50 ${(r.inProcess.p50 / r.raw.p50).toFixed(2)}x   p99 ${(r.inProcess.p99 / r.raw.p99).toFixed(2)}x`);
console.log(`  bridge / (raw commit + loopback):     p50 ${(r.bridge.p50 / (r.raw.p50 + r.loopback.p50)).toFixed(2)}x   p99 ${(r.bridge.p99 / (r.raw.p99 + r.loopback.p99)).toFixed(2)}x`);

/** The page numbers of the first `frames` frames of a WAL file (32-byte header, then 24-byte frame headers each followed by a page). */
function walFramePages(walFile: string, frames: number, pageSize: number): number[] {
  const fd = fs.openSync(walFile, 'r');
  try {
    const header = Buffer.alloc(4);
    const pages: number[] = [];
    for (let i = 0; i < frames; i++) {
      fs.readSync(fd, header, 0, 4, 32 + i * (24 + pageSize));
      pages.push(header.readUInt32BE(0));
    }
    return pages;
  } finally {
    fs.closeSync(fd);
  }
}

/** How many of the written pages belong to each b-tree (page 1 is the database header), most first. */
function namePages(db: Database.Database, written: number[][]): [string, number][] {
  const wanted = new Set(written.flat());
  const owner = new Map<number, string>();
  for (const row of db.prepare('SELECT name, pageno FROM dbstat').iterate() as Iterable<{ name: string; pageno: number }>) {
    if (wanted.has(row.pageno)) owner.set(row.pageno, row.name);
  }
  const counts = new Map<string, number>();
  for (const page of written.flat()) {
    const name = page === 1 ? '(page 1: database header)' : (owner.get(page) ?? '(new or free page)');
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}
