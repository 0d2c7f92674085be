import { inTransaction, type ServerDb } from '../db/database';
import { ServerError } from '../errors';
import { feedState } from './feed';

const DAY_MS = 86_400_000;
/** Default ages (docs/operations.md, "Housekeeping"). */
export const PUSH_RESULT_MIN_AGE_DAYS = 7;
export const FEED_RETENTION_DAYS = 90;
const DELETE_CHUNK = 10_000;

function checkDays(days: number, min: number): void {
  if (!Number.isFinite(days) || days < min) throw new ServerError(400, 'INVALID_REQUEST', `the age must be at least ${min} days`);
}

export interface PruneResult {
  deleted: number;
  terminals: number;
  cutoff: string;
}

/**
 * Deletes stored push results (the answers replayed after a lost acknowledgement) that no terminal
 * can ask for again: those below the terminal's `resend_floor` (it has since sent a push starting
 * there, so it had deleted every op below; such an op coming back is refused as SEQUENCE_CONFLICT
 * without needing the stored result), and every result of a revoked terminal. Only results older
 * than `olderThanDays` go, kept for support questions. The results a terminal may still resend are
 * never deleted, however long it stays offline: the retry horizon is unbounded.
 */
export async function prunePushResults(sdb: ServerDb, now: () => number, opts: { olderThanDays?: number } = {}): Promise<PruneResult> {
  const days = opts.olderThanDays ?? PUSH_RESULT_MIN_AGE_DAYS;
  checkDays(days, 1);
  const cutoff = new Date(now() - days * DAY_MS).toISOString();
  const terminals = await sdb.db.selectFrom('terminal').select(['id', 'status', 'resend_floor']).orderBy('id').execute();
  let deleted = 0;
  let touched = 0;
  for (const t of terminals) {
    let q = sdb.db.deleteFrom('push_result').where('terminal_id', '=', t.id).where('created_at', '<', cutoff);
    if (t.status !== 'revoked') q = q.where('seq', '<', Number(t.resend_floor));
    const r = await q.executeTakeFirst();
    const n = Number(r.numDeletedRows);
    deleted += n;
    if (n > 0) touched += 1;
  }
  return { deleted, terminals: touched, cutoff };
}

export interface CompactResult {
  /** Feed rows at or below this seq are gone; a cursor below it must load a snapshot. */
  compactedThrough: number;
  deleted: number;
  cutoff: string;
  /** Active terminals whose last pull cursor is below the horizon: they will re-bootstrap. */
  terminalsBehind: number;
}

/**
 * The largest feed seq whose row is older than `cutoff` (binary search over the seq, whose
 * created_at grows with it up to the milliseconds of concurrent writers).
 */
async function lastSeqBefore(sdb: ServerDb, from: number, head: number, cutoff: string): Promise<number> {
  let lo = from; // known: everything at or below is old enough (or gone)
  let hi = head;
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    const row = await sdb.db.selectFrom('change_feed').select(['server_seq', 'created_at']).where('server_seq', '>=', mid).orderBy('server_seq').limit(1).executeTakeFirst();
    if (row && row.created_at < cutoff) lo = Math.max(mid, Math.min(Number(row.server_seq), hi));
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Compacts the change feed: rows older than `olderThanDays` are deleted. The horizon is committed
 * FIRST (one short transaction that takes the feed lock), then rows are deleted in chunks, so a
 * pull never serves a hole as if nothing had happened there: a cursor below the horizon gets
 * `410 CURSOR_EXPIRED` and loads a snapshot. Nothing else is compacted: dropping superseded member
 * or card changes would break the order guarantees (a card or a merged member before the member
 * it names) that terminals rely on.
 */
export async function compactFeed(sdb: ServerDb, now: () => number, opts: { olderThanDays?: number } = {}): Promise<CompactResult> {
  const days = opts.olderThanDays ?? FEED_RETENTION_DAYS;
  checkDays(days, 1);
  const cutoff = new Date(now() - days * DAY_MS).toISOString();
  const before = await feedState(sdb.db);
  const target = await lastSeqBefore(sdb, before.compactedThrough, before.head, cutoff);
  const horizon = await inTransaction(sdb, async (trx) => {
    const cur = await trx.selectFrom('feed_clock').select('compacted_through').where('id', '=', 1).executeTakeFirstOrThrow();
    const h = Math.max(Number(cur.compacted_through), target);
    if (h > Number(cur.compacted_through)) await trx.updateTable('feed_clock').set({ compacted_through: h }).where('id', '=', 1).execute();
    return h;
  });
  let deleted = 0;
  const low = await sdb.db.selectFrom('change_feed').select((eb) => eb.fn.min('server_seq').as('s')).executeTakeFirst();
  for (let from = Number(low?.s ?? horizon + 1) - 1; from < horizon; from += DELETE_CHUNK) {
    const r = await sdb.db
      .deleteFrom('change_feed')
      .where('server_seq', '>', from)
      .where('server_seq', '<=', Math.min(horizon, from + DELETE_CHUNK))
      .executeTakeFirst();
    deleted += Number(r.numDeletedRows);
  }
  const behind = await sdb.db
    .selectFrom('terminal')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'active')
    .where('last_pull_cursor', '<', horizon)
    .executeTakeFirstOrThrow();
  return { compactedThrough: horizon, deleted, cutoff, terminalsBehind: Number(behind.n) };
}

/** Token buckets not touched for a day are full again anyway: forget them. */
export async function pruneRateBuckets(sdb: ServerDb, now: () => number): Promise<number> {
  const r = await sdb.db.deleteFrom('rate_bucket').where('at', '<', now() - DAY_MS).executeTakeFirst();
  return Number(r.numDeletedRows);
}
