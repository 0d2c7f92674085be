import type { Compilable, CompiledQuery, Kysely, QueryResult, SqliteDatabase } from 'kysely';

/**
 * A Kysely query built and compiled once, then run with new parameter values.
 *
 * Kysely builds an immutable operation tree and compiles it to SQL on every call; on the
 * checkout's path, where twenty-odd statements run per sale, that was about half of the
 * JavaScript time (bench/checkout-anatomy.bench.ts). Here the query is written in Kysely as
 * usual, typed against the schema, with `p('name')` where a value goes; the first run compiles
 * it with a unique marker in each such place, and every run after that only fills in the
 * values. Only values can be parameters (not table or column names, not IN lists of varying
 * length); a marker that does not come out as a bound parameter, or a missing value, throws.
 * The SQL is compiled for the first executor's dialect; running it on another dialect throws.
 */
export function preparedQuery<DB, P extends Record<string, unknown>, O>(
  build: (db: Kysely<DB>, p: Param<P>) => Compilable<O>,
): (executor: Kysely<DB>, params: P) => Promise<QueryResult<O>> {
  let compiled: { query: CompiledQuery<O>; slots: ({ name: string } | { value: unknown })[]; adapter: unknown } | null = null;
  return async (executor, params) => {
    const adapter = executor.getExecutor().adapter.constructor;
    if (compiled === null) compiled = { ...compile(executor, build), adapter };
    const { query, slots } = compiled;
    if (compiled.adapter !== adapter) throw new TypeError(`preparedQuery: compiled for another SQL dialect: ${query.sql}`);
    const parameters = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if ('name' in slot) {
        const value = params[slot.name];
        if (value === undefined) throw new TypeError(`preparedQuery: no value for "${slot.name}"`);
        parameters[i] = value;
      } else {
        parameters[i] = slot.value;
      }
    }
    const direct = openTransactions.get(executor);
    if (direct !== undefined) return runDirect<O>(direct, query.sql, parameters);
    return executor.executeQuery<O>({ ...query, parameters });
  };
}

/**
 * Kysely instances over a better-sqlite3 connection (via `SqliteDialect`), with that connection,
 * and the transactions now open on them. Inside such a transaction a prepared query runs its
 * statement on the connection itself, as Kysely's SQLite driver would, without Kysely's
 * per-query connection hand-over: a few promises and closures per statement, which on the
 * checkout's ~30 statements was a visible share of its JavaScript time and of the garbage V8's
 * helper threads collect (bench/README.md, session 9). Kysely holds the connection for the whole
 * transaction, so nothing else runs on it meanwhile; outside a transaction, or once it has ended,
 * queries go through Kysely as before (which refuses a finished transaction).
 */
const directConnections = new WeakMap<object, SqliteDatabase>();
const openTransactions = new WeakMap<object, SqliteDatabase>();

/** Declares that `db` runs on `database` through Kysely's SqliteDialect (see openTransactions). */
export function registerDirectConnection(db: object, database: SqliteDatabase): void {
  directConnections.set(db, database);
}

/** Lets prepared queries on `trx`, a transaction of `db`, run directly until the returned function is called. */
export function openDirectTransaction(db: object, trx: object): () => void {
  const database = directConnections.get(db);
  if (database === undefined) return () => {};
  openTransactions.set(trx, database);
  return () => openTransactions.delete(trx);
}

/** What Kysely's SqliteConnection.executeQuery does (kysely/dist/esm/dialect/sqlite/sqlite-driver.js). */
function runDirect<O>(database: SqliteDatabase, sql: string, parameters: readonly unknown[]): QueryResult<O> {
  const stmt = database.prepare(sql);
  if (stmt.reader) return { rows: stmt.all(parameters) as O[] };
  const { changes, lastInsertRowid } = stmt.run(parameters);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}

/** Where a value goes in a prepared query: `p('memberId')`. */
export type Param<P> = <K extends keyof P & string>(name: K) => P[K];

/**
 * Every column of a row as a parameter named after it, for an insert of whole rows:
 * `values(rowParams(p, { id: true, ... }))`. The column list must name every key of P.
 */
export function rowParams<P extends Record<string, unknown>>(p: Param<P>, columns: Record<keyof P & string, true>): P {
  const row: Record<string, unknown> = {};
  for (const column of Object.keys(columns) as (keyof P & string)[]) row[column] = p(column);
  return row as P;
}

const MARKER = '\u0000prepared-query-param:';

function compile<DB, P, O>(
  executor: Kysely<DB>,
  build: (db: Kysely<DB>, p: Param<P>) => Compilable<O>,
): { query: CompiledQuery<O>; slots: ({ name: string } | { value: unknown })[] } {
  const used = new Set<string>();
  const marker: Param<P> = (name) => {
    used.add(name);
    return `${MARKER}${name}` as P[typeof name];
  };
  const query = build(executor, marker).compile();
  const seen = new Set<string>();
  const slots = query.parameters.map((value) => {
    if (typeof value === 'string' && value.startsWith(MARKER)) {
      const name = value.slice(MARKER.length);
      seen.add(name);
      return { name };
    }
    return { value };
  });
  for (const name of used) {
    if (!seen.has(name)) throw new TypeError(`preparedQuery: "${name}" is not a bound parameter of ${query.sql}`);
  }
  if (query.sql.includes(MARKER)) throw new TypeError(`preparedQuery: a parameter was inlined into ${query.sql}`);
  return { query, slots };
}
