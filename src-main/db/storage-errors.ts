import { DomainError } from '../../src-shared/errors/domain-error';

/** SQLite error codes a cashier may meet, turned into typed errors with a next step. */
export function toStorageError(e: unknown): unknown {
  if (e instanceof DomainError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_FSYNC') {
    return new DomainError('DISK_FULL', 'The disk is full, so nothing was saved. Free some space or call support, then try again.', { sqlite: code });
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new DomainError('DATABASE_CORRUPT', 'The till database is damaged. Nothing was changed. Call support to restore from backup or sync.', { sqlite: code });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new DomainError('STORAGE_BUSY', 'The till database is busy (another program has it open). Close it and try again.', { sqlite: code });
  }
  return e;
}
