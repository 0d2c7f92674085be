/**
 * Central server figures on loopback against a real server process (`src-server/cli.ts serve` in a
 * child process on 127.0.0.1, the real push/pull code, a real database), on SQLite and on PostgreSQL:
 *  1. N terminals (50 and 200) each pushing small batches (5 ledger entries) as fast as the server
 *     answers, driven by autocannon with one connection per terminal: sustained requests/s, p50/p99;
 *  2. one terminal catching up 100,000 entries: push throughput (batches of 500) and the pull of the
 *     same entries by another terminal (pages of 2,000), in entries/s, and the bytes per change (to
 *     estimate a bootstrap of 1,000,000 members).
 * Rate limits are off. Prints figures; asserts nothing. Traffic only to 127.0.0.1.
 *
 *   npx tsx bench/server.bench.ts [--duration 10] [--terminals 50,200] [--catchup 100000] [--dialects sqlite,postgres]
 *   (PostgreSQL: TILLSMITH_BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/test; a schema of its own, dropped after)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { addMonths } from '../src-shared/domain/dates';
import { HlcClock, nodeIdOf } from '../src-shared/sync/hlc';
import { createUuidV7 } from '../src-shared/sync/ids';
import { SYNC_PROTOCOL_VERSION, type LedgerEntryPayload, type PullResponse, type PushResponse, type SyncOp } from '../src-shared/sync/protocol';
import { openServerDatabase } from '../src-server/db/database';
import { spawnServer as spawnBenchServer, type BenchServer } from './lib/server-process';

/** The slice of autocannon's API used here (it ships no type declarations). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  setupRequest?: (req: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown>;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}
interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: {
  url: string;
  connections: number;
  pipelining: number;
  duration: number;
  timeout: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

type Dialect = 'sqlite' | 'postgres';
const PG_URL = process.env.TILLSMITH_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const newId = createUuidV7({ now: Date.now, randomBytes: (n) => new Uint8Array(randomBytes(n)) });

interface BenchTerminal {
  id: string;
  token: string;
  memberIds: string[];
  nextSeq: number;
  hlc: HlcClock;
  busy: boolean;
}

async function databaseFor(dialect: Dialect): Promise<{ url: string; cleanup: () => Promise<void>; label: string }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillsmith-bench-server-'));
    return { url: `sqlite:${path.join(dir, 'server.sqlite')}`, label: 'SQLite (WAL, synchronous=FULL)', cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const url = `${PG_URL}?schema=${schema}`;
  await (await openServerDatabase(url)).close(); // create the schema and migrate before the server starts
  return {
    url,
    label: `PostgreSQL ${await pgVersion()} (pool 10 per process, synchronous_commit on)`,
    cleanup: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

const ADMIN = `bench-admin-${randomBytes(8).toString('hex')}`;
const spawnServer = (databaseUrl: string) => spawnBenchServer(databaseUrl, ADMIN);

async function admin<T>(server: BenchServer, urlPath: string, body: unknown): Promise<T> {
  const r = await post<T>(`${server.url}${urlPath}`, ADMIN, body);
  if (r.status >= 300) throw new Error(`${urlPath}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function pgVersion(): Promise<string> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  const r = await c.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  await c.end();
  return r.rows[0]?.v.split(' ')[0] ?? '?';
}

async function post<T>(url: string, token: string, body: unknown): Promise<{ status: number; body: T; bytes: number }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as T, bytes: Buffer.byteLength(text) };
}

function entry(t: BenchTerminal, memberId: string, points: number): LedgerEntryPayload {
  const at = new Date().toISOString();
  const id = newId();
  return {
    id,
    member_id: memberId,
    kind: 'earn',
    points,
    reason: null,
    sale_id: null,
    refund_id: null,
    target_entry_id: null,
    expires_at: addMonths(at, 12),
    capped_points: 0,
    offline: 0,
    business_date: at.slice(0, 10),
    created_at: at,
    hlc: t.hlc.send(),
    terminal_id: t.id,
    staff_id: 'bench',
    approved_by: null,
    rule_set_version: 1,
    idempotency_key: `${id}:earn`,
  };
}

function ops(t: BenchTerminal, n: number): SyncOp[] {
  return Array.from({ length: n }, (_, i) => {
    const e = entry(t, t.memberIds[(t.nextSeq + i) % t.memberIds.length]!, 1 + ((t.nextSeq + i) % 50));
    return { seq: t.nextSeq + i, opId: newId(), kind: 'ledger_entry', entityId: e.id, hlc: e.hlc, payload: e };
  });
}

/** Enrols n terminals in one store and registers `members` members for each (pushed over HTTP). */
async function enrolTerminals(server: BenchServer, n: number, members: number): Promise<BenchTerminal[]> {
  const { store } = await admin<{ store: { id: string } }>(server, '/admin/stores', { name: `bench ${n}`, timeZone: 'Asia/Shanghai' });
  const out: BenchTerminal[] = [];
  for (let i = 0; i < n; i++) {
    const { code } = await admin<{ code: string }>(server, `/admin/stores/${store.id}/enrolment-codes`, {});
    const id = newId();
    const { token } = await admin<{ token: string }>(server, '/v1/enrol', { protocolVersion: SYNC_PROTOCOL_VERSION, code, terminalId: id, appVersion: 'bench' });
    const t: BenchTerminal = { id, token, memberIds: [], nextSeq: 1, hlc: new HlcClock({ node: nodeIdOf(id), now: Date.now }), busy: false };
    const regs: SyncOp[] = [];
    for (let m = 0; m < members; m++) {
      const mid = newId();
      const hlc = t.hlc.send();
      const now = new Date().toISOString();
      t.memberIds.push(mid);
      regs.push({ seq: t.nextSeq++, opId: newId(), kind: 'member', entityId: mid, hlc, payload: { id: mid, phone: null, name: null, birthday: null, referrerId: null, consentTermsAt: now, consentMarketing: false, registeredAt: now, hlc } });
    }
    for (let k = 0; k < regs.length; k += 500) {
      const r = await post<PushResponse>(`${server.url}/v1/push`, token, { protocolVersion: 1, terminalId: id, appVersion: 'bench', ops: regs.slice(k, k + 500) });
      if (r.status !== 200) throw new Error(`setup push: ${JSON.stringify(r.body)}`);
    }
    out.push(t);
  }
  return out;
}

interface LoadFigures {
  terminals: number;
  reqPerSec: number;
  entriesPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function loadTest(server: BenchServer, n: number, durationS: number, batch: number): Promise<LoadFigures> {
  const terminals = await enrolTerminals(server, n, 2);
  const free = [...terminals];
  const result = await autocannon({
    url: server.url,
    connections: n,
    pipelining: 1,
    duration: durationS,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/v1/push',
        setupRequest: (req, context) => {
          const t = free.pop();
          if (!t) return { ...req, method: 'GET', path: '/v1/status', headers: {}, body: undefined };
          context.t = t;
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
            body: JSON.stringify({ protocolVersion: 1, terminalId: t.id, appVersion: 'bench', ops: ops(t, batch) }),
          };
        },
        onResponse: (status, body, context) => {
          const t = context.t as BenchTerminal | undefined;
          if (!t) return;
          if (status === 200) t.nextSeq += batch;
          else if (status === 409) {
            const expected = (JSON.parse(body) as { error?: { details?: { expectedSeq?: number } } }).error?.details?.expectedSeq;
            if (typeof expected === 'number') t.nextSeq = expected;
          }
          context.t = undefined;
          free.push(t);
        },
      },
    ],
  });
  return {
    terminals: n,
    reqPerSec: Math.round(result.requests.average),
    entriesPerSec: Math.round(result.requests.average * batch),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

interface CatchUpFigures {
  entries: number;
  pushSeconds: number;
  pushPerSec: number;
  pullSeconds: number;
  pullPerSec: number;
  bytesPerEntryChange: number;
  bytesPerMemberChange: number;
}

async function catchUp(server: BenchServer, total: number): Promise<CatchUpFigures> {
  const [t] = await enrolTerminals(server, 1, 100);
  const [reader] = await enrolTerminals(server, 1, 0);
  const t0 = performance.now();
  let pushed = 0;
  while (pushed < total) {
    const n = Math.min(500, total - pushed);
    const r = await post<PushResponse>(`${server.url}/v1/push`, t!.token, { protocolVersion: 1, terminalId: t!.id, appVersion: 'bench', ops: ops(t!, n) });
    if (r.status !== 200) throw new Error(`push: ${JSON.stringify(r.body)}`);
    t!.nextSeq += n;
    pushed += n;
  }
  const pushSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let cursor = '0';
  let changes = 0;
  let entryBytes = 0;
  let entryCount = 0;
  let memberBytes = 0;
  let memberCount = 0;
  for (let i = 0; i < 100_000; i++) {
    const r = await post<PullResponse>(`${server.url}/v1/pull`, reader!.token, { protocolVersion: 1, terminalId: reader!.id, cursor, limit: 2000 });
    if (r.status !== 200) throw new Error(`pull: ${JSON.stringify(r.body)}`);
    changes += r.body.changes.length;
    if (i === 0 || memberCount === 0 || entryCount === 0) {
      for (const c of r.body.changes) {
        const b = Buffer.byteLength(JSON.stringify(c)) + 1;
        if (c.kind === 'member') {
          memberBytes += b;
          memberCount += 1;
        } else if (c.kind === 'ledger_entry') {
          entryBytes += b;
          entryCount += 1;
        }
      }
    }
    cursor = r.body.nextCursor;
    if (!r.body.hasMore) break;
  }
  const pullSeconds = (performance.now() - t1) / 1000;
  return {
    entries: total,
    pushSeconds,
    pushPerSec: Math.round(total / pushSeconds),
    pullSeconds,
    pullPerSec: Math.round(changes / pullSeconds),
    bytesPerEntryChange: Math.round(entryBytes / Math.max(1, entryCount)),
    bytesPerMemberChange: Math.round(memberBytes / Math.max(1, memberCount)),
  };
}

export async function runServerBench(opts: { duration: number; terminals: number[]; catchup: number; dialects: Dialect[] }): Promise<void> {
  for (const dialect of opts.dialects) {
    const { url, cleanup, label } = await databaseFor(dialect);
    let server: BenchServer | null = null;
    try {
      server = await spawnServer(url);
      process.stdout.write(`\n== ${label}, server ${server.url}, Node ${process.version}, ${os.cpus().length} CPUs\n`);
      for (const n of opts.terminals) {
        const f = await loadTest(server, n, opts.duration, 5);
        process.stdout.write(
          `${String(n).padStart(4)} terminals pushing 5-entry batches for ${opts.duration}s: ${f.reqPerSec} req/s (${f.entriesPerSec} entries/s), latency p50 ${f.p50} ms, p99 ${f.p99} ms, non-2xx ${f.non2xx}, errors ${f.errors}\n`,
        );
      }
      if (opts.catchup > 0) {
        const c = await catchUp(server, opts.catchup);
        process.stdout.write(
          `catch-up of ${c.entries} entries: push ${c.pushPerSec} entries/s (${c.pushSeconds.toFixed(1)} s, batches of 500); pull ${c.pullPerSec} changes/s (${c.pullSeconds.toFixed(1)} s, pages of 2000)\n` +
            `  bytes per change on the wire: ledger entry ~${c.bytesPerEntryChange}, member ~${c.bytesPerMemberChange}; ` +
            `a 1,000,000-member bootstrap (1M member + ~3M entry changes) ~${Math.round((1e6 * c.bytesPerMemberChange + 3e6 * c.bytesPerEntryChange) / 1e6)} MB, ~${Math.round(4e6 / c.pullPerSec)} s of pulling at this rate\n`,
        );
      }
    } finally {
      await server?.close();
      await cleanup();
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { duration: { type: 'string' }, terminals: { type: 'string' }, catchup: { type: 'string' }, dialects: { type: 'string' } },
  });
  await runServerBench({
    duration: Number(values.duration ?? 10),
    terminals: (values.terminals ?? '50,200').split(',').filter(Boolean).map(Number),
    catchup: Number(values.catchup ?? 100_000),
    dialects: (values.dialects ?? 'sqlite,postgres').split(',') as Dialect[],
  });
}
