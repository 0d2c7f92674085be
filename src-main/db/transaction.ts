import type { Kysely, Transaction } from 'kysely';
import type { TerminalDatabase } from './schema';
import { toStorageError } from './storage-errors';

/**
 * Runs `fn` in one SQLite transaction and commits it. When SQLite has already rolled the
 * transaction back by itself (disk full, I/O error), Kysely's own ROLLBACK fails with "no
 * transaction is active" and would hide the real cause; here the first error wins and is turned
 * into a typed one.
 */
export async function inTransaction<T>(db: Kysely<TerminalDatabase>, fn: (trx: Transaction<TerminalDatabase>) => Promise<T>): Promise<T> {
  let first: unknown = undefined;
  let failed = false;
  try {
    return await db.transaction().execute(async (trx) => {
      try {
        return await fn(trx);
      } catch (e) {
        failed = true;
        first = e;
        throw e;
      }
    });
  } catch (e) {
    throw toStorageError(failed ? first : e);
  }
}

/**
 * Runs `fn` in a transaction that is always rolled back (Kysely's controlled transaction): for a
 * computation that reads what a write would read, and may plan writes on the way (a checkout's
 * preview expires due lots before it prices), without ever keeping any of them.
 */
export async function inRolledBackTransaction<T>(db: Kysely<TerminalDatabase>, fn: (trx: Transaction<TerminalDatabase>) => Promise<T>): Promise<T> {
  let trx;
  try {
    trx = await db.startTransaction().execute();
  } catch (e) {
    throw toStorageError(e);
  }
  try {
    return await fn(trx);
  } catch (e) {
    throw toStorageError(e);
  } finally {
    // SQLite may have ended the transaction itself (I/O error): then there is nothing to roll back.
    await trx.rollback().execute().catch((e: unknown) => {
      if (!/no transaction is active/i.test(String(e))) throw toStorageError(e);
    });
  }
}
