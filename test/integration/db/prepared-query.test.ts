import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { preparedQuery, rowParams } from '../../../src-main/db/prepared-query';

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

  it('refuses a missing value, and a parameter Kysely would not bind', async () => {
    const k = db();
    await expect(byKindAbove(k, { kind: 'x' } as unknown as { kind: string; min: number })).rejects.toThrow(/no value for "min"/);
    const inlined = preparedQuery<Db, { id: string }, { id: string }>((d, p) => d.selectFrom('item').select('id').where('id', '=', sql.lit(p('id'))));
    await expect(inlined(k, { id: 'a' })).rejects.toThrow(/is not a bound parameter/);
  });
});
