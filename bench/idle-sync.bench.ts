/**
 * What an idle till writes: an enrolled till with nothing to send or receive runs N sync cycles
 * (`syncNow`, back to back: the timer would run one every 5 s) against the central server in its
 * own process on loopback, and the bench counts the durable commits those cycles made to the
 * till's database. In WAL mode with synchronous=FULL each commit appends a commit frame to the WAL
 * and fsyncs it, so the commit frames that appear in `terminal.sqlite-wal` are the fsyncs; they
 * are read from the WAL itself after every cycle (frames whose salts match the WAL header; a WAL
 * restarted by a checkpoint starts a new generation and is counted from its start). Also printed:
 * the cycles in which `PRAGMA data_version` (a second connection) changed, the rows the till's
 * connection changed (`total_changes()`), the WAL's growth and restarts. Extrapolated to an idle
 * hour at the agent's default interval (5 s: 720 cycles).
 *
 *   npx tsx bench/idle-sync.bench.ts [--cycles 720] [--warmup 5]
 *
 * Writes bench/results/idle-sync.json. Asserts nothing. Traffic only to 127.0.0.1. It uses only
 * what the terminal had before idle writes were removed (createTerminal, sync.enrol, syncNow), so
 * the same file runs on an older checkout for a before/after comparison.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openServerDatabase } from '../src-server/db/database';
import { createEnrolmentCode, createStore } from '../src-server/services/admin';
import { DATABASE_FILE } from '../src-main/terminal/config';
import { createTerminal } from '../src-main/terminal/create-terminal';
import { spawnServer } from './lib/server-process';

const { values } = parseArgs({ options: { cycles: { type: 'string', default: '720' }, warmup: { type: 'string', default: '5' } } });
const CYCLES = Number(values.cycles);
const WARMUP = Number(values.warmup);
const CYCLES_PER_IDLE_HOUR = 3600 / 5;
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

/** Counts commit frames appearing in a WAL file (one per durable commit), across WAL restarts. */
class WalCommits {
  private salt = '';
  private frames = 0;
  restarts = 0;
  constructor(private readonly file: string) {}

  /** Commits made since the last call. */
  poll(): number {
    if (!fs.existsSync(this.file)) return 0;
    const buf = fs.readFileSync(this.file);
    if (buf.length < 32) return 0;
    const pageSize = buf.readUInt32BE(8);
    const salt = buf.subarray(16, 24).toString('hex');
    if (salt !== this.salt) {
      if (this.salt !== '') this.restarts += 1;
      this.salt = salt;
      this.frames = 0;
    }
    const frameSize = 24 + pageSize;
    let commits = 0;
    let i = this.frames;
    for (; 32 + (i + 1) * frameSize <= buf.length; i++) {
      const at = 32 + i * frameSize;
      if (buf.subarray(at + 8, at + 16).toString('hex') !== salt) break; // the end of this generation
      if (buf.readUInt32BE(at + 4) !== 0) commits += 1; // a commit frame carries the database size
    }
    this.frames = i;
    return commits;
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillsmith-bench-idle-'));
  const serverUrl = `sqlite:${path.join(dir, 'server.sqlite')}`;
  const tillDir = path.join(dir, 'till');
  const nowMs = Date.now();
  const sdb = await openServerDatabase(serverUrl);
  const store = await createStore(sdb, () => nowMs, { name: 'Bench store', timeZone: 'Asia/Shanghai' });
  const { code } = await createEnrolmentCode(sdb, () => nowMs, { storeId: store.id });
  await sdb.close();
  const server = await spawnServer(serverUrl, `bench-admin-${randomBytes(8).toString('hex')}`);
  const till = await createTerminal({ dataDir: tillDir, pinKdfCost: 1024, startSync: false });
  try {
    await till.sync.enrol(server.url, code);
    // The bootstrap, the enrolment's own changes and their echoes: then nothing is left to exchange.
    for (let i = 0; i < 10; i++) {
      const s = await till.sync.syncNow();
      if (s.lastError) throw new Error(s.lastError);
    }
    for (let i = 0; i < WARMUP; i++) await till.sync.syncNow();
    const status = await till.sync.syncNow();
    if (status.pending !== 0 || status.bootstrap !== null || status.lastError) throw new Error(`the till is not idle: ${JSON.stringify(status)}`);

    const walFile = path.join(tillDir, `${DATABASE_FILE}-wal`);
    const wal = new WalCommits(walFile);
    wal.poll();
    const reader = new Database(path.join(tillDir, DATABASE_FILE), { readonly: true });
    const dataVersion = () => Number(reader.pragma('data_version', { simple: true }));
    const totalChanges = () => Number(till.ctx.raw.prepare('SELECT total_changes()').pluck().get());
    const walSize = () => (fs.existsSync(walFile) ? fs.statSync(walFile).size : 0);
    const changesBefore = totalChanges();
    const walBefore = walSize();
    let version = dataVersion();
    let commits = 0;
    let cyclesWithCommit = 0;
    const t0 = performance.now();
    for (let i = 0; i < CYCLES; i++) {
      const s = await till.sync.syncNow();
      if (s.lastError) throw new Error(s.lastError);
      commits += wal.poll();
      const v = dataVersion();
      if (v !== version) cyclesWithCommit += 1;
      version = v;
    }
    const seconds = (performance.now() - t0) / 1000;
    const figures = {
      cycles: CYCLES,
      durableCommits: commits,
      commitsPerCycle: commits / CYCLES,
      fsyncsPerIdleHour: Math.round((commits / CYCLES) * CYCLES_PER_IDLE_HOUR),
      cyclesWithACommit: cyclesWithCommit,
      rowsChanged: totalChanges() - changesBefore,
      walGrowthBytes: walSize() - walBefore,
      walRestarts: wal.restarts,
      msPerCycle: (seconds * 1000) / CYCLES,
      node: process.version,
    };
    reader.close();
    process.stdout.write(
      `\n== an idle enrolled till, ${CYCLES} sync cycles (server in its own process, loopback)\n` +
        `  durable commits: ${commits} (${figures.commitsPerCycle.toFixed(2)} per cycle; data_version changed in ${cyclesWithCommit} cycles)\n` +
        `  extrapolated: ${figures.fsyncsPerIdleHour} fsyncs per idle hour at one cycle every 5 s (${Math.round(figures.fsyncsPerIdleHour * 24)} a day)\n` +
        `  rows changed ${figures.rowsChanged}, WAL grew ${figures.walGrowthBytes} bytes, WAL restarted ${wal.restarts} times; ${figures.msPerCycle.toFixed(1)} ms per cycle\n`,
    );
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(path.join(RESULTS, 'idle-sync.json'), JSON.stringify(figures, null, 2));
  } finally {
    await till.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
