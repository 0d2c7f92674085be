/**
 * Where a checkout's time goes, on the ledger bench's store: for each customer gap and each
 * synchronous level, the time of `checkout.complete` split into COMMIT (WAL write + fsync), the
 * other SQL statements, and the rest (JavaScript: validation, rules, Kysely), with the bytes the
 * process read from storage during the checkout (/proc/self/io read_bytes: page-cache misses).
 *
 *   npx tsx bench/checkout-anatomy.bench.ts [--members 10000] [--data-dir DIR] [--checkouts 200] [--gaps 0,600] [--sync full,normal] [--idle sleep,spin] [--prewarm] [--top 8] [--disk-by-statement] [--why-stalls] [--helpers-normal]
 *
 * Also counts page faults per checkout (/proc/self/stat): a major fault is a page read back from
 * storage, such as code or file cache paged out while the till was idle.
 *
 * Also notes which checkouts restarted the WAL themselves (its header's checkpoint sequence moved
 * during the checkout): that commit syncs twice, once for the new WAL header.
 *
 * For each checkout it also reads how long the main thread waited, runnable, for a CPU
 * (/proc/thread-self/schedstat). With the checkout's time without its COMMIT and the statements that
 * stalled (one call over 3 ms), it separates what the code costs from what the machine's disk, its
 * other tasks and its hypervisor add. It also sums the CPU time this process's other threads got
 * during each checkout (V8 compiles optimised code and marks the heap on helper threads).
 *
 * `--idle spin` keeps the CPU busy through the gap instead of sleeping: if the slowness after
 * idle goes away, it is the machine waking (vCPU, caches), not the database. Benches assert nothing.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type BetterSqlite3 from 'better-sqlite3';
import { createUuidV7 } from '../src-shared/sync/ids';
import { Rng } from '../src-main/seed/prng';
import { DATABASE_FILE } from '../src-main/terminal/config';
import { createTerminal } from '../src-main/terminal/create-terminal';
import { describeHelperThreadPriority, yieldHelperThreadsToMain } from '../src-main/terminal/helper-thread-priority';
import { prewarmWorkingSet, stats } from './ledger.bench';
import { notSoldToSinceSeed } from './lib/fresh-buyers';
import { benchCaller, signInDemoStaff } from './lib/terminal-session';
import { otherThreadsCpuBetween, otherThreadsCpuMs, threadRunQueueWaitMs } from './lib/thread-schedstat';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '10000' },
    'data-dir': { type: 'string' },
    checkouts: { type: 'string', default: '200' },
    gaps: { type: 'string', default: '0,600' },
    sync: { type: 'string', default: 'full,normal' },
    idle: { type: 'string', default: 'sleep' },
    prewarm: { type: 'boolean', default: false },
    top: { type: 'string', default: '8' },
    'sample-seed': { type: 'string', default: '777' },
    'disk-by-statement': { type: 'boolean', default: false },
    'why-stalls': { type: 'boolean', default: false },
    'helpers-normal': { type: 'boolean', default: false },
  },
});
// As the till does at start-up (src-main/terminal/helper-thread-priority.ts), unless asked not to.
console.log(describeHelperThreadPriority(values['helpers-normal'] ? { applied: 'unchanged', threads: [], reason: '--helpers-normal' } : yieldHelperThreadsToMain()));

const members = Number(values.members);
const dataDir = path.resolve(values['data-dir'] ?? path.join(RESULTS, `ledger-db-${members}`));
if (!fs.existsSync(path.join(dataDir, DATABASE_FILE))) {
  console.error(`No database in ${dataDir}: run bench/ledger.bench.ts --members ${members} first (it seeds one).`);
  process.exit(1);
}

/** Time spent in each SQL text during the timed window (statements run outside it are not counted). */
const statementMs = new Map<string, { ms: number; calls: number; diskKiB: number; max: number; stalls: number }>();
/** A call of one statement slower than this is a stall (counted per statement, to find the ones that stall). */
const STALL_MS = 3;
/** `--disk-by-statement`: also reads /proc/self/io around every statement (~20 us each) to say which ones miss the caches. */
let diskByStatement = false;
let timing = false;
/**
 * `--why-stalls`: around every statement also reads the main thread's run-queue wait and its
 * context switches (/proc/thread-self), and for each call over STALL_MS keeps how much of it was
 * waiting for a CPU, and whether the thread blocked (a voluntary switch: sleeping on a lock, a
 * busy handler, I/O) or was taken off the CPU (an involuntary one). A call that did neither ran on
 * the CPU all along (or its vCPU was stalled by the hypervisor, which the guest cannot see).
 */
let whyStalls = false;
const stallCalls: { sql: string; ms: number; waitMs: number; voluntary: number; involuntary: number }[] = [];
function contextSwitches(): { voluntary: number; involuntary: number } {
  const status = fs.readFileSync('/proc/thread-self/status', 'utf8');
  return { voluntary: Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1]), involuntary: Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1]) };
}
function instrument(raw: BetterSqlite3.Database): void {
  const proto = Object.getPrototypeOf(raw.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['run', 'get', 'all'] as const) {
    const original = proto[name]!;
    proto[name] = function (this: BetterSqlite3.Statement, ...args: unknown[]) {
      if (!timing) return original.apply(this, args);
      const readBefore = diskByStatement ? storageReadBytes() : 0;
      const switchesBefore = whyStalls ? contextSwitches() : null;
      const waitBefore = whyStalls ? threadRunQueueWaitMs() : 0;
      const s = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const ms = performance.now() - s;
        if (switchesBefore && ms > STALL_MS) {
          const waitMs = threadRunQueueWaitMs() - waitBefore;
          const after = contextSwitches();
          stallCalls.push({ sql: this.source, ms, waitMs, voluntary: after.voluntary - switchesBefore.voluntary, involuntary: after.involuntary - switchesBefore.involuntary });
        }
        const e = statementMs.get(this.source) ?? { ms: 0, calls: 0, diskKiB: 0, max: 0, stalls: 0 };
        e.max = Math.max(e.max, ms);
        if (ms > STALL_MS) e.stalls++;
        e.ms += ms;
        e.calls++;
        if (diskByStatement) e.diskKiB += (storageReadBytes() - readBefore) / 1024;
        statementMs.set(this.source, e);
      }
    };
  }
}

/** Garbage-collection pauses (start, duration), to attribute part of the JavaScript time. */
const gcPauses: { start: number; ms: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, ms: e.duration });
}).observe({ entryTypes: ['gc'] });
/** GC time that fell inside [from, to] (ms). */
function gcWithin(from: number, to: number): number {
  return gcPauses.filter((g) => g.start >= from && g.start < to).reduce((a, g) => a + Math.min(g.ms, to - g.start), 0);
}

/** Page faults of this process so far (/proc/self/stat): minor, and major (the page had to be read back, e.g. code paged out while idle). */
function pageFaults(): { minor: number; major: number } {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return { minor: Number(fields[7]), major: Number(fields[9]) };
}

/** The WAL header's checkpoint sequence number (byte 12), which moves each time the WAL restarts. */
function walSequence(walFile: string): number {
  const fd = fs.openSync(walFile, 'r');
  try {
    const header = Buffer.alloc(16);
    return fs.readSync(fd, header, 0, 16, 0) === 16 ? header.readUInt32BE(12) : -1;
  } finally {
    fs.closeSync(fd);
  }
}

/** Frames in the WAL so far (the wal-index header's mxFrame, `-shm` offset 16, native byte order). */
function walFrames(shmFile: string): number {
  const fd = fs.openSync(shmFile, 'r');
  try {
    const header = Buffer.alloc(20);
    return fs.readSync(fd, header, 0, 20, 0) === 20 ? header.readUInt32LE(16) : NaN;
  } finally {
    fs.closeSync(fd);
  }
}

function storageReadBytes(): number {
  const m = /read_bytes: (\d+)/.exec(fs.readFileSync('/proc/self/io', 'utf8'));
  return m ? Number(m[1]) : NaN;
}

let clockMs = Date.now();
const t = await createTerminal({ dataDir, now: () => new Date(clockMs), seedDemo: false });
const { raw } = t.ctx;
const walFile = path.join(dataDir, `${DATABASE_FILE}-wal`);
const shmFile = path.join(dataDir, `${DATABASE_FILE}-shm`);
instrument(raw);
diskByStatement = values['disk-by-statement'];
whyStalls = values['why-stalls'];
if (values.prewarm) {
  const p = prewarmWorkingSet(path.join(dataDir, DATABASE_FILE));
  console.log(`prewarm: ${(p.bytes / 1e9).toFixed(2)} GB in ${p.seconds.toFixed(1)} s`);
}
const lastRedeem = raw.prepare(`SELECT max(created_at) FROM ledger_entry WHERE kind = 'redeem'`).pluck().get() as string | null;
if (lastRedeem) clockMs = Math.max(clockMs, Date.parse(lastRedeem) + 120_000);
const count = Number(raw.prepare('SELECT count(*) FROM member').pluck().get());

await signInDemoStaff(benchCaller(t), 'cashier');

const rng = new Rng(Number(values['sample-seed']), count);
const bySeq = raw.prepare('SELECT id, balance FROM member WHERE seq = ?');
const buyers: string[] = [];
const perRun = Number(values.checkouts);
const gaps = values.gaps.split(',').map(Number);
const syncs = values.sync.split(',');
const idles = values.idle.split(',');
const runs = gaps.flatMap((gap) => syncs.flatMap((sync) => (gap === 0 ? ['-'] : idles).map((idle) => ({ gap, sync, idle }))));
// Buyers no earlier run sold to (see notSoldToSinceSeed), each at most once; on a small store they
// run out after a few runs, and the rest are then members sold to before.
const fresh = notSoldToSinceSeed(raw);
// The PRNG starts at the same member each run, so each run walks past the buyers of all the runs
// before it: allow for many of them (a try is one indexed read).
const freshTries = perRun * runs.length * 500;
for (let tries = 0; buyers.length < perRun * runs.length; tries++) {
  if (tries > freshTries * 4) {
    console.error(`${count} members hold too few with points for ${perRun * runs.length} different buyers: ask for fewer checkouts.`);
    process.exit(1);
  }
  const m = bySeq.get(rng.int(1, count)) as { id: string; balance: number } | undefined;
  if (m && m.balance >= 1000 && !buyers.includes(m.id) && (tries > freshTries || fresh(m.id))) buyers.push(m.id);
}
const resold = buyers.filter((id) => !fresh(id)).length;
if (resold > 0) console.warn(`note: ${resold} buyers are members earlier runs sold to (too few others with points): their index leaves fill up, so checkouts read more than at a till. Seed the store again for clean figures.`);
const lines = [
  { lineNo: 1, category: 'grocery', sku: '6920000000017', description: '五常大米 5kg', quantity: 1, unitPriceMinor: 6990 },
  { lineNo: 2, category: 'dairy', sku: '6920000000024', description: '全脂牛奶 1L', quantity: 2, unitPriceMinor: 1290 },
];
const newKey = createUuidV7({ now: Date.now, randomBytes: (n) => randomBytes(n) });
const COMMIT = 'commit';

console.log(`\nCheckout anatomy: ${count.toLocaleString('en')} members (${dataDir}), ${perRun} checkouts per row, basket previewed first (untimed)`);
console.log(`  ${'gap ms'.padStart(6)} ${'sync'.padEnd(6)} ${'idle'.padEnd(5)} | ${'total p50/p95/p99'.padEnd(20)} | ${'commit p50/p99'.padEnd(14)} | ${'other SQL p50/p99'.padEnd(17)} | ${'JS p50/p99'.padEnd(11)} | GC ms total, in p99+ | disk KiB mean/p99`);
const f = (x: number) => x.toFixed(2);
for (const run of runs) {
  raw.pragma(`synchronous = ${run.sync}`);
  const total: number[] = [];
  const commit: number[] = [];
  const sqlOther: number[] = [];
  const js: number[] = [];
  const diskKiB: number[] = [];
  const majorFaults: number[] = [];
  const minorFaults: number[] = [];
  const restartedWal: boolean[] = [];
  const frames: number[] = [];
  const runQueue: number[] = [];
  const otherThreads: number[] = [];
  const windows: [number, number][] = [];
  statementMs.clear();
  const group = buyers.splice(0, perRun);
  for (let i = 0; i < group.length; i++) {
    if (run.gap > 0) {
      if (run.idle === 'spin') {
        const until = performance.now() + run.gap;
        while (performance.now() < until) {
          // busy: the CPU never idles through the gap
        }
      } else {
        await new Promise((resolve) => setTimeout(resolve, run.gap));
      }
    } else {
      // Back to back, as requests reach a busy till: each an I/O event, with due timers (the WAL
      // checkpointer) run between them.
      await new Promise((resolve) => setImmediate(resolve));
    }
    clockMs += 4000;
    const preview = await t.dispatch('checkout.preview', { memberId: group[i], lines, redeemPoints: 100 });
    if (!preview.ok) continue;
    const before = new Map([...statementMs].map(([k, v]) => [k, v.ms]));
    const faultsBefore = pageFaults();
    const waitBefore = threadRunQueueWaitMs();
    const readBefore = storageReadBytes();
    const walBefore = walSequence(walFile);
    const framesBefore = walFrames(shmFile);
    const othersBefore = otherThreadsCpuMs();
    timing = true;
    const s = performance.now();
    const r = await t.dispatch('checkout.complete', { idempotencyKey: newKey(), memberId: group[i], lines, redeemPoints: 100 });
    const took = performance.now() - s;
    timing = false;
    const readAfter = storageReadBytes();
    const faultsAfter = pageFaults();
    const waitAfter = threadRunQueueWaitMs();
    const walAfter = walSequence(walFile);
    const framesAfter = walFrames(shmFile);
    const othersAfter = otherThreadsCpuMs();
    if (!r.ok) throw new Error(`checkout.complete: ${r.error.code} ${r.error.message}`);
    if (i < 10) continue; // warm-up
    let c = 0;
    let other = 0;
    for (const [sqlText, v] of statementMs) {
      const d = v.ms - (before.get(sqlText) ?? 0);
      if (sqlText.trim().toLowerCase() === COMMIT) c += d;
      else other += d;
    }
    total.push(took);
    windows.push([s, s + took]);
    commit.push(c);
    sqlOther.push(other);
    js.push(took - c - other);
    diskKiB.push((readAfter - readBefore) / 1024);
    majorFaults.push(faultsAfter.major - faultsBefore.major);
    minorFaults.push(faultsAfter.minor - faultsBefore.minor);
    restartedWal.push(walAfter !== walBefore);
    if (walAfter === walBefore) frames.push(framesAfter - framesBefore);
    runQueue.push(waitAfter - waitBefore);
    otherThreads.push(otherThreadsCpuBetween(othersBefore, othersAfter));
  }
  const pair = (xs: number[]) => `${f(stats(xs).p50)}/${f(stats(xs).p99)}`;
  await new Promise((resolve) => setTimeout(resolve, 100)); // the GC observer reports a little later
  const gc = windows.map(([a, b]) => gcWithin(a, b));
  const totals = stats(total);
  const p99 = totals.p99;
  const gcInSlow = gc.filter((_, i) => total[i]! >= p99).reduce((a, b) => a + b, 0);
  const gcCol = `${gc.reduce((a, b) => a + b, 0).toFixed(1)}, ${gcInSlow.toFixed(1)}`;
  console.log(
    `  ${String(run.gap).padStart(6)} ${run.sync.padEnd(6)} ${run.idle.padEnd(5)} | ${`${f(totals.p50)}/${f(totals.p95)}/${f(totals.p99)}`.padEnd(20)} | ${pair(commit).padEnd(14)} | ${pair(sqlOther).padEnd(17)} | ${pair(js).padEnd(11)} | ${gcCol.padEnd(20)} | ${(diskKiB.reduce((a, b) => a + b, 0) / Math.max(1, diskKiB.length)).toFixed(0)}/${stats(diskKiB).p99.toFixed(0)}`,
  );
  const slowest = total.map((ms, i) => i).sort((a, b) => total[b]! - total[a]!).slice(0, 5);
  console.log(`      slowest: ${slowest.map((i) => `${f(total[i]!)} (commit ${f(commit[i]!)}, SQL ${f(sqlOther[i]!)}, JS ${f(js[i]!)}, GC ${f(gc[i]!)}, disk ${diskKiB[i]!.toFixed(0)} KiB, page faults ${minorFaults[i]}+${majorFaults[i]} major, waiting for a CPU ${f(runQueue[i]!)}, other threads ran ${f(otherThreads[i]!)}${restartedWal[i] ? ', restarted the WAL' : ''})`).join('; ')}`);
  // The checkout's own work with the disk's flush left out: the part the code can change.
  const work = stats(total.map((ms, i) => ms - commit[i]!));
  console.log(`      without its COMMIT (SQL + JS): p50/p95/p99 ${f(work.p50)}/${f(work.p95)}/${f(work.p99)}`);
  // The machine's share: the main thread runnable but waiting while other tasks held the CPU, or
  // while a halted vCPU waited for the hypervisor to resume it.
  const waits = stats(runQueue);
  console.log(`      waiting for a CPU: p50/p95/p99 ${f(waits.p50)}/${f(waits.p95)}/${f(waits.p99)}; the checkouts without that wait: p99 ${f(stats(total.map((ms, i) => ms - runQueue[i]!)).p99)}`);
  const others = stats(otherThreads);
  console.log(`      this process's other threads (V8 compiler and GC helpers, libuv, workers) ran during it: p50/p95/p99 ${f(others.p50)}/${f(others.p95)}/${f(others.p99)} ms`);
  const restarts = commit.filter((_, i) => restartedWal[i]);
  // What the COMMIT writes and syncs: one 4 KiB frame per page the checkout changed.
  console.log(`      WAL frames per checkout: mean ${(frames.reduce((a, b) => a + b, 0) / Math.max(1, frames.length)).toFixed(1)}, p50/p99 ${stats(frames).p50}/${stats(frames).p99}`);
  console.log(`      checkouts that restarted the WAL themselves: ${restarts.length}${restarts.length ? ` (their commit p50 ${f(stats(restarts).p50)} ms)` : ''}`);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  console.log(`      page faults per checkout: minor ${(sum(minorFaults) / total.length).toFixed(1)}, major ${(sum(majorFaults) / total.length).toFixed(2)} (${majorFaults.filter((x) => x > 0).length} checkouts with any)`);
  const top = [...statementMs].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(values.top));
  const stalling = [...statementMs].filter(([, v]) => v.stalls > 0).sort((a, b) => b[1].stalls - a[1].stalls);
  for (const [sqlText, v] of stalling) console.log(`      stalls over ${STALL_MS} ms: ${String(v.stalls).padStart(3)} of ${v.calls} calls (max ${f(v.max)} ms)  ${sqlText.replace(/\s+/g, ' ').slice(0, 110)}`);
  for (const c of stallCalls.splice(0)) {
    console.log(`      stall ${f(c.ms)} ms: waited for a CPU ${f(c.waitMs)}, switches ${c.voluntary} voluntary + ${c.involuntary} involuntary  ${c.sql.replace(/\s+/g, ' ').slice(0, 80)}`);
  }
  for (const [sqlText, v] of top) console.log(`      ${(v.ms / group.length).toFixed(3).padStart(7)} ms/checkout ${String(v.calls).padStart(5)} calls${diskByStatement ? ` ${(v.diskKiB / group.length).toFixed(1).padStart(5)} KiB read` : ''}  ${sqlText.replace(/\s+/g, ' ').slice(0, 110)}`);
}
raw.pragma('synchronous = FULL');
await t.close();
