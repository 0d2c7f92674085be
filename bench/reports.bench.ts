/**
 * Manager reports on a seeded demo store: how long each report takes for today, a week and a
 * month (the queries run in the reports' worker thread, as in the till; the figures include the
 * trip to the worker). Prints; asserts nothing.
 *
 *   npx tsx bench/reports.bench.ts [--members 20000] [--data-dir DIR] [--runs 3]
 *
 * Without --data-dir it uses (and seeds once) bench/results/ledger-db-<members>, the ledger
 * bench's store, so a 1,000,000-member store seeded for that bench is measured as it is.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_SEED_META_KEY } from '../src-main/seed/demo';
import { benchCaller, signInDemoStaff } from './lib/terminal-session';
import { DATABASE_FILE } from '../src-main/terminal/config';
import { createTerminal } from '../src-main/terminal/create-terminal';

const { values } = parseArgs({
  options: { members: { type: 'string', default: '20000' }, 'data-dir': { type: 'string' }, runs: { type: 'string', default: '3' } },
});
const members = Number(values.members);
const runs = Number(values.runs);
const results = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const dataDir = path.resolve(values['data-dir'] ?? path.join(results, `ledger-db-${members}`));
if (!fs.existsSync(path.join(dataDir, DATABASE_FILE))) {
  console.log(`Seeding ${members.toLocaleString('en')} members into ${dataDir} ...`);
  await (await createTerminal({ dataDir, seedDemo: { members } })).close();
}

const probe = await createTerminal({ dataDir, seedDemo: false });
const seededAt = probe.ctx.raw.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(DEMO_SEED_META_KEY) as string | undefined;
await probe.close();
// The store's "today" is the end of its demo history, so today/week/month hold a full day's, week's and month's trade.
const clockMs = seededAt ? Date.parse((JSON.parse(seededAt) as { seededAt: string }).seededAt) : Date.now();
const t = await createTerminal({ dataDir, now: () => new Date(clockMs), seedDemo: false });
const count = (table: string) => Number(t.ctx.raw.prepare(`SELECT max(rowid) FROM ${table}`).pluck().get() ?? 0);
console.log(`\nReports bench: ${count('member').toLocaleString('en')} members, ${count('sale').toLocaleString('en')} sales, ${count('ledger_entry').toLocaleString('en')} ledger entries`);
console.log(`  machine  ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join('/')}`);

const call = benchCaller(t);
await signInDemoStaff(call, 'manager');

const reports: [string, unknown][] = [
  ...(['today', 'week', 'month'] as const).flatMap((period) =>
    (['reports.sales', 'reports.points', 'reports.members', 'reports.exceptions'] as const).map((m) => [m, { period }] as [string, unknown]),
  ),
  ['reports.endOfDay', {}],
  // The X report: what a Z computes and stores (a Z is not run here: it would close the bench store's day).
  ['reports.x', {}],
  ['reports.churnRisk', {}],
];
const figures: Record<string, { medianMs: number; maxMs: number }> = {};
console.log(`\n  ${'report'.padEnd(34)} ${'median ms'.padStart(10)} ${'max ms'.padStart(10)}   (${runs} runs, first run included)`);
for (const [method, input] of reports) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await call(method, input);
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  const label = `${method} ${'period' in (input as object) ? (input as { period: string }).period : ''}`.trim();
  figures[label] = { medianMs: ms[Math.floor(ms.length / 2)]!, maxMs: ms.at(-1)! };
  console.log(`  ${label.padEnd(34)} ${figures[label].medianMs.toFixed(0).padStart(10)} ${figures[label].maxMs.toFixed(0).padStart(10)}`);
}
await t.close();
fs.mkdirSync(results, { recursive: true });
const out = path.join(results, `reports-${path.basename(dataDir)}.json`);
fs.writeFileSync(out, JSON.stringify({ dataDir, members: count, figures, loadAverage: os.loadavg() }, null, 2));
console.log(`\nWrote ${path.relative(process.cwd(), out)}`);
