import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createWalPrewarm, type WalPrewarm } from '../../../src-main/db/wal-prewarm';
import { tempDir } from '../../helpers/terminal';

const PAGE = 4096;
const FRAME = PAGE + 24;

const toClose: (() => unknown)[] = [];
afterEach(() => {
  while (toClose.length) toClose.pop()!();
});

function walDb(file = path.join(tempDir(), 'db.sqlite')): { raw: BetterSqlite3.Database; file: string } {
  const raw = new BetterSqlite3(file);
  raw.pragma(`page_size = ${PAGE}`);
  raw.pragma('journal_mode = WAL');
  raw.pragma('wal_autocheckpoint = 0'); // this test decides when the WAL restarts
  raw.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  toClose.push(() => raw.open && raw.close());
  return { raw, file };
}

function prewarmOf(file: string): WalPrewarm {
  const prewarm = createWalPrewarm(file, PAGE);
  toClose.push(() => prewarm.close());
  return prewarm;
}

const insert = (raw: BetterSqlite3.Database, n: number) => {
  const stmt = raw.prepare('INSERT INTO t (v) VALUES (?)');
  raw.transaction(() => {
    for (let i = 0; i < n; i++) stmt.run('x'.repeat(500));
  })();
};

describe('WAL prewarm', () => {
  it('reads from where the next commit will write: the end of a WAL that is only growing', () => {
    const { raw, file } = walDb();
    const prewarm = prewarmOf(file);
    for (let i = 0; i < 5; i++) {
      insert(raw, 20);
      expect(prewarm()).toBe(fs.statSync(`${file}-wal`).size);
    }
  });

  it('follows SQLite back to the start of the WAL after a checkpoint restarts it', () => {
    const { raw, file } = walDb();
    const prewarm = prewarmOf(file);
    insert(raw, 200);
    const grown = fs.statSync(`${file}-wal`).size;
    const [cp] = raw.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    expect(cp!.checkpointed).toBe(cp!.log);
    expect(prewarm()).toBe(32 + cp!.log * FRAME); // nothing written since: still the old end

    insert(raw, 1); // restarts the WAL: its frames now go from the start, over the old ones
    const frames = (raw.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;
    expect(frames).toBeLessThan(cp!.log);
    expect(prewarm()).toBe(32 + frames * FRAME);
    expect(fs.statSync(`${file}-wal`).size).toBe(grown); // the file kept its size: frames written over
  });

  it('finds the new files after SQLite deleted the old ones on close', () => {
    const dir = tempDir();
    const first = walDb(path.join(dir, 'db.sqlite'));
    const prewarm = prewarmOf(first.file);
    insert(first.raw, 50);
    expect(prewarm()).toBe(fs.statSync(`${first.file}-wal`).size);
    first.raw.close(); // the last connection: SQLite checkpoints and deletes -wal and -shm
    expect(fs.existsSync(`${first.file}-wal`)).toBe(false);

    const second = walDb(first.file);
    insert(second.raw, 3);
    expect(prewarm()).toBe(fs.statSync(`${second.file}-wal`).size);
  });

  it('reads nothing, and does not throw, when there is no WAL or the wal-index is not one it knows', () => {
    const dir = tempDir();
    const file = path.join(dir, 'db.sqlite');
    expect(prewarmOf(file)()).toBeNull();

    fs.writeFileSync(`${file}-wal`, Buffer.alloc(FRAME));
    fs.writeFileSync(`${file}-shm`, Buffer.alloc(32 * 1024, 0xab)); // not a wal-index
    expect(prewarmOf(file)()).toBeNull();

    const { raw, file: real } = walDb();
    insert(raw, 1);
    expect(createWalPrewarm(real, 8192)()).toBeNull(); // the page size it was told is not the file's
  });
});
