import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

/**
 * A Kysely query built and compiled once, then run with new parameter values.
 *
 * Kysely builds an immutable operation tree and compiles it to SQL on every call; on the
 * checkout's path, where twenty-odd statements run per sale, that is a large share of the
 * JavaScript a sale runs. Here the query is written in Kysely as usual, typed against the
 * schema, with `p('name')` where a value goes; the first run compiles it with a unique marker
 * in each such place, and every run after that only fills in the values and hands the
 * compiled query to Kysely (`executeQuery`, its public API), so it runs exactly as any other
 * Kysely query, in or out of a transaction. Only values can be parameters
 * (not table or column names, not IN lists of varying length); a marker that does not come out
 * as a bound parameter, or a missing value, throws. The SQL is compiled once, for the terminal's
 * one dialect (SQLite).
 */
export function preparedQuery<DB, P extends Record<string, unknown>, O>(
  build: (db: Kysely<DB>, p: Param<P>) => Compilable<O>,
): (executor: Kysely<DB>, params: P) => Promise<QueryResult<O>> {
  let compiled: { query: CompiledQuery<O>; slots: ({ name: string } | { value: unknown })[] } | null = null;
  return async (executor, params) => {
    compiled ??= compile(executor, build);
    const { query, slots } = compiled;
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
    return executor.executeQuery<O>({ ...query, parameters });
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
