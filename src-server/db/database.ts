import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type Transaction,
  type TransactionSettings,
} from 'kysely';
import { serverMigrations } from '../../migrations/server/index';
import type { ServerDatabase } from './schema';

export type DialectName = 'postgres' | 'sqlite';
export type Db = Kysely<ServerDatabase>;
export type Trx = Transaction<ServerDatabase>;
/** Either the database or an open transaction. */
export type Executor = Db | Trx;

export interface ServerDb {
  db: Db;
  dialect: DialectName;
  /** The URL with any password removed, for logs. */
  describe: string;
  /** PostgreSQL: the schema the tables live in. */
  schema: string | null;
  close(): Promise<void>;
}

export interface OpenServerDbOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size per process (default 10). */
  poolSize?: number;
}

export const DEFAULT_DATABASE_URL = 'sqlite:.data/server/tillsmith-server.sqlite';

/**
 * Opens the server database named by a URL:
 * - `postgres://user:pass@host:5432/db` (or `postgresql://`), optionally `?schema=name` to keep the
 *   tables in a schema of their own (created if missing; set as the connection's search_path);
 * - `sqlite:/abs/path/file.sqlite`, `sqlite:relative/path.sqlite` or `sqlite::memory:`.
 * Then applies the migrations of migrations/server (statically imported).
 */
export async function openServerDatabase(url: string, opts: OpenServerDbOptions = {}): Promise<ServerDb> {
  let sdb: ServerDb;
  if (/^postgres(ql)?:\/\//.test(url)) sdb = await openPostgres(url, opts);
  else if (url.startsWith('sqlite:')) sdb = openSqlite(url.slice('sqlite:'.length));
  else throw new Error(`unsupported database URL "${redact(url)}": use postgres://... or sqlite:/path/file.sqlite`);
  if (opts.migrate ?? true) {
    try {
      await migrateServerDatabase(sdb);
    } catch (e) {
      await sdb.close();
      throw e;
    }
  }
  return sdb;
}

export async function migrateServerDatabase(sdb: ServerDb): Promise<string[]> {
  const migrator = new Migrator({
    db: sdb.db,
    provider: { getMigrations: async () => ({ ...serverMigrations }) },
    migrationTableName: 'server_migration',
    migrationLockTableName: 'server_migration_lock',
    ...(sdb.schema ? { migrationTableSchema: sdb.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  // Kysely refuses a database that ran migrations this server does not know (a newer server wrote it).
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;

async function openPostgres(url: string, opts: OpenServerDbOptions): Promise<ServerDb> {
  const u = new URL(url);
  const schema = u.searchParams.get('schema');
  u.searchParams.delete('schema');
  if (schema !== null && !SCHEMA_RE.test(schema)) throw new Error(`invalid schema name "${schema}" (lower-case letters, digits, _)`);
  const pool = new pg.Pool({
    connectionString: u.toString(),
    max: opts.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        // int8 and numeric (SUM) as numbers: points, money and feed sequences stay below 2^53.
        if (oid === 20 || oid === 1700) return (v: string) => (v === null ? null : Number(v));
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => {
    /* an idle client lost its connection: the pool replaces it; requests in flight see their own error */
  });
  try {
    const c = await pool.connect();
    try {
      if (schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      const r = await c.query<{ s: string | null }>('SELECT current_schema() AS s');
      const current = r.rows[0]?.s ?? null;
      if (!current) throw new Error('no current schema: create the schema or fix search_path');
      const db = new Kysely<ServerDatabase>({ dialect: new PostgresDialect({ pool }) });
      return { db, dialect: 'postgres', describe: redact(url), schema: current, close: () => db.destroy() };
    } finally {
      c.release();
    }
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot open PostgreSQL at ${redact(url)}: ${(e as Error).message}`);
  }
}

/** SQLite transactions start with BEGIN IMMEDIATE: the write lock is taken at once, so a transaction
 *  that reads and then writes never fails with SQLITE_BUSY when an operator CLI writes meanwhile. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    // A read-only transaction (a snapshot page) reads one consistent WAL snapshot without the write lock.
    await connection.executeQuery(CompiledQuery.raw(settings?.accessMode === 'read only' ? 'begin' : 'begin immediate'));
  }
}
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly cfg: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(cfg);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.cfg);
  }
}

function openSqlite(file: string): ServerDb {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 10000');
  const db = new Kysely<ServerDatabase>({ dialect: new ImmediateSqliteDialect({ database: raw }) });
  return { db, dialect: 'sqlite', describe: `sqlite:${file}`, schema: null, close: () => db.destroy() };
}

/** PostgreSQL errors worth retrying the whole transaction for: deadlock, serialization failure. */
function isRetryable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Runs `fn` in one transaction. On PostgreSQL a deadlock or serialization failure (two pushes
 * locking the same members in opposite order) rolls back and reruns the whole function, so `fn`
 * must keep its state inside (it does: every service builds its context per attempt).
 */
export async function inTransaction<T>(sdb: ServerDb, fn: (trx: Trx) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sdb.db.transaction().execute(fn);
    } catch (e) {
      if (sdb.dialect === 'postgres' && isRetryable(e) && attempt < attempts) continue;
      throw e;
    }
  }
}

/**
 * Runs `fn` in one read-only transaction that sees a single consistent state of the database:
 * REPEATABLE READ on PostgreSQL (one snapshot for every statement), a deferred transaction on
 * SQLite (one WAL snapshot). Never retried: read-only snapshots do not fail on conflicts.
 */
export async function inReadTransaction<T>(sdb: ServerDb, fn: (trx: Trx) => Promise<T>): Promise<T> {
  let b = sdb.db.transaction().setAccessMode('read only');
  if (sdb.dialect === 'postgres') b = b.setIsolationLevel('repeatable read');
  return b.execute(fn);
}
