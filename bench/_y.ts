import Database from 'better-sqlite3';
import fs from 'node:fs';
const src = new Database('/tmp/sd1/terminal.sqlite', { readonly: true });
const schema = src.prepare("select sql from sqlite_schema where sql is not null and name not like 'sqlite_%' and name not like 'member_name_fts%' and type != 'trigger' order by rowid").pluck().all() as string[];
const get = (t: string) => src.prepare(t === 'member' ? 'select * from member order by seq desc' : `select * from ${t}`).raw().all() as unknown[][];
const data: Record<string, unknown[][]> = {};
for (const t of ['staff', 'member', 'sale', 'sale_line', 'refund', 'ledger_entry']) data[t] = get(t);
src.close();
const ph = (n: number) => '(' + Array(n).fill('?').join(',') + ')';
for (const mode of process.argv[2]!.split(',')) {
  const k = Number(mode);
  const file = '/tmp/x.sqlite';
  for (const f of [file, file + '-wal', file + '-shm']) fs.rmSync(f, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL'); db.pragma('synchronous = OFF'); db.pragma('cache_size = -1000000');
  for (const s of schema) db.exec(s);
  db.exec('BEGIN');
  for (const t of ['staff', 'member']) { const st = db.prepare(`insert into ${t} values ${ph(data[t]![0]!.length)}`); for (const r of data[t]!) st.run(r); }
  for (const t of ['sale', 'sale_line', 'refund', 'ledger_entry']) {
    const rows = data[t]!; const n = rows[0]!.length;
    const one = db.prepare(`insert into ${t} values ${ph(n)}`);
    const many = db.prepare(`insert into ${t} values ${Array(k).fill(ph(n)).join(',')}`);
    const t0 = performance.now();
    let i = 0;
    const buf: unknown[] = [];
    for (; i + k <= rows.length; i += k) { buf.length = 0; for (let j = i; j < i + k; j++) for (const v of rows[j]!) buf.push(v); many.run(buf); }
    for (; i < rows.length; i++) one.run(rows[i]);
    if (t !== 'refund') console.log(String(k).padEnd(6), t.padEnd(14), ((performance.now() - t0) * 1000 / rows.length).toFixed(2), 'us/row');
  }
  db.exec('COMMIT');
  db.close();
}
