import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresQueryCompiler, SqliteDialect, sql, type Dialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { preparedQuery, registerDirectConnection, rowParams } from '../../../src-main/db/prepared-query';
import { inTransaction } from '../../../src-main/db/transaction';

interface Db {
  item: { id: string; qty: number; note: string | null; kind: string };
}

const open: Kysely<Db>[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.destroy();
});

function db(): Kysely<Db> {
  const raw = new BetterSqlite3(':memory:');
  raw.exec(`CREATE TABLE item (id TEXT PRIMARY KEY, qty INTEGER NOT NULL, note TEXT, kind TEXT NOT NULL)`);
  const k = new Kysely<Db>({ dialect: new SqliteDialect({ database: raw }) });
  open.push(k);
  return k;
}

type Item = Db['item'];

describe('preparedQuery', () => {
  const insert = preparedQuery<Db, Item, never>((d, p) => d.insertInto('item').values(rowParams(p, { id: true, qty: true, note: true, kind: true })));
  const byKindAbove = preparedQuery<Db, { kind: string; min: number }, Item>((d, p) =>
    d.selectFrom('item').selectAll().where('kind', '=', p('kind')).where('qty', '>', p('min')).where('id', '!=', 'skip-me').orderBy('id'),
  );
  const addQty = preparedQuery<Db, { id: string; delta: number }, never>((d, p) => d.updateTable('item').set({ qty: sql`qty + ${p('delta')}` }).where('id', '=', p('id')));

  it('runs the same query with new values each time, constants kept, in a transaction too', async () => {
    const k = db();
    await insert(k, { id: 'a', qty: 1, note: null, kind: 'x' });
    await insert(k, { id: 'b', qty: 5, note: 'n', kind: 'x' });
    await insert(k, { id: 'skip-me', qty: 9, note: null, kind: 'x' });
    await insert(k, { id: 'c', qty: 7, note: null, kind: 'y' });
    expect((await byKindAbove(k, { kind: 'x', min: 0 })).rows.map((r) => r.id)).toEqual(['a', 'b']);
    expect((await byKindAbove(k, { kind: 'x', min: 2 })).rows).toEqual([{ id: 'b', qty: 5, note: 'n', kind: 'x' }]);
    expect((await byKindAbove(k, { kind: 'y', min: 2 })).rows.map((r) => r.id)).toEqual(['c']);

    await k
      .transaction()
      .execute(async (trx) => {
        await addQty(trx, { id: 'a', delta: 10 });
        expect((await byKindAbove(trx, { kind: 'x', min: 5 })).rows.map((r) => r.id)).toEqual(['a']);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect((await byKindAbove(k, { kind: 'x', min: 5 })).rows).toEqual([]);
    await addQty(k, { id: 'a', delta: -1 });
    expect(await k.selectFrom('item').select('qty').where('id', '=', 'a').executeTakeFirstOrThrow()).toEqual({ qty: 0 });
  });

  it('gives the SQL and parameters Kysely would for the same query', async () => {
    const seen: { sql: string; parameters: readonly unknown[] }[] = [];
    const spy = new Kysely<Db>({
      dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }),
      log: (e) => {
        seen.push({ sql: e.query.sql, parameters: e.query.parameters });
      },
    });
    open.push(spy);
    await sql`CREATE TABLE item (id TEXT PRIMARY KEY, qty INTEGER NOT NULL, note TEXT, kind TEXT NOT NULL)`.execute(spy);
    seen.length = 0;
    await byKindAbove(spy, { kind: 'z', min: 3 });
    const direct = spy.selectFrom('item').selectAll().where('kind', '=', 'z').where('qty', '>', 3).where('id', '!=', 'skip-me').orderBy('id').compile();
    expect(seen).toEqual([{ sql: direct.sql, parameters: direct.parameters }]);
  });

  it('inside a transaction of a registered connection, runs on it directly and answers as Kysely does', async () => {
    const logged: string[] = [];
    const database = new BetterSqlite3(':memory:');
    database.exec(`CREATE TABLE item (id TEXT PRIMARY KEY, qty INTEGER NOT NULL, note TEXT, kind TEXT NOT NULL)`);
    const k = new Kysely<Db>({ dialect: new SqliteDialect({ database }), log: (e) => void logged.push(e.query.sql) });
    open.push(k);
    // The same statements through Kysely first (no registration yet), for the answers to compare.
    const viaKysely = await inTransaction(k as never, async (trx) => ({
      write: await insert(trx as never, { id: 'a', qty: 1, note: null, kind: 'x' }),
      update: await addQty(trx as never, { id: 'a', delta: 1 }),
      read: await byKindAbove(trx as never, { kind: 'x', min: 0 }),
    }));
    expect(logged.filter((s) => !/^(begin|commit)$/i.test(s))).toHaveLength(3);

    registerDirectConnection(k, database);
    logged.length = 0;
    let leaked: unknown = null;
    const direct = await inTransaction(k as never, async (trx) => {
      leaked = trx;
      return {
        write: await insert(trx as never, { id: 'b', qty: 1, note: null, kind: 'y' }),
        update: await addQty(trx as never, { id: 'b', delta: 1 }),
        read: await byKindAbove(trx as never, { kind: 'y', min: 0 }),
      };
    });
    expect(logged.map((s) => s.toLowerCase())).toEqual(['begin', 'commit']); // Kysely ran only those two
    expect(direct).toEqual({
      write: { ...viaKysely.write, insertId: 2n },
      update: { ...viaKysely.update, insertId: 2n }, // better-sqlite3 reports the connection's last insert
      read: { rows: [{ id: 'b', qty: 2, note: null, kind: 'y' }] },
    });
    expect(viaKysely.write).toEqual({ numAffectedRows: 1n, insertId: 1n, rows: [] });
    // Committed, and once the transaction is over it is refused as Kysely refuses it.
    expect(database.prepare('SELECT qty FROM item WHERE id = ?').pluck().get('b')).toBe(2);
    await expect(addQty(leaked as never, { id: 'b', delta: 1 })).rejects.toThrow(/Transaction is already committed/);
    // Outside a transaction, queries still go through Kysely.
    await byKindAbove(k, { kind: 'y', min: 0 });
    expect(logged).toHaveLength(3);
  });

  it('refuses a missing value, and a parameter Kysely would not bind', async () => {
    const k = db();
    await expect(byKindAbove(k, { kind: 'x' } as unknown as { kind: string; min: number })).rejects.toThrow(/no value for "min"/);
    const inlined = preparedQuery<Db, { id: string }, { id: string }>((d, p) => d.selectFrom('item').select('id').where('id', '=', sql.lit(p('id'))));
    await expect(inlined(k, { id: 'a' })).rejects.toThrow(/is not a bound parameter/);
  });

  it('refuses to run SQL compiled for SQLite on another dialect', async () => {
    const k = db();
    await byKindAbove(k, { kind: 'x', min: 0 });
    // A PostgreSQL-flavoured Kysely (never connected: the check comes first).
    const sqliteDriver = new SqliteDialect({ database: new BetterSqlite3(':memory:') });
    const pgLike: Dialect = {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => sqliteDriver.createDriver(),
      createIntrospector: (d) => sqliteDriver.createIntrospector(d),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    };
    const pg = new Kysely<Db>({ dialect: pgLike });
    open.push(pg);
    await expect(byKindAbove(pg, { kind: 'x', min: 0 })).rejects.toThrow(/another SQL dialect/);
  });
});
