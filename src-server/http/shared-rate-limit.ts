import { sql } from 'kysely';
import type { ServerDb } from '../db/database';
import type { BucketSpec } from './rate-limit';

/**
 * A token bucket kept in the database, so every server process behind a load balancer draws from
 * the same one. One upsert per request (atomic: PostgreSQL locks the row of `ON CONFLICT DO
 * UPDATE`, SQLite has one writer): cheap for a rare endpoint like enrolment, too costly for every
 * push and pull (which keep their per-process buckets, see docs/operations.md).
 * Returns 0 when a token was taken, else the milliseconds until the next one.
 */
export async function takeSharedToken(sdb: ServerDb, key: string, spec: BucketSpec, nowMs: number): Promise<number> {
  const perMs = spec.perSecond / 1000;
  const min = sdb.dialect === 'postgres' ? 'least' : 'min';
  // Explicit casts: PostgreSQL would otherwise type the parameters after the bigint column.
  const num = (v: number) => sql`CAST(${v} AS DOUBLE PRECISION)`;
  const refill = sql<number>`${sql.raw(min)}(${num(spec.burst)}, rate_bucket.tokens + (${num(nowMs)} - rate_bucket.at) * ${num(perMs)})`;
  const r = await sql<{ tokens: number; last_ok: number }>`
    INSERT INTO rate_bucket (key, tokens, at, last_ok) VALUES (${key}, ${spec.burst - 1}, ${nowMs}, 1)
    ON CONFLICT (key) DO UPDATE SET
      tokens = CASE WHEN ${refill} >= 1 THEN ${refill} - 1 ELSE ${refill} END,
      last_ok = CASE WHEN ${refill} >= 1 THEN 1 ELSE 0 END,
      at = ${nowMs}
    RETURNING tokens, last_ok`.execute(sdb.db);
  const row = r.rows[0]!;
  if (Number(row.last_ok) === 1) return 0;
  return Math.ceil(((1 - Number(row.tokens)) / spec.perSecond) * 1000);
}
