import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openTerminalDatabase } from '../../../src-main/db/connection';
import { withStatementCache } from '../../../src-main/db/statement-cache';
import { startWalCheckpointer, WAL_SAFETY_NET_PAGES, type CheckpointResult } from '../../../src-main/db/wal-checkpointer';
import { tempDir } from '../../helpers/terminal';

const toClose: (() => unknown)[] = [];
afterEach(async () => {
  while (toClose.length) await toClose.pop()!();
});

function fileDb(): { raw: BetterSqlite3.Database; file: string } {
  const file = path.join(tempDir(), 'db.sqlite');
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  toClose.push(() => raw.open && raw.close());
  return { raw, file };
}

/** Counts the statements SQLite compiles, under the cache. */
function countingPrepares(raw: BetterSqlite3.Database): { count: () => number } {
  let n = 0;
  const prepare = raw.prepare.bind(raw);
  (raw as unknown as { prepare: (s: string) => BetterSqlite3.Statement }).prepare = (s: string) => {
    n++;
    return prepare(s);
  };
  return { count: () => n };
}

describe('statement cache', () => {
  it('compiles each distinct SQL text once and gives the same answers', async () => {
    const { raw } = fileDb();
    const counter = countingPrepares(raw);
    const db = new Kysely<{ t: { id: number; v: string } }>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
    for (let i = 1; i <= 50; i++) await db.insertInto('t').values({ id: i, v: `v${i}` }).execute();
    for (let i = 1; i <= 50; i++) expect((await db.selectFrom('t').select('v').where('id', '=', i).executeTakeFirstOrThrow()).v).toBe(`v${i}`);
    // One insert text and one select text.
    expect(counter.count()).toBe(2);
  });

  it('drops the least recently used text beyond its capacity', () => {
    const { raw } = fileDb();
    const counter = countingPrepares(raw);
    const cache = withStatementCache(raw, 2);
    const a = 'SELECT 1';
    const b = 'SELECT 2';
    const c = 'SELECT 3';
    cache.prepare(a);
    cache.prepare(b);
    cache.prepare(a); // a is now the most recent
    cache.prepare(c); // evicts b
    expect(cache.cachedStatements).toBe(2);
    expect(counter.count()).toBe(3);
    cache.prepare(a);
    expect(counter.count()).toBe(3);
    cache.prepare(b);
    expect(counter.count()).toBe(4);
  });

  it('never hands out a statement that is still being iterated', () => {
    const { raw } = fileDb();
    raw.exec(`INSERT INTO t (v) VALUES ('a'), ('b')`);
    const cache = withStatementCache(raw);
    const text = 'SELECT v FROM t ORDER BY id';
    const outer = cache.prepare(text);
    const seen: string[] = [];
    for (const row of outer.iterate([]) as IterableIterator<{ v: string }>) {
      const inner = cache.prepare(text);
      expect(inner).not.toBe(outer);
      seen.push(row.v, ...(inner.all([]) as { v: string }[]).map((r) => r.v));
    }
    expect(seen).toEqual(['a', 'a', 'b', 'b', 'a', 'b']);
  });
});

describe('WAL checkpointer', () => {
  const walBytes = (file: string) => fs.statSync(`${file}-wal`).size;

  it('raises SQLite\'s automatic checkpoint to a safety net', () => {
    const { raw } = fileDb();
    const cp = startWalCheckpointer(raw, { periodMs: 60_000 });
    toClose.push(() => cp.stop());
    expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_SAFETY_NET_PAGES);
  });

  it('checkpoints once the writes pause, never in the middle of a transaction', () => {
    const { raw, file } = fileDb();
    const results: CheckpointResult[] = [];
    const cp = startWalCheckpointer(raw, { periodMs: 60_000, minChanges: 1, onCheckpoint: (r) => results.push(r) });
    toClose.push(() => cp.stop());
    const insert = raw.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 100; i++) insert.run(`row ${i}`);
    expect(walBytes(file)).toBeGreaterThan(0);

    expect(cp.tick()).toBeNull(); // rows changed since the last look: not quiet yet
    raw.exec('BEGIN');
    insert.run('inside');
    expect(cp.tick()).toBeNull(); // inside a transaction: never
    raw.exec('COMMIT');
    expect(cp.tick()).toBeNull(); // the commit was a change

    const done = cp.tick(); // a whole period without changes
    expect(done).not.toBeNull();
    expect(done!.busy).toBe(false);
    expect(done!.walFrames).toBeGreaterThan(0);
    expect(done!.checkpointedFrames).toBe(done!.walFrames);
    expect(cp.tick()).toBeNull(); // nothing new since
    expect(results).toHaveLength(1);
    // Everything is in the database file: a reader of the file alone sees every row.
    raw.close();
    const copy = path.join(tempDir(), 'copy.sqlite');
    fs.copyFileSync(file, copy);
    const ro = new BetterSqlite3(copy, { readonly: true });
    expect(ro.prepare('SELECT count(*) FROM t').pluck().get()).toBe(101);
    ro.close();
  });

  it('restarts the WAL right after a complete checkpoint, so the next commit syncs once, not twice', () => {
    const { raw, file } = fileDb();
    raw.pragma('application_id = 1414745393');
    const cp = startWalCheckpointer(raw, { periodMs: 60_000, minChanges: 1 });
    toClose.push(() => cp.stop());
    const insert = raw.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 100; i++) insert.run(`row ${i}`);
    // The WAL header (https://sqlite.org/fileformat2.html#walformat): a checkpoint sequence number
    // at byte 12 and salts at 16, all renewed when a write transaction restarts the WAL.
    const walHeader = () => {
      const fd = fs.openSync(`${file}-wal`, 'r');
      const header = Buffer.alloc(24);
      fs.readSync(fd, header, 0, 24, 0);
      fs.closeSync(fd);
      return { sequence: header.readUInt32BE(12), salt: header.toString('hex', 16, 24) };
    };
    const before = walHeader();

    expect(cp.tick()).toBeNull();
    const done = cp.tick();
    expect(done).toMatchObject({ busy: false, restarted: true });
    const afterCheckpoint = walHeader();
    expect(afterCheckpoint.sequence).toBe(before.sequence + 1);
    expect(afterCheckpoint.salt).not.toBe(before.salt);

    // The next customer's commit appends to the restarted WAL instead of restarting it itself.
    insert.run('next customer');
    expect(walHeader()).toEqual(afterCheckpoint);
    // The restarting write changed nothing and is not a change for the checkpointer.
    expect(raw.pragma('application_id', { simple: true })).toBe(1414745393);
    expect(raw.prepare('SELECT count(*) FROM t').pluck().get()).toBe(101);
    expect(cp.tick()).toBeNull();
  });

  it('leaves a small WAL alone until enough rows changed', () => {
    const { raw } = fileDb();
    const cp = startWalCheckpointer(raw, { periodMs: 60_000, minChanges: 10 });
    toClose.push(() => cp.stop());
    const insert = raw.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < 9; i++) insert.run(`row ${i}`);
    expect(cp.tick()).toBeNull();
    expect(cp.tick()).toBeNull(); // quiet, but only 9 rows
    insert.run('the tenth');
    expect(cp.tick()).toBeNull(); // 10 rows, not quiet yet
    expect(cp.tick()).not.toBeNull();
  });

  it('checkpoints writes that never pause once they are older than the maximum delay', () => {
    const { raw } = fileDb();
    let now = 0;
    const cp = startWalCheckpointer(raw, { periodMs: 60_000, maxDelayMs: 1_000, minChanges: 1, now: () => now });
    toClose.push(() => cp.stop());
    const insert = raw.prepare('INSERT INTO t (v) VALUES (?)');
    const ran: (CheckpointResult | null)[] = [];
    for (let step = 0; step < 6; step++) {
      insert.run(`busy ${step}`);
      ran.push(cp.tick());
      now += 300;
    }
    // Dirty from t=0; the tick at t=1200 is the first past 1,000 ms.
    expect(ran.map((r) => r !== null)).toEqual([false, false, false, false, true, false]);
  });

  it('is started by the terminal database and stopped when it closes', async () => {
    const file = path.join(tempDir(), 'terminal.sqlite');
    const opened = await openTerminalDatabase(file);
    expect(opened.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_SAFETY_NET_PAGES);
    await sql`SELECT 1`.execute(opened.db);
    await opened.close();
    expect(opened.raw.open).toBe(false);
  });
});
