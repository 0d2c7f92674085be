/**
 * A new till bootstrapping N members from the central server, on SQLite and PostgreSQL:
 *  1. the server database is filled with N members straight through the driver (bench only:
 *     profile with field clocks, a card, three ledger entries, two months of spend each);
 *  2. the server runs in its own process on loopback (as in production), rate limits off;
 *  3. a fresh till (createTerminal, its real sync agent and HTTP client) enrols and loads the
 *     members from snapshot pages, then follows the change feed. Timed from the first request
 *     to the last page applied: members/s, MB received, time on the wire and in the server
 *     versus applying on the till; the till's balances are then checked against the server's.
 *  With `--legacy`, the server also gets the change-feed rows all that history would have made,
 *  and the till instead replays the feed from cursor 0, as version 1 did (what a new till did
 *  before the snapshot existed).
 * Prints figures and writes bench/results/bootstrap-<dialect>-<members>.json; asserts nothing
 * (it fails only when the till ends up different from the server). Traffic only to 127.0.0.1.
 *
 *   npx tsx bench/bootstrap.bench.ts [--members 20000] [--entries 3] [--dialects sqlite,postgres] [--page 500] [--legacy]
 *   npx tsx bench/bootstrap.bench.ts --members 1000000 --dialects postgres
 *   (PostgreSQL: TILLSMITH_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/test; a schema of its own, dropped after)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openServerDatabase } from '../src-server/db/database';
import { createEnrolmentCode, createStore } from '../src-server/services/admin';
import { createSyncClient, type FetchFn } from '../src-main/sync/sync-client';
import { SYNC_KEYS } from '../src-main/sync/sync-state.repo';
import type { SnapshotResponse } from '../src-shared/sync/protocol';
import { DATABASE_FILE } from '../src-main/terminal/config';
import { createTerminal } from '../src-main/terminal/create-terminal';
import { spawnServer } from './lib/server-process';
import { memberIdOf, seedServer, type SeedResult } from './lib/server-seed';

type Dialect = 'sqlite' | 'postgres';
const PG_URL = process.env.TILLSMITH_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const ADMIN = `bench-admin-${randomBytes(8).toString('hex')}`;

interface Database {
  url: string;
  label: string;
  seedTarget: Parameters<typeof seedServer>[0];
  cleanup(): Promise<void>;
}

async function databaseFor(dialect: Dialect): Promise<Database> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillsmith-bench-boot-'));
    const file = path.join(dir, 'server.sqlite');
    return { url: `sqlite:${file}`, label: 'SQLite (WAL, synchronous=FULL)', seedTarget: { dialect, file }, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `bench_boot_${randomBytes(4).toString('hex')}`;
  const url = `${PG_URL}?schema=${schema}`;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  const version = (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v.split(' ')[0] ?? '?';
  await c.end();
  return {
    url,
    label: `PostgreSQL ${version}`,
    seedTarget: { dialect, url: PG_URL, schema },
    cleanup: async () => {
      const d = new pg.Client({ connectionString: PG_URL });
      await d.connect();
      await d.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await d.end();
    },
  };
}

export interface BootstrapFigures {
  dialect: Dialect;
  mode: 'snapshot' | 'legacy feed replay';
  members: number;
  seed: SeedResult;
  seconds: number;
  membersPerSecond: number;
  requests: number;
  /** On the wire (gzip-compressed pages). */
  megabytes: number;
  /** The same as JSON text. */
  jsonMegabytes: number;
  bytesPerMember: number;
  /** The same pages fetched again without applying them: the server, the wire and JSON parsing alone. */
  serverPassSeconds: number | null;
  tillDatabaseMegabytes: number;
  load: { before: number[]; after: number[] };
  verified: { members: number; sampleChecked: number };
}

async function runOne(dialect: Dialect, members: number, page: number, legacy: boolean, entries: number): Promise<BootstrapFigures> {
  const db = await databaseFor(dialect);
  const tillDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillsmith-bench-till-'));
  let server: Awaited<ReturnType<typeof spawnServer>> | null = null;
  try {
    const nowMs = Date.now();
    const sdb = await openServerDatabase(db.url);
    const store = await createStore(sdb, () => nowMs, { name: 'Bench store', timeZone: 'Asia/Shanghai' });
    const { code } = await createEnrolmentCode(sdb, () => nowMs, { storeId: store.id });
    await sdb.close();
    process.stdout.write(`  seeding ${members} members${legacy ? ' and their change feed' : ''}...\n`);
    const seed = await seedServer(db.seedTarget, { members, storeId: store.id, nowMs, feed: legacy, entries });
    process.stdout.write(`  seeded ${seed.rows} rows${legacy ? ` + ${seed.feedRows} feed rows` : ''} in ${seed.seconds.toFixed(1)} s\n`);
    server = await spawnServer(db.url, ADMIN);

    let bytes = 0;
    let jsonBytes = 0;
    let requests = 0;
    const countingFetch: FetchFn = async (url, init) => {
      const res = await fetch(url, init);
      const text = await res.text();
      // What crossed the wire: the compressed length when the server gzipped the page.
      bytes += Number(res.headers.get('content-length') ?? Buffer.byteLength(text));
      jsonBytes += Buffer.byteLength(text);
      requests += 1;
      return { status: res.status, text: async () => text };
    };
    const till = await createTerminal({
      dataDir: tillDir,
      pinKdfCost: 1024,
      startSync: false,
      sync: { clientFor: (url) => createSyncClient({ baseUrl: url, now: Date.now, fetch: countingFetch, timeoutMs: 120_000 }), snapshotLimit: page, pullLimit: 2000 },
    });
    try {
      await till.sync.enrol(server.url, code);
      if (legacy) {
        // What a version-1 till did: no snapshot, the whole feed from cursor 0.
        await till.ctx.db.deleteFrom('meta').where('key', '=', SYNC_KEYS.bootstrap).execute();
        await till.ctx.db.insertInto('meta').values({ key: SYNC_KEYS.cursor, value: '0' }).onConflict((oc) => oc.column('key').doUpdateSet({ value: '0' })).execute();
        await till.sync.load();
      }
      bytes = 0;
      jsonBytes = 0;
      requests = 0;
      const before = os.loadavg();
      const t0 = performance.now();
      let lastReport = t0;
      for (;;) {
        const status = await till.sync.syncNow();
        if (status.lastError) throw new Error(status.lastError);
        const cursor = (await till.ctx.db.selectFrom('meta').select('value').where('key', '=', SYNC_KEYS.cursor).executeTakeFirst())?.value;
        const done = status.bootstrap === null && (!legacy || Number(cursor) >= seed.feedRows);
        if (performance.now() - lastReport > 15_000) {
          lastReport = performance.now();
          process.stdout.write(`    ${((lastReport - t0) / 1000).toFixed(0)} s: ${status.bootstrap ? `${status.bootstrap.membersLoaded} members loaded` : `feed cursor ${cursor}`}\n`);
        }
        if (done) break;
      }
      const seconds = (performance.now() - t0) / 1000;
      const after = os.loadavg();

      // The till now holds every member with the server's balance.
      const count = Number(till.ctx.raw.prepare('SELECT count(*) FROM member').pluck().get());
      if (count !== members) throw new Error(`the till has ${count} members, the server ${members}`);
      const verify = await till.dispatch('ledger.verify', {});
      if (!verify.ok || !(verify.value as { ok: boolean }).ok) throw new Error('ledger.verify failed on the till');
      const check = await openServerDatabase(db.url, { migrate: false });
      let sampled = 0;
      try {
        for (let k = 0; k < Math.min(1000, members); k++) {
          const id = memberIdOf(Math.floor((k * members) / Math.min(1000, members)));
          const s = await check.db.selectFrom('member').select('balance').where('id', '=', id).executeTakeFirstOrThrow();
          const local = till.ctx.raw.prepare('SELECT balance FROM member WHERE id = ?').pluck().get(id);
          if (Number(local) !== Number(s.balance)) throw new Error(`balance of ${id}: till ${String(local)}, server ${s.balance}`);
          sampled++;
        }
      } finally {
        await check.close();
      }
      const dbBytes = ['', '-wal'].reduce((s, suffix) => s + (fs.existsSync(path.join(tillDir, DATABASE_FILE + suffix)) ? fs.statSync(path.join(tillDir, DATABASE_FILE + suffix)).size : 0), 0);
      return {
        dialect,
        mode: legacy ? 'legacy feed replay' : 'snapshot',
        members,
        seed,
        seconds,
        membersPerSecond: Math.round(members / seconds),
        requests,
        megabytes: bytes / 1e6,
        jsonMegabytes: jsonBytes / 1e6,
        bytesPerMember: Math.round(bytes / members),
        serverPassSeconds: legacy ? null : await serverPass(server!.url, till, page),
        tillDatabaseMegabytes: dbBytes / 1e6,
        load: { before: before.map((x) => Math.round(x * 100) / 100), after: after.map((x) => Math.round(x * 100) / 100) },
        verified: { members: count, sampleChecked: sampled },
      };
    } finally {
      await till.close();
    }
  } finally {
    await server?.close();
    fs.rmSync(tillDir, { recursive: true, force: true });
    await db.cleanup();
  }
}

/** Fetches every snapshot page again (same till, same page size) without applying anything. */
async function serverPass(url: string, till: Awaited<ReturnType<typeof createTerminal>>, page: number): Promise<number> {
  const token = (await till.ctx.db.selectFrom('meta').select('value').where('key', '=', SYNC_KEYS.token).executeTakeFirstOrThrow()).value;
  const t0 = performance.now();
  let upper: string | undefined;
  let after = '';
  for (;;) {
    const res = await fetch(`${url}/v1/snapshot`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ protocolVersion: 2, terminalId: till.ctx.terminalId, ...(upper ? { upperCursor: upper } : {}), after, limit: page }),
    });
    const body = (await res.json()) as SnapshotResponse;
    upper = body.upperCursor;
    after = body.nextAfter;
    if (!body.hasMore) break;
  }
  return (performance.now() - t0) / 1000;
}

export async function runBootstrapBench(opts: { members: number; dialects: Dialect[]; page: number; legacy: boolean; entries: number }): Promise<BootstrapFigures[]> {
  const out: BootstrapFigures[] = [];
  for (const dialect of opts.dialects) {
    process.stdout.write(`\n== ${dialect}: a new till bootstraps ${opts.members} members with ${opts.entries} ledger entries each (${opts.legacy ? 'legacy: replaying the change feed from 0' : `snapshot pages of ${opts.page}`}), Node ${process.version}, ${os.cpus().length} CPUs\n`);
    const f = await runOne(dialect, opts.members, opts.page, opts.legacy, opts.entries);
    process.stdout.write(
      `  ${f.mode}: ${f.seconds.toFixed(1)} s, ${f.membersPerSecond} members/s, ${f.requests} requests, ${f.megabytes.toFixed(1)} MB received gzip-compressed (${f.bytesPerMember} bytes/member; ${f.jsonMegabytes.toFixed(1)} MB as JSON)\n` +
        `  the same pages fetched again without applying them: ${f.serverPassSeconds === null ? '-' : `${f.serverPassSeconds.toFixed(1)} s`}; till database ${f.tillDatabaseMegabytes.toFixed(0)} MB\n` +
        `  load average before ${f.load.before.join(' ')}, after ${f.load.after.join(' ')}; checked: ${f.verified.members} members, ledger.verify ok, ${f.verified.sampleChecked} balances = server's\n`,
    );
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(path.join(RESULTS, `bootstrap-${dialect}-${opts.members}x${opts.entries}${opts.legacy ? '-legacy' : ''}.json`), JSON.stringify(f, null, 2));
    out.push(f);
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { members: { type: 'string' }, dialects: { type: 'string' }, page: { type: 'string' }, legacy: { type: 'boolean' }, entries: { type: 'string' } } });
  await runBootstrapBench({
    members: Number(values.members ?? 20_000),
    dialects: (values.dialects ?? 'sqlite,postgres').split(',') as Dialect[],
    page: Number(values.page ?? 500),
    legacy: values.legacy ?? false,
    entries: Number(values.entries ?? 3),
  });
}
