import Database from 'better-sqlite3';
import fs from 'node:fs';
const src = new Database('/tmp/sd1/terminal.sqlite', { readonly: true });
const schema = src.prepare("select sql from sqlite_schema where sql is not null and name not like 'sqlite_%' and name not like 'member_name_fts%' and type != 'trigger' order by rowid").pluck().all() as string[];
const get = (t: string) => src.prepare(t === 'member' ? 'select * from member order by seq desc' : `select * from ${t}`).raw().all() as unknown[][];
const data: Record<string, unknown[][]> = {};
for (const t of ['staff', 'member', 'sale', 'refund', 'ledger_entry']) data[t] = get(t);
src.close();
const ph = (n: number) => Array(n).fill('?').join(',');
for (const mode of process.argv[2]!.split(',')) {
  const file = '/tmp/x.sqlite';
  for (const f of [file, file + '-wal', file + '-shm']) fs.rmSync(f, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL'); db.pragma('synchronous = OFF'); db.pragma('cache_size = -1000000');
  db.pragma(mode.includes('nofk') ? 'foreign_keys = OFF' : 'foreign_keys = ON');
  for (const s of schema) db.exec(s);
  for (const idx of ['ledger_kind_time', 'ledger_business_date', 'ledger_sale', 'ledger_member', 'sale_member', 'sale_business_date']) if (mode.includes('-' + idx)) db.exec(`DROP INDEX ${idx}`);
  db.exec('BEGIN');
  for (const t of ['staff', 'member']) { const st = db.prepare(`insert into ${t} values (${ph(data[t]![0]!.length)})`); for (const r of data[t]!) st.run(r); }
  for (const t of ['sale', 'refund', 'ledger_entry']) {
    const st = db.prepare(`insert into ${t} values (${ph(data[t]![0]!.length)})`);
    const t0 = performance.now();
    for (const r of data[t]!) st.run(r);
    if (t !== 'refund') console.log(mode.padEnd(30), t.padEnd(14), ((performance.now() - t0) * 1000 / data[t]!.length).toFixed(2), 'us/row');
  }
  db.exec('COMMIT');
  db.close();
}
