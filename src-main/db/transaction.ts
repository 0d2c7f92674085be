import type { Kysely, Transaction } from 'kysely';
import type { TerminalDatabase } from './schema';
import { openDirectTransaction } from './prepared-query';
import { toStorageError } from './storage-errors';

/**
 * Runs `fn` in one SQLite transaction. When SQLite has already rolled the transaction back by
 * itself (disk full, I/O error), Kysely's own ROLLBACK fails with "no transaction is active"
 * and would hide the real cause; here the first error wins and is turned into a typed one.
 */
export async function inTransaction<T>(db: Kysely<TerminalDatabase>, fn: (trx: Transaction<TerminalDatabase>) => Promise<T>): Promise<T> {
  let first: unknown = undefined;
  let failed = false;
  try {
    return await db.transaction().execute(async (trx) => {
      const close = openDirectTransaction(db, trx);
      try {
        return await fn(trx);
      } catch (e) {
        failed = true;
        first = e;
        throw e;
      } finally {
        close();
      }
    });
  } catch (e) {
    throw toStorageError(failed ? first : e);
  }
}
