import type BetterSqlite3 from 'better-sqlite3';
import { nodeIdOf } from '../../src-shared/sync/hlc';
import type { CoreContext } from '../terminal/context';
import { emptyRows, generateBatch, HISTORY_DAYS, type BatchRows, type SeedEnv } from './history';
import { IdMinter, MAX_DEMO_MEMBERS } from './identifiers';
import { LocalCalendar } from './local-time';
import { Rng } from './prng';

export interface BulkSeedOptions {
  members: number;
  /** PRNG seed: the same seed, member count and "today" give the same store. */
  seed?: number;
  /** Members per transaction. */
  batchSize?: number;
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
  memberDays: number;
  periods: number;
  elapsedMs: number;
}

export const DEFAULT_SEED = 20260615;
const DEFAULT_BATCH = 10_000;

const INSERTS = {
  members: `INSERT INTO member (seq, id, phone, phone_last4, name, birthday, referrer_id, consent_terms_at, consent_marketing, status,
      status_reason, merged_into, diamond, registered_at, registered_terminal, first_purchase_at, last_purchase_date)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  names: `INSERT INTO member_name_fts (rowid, tokens) VALUES (?, ?)`,
  cards: `INSERT INTO card (code, member_id, kind, status, status_reason, added_at, hlc) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  sales: `INSERT INTO sale (id, idempotency_key, request_hash, receipt_no, member_id, staff_id, terminal_id, created_at, business_date,
      gross_minor, redeemed_points, redeemed_value_minor, paid_minor, earned_points, capped_points, tier, rule_set_version, offline, result)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  saleLines: `INSERT INTO sale_line (sale_id, line_no, sku, description, category, quantity, unit_price_minor, discount_minor, gross_minor,
      redeemed_points, redeemed_value_minor, paid_minor, earned_points, campaign_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  refunds: `INSERT INTO refund (id, idempotency_key, request_hash, sale_id, staff_id, terminal_id, created_at, business_date, refund_minor,
      reverse_earned_points, return_redeemed_points, result)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  refundLines: `INSERT INTO refund_line (refund_id, line_no, quantity, refund_minor, reverse_earned_points, return_redeemed_points)
    VALUES (?, ?, ?, ?, ?, ?)`,
  // The trigger ledger_entry_balance moves member.balance with every row, as in normal operation.
  entries: `INSERT INTO ledger_entry (id, member_id, kind, points, reason, sale_id, refund_id, target_entry_id, expires_at, capped_points,
      offline, business_date, created_at, hlc, terminal_id, staff_id, approved_by, rule_set_version, idempotency_key)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  memberDays: `INSERT INTO member_day (member_id, business_date, purchase_points, capped_points, offline_redeemed_points) VALUES (?, ?, ?, ?, ?)`,
  periods: `INSERT INTO member_period_spend (member_id, period, spend_minor) VALUES (?, ?, ?)`,
} as const;

/** Parents before children, so every foreign key finds its row. */
const ORDER = ['members', 'names', 'cards', 'sales', 'saleLines', 'refunds', 'refundLines', 'entries', 'memberDays', 'periods'] as const;

/**
 * Writes the demo members and their history straight into SQLite: prepared statements on the raw
 * connection, one transaction per batch, no services. Demo history is not sent to the central
 * server, so nothing goes to the outbox (and nothing to the audit log: no one did anything).
 *
 * While loading, `synchronous` is OFF and the page cache is large (a crash half-way leaves a
 * half-seeded demo database, to be deleted; the CLI refuses to reuse it); both are restored at
 * the end. Triggers, indexes and foreign keys stay on. After each batch the cached balances
 * (moved by the ledger trigger) are compared with the simulated ones.
 */
export function bulkSeedMembers(ctx: CoreContext, cashierIds: readonly string[], opts: BulkSeedOptions): BulkSeedResult {
  const { raw } = ctx;
  const total = opts.members;
  if (!Number.isInteger(total) || total < 0 || total > MAX_DEMO_MEMBERS) {
    throw new RangeError(`members must be a whole number from 0 to ${MAX_DEMO_MEMBERS}, got ${total}`);
  }
  const existing = Number(raw.prepare('SELECT count(*) FROM member').pluck().get());
  if (existing > 0) throw new Error('The demo store is seeded into an empty database only; this one already has members.');
  const started = performance.now();
  const result: BulkSeedResult = { members: 0, cards: 0, ledgerEntries: 0, sales: 0, saleLines: 0, refunds: 0, memberDays: 0, periods: 0, elapsedMs: 0 };
  if (total === 0) return result;

  const seed = opts.seed ?? DEFAULT_SEED;
  const nowMs = ctx.now().getTime();
  const env: SeedEnv = {
    nowMs,
    terminalId: ctx.terminalId,
    hlcNode: nodeIdOf(ctx.terminalId),
    receiptTag: ctx.terminalId.replace(/-/g, '').slice(-4).toUpperCase(),
    cal: new LocalCalendar(ctx.timeZone),
    rulesOn: memoRules(ctx.rulesOn),
    cashierIds,
    seed,
    // Minted "an hour ago" in insertion order; 4096 per millisecond leaves ample room before now.
    ids: new IdMinter(nowMs - 3_600_000, new Rng(seed, -1)),
  };
  const receiptSeq = { n: 0 };
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;

  const pragmas = saveBulkPragmas(raw);
  try {
    raw.pragma('synchronous = OFF');
    raw.pragma(`cache_size = ${-Math.min(2_000_000, Math.max(64_000, total * 4))}`); // KiB: up to ~2 GB
    raw.pragma('temp_store = MEMORY');
    const stmts = Object.fromEntries(ORDER.map((t) => [t, raw.prepare(INSERTS[t])])) as Record<(typeof ORDER)[number], BetterSqlite3.Statement>;
    const balanceOf = raw.prepare('SELECT seq, balance FROM member WHERE seq BETWEEN ? AND ?');
    const write = raw.transaction((rows: BatchRows) => {
      for (const t of ORDER) {
        const stmt = stmts[t];
        for (const r of rows[t]) stmt.run(r);
      }
    });

    for (let from = 0; from < total; from += batchSize) {
      const to = Math.min(total, from + batchSize);
      const rows = emptyRows();
      generateBatch(env, from, to, receiptSeq, rows);
      write(rows);
      for (const r of balanceOf.all(from + 1, to) as { seq: number; balance: number }[]) {
        if (rows.balances.get(r.seq) !== r.balance) {
          throw new Error(`demo seed: member ${r.seq} has cached balance ${r.balance}, simulated ${String(rows.balances.get(r.seq))}`);
        }
      }
      result.members += rows.members.length;
      result.cards += rows.cards.length;
      result.ledgerEntries += rows.entries.length;
      result.sales += rows.sales.length;
      result.saleLines += rows.saleLines.length;
      result.refunds += rows.refunds.length;
      result.memberDays += rows.memberDays.length;
      result.periods += rows.periods.length;
      opts.onProgress?.({ members: result.members, totalMembers: total, ledgerEntries: result.ledgerEntries, sales: result.sales, elapsedMs: performance.now() - started });
    }

    const setMeta = raw.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    raw.transaction(() => {
      // The next receipt continues the demo's numbering; the demo ran its expiry up to now.
      setMeta.run('receipt_seq', String(receiptSeq.n));
      setMeta.run('expiry_watermark', new Date(nowMs).toISOString());
    })();
  } finally {
    restoreBulkPragmas(raw, pragmas);
  }
  result.elapsedMs = performance.now() - started;
  return result;
}

export const SEED_HISTORY_DAYS = HISTORY_DAYS;

function memoRules(rulesOn: CoreContext['rulesOn']): CoreContext['rulesOn'] {
  const memo = new Map<string, ReturnType<CoreContext['rulesOn']>>();
  return (date) => {
    let r = memo.get(date);
    if (!r) {
      r = rulesOn(date);
      memo.set(date, r);
    }
    return r;
  };
}

interface SavedPragmas {
  synchronous: number;
  cacheSize: number;
  tempStore: number;
}

function saveBulkPragmas(raw: BetterSqlite3.Database): SavedPragmas {
  return {
    synchronous: Number(raw.pragma('synchronous', { simple: true })),
    cacheSize: Number(raw.pragma('cache_size', { simple: true })),
    tempStore: Number(raw.pragma('temp_store', { simple: true })),
  };
}

function restoreBulkPragmas(raw: BetterSqlite3.Database, p: SavedPragmas): void {
  raw.pragma(`synchronous = ${p.synchronous}`);
  raw.pragma(`cache_size = ${p.cacheSize}`);
  raw.pragma(`temp_store = ${p.tempStore}`);
  // Fold the WAL back into the database file and shrink it: the seed wrote a lot through it.
  raw.pragma('wal_checkpoint(TRUNCATE)');
}
