import { sql } from 'kysely';
import type { PullChange } from '../../src-shared/sync/protocol';
import type { DialectName, Executor, Trx } from '../db/database';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A change as it is stored: a PullChange without its serverSeq (given at allocation). */
export type FeedBody = DistributiveOmit<PullChange, 'serverSeq'>;

export interface PendingChange {
  body: FeedBody;
  entityId: string;
  /** The terminal whose own op this echoes (it does not get it back), or null for everyone. */
  origin: string | null;
  /** Only the terminals of this store receive it (staff); null (or absent) for every store. */
  storeId?: string | null;
}

/**
 * Allocates `n` change-feed sequence numbers. The single `feed_clock` row is updated in the
 * caller's transaction, which keeps that row locked until commit (PostgreSQL row lock; SQLite
 * has one writer at a time anyway). Every other writer waits here, so sequences are handed out
 * in commit order: a reader that sees seq s committed has also seen every seq below s.
 * Callers allocate as late as possible (just before commit) to keep the locked window short.
 */
export async function allocateFeedSeqs(trx: Trx, n: number): Promise<number> {
  const row = await trx
    .updateTable('feed_clock')
    .set({ next_seq: sql`next_seq + ${n}` })
    .where('id', '=', 1)
    .returning('next_seq')
    .executeTakeFirstOrThrow();
  return Number(row.next_seq) - n;
}

/**
 * Appends changes to the feed, in order; returns the first and last seq (null when none). On
 * PostgreSQL the allocation and the insert are ONE statement (a CTE), so the feed lock is held for
 * that statement and the commit only; SQLite runs them one after the other.
 */
export async function appendToFeed(trx: Trx, dialect: DialectName, changes: readonly PendingChange[], createdAt: string): Promise<{ first: number; last: number } | null> {
  if (changes.length === 0) return null;
  if (dialect === 'postgres' && changes.length <= 8000) {
    const n = changes.length;
    const values = sql.join(
      changes.map((c, i) => sql`(${i}::bigint, ${c.body.kind}::text, ${c.entityId}::text, ${c.origin}::text, ${c.storeId ?? null}::text, ${JSON.stringify(c.body)}::text)`),
    );
    const r = await sql<{ first: number }>`
      WITH c AS (UPDATE feed_clock SET next_seq = next_seq + ${n} WHERE id = 1 RETURNING next_seq - ${n} AS first),
           ins AS (INSERT INTO change_feed (server_seq, kind, entity_id, origin_terminal, store_id, payload, created_at)
                   SELECT c.first + v.i, v.kind, v.entity_id, v.origin_terminal, v.store_id, v.payload, ${createdAt}
                   FROM c, (VALUES ${values}) AS v(i, kind, entity_id, origin_terminal, store_id, payload))
      SELECT first FROM c`.execute(trx);
    const first = Number(r.rows[0]!.first);
    return { first, last: first + n - 1 };
  }
  const first = await allocateFeedSeqs(trx, changes.length);
  const rows = changes.map((c, i) => ({
    server_seq: first + i,
    kind: c.body.kind,
    entity_id: c.entityId,
    origin_terminal: c.origin,
    store_id: c.storeId ?? null,
    payload: JSON.stringify(c.body),
    created_at: createdAt,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await trx.insertInto('change_feed').values(rows.slice(i, i + 500)).execute();
  }
  return { first, last: first + changes.length - 1 };
}

/** The highest committed seq (every seq at or below it is committed and visible). */
export async function feedHead(ex: Executor): Promise<number> {
  return (await feedState(ex)).head;
}

/** The committed head and the compaction horizon (feed rows at or below it are gone). */
export async function feedState(ex: Executor): Promise<{ head: number; compactedThrough: number }> {
  const row = await ex.selectFrom('feed_clock').select(['next_seq', 'compacted_through']).where('id', '=', 1).executeTakeFirstOrThrow();
  return { head: Number(row.next_seq) - 1, compactedThrough: Number(row.compacted_through) };
}
