import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { DomainError } from '../../src-shared/errors/domain-error';
import { terminalMigrations } from '../../migrations/terminal/index';
import type { TerminalDatabase } from './schema';
import { withStatementCache } from './statement-cache';
import { startWalCheckpointer } from './wal-checkpointer';
import { toStorageError } from './storage-errors';

/** The terminal database's file name in the data folder. */
export const DATABASE_FILE = 'terminal.sqlite';

/** `PRAGMA application_id` of a Tillsmith terminal database: 'TSM1'. */
export const TERMINAL_APPLICATION_ID = 0x54534d31;

/** Upper bound of SQLite's page cache per connection, KiB (256 MiB). */
export const PAGE_CACHE_KIB = 256 * 1024;

export interface OpenedDatabase {
  db: Kysely<TerminalDatabase>;
  /** The underlying connection, for pragmas, FTS and checks Kysely does not model. */
  raw: BetterSqlite3.Database;
  /** Schema version after migration (number of applied migrations). */
  schemaVersion: number;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Migrations to apply, in order; the terminal's by default (tests pass a prefix to build old databases). */
  migrations?: Readonly<Record<string, Migration>>;
}

/**
 * Opens (creating if needed) the terminal database, refusing a file that is not ours, is damaged
 * or was written by a newer version, before anything is written to it. Then sets the pragmas
 * (WAL, synchronous=FULL, foreign keys) and applies pending migrations.
 */
export async function openTerminalDatabase(file: string, options: OpenOptions = {}): Promise<OpenedDatabase> {
  const migrations = options.migrations ?? terminalMigrations;
  const known = Object.keys(migrations);
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (fs.existsSync(file) && fs.statSync(file).size > 0) inspectExisting(file, known);
  }

  const raw = new BetterSqlite3(file);
  try {
    raw.pragma('journal_mode = WAL');
    // FULL: a sale the cashier saw complete survives power loss (NORMAL in WAL may lose the last commits).
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    // SQLite's own page cache, allocated as pages are used (a small store never fills it): at a
    // million members it keeps every b-tree's interior pages and the hottest leaves in the process,
    // where the OS cannot reclaim them between customers as it does idle file-cache pages.
    raw.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    if (Number(raw.pragma('application_id', { simple: true })) === 0) {
      raw.pragma(`application_id = ${TERMINAL_APPLICATION_ID}`);
    }
  } catch (e) {
    raw.close();
    throw toStorageError(e);
  }

  const database = withStatementCache(raw);
  const db = new Kysely<TerminalDatabase>({ dialect: new SqliteDialect({ database }) });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations }) },
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw toStorageError(error);
  }
  raw.pragma(`user_version = ${known.length}`);
  // Checkpoints between transactions, not inside a cashier's commit (an in-memory database has no WAL).
  const checkpointer = file === ':memory:' ? null : startWalCheckpointer(raw);

  return {
    db,
    raw,
    schemaVersion: known.length,
    close: async () => {
      checkpointer?.stop();
      await db.destroy();
    },
  };
}

/** Read-only checks of an existing file; throws a typed error and leaves the file untouched. */
function inspectExisting(file: string, known: readonly string[]): void {
  let ro: BetterSqlite3.Database | null = null;
  try {
    ro = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const appId = Number(ro.pragma('application_id', { simple: true }));
    const userVersion = Number(ro.pragma('user_version', { simple: true }));
    const tables = ro.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all() as string[];
    if (appId !== TERMINAL_APPLICATION_ID && tables.length > 0) {
      throw new DomainError(
        'DATABASE_NOT_TILLSMITH',
        'The data folder holds a database that is not a Tillsmith till database. Nothing was changed. Choose another data folder.',
        { file },
      );
    }
    let applied: string[] = [];
    if (tables.includes('schema_migration')) {
      applied = ro.prepare(`SELECT name FROM schema_migration ORDER BY name`).pluck().all() as string[];
    }
    const unknown = applied.filter((m) => !known.includes(m));
    if (userVersion > known.length || unknown.length > 0) {
      throw new DomainError(
        'DATABASE_TOO_NEW',
        'This till database was written by a newer version of Tillsmith. Nothing was changed. Update this terminal to the latest version.',
        { file, databaseVersion: Math.max(userVersion, applied.length), supportedVersion: known.length, unknownMigrations: unknown },
      );
    }
  } catch (e) {
    throw toStorageError(e);
  } finally {
    ro?.close();
  }
}
