import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Distinct SQL texts kept prepared; a till runs a few hundred, so nothing churns in practice. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 as Kysely's SQLite database, with each distinct SQL text prepared once.
 * Kysely prepares a statement for every query it runs; a checkout runs about thirty, and
 * compiling them again for every sale is work on the cashier's clock. Least recently used
 * texts are dropped beyond `capacity` (queries with variable IN lists or row counts produce
 * many texts). A statement that is still being iterated is never handed out twice: the caller
 * gets a fresh one, as without the cache.
 */
export function withStatementCache(raw: BetterSqlite3.Database, capacity = DEFAULT_STATEMENT_CACHE_SIZE): SqliteDatabase & { readonly cachedStatements: number } {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('statement cache capacity must be a positive integer');
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached !== undefined) {
        if (cached.busy) return raw.prepare(sql);
        // Map keeps insertion order: re-inserting marks it most recently used.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = raw.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
      return statement;
    },
    get cachedStatements() {
      return cache.size;
    },
  };
}
