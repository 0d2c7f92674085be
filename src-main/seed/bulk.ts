import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import type { RuleSet } from '../../src-shared/domain/rules';
import { nodeIdOf } from '../../src-shared/sync/hlc';
import { DAY_SUMMARY_TRIGGERS, rebuildDaySummary } from '../ledger/day-summary.repo';
import type { CoreContext } from '../core/context';
import { generateBatch, HISTORY_DAYS, type RowSink } from './history';
import { MAX_DEMO_MEMBERS } from './identifiers';
import { LocalCalendar } from './local-time';
import { TABLES, makeSeedEnv, type RowChunk, type SeedParams, type Table, type WorkerInput, type WorkerMessage } from './rows';

export interface BulkSeedOptions {
  members: number;
  /** PRNG seed: the same seed, member count and "today" give the same store. */
  seed?: number;
  /** Members per transaction (default 10,000). */
  batchSize?: number;
  /**
   * Generate the history in a worker thread while this thread writes (same rows, same order).
   * Default: for 50,000 members or more, when running from source under tsx; otherwise in-process.
   */
  worker?: boolean;
  /** Called after every batch. */
  onProgress?: (p: BulkSeedProgress) => void;
}

export interface BulkSeedProgress {
  members: number;
  totalMembers: number;
  ledgerEntries: number;
  sales: number;
  elapsedMs: number;
}

export interface BulkSeedResult {
  members: number;
  cards: number;
  ledgerEntries: number;
  sales: number;
  saleLines: number;
  refunds: number;
  periods: number;
  elapsedMs: number;
  /** Whether the history was generated in a worker thread. */
  worker: boolean;
  /** Time spent building the indexes deferred to the end of the load (included in elapsedMs). */
  indexBuildMs: number;
}

export const DEFAULT_SEED = 20260615;
export const SEED_HISTORY_DAYS = HISTORY_DAYS;
const DEFAULT_BATCH = 10_000;
const WORKER_THRESHOLD = 50_000;

const INSERTS: Record<Table, string> = {
  member: `INSERT INTO member (seq, id, phone, phone_last4, name, birthday, referrer_id, consent_terms_at, consent_marketing, status,
      status_reason, merged_into, diamond, registered_at, registered_terminal, first_purchase_at, last_purchase_date, balance)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  name: `INSERT INTO member_name_fts (rowid, tokens) VALUES (?, ?)`,
  card: `INSERT INTO card (code, member_id, kind, status, status_reason, added_at, hlc) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  sale: `INSERT INTO sale (id, idempotency_key, request_hash, receipt_no, member_id, staff_id, terminal_id, created_at, business_date,
      gross_minor, redeemed_points, redeemed_value_minor, paid_minor, earned_points, capped_points, tier, rule_set_version, offline, result, tenders)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  saleLine: `INSERT INTO sale_line (sale_id, line_no, sku, description, category, quantity, unit_price_minor, discount_minor, gross_minor,
      redeemed_points, redeemed_value_minor, paid_minor, earned_points, campaign_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  refund: `INSERT INTO refund (id, idempotency_key, request_hash, sale_id, staff_id, terminal_id, created_at, business_date, refund_minor,
      reverse_earned_points, return_redeemed_points, result, tenders)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  refundLine: `INSERT INTO refund_line (refund_id, line_no, quantity, refund_minor, reverse_earned_points, return_redeemed_points)
    VALUES (?, ?, ?, ?, ?, ?)`,
  entry: `INSERT INTO ledger_entry (id, member_id, kind, points, reason, sale_id, refund_id, target_entry_id, expires_at, capped_points,
      offline, business_date, created_at, hlc, terminal_id, staff_id, approved_by, rule_set_version, idempotency_key)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  period: `UPDATE member SET spend_period = ?, spend_current = ?, spend_previous = ? WHERE id = ?`,
};

const BALANCE_TRIGGER = 'ledger_entry_balance';
/**
 * Secondary indexes whose keys land at random places (every batch touches most of their pages,
 * so each commit rewrites nearly the whole index: quadratic in the store's size). For big loads
 * they are dropped and built once at the end, which sorts instead. Every other index is filled in
 * key order by the seed (ids minted in insertion order, members in order, dates grouped) and stays.
 */
const RANDOM_ORDER_INDEXES = ['ledger_expiry'];
/** From this many members on: deferred indexes, and the rollback journal in memory instead of the WAL. */
const BIG_LOAD = 100_000;

/**
 * Writes the demo members and their history straight into SQLite: prepared statements on the raw
 * connection, one transaction per batch of members, no services. Demo history is not sent to the
 * central server, so nothing goes to the outbox (and nothing to the audit log: nobody did anything).
 *
 * Speed:
 * - While loading, `synchronous` is OFF and the page cache is large (both restored at the end; a
 *   crash half-way leaves a half-seeded demo database to delete, which the CLI refuses to reuse).
 * - Inside each batch's transaction the balance trigger is dropped, and re-created from its stored
 *   definition before COMMIT: an INSERT that fires a trigger needs a statement journal, which made
 *   every ledger row several times dearer. The batch writes the simulated balances itself and,
 *   still inside the transaction, proves for every member of the batch that the cached balance
 *   equals the sum of their entries; a mismatch rolls the batch back. Every committed state thus
 *   has the trigger and consistent balances. Foreign keys stay on throughout.
 * - From 100,000 members on (BIG_LOAD), the two indexes filled in random key order
 *   (RANDOM_ORDER_INDEXES) are dropped for the load and re-created from their stored definitions
 *   at the end (also when the load fails), and the journal is kept in memory instead of the WAL,
 *   so every page is written once instead of twice (WAL, then checkpoint). WAL mode is restored at
 *   the end. A process killed during such a load leaves a damaged half-seeded store: delete it.
 * - For big runs the history is generated in a worker thread while this thread writes.
 */
export async function bulkSeedMembers(ctx: CoreContext, cashierIds: readonly string[], opts: BulkSeedOptions): Promise<BulkSeedResult> {
  const { raw } = ctx;
  const total = opts.members;
  if (!Number.isInteger(total) || total < 0 || total > MAX_DEMO_MEMBERS) {
    throw new RangeError(`members must be a whole number from 0 to ${MAX_DEMO_MEMBERS}, got ${total}`);
  }
  const started = performance.now();
  const empty: BulkSeedResult = { members: 0, cards: 0, ledgerEntries: 0, sales: 0, saleLines: 0, refunds: 0, periods: 0, elapsedMs: 0, worker: false, indexBuildMs: 0 };
  if (total === 0) return empty;
  if (Number(raw.prepare('SELECT count(*) FROM member').pluck().get()) > 0) {
    throw new Error('The demo store is seeded into an empty database only; this one already has members.');
  }

  const params: SeedParams = {
    nowMs: ctx.now().getTime(),
    terminalId: ctx.terminalId,
    hlcNode: nodeIdOf(ctx.terminalId),
    receiptTag: ctx.terminalId.replace(/-/g, '').slice(-4).toUpperCase(),
    timeZone: ctx.timeZone,
    cashierIds: [...cashierIds],
    seed: opts.seed ?? DEFAULT_SEED,
  };
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const workerFile = workerEntry();
  const useWorker = (opts.worker ?? total >= WORKER_THRESHOLD) && workerFile !== null;

  const writer = new BulkWriter(raw, total, total >= BIG_LOAD);
  const progress = () =>
    opts.onProgress?.({ members: writer.counts.member, totalMembers: total, ledgerEntries: writer.counts.entry, sales: writer.counts.sale, elapsedMs: performance.now() - started });
  try {
    if (useWorker) {
      await generateInWorker(workerFile, ctx, params, total, batchSize, writer, progress);
    } else {
      const env = makeSeedEnv(params, memoRules(ctx.rulesOn));
      for (let from = 0; from < total; from += batchSize) {
        const to = Math.min(total, from + batchSize);
        writer.begin();
        try {
          generateBatch(env, from, to, writer.sink);
          writer.commit(from, to);
        } catch (e) {
          writer.rollback();
          throw e;
        }
        progress();
      }
    }
    const setMeta = raw.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    raw.transaction(() => {
      // The demo ran its expiry up to now. (The next receipt number follows the last sale's.)
      setMeta.run('expiry_watermark', new Date(params.nowMs).toISOString());
    })();
  } finally {
    writer.close();
  }
  const c = writer.counts;
  return {
    members: c.member,
    cards: c.card,
    ledgerEntries: c.entry,
    sales: c.sale,
    saleLines: c.saleLine,
    refunds: c.refund,
    periods: c.period,
    elapsedMs: performance.now() - started,
    worker: useWorker,
    indexBuildMs: writer.indexBuildMs,
  };
}

/** Prepared statements, batch transactions and the per-batch balance proof. */
class BulkWriter {
  readonly counts: Record<Table, number> = { member: 0, name: 0, card: 0, sale: 0, saleLine: 0, refund: 0, refundLine: 0, entry: 0, period: 0 };
  readonly sink: RowSink;
  private readonly stmts: Record<Table, BetterSqlite3.Statement>;
  private readonly done: BetterSqlite3.Statement;
  private readonly mismatches: BetterSqlite3.Statement;
  private readonly triggerSql: string | undefined;
  /** The day-summary triggers, dropped for the load and re-created by close() after one rebuild. */
  private readonly summaryTriggers: string[];
  private readonly saved: { synchronous: number; cacheSize: number; tempStore: number; journalMode: string };
  /** Indexes dropped for the load, with the SQL that re-creates them. */
  private readonly deferred: { name: string; sql: string }[];
  /** Time spent re-creating the deferred indexes, ms. */
  indexBuildMs = 0;

  constructor(
    private readonly raw: BetterSqlite3.Database,
    totalMembers: number,
    private readonly big: boolean,
  ) {
    this.saved = {
      journalMode: String(raw.pragma('journal_mode', { simple: true })),
      synchronous: Number(raw.pragma('synchronous', { simple: true })),
      cacheSize: Number(raw.pragma('cache_size', { simple: true })),
      tempStore: Number(raw.pragma('temp_store', { simple: true })),
    };
    if (this.big) raw.pragma('journal_mode = MEMORY');
    raw.pragma('synchronous = OFF');
    // A batch of 10,000 members dirties ~400 MB; keep it and the hot index pages in memory (up to ~2 GB).
    raw.pragma(`cache_size = ${-Math.min(2_000_000, Math.max(64_000, totalMembers * 100))}`);
    raw.pragma('temp_store = MEMORY');
    const indexSql = raw.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ? AND sql IS NOT NULL`).pluck();
    this.deferred = (big ? RANDOM_ORDER_INDEXES : []).flatMap((name) => {
      const sql = indexSql.get(name) as string | undefined;
      return sql ? [{ name, sql }] : [];
    });
    for (const d of this.deferred) raw.exec(`DROP INDEX ${d.name}`);
    this.triggerSql = raw.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?`).pluck().get(BALANCE_TRIGGER) as string | undefined;
    // The day summary is summed once at the end (close) instead of by a trigger per row.
    this.summaryTriggers = DAY_SUMMARY_TRIGGERS.flatMap((name) => {
      const sql = raw.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?`).pluck().get(name) as string | undefined;
      return sql ? [sql] : [];
    });
    for (const name of DAY_SUMMARY_TRIGGERS) raw.exec(`DROP TRIGGER IF EXISTS ${name}`);
    this.stmts = Object.fromEntries(TABLES.map((t) => [t, raw.prepare(INSERTS[t])])) as Record<Table, BetterSqlite3.Statement>;
    this.done = raw.prepare('UPDATE member SET first_purchase_at = ?, last_purchase_date = ?, balance = ? WHERE seq = ?');
    const remote = raw.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'remote_entry'`).get() !== undefined;
    // The cached balance covers this terminal's entries and (once synced) other terminals'; the demo writes only the former.
    const remoteSum = remote ? ' + (SELECT COALESCE(SUM(r.points), 0) FROM remote_entry r WHERE r.member_id = m.id)' : '';
    this.mismatches = raw.prepare(`
      SELECT seq, balance, total FROM (
        SELECT m.seq, m.balance, (SELECT COALESCE(SUM(e.points), 0) FROM ledger_entry e WHERE e.member_id = m.id)${remoteSum} AS total
        FROM member m WHERE m.seq BETWEEN ? AND ?)
      WHERE balance != total LIMIT 5`);
    const put = (t: Table) => {
      const stmt = this.stmts[t];
      return (row: unknown[]) => {
        stmt.run(row);
        this.counts[t]++;
      };
    };
    this.sink = {
      member: put('member'),
      name: put('name'),
      card: put('card'),
      sale: put('sale'),
      saleLine: put('saleLine'),
      refund: put('refund'),
      refundLine: put('refundLine'),
      entry: put('entry'),
      period: put('period'),
      memberDone: (seq, firstPurchaseAt, lastPurchaseDate, balance) => void this.done.run(firstPurchaseAt, lastPurchaseDate, balance, seq),
    };
  }

  begin(): void {
    this.raw.exec('BEGIN');
    if (this.triggerSql) this.raw.exec(`DROP TRIGGER ${BALANCE_TRIGGER}`);
  }

  write(chunk: RowChunk): void {
    for (const t of TABLES) {
      const stmt = this.stmts[t];
      const rows = chunk.rows[t];
      for (const row of rows) stmt.run(row);
      this.counts[t] += rows.length;
    }
    for (const d of chunk.done) this.done.run(d[1], d[2], d[3], d[0]);
  }

  /** Proves the batch's balances, puts the trigger back and commits. */
  commit(from: number, to: number): void {
    const bad = this.mismatches.all(from + 1, to) as { seq: number; balance: number; total: number }[];
    if (bad.length > 0) throw new Error(`demo seed: cached balance != sum of entries for members ${JSON.stringify(bad)}`);
    if (this.triggerSql) this.raw.exec(this.triggerSql);
    this.raw.exec('COMMIT');
  }

  rollback(): void {
    if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
  }

  close(): void {
    this.rollback();
    if (this.summaryTriggers.length > 0) {
      this.raw.transaction(() => {
        rebuildDaySummary(this.raw);
        for (const sql of this.summaryTriggers) this.raw.exec(sql);
      })();
    }
    // The big page cache and in-memory temp store help the inserts but slow CREATE INDEX's sorter
    // down several times: the index build runs with SQLite's default cache (2 MB) and a helper thread.
    this.raw.pragma(`temp_store = ${this.saved.tempStore}`);
    if (this.deferred.length > 0) {
      this.raw.pragma('cache_size = -2000');
      const t0 = performance.now();
      const threads = this.raw.pragma('threads', { simple: true });
      this.raw.pragma('threads = 2');
      for (const d of this.deferred) this.raw.exec(d.sql);
      this.raw.pragma(`threads = ${Number(threads)}`);
      this.indexBuildMs = performance.now() - t0;
    }
    this.raw.pragma(`cache_size = ${this.saved.cacheSize}`);
    this.raw.pragma(`synchronous = ${this.saved.synchronous}`);
    if (this.big) this.raw.pragma(`journal_mode = ${this.saved.journalMode}`);
    // Fold the WAL back into the database file and shrink it: the seed wrote a lot through it.
    this.raw.pragma('wal_checkpoint(TRUNCATE)');
  }
}

/** The worker's source file when running from source under tsx (bundled builds seed in-process). */
function workerEntry(): string | null {
  try {
    const here = fileURLToPath(import.meta.url);
    const file = path.join(path.dirname(here), 'seed-worker.ts');
    return here.endsWith('.ts') && fs.existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

function generateInWorker(
  workerFile: string,
  ctx: CoreContext,
  params: SeedParams,
  total: number,
  batchSize: number,
  writer: BulkWriter,
  progress: () => void,
): Promise<number> {
  // The rule set of every business date the history can touch, looked up here once.
  const cal = new LocalCalendar(params.timeZone);
  const ruleSets: RuleSet[] = [];
  const ruleIndexByDate: Record<string, number> = {};
  for (let ms = params.nowMs - (HISTORY_DAYS + 3) * 86_400_000; ms <= params.nowMs + 86_400_000; ms += 3_600_000) {
    const date = cal.dateOf(ms);
    if (date in ruleIndexByDate) continue;
    const rules = ctx.rulesOn(date);
    let i = ruleSets.indexOf(rules);
    if (i < 0) i = ruleSets.push(rules) - 1;
    ruleIndexByDate[date] = i;
  }
  // The worker may run up to 100 chunks (5,000 members, ~250 MB of JSON) ahead: enough to cover a commit.
  const control = new SharedArrayBuffer(8);
  const counters = new Int32Array(control);
  const input: WorkerInput = { params, ruleSets, ruleIndexByDate, members: total, batchSize, membersPerChunk: 50, control, maxChunksAhead: 100 };
  // Under tsx the worker needs tsx's loader registered in its own thread first.
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(workerFile).href)}); })`;
  // A roomy young generation: the history is a stream of short-lived objects.
  const worker = new Worker(boot, { eval: true, workerData: input, resourceLimits: { maxYoungGenerationSizeMb: 128 } });

  return new Promise<number>((resolve, reject) => {
    let batch: { from: number; to: number } | null = null;
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      writer.rollback();
      void worker.terminate();
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    worker.on('message', (m: WorkerMessage) => {
      if (settled) return;
      try {
        if (m.t === 'batch') {
          batch = { from: m.from, to: m.to };
          writer.begin();
        } else if (m.t === 'chunk') {
          writer.write(JSON.parse(m.json) as RowChunk);
          Atomics.add(counters, 1, 1);
          Atomics.notify(counters, 1);
        } else if (m.t === 'batchEnd') {
          if (!batch || batch.from !== m.from) throw new Error('demo seed: batches out of order');
          writer.commit(m.from, m.to);
          batch = null;
          progress();
        } else if (m.t === 'end') {
          settled = true;
          void worker.terminate();
          resolve(m.receiptSeq);
        } else {
          throw new Error(`demo seed worker failed: ${m.message}\n${m.stack ?? ''}`);
        }
      } catch (e) {
        fail(e);
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`demo seed worker exited (${code}) before finishing`)));
  });
}

function memoRules(rulesOn: CoreContext['rulesOn']): CoreContext['rulesOn'] {
  const memo = new Map<string, RuleSet>();
  return (date) => {
    let r = memo.get(date);
    if (!r) {
      r = rulesOn(date);
      memo.set(date, r);
    }
    return r;
  };
}
