import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, vi } from 'vitest';
import { addMonths } from '../../../src-shared/domain/dates';
import { HlcClock, nodeIdOf } from '../../../src-shared/sync/hlc';
import { createUuidV7 } from '../../../src-shared/sync/ids';
import {
  SYNC_PROTOCOL_VERSION,
  type LedgerEntryPayload,
  type PullChange,
  type PullResponse,
  type PushResponse,
  type SnapshotResponse,
  type SyncOp,
} from '../../../src-shared/sync/protocol';
import { main as cli } from '../../../src-server/cli';
import { openServerDatabase, type ServerDb } from '../../../src-server/db/database';
import { SERVER_TABLES } from '../../../src-server/db/schema';
import { buildApp, type RateLimits } from '../../../src-server/http/app';
import type { PushHooks } from '../../../src-server/services/push';

export type Dialect = 'sqlite' | 'postgres';
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];
export const PG_URL = process.env.TILLSMITH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ADMIN_TOKEN = 'admin-test-token-0123456789';
export const T0 = Date.parse('2026-11-20T10:00:00.000Z');

/** Runs the operator CLI in-process on the test database; returns its exit code and what it printed. */
export async function runCli(url: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    return { code: await cli([...args, '--database', url]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

export class Clock {
  constructor(public ms = T0) {}
  now = (): number => this.ms;
  iso = (): string => new Date(this.ms).toISOString();
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

/** A fresh PostgreSQL schema name per test file; fails loudly when PostgreSQL is unreachable. */
async function pgSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL at ${PG_URL} is unreachable (${(e as Error).message}). The server tests run against both SQLite and PostgreSQL and must not be skipped: start PostgreSQL (database "test", user "postgres") or set TILLSMITH_TEST_PG_URL.`,
    );
  }
  await client.end();
  const url = `${PG_URL}?schema=${schema}`;
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

export class Harness {
  app!: FastifyInstance;
  readonly clock = new Clock();
  hooks: PushHooks = {};
  rateLimits: RateLimits | false = false;
  adminToken: string | null = ADMIN_TOKEN;

  private constructor(
    readonly dialect: Dialect,
    readonly sdb: ServerDb,
    readonly url: string,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async open(dialect: Dialect, poolSize = 12): Promise<Harness> {
    let url: string;
    let cleanup: () => Promise<void>;
    if (dialect === 'sqlite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillsmith-server-'));
      url = `sqlite:${path.join(dir, 'server.sqlite')}`;
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    } else {
      const s = await pgSchema();
      url = s.url;
      cleanup = s.drop;
    }
    const sdb = await openServerDatabase(url, { poolSize });
    const h = new Harness(dialect, sdb, url, cleanup);
    await h.rebuild();
    return h;
  }

  /** A new app (fresh rate-limit buckets, current hooks and options) on the same database. */
  async rebuild(): Promise<void> {
    if (this.app) await this.app.close();
    this.app = await buildApp({
      sdb: this.sdb,
      now: this.clock.now,
      adminToken: this.adminToken,
      rateLimits: this.rateLimits,
      hooks: {
        afterOp: (i) => this.hooks.afterOp?.(i),
        beforeCommit: (i) => this.hooks.beforeCommit?.(i),
      },
    });
  }

  /** Empties every table (the feed starts again at 1) and resets clock, hooks and options. */
  async reset(): Promise<void> {
    // DELETE, not TRUNCATE: the tables are small and TRUNCATE costs a file rewrite per table.
    await sql.raw(SERVER_TABLES.map((t) => `DELETE FROM ${t}`).join(';')).execute(this.sdb.db).catch(async () => {
      for (const t of SERVER_TABLES) await this.sdb.db.deleteFrom(t).execute();
    });
    await this.sdb.db.insertInto('feed_clock').values({ id: 1, next_seq: 1 }).execute();
    this.clock.ms = T0;
    this.hooks = {};
    this.rateLimits = false;
    this.adminToken = ADMIN_TOKEN;
    await this.rebuild();
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.sdb.close();
    await this.cleanup();
  }

  async request<T = unknown>(method: 'GET' | 'POST', url: string, opts: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: string | undefined;
    if (opts.raw !== undefined) payload = opts.raw;
    else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const res = await this.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    let body: unknown = res.body;
    try {
      body = JSON.parse(res.body);
    } catch {
      /* not JSON */
    }
    return { status: res.statusCode, body: body as T, headers: res.headers };
  }

  admin<T = unknown>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<Reply<T>> {
    return this.request<T>(method, url, { token: ADMIN_TOKEN, body });
  }

  async store(name = 'Store'): Promise<string> {
    const r = await this.admin<{ store: { id: string } }>('POST', '/admin/stores', { name, timeZone: 'Asia/Shanghai' });
    if (r.status !== 201) throw new Error(`store: ${JSON.stringify(r.body)}`);
    return r.body.store.id;
  }

  async code(storeId: string, ttlHours?: number): Promise<string> {
    const r = await this.admin<{ code: string }>('POST', `/admin/stores/${storeId}/enrolment-codes`, ttlHours === undefined ? {} : { ttlHours });
    if (r.status !== 201) throw new Error(`code: ${JSON.stringify(r.body)}`);
    return r.body.code;
  }

  /** Enrols a fake terminal in a store (a new store when none is given). */
  async terminal(storeId?: string, opts: { clockSkewMs?: number; name?: string; id?: string } = {}): Promise<FakeTerminal> {
    const store = storeId ?? (await this.store());
    const code = await this.code(store);
    const t = new FakeTerminal(this, store, opts.clockSkewMs ?? 0, opts.id);
    const r = await this.request<{ token: string }>('POST', '/v1/enrol', {
      body: { protocolVersion: SYNC_PROTOCOL_VERSION, code, terminalId: t.id, terminalName: opts.name ?? 'till', appVersion: '0.1.0' },
    });
    if (r.status !== 200) throw new Error(`enrol: ${JSON.stringify(r.body)}`);
    t.token = r.body.token;
    return t;
  }

  async count(table: (typeof SERVER_TABLES)[number]): Promise<number> {
    const r = await this.sdb.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async feedHead(): Promise<number> {
    const r = await this.sdb.db.selectFrom('feed_clock').select('next_seq').executeTakeFirstOrThrow();
    return Number(r.next_seq) - 1;
  }

  async balance(memberId: string): Promise<number> {
    const r = await this.sdb.db.selectFrom('member').select('balance').where('id', '=', memberId).executeTakeFirstOrThrow();
    return Number(r.balance);
  }

  /** Sum of the ledger (the truth the cached balance must equal). */
  async ledgerSum(memberId: string): Promise<number> {
    const r = await this.sdb.db
      .selectFrom('ledger_entry')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), eb.lit(0)).as('s'))
      .where('member_id', '=', memberId)
      .executeTakeFirstOrThrow();
    return Number(r.s);
  }
}

/** Declares a suite that runs once on SQLite and once on PostgreSQL, one database per file and dialect. */
export function describeServer(name: string, body: (ctx: { readonly h: Harness; readonly dialect: Dialect }) => void): void {
  describe.each(DIALECTS)(`%s: ${name}`, (dialect) => {
    let h: Harness | undefined;
    let openError: Error | undefined;
    const ctx = {
      get h(): Harness {
        // Every test FAILS with the reason (an unreachable PostgreSQL is an error, never a skip).
        if (!h) throw openError ?? new Error('the test database is not open');
        return h;
      },
      dialect,
    };
    beforeAll(async () => {
      try {
        h = await Harness.open(dialect);
      } catch (e) {
        openError = e as Error;
      }
    });
    afterAll(async () => {
      await h?.close();
    });
    beforeEach(async () => {
      await ctx.h.reset();
    });
    body(ctx);
  });
}

/**
 * A terminal as the server sees it: a gapless outbox seq, a UUIDv7 generator and an HLC on its
 * own (possibly skewed) clock, and payloads shaped like src-main's outbox rows.
 */
export class FakeTerminal {
  readonly id: string;
  token = '';
  seq = 0;
  readonly hlc: HlcClock;
  readonly newId: () => string;
  cursor = '0';

  constructor(
    readonly h: Harness,
    readonly storeId: string,
    readonly skewMs = 0,
    id?: string,
  ) {
    const gen = createUuidV7({ now: () => h.clock.now() + skewMs, randomBytes: (n) => new Uint8Array(randomBytes(n)) });
    this.newId = gen;
    this.id = id ?? gen();
    this.hlc = new HlcClock({ node: nodeIdOf(this.id), now: () => h.clock.now() + skewMs });
  }

  nowIso(): string {
    return new Date(this.h.clock.now() + this.skewMs).toISOString();
  }

  op(kind: string, entityId: string, payload: unknown, hlc?: string): SyncOp {
    this.seq += 1;
    return { seq: this.seq, opId: this.newId(), kind, entityId, hlc: hlc ?? this.hlc.send(), payload };
  }

  member(phone: string | null, extra: Partial<{ name: string | null; id: string }> = {}): { id: string; op: SyncOp } {
    const id = extra.id ?? this.newId();
    const hlc = this.hlc.send();
    const payload = { id, phone, name: extra.name ?? null, birthday: null, referrerId: null, consentTermsAt: this.nowIso(), consentMarketing: false, registeredAt: this.nowIso(), hlc };
    return { id, op: this.op('member', id, payload, hlc) };
  }

  entry(memberId: string, kind: LedgerEntryPayload['kind'], points: number, extra: Partial<LedgerEntryPayload> = {}): LedgerEntryPayload {
    const at = this.nowIso();
    return {
      id: this.newId(),
      member_id: memberId,
      kind,
      points,
      reason: null,
      sale_id: null,
      refund_id: null,
      target_entry_id: null,
      expires_at: points > 0 ? addMonths(at, 12) : null,
      capped_points: 0,
      offline: 0,
      business_date: at.slice(0, 10),
      created_at: at,
      hlc: this.hlc.send(),
      terminal_id: this.id,
      staff_id: 'staff-1',
      approved_by: null,
      rule_set_version: 1,
      idempotency_key: `${randomUUID()}:${kind}`,
      ...extra,
    };
  }

  entryOp(e: LedgerEntryPayload): SyncOp {
    return this.op('ledger_entry', e.id, e, e.hlc);
  }

  fields(memberId: string, fields: Record<string, string | number | null>, hlc?: string): SyncOp {
    const h = hlc ?? this.hlc.send();
    return this.op('member_fields', memberId, { memberId, fields, hlc: h }, h);
  }

  card(code: string, memberId: string, status: 'active' | 'inactive', hlc?: string): SyncOp {
    return this.op('card', code, status === 'active' ? { code, memberId, kind: 'printed', status } : { code, memberId, status, reason: 'lost' }, hlc);
  }

  sale(memberId: string | null, paidMinor: number, businessDate?: string): { id: string; op: SyncOp } {
    const id = this.newId();
    const payload = { id, receiptNo: `R-${id.slice(-6)}`, businessDate: businessDate ?? this.nowIso().slice(0, 10), paidMinor, member: memberId ? { id: memberId } : null, terminalId: this.id, lines: [] };
    return { id, op: this.op('sale', id, payload) };
  }

  refund(saleId: string, refundMinor: number): SyncOp {
    const id = this.newId();
    return this.op('refund', id, { id, saleId, refundMinor, terminalId: this.id });
  }

  pushBody(ops: SyncOp[], extra: Record<string, unknown> = {}) {
    return { protocolVersion: SYNC_PROTOCOL_VERSION, terminalId: this.id, appVersion: '0.1.0', ops, ...extra };
  }

  push(ops: SyncOp[], extra: Record<string, unknown> = {}): Promise<Reply<PushResponse>> {
    return this.h.request<PushResponse>('POST', '/v1/push', { token: this.token, body: this.pushBody(ops, extra) });
  }

  /** Pushes and insists on 200. */
  async pushOk(ops: SyncOp[]): Promise<PushResponse> {
    const r = await this.push(ops);
    if (r.status !== 200) throw new Error(`push ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  pull(cursor = this.cursor, limit = 500, extra: Record<string, unknown> = {}): Promise<Reply<PullResponse>> {
    return this.h.request<PullResponse>('POST', '/v1/pull', { token: this.token, body: { protocolVersion: SYNC_PROTOCOL_VERSION, terminalId: this.id, cursor, limit, ...extra } });
  }

  snapshot(body: { upperCursor?: string; after?: string; limit?: number }, extra: Record<string, unknown> = {}): Promise<Reply<SnapshotResponse>> {
    return this.h.request<SnapshotResponse>('POST', '/v1/snapshot', { token: this.token, body: { protocolVersion: SYNC_PROTOCOL_VERSION, terminalId: this.id, after: '', ...body, ...extra } });
  }

  /** Loads every snapshot page (as a new till does) and sets the cursor to the snapshot's upper cursor. */
  async bootstrapAll(limit = 500, between?: (page: SnapshotResponse) => Promise<void>): Promise<SnapshotResponse[]> {
    const pages: SnapshotResponse[] = [];
    let upper: string | undefined;
    let after = '';
    for (let i = 0; i < 10_000; i++) {
      const r = await this.snapshot({ ...(upper !== undefined ? { upperCursor: upper } : {}), after, limit });
      if (r.status !== 200) throw new Error(`snapshot ${r.status}: ${JSON.stringify(r.body)}`);
      pages.push(r.body);
      upper = r.body.upperCursor;
      after = r.body.nextAfter;
      if (!r.body.hasMore) {
        this.cursor = upper;
        return pages;
      }
      await between?.(r.body);
    }
    throw new Error('snapshot did not finish');
  }

  /** Pulls every page from its cursor and moves the cursor. */
  async pullAll(limit = 500): Promise<PullChange[]> {
    const all: PullChange[] = [];
    for (let i = 0; i < 10_000; i++) {
      const r = await this.pull(this.cursor, limit);
      if (r.status !== 200) throw new Error(`pull ${r.status}: ${JSON.stringify(r.body)}`);
      all.push(...r.body.changes);
      this.cursor = r.body.nextCursor;
      if (!r.body.hasMore) return all;
    }
    throw new Error('pull did not finish');
  }
}

/**
 * A terminal's view of balances: its own entries plus every ledger entry it pulled (its own echoes
 * are not sent back). Used to check that every terminal converges on the server's balances.
 */
export class LedgerView {
  readonly entries = new Map<string, LedgerEntryPayload>();
  add(e: LedgerEntryPayload): void {
    if (!this.entries.has(e.id)) this.entries.set(e.id, e);
  }
  apply(changes: PullChange[]): void {
    for (const c of changes) if (c.kind === 'ledger_entry') this.add(c.entry);
  }
  balance(memberId: string): number {
    let s = 0;
    for (const e of this.entries.values()) if (e.member_id === memberId) s += e.points;
    return s;
  }
}

/**
 * A till's points as the protocol defines them after a snapshot bootstrap: each member's lots and
 * debt from its page, the till's own entries, then the feed from the upper cursor, skipping its
 * own echoes, entries it already holds, and ledger entries and spend a page already counted
 * (seq <= that page's pageCursor, for members in the page's id range).
 */
export class BootstrapView {
  readonly points = new Map<string, number>();
  readonly spend = new Map<string, number>();
  readonly ids = new Set<string>();
  private readonly ranges: { after: string; last: string | null; seq: number }[] = [];
  constructor(private readonly terminalId: string) {}

  private add(map: Map<string, number>, key: string, v: number): void {
    map.set(key, (map.get(key) ?? 0) + v);
  }
  own(e: LedgerEntryPayload): void {
    this.ids.add(e.id);
    this.add(this.points, e.member_id, e.points);
  }
  ownSpend(memberId: string, period: string, delta: number): void {
    this.add(this.spend, `${memberId}:${period}`, delta);
  }
  loadPages(pages: SnapshotResponse[]): void {
    let after = '';
    for (const p of pages) {
      this.ranges.push({ after, last: p.hasMore ? p.nextAfter : null, seq: Number(p.pageCursor) });
      after = p.nextAfter;
      for (const m of p.members) {
        for (const l of m.lots) {
          this.ids.add(l.entryId);
          this.add(this.points, m.member.id, l.remaining);
        }
        for (const o of m.onceOnly) this.ids.add(o.id);
        this.add(this.points, m.member.id, -m.debt);
        for (const s of m.spend) this.add(this.spend, `${m.member.id}:${s.period}`, s.spendMinor);
      }
    }
  }
  private counted(memberId: string, seq: number): boolean {
    const r = [...this.ranges].reverse().find((x) => x.after < memberId);
    return r !== undefined && (r.last === null || r.last >= memberId) && seq <= r.seq;
  }
  apply(changes: PullChange[]): void {
    for (const c of changes) {
      if (c.kind === 'ledger_entry') {
        const e = c.entry;
        if (e.terminal_id === this.terminalId || this.ids.has(e.id) || this.counted(e.member_id, Number(c.serverSeq))) continue;
        this.ids.add(e.id);
        this.add(this.points, e.member_id, e.points);
      } else if (c.kind === 'spend') {
        if (c.sourceTerminalId === this.terminalId || this.counted(c.memberId, Number(c.serverSeq))) continue;
        this.add(this.spend, `${c.memberId}:${c.period}`, c.deltaMinor);
      }
    }
  }
  balance(memberId: string): number {
    return this.points.get(memberId) ?? 0;
  }
  spendOf(memberId: string, period: string): number {
    return this.spend.get(`${memberId}:${period}`) ?? 0;
  }
}
