/**
 * How long a durable commit takes by the number of pages it writes: the cost of each page a
 * checkout changes. In WAL mode with synchronous=FULL (as the terminal runs, see
 * docs/decisions/0001-sqlite-durability.md) a COMMIT appends one 4 KiB frame per changed page to
 * the WAL and then fsyncs it; bench/checkout.bench.ts prints how many a
 * checkout writes.
 *
 *   npx tsx bench/commit-size.bench.ts [--pages 1,10,20,30,40] [--rounds 30] [--gap-ms 100] [--dir bench/results]
 *
 * Each round commits once per size, sizes interleaved so that the disk's moods fall on all of them
 * alike, `--gap-ms` apart (600 is a till's pace between customers). A commit of N pages updates N
 * rows of a table that holds one row per page. The database (80 MB) lives in `--dir`, on the disk
 * under test, and is deleted afterwards. Benches assert nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { stats } from './ledger.bench';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '1,10,20,30,40' },
    rounds: { type: 'string', default: '30' },
    'gap-ms': { type: 'string', default: '100' },
    dir: { type: 'string', default: path.join(path.dirname(fileURLToPath(import.meta.url)), 'results') },
  },
});
const sizes = values.pages.split(',').map(Number);
const rounds = Number(values.rounds);
const gapMs = Number(values['gap-ms']);
const ROWS = 20_000;

fs.mkdirSync(values.dir, { recursive: true });
const file = path.join(values.dir, 'commit-size.sqlite');
const removeFiles = () => {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
};
removeFiles();
const db = new Database(file);
try {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // Checkpoints are taken between rounds, outside the timed commits.
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE page_row (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, pad BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO page_row (id, n, pad) VALUES (?, 0, randomblob(3500))');
  db.transaction(() => {
    for (let id = 1; id <= ROWS; id++) insert.run(id);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const touch = db.prepare('UPDATE page_row SET n = n + 1 WHERE id = ?');
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');

  const timings = new Map<number, number[]>(sizes.map((n) => [n, []]));
  let next = 1;
  for (let round = 0; round < rounds; round++) {
    for (const n of sizes) {
      await new Promise((resolve) => setTimeout(resolve, gapMs));
      begin.run();
      // Distinct rows, hence distinct pages (one row per page).
      for (let i = 0; i < n; i++) {
        touch.run(next);
        next = (next % ROWS) + 1;
      }
      const started = performance.now();
      commit.run();
      timings.get(n)!.push(performance.now() - started);
    }
    if (round % 10 === 9) db.pragma('wal_checkpoint(PASSIVE)');
  }

  console.log(`Durable commits (WAL, synchronous=FULL) by pages written, ${rounds} each, ${gapMs} ms apart, in ${values.dir}`);
  console.log(`  ${'pages'.padStart(5)} ${'KiB'.padStart(5)} | ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'p99'.padStart(6)} ${'max'.padStart(6)} ms`);
  for (const [n, xs] of timings) {
    const s = stats(xs);
    console.log(`  ${String(n).padStart(5)} ${String(Math.round((n * (pageSize + 24)) / 1024)).padStart(5)} | ${[s.p50, s.p95, s.p99, s.max].map((x) => x.toFixed(2).padStart(6)).join(' ')}`);
  }
} finally {
  db.close();
  removeFiles();
}
