/**
 * `npm run bench`: runs every bench/*.bench.ts at its default (small) size, one after another,
 * each in its own process, and prints a summary. Benches print figures; they assert nothing, so
 * this fails only when a bench crashes.
 *
 *   npm run bench [-- name-filter]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const benches = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
if (benches.length === 0) {
  console.error(`No bench/*.bench.ts matches "${filter}".`);
  process.exit(2);
}

const tsx = path.join(here, '..', 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
const summary: { bench: string; seconds: number; status: string }[] = [];
for (const f of benches) {
  console.log(`\n=== ${f} ===`);
  const started = performance.now();
  const r = spawnSync(tsx, [path.join(here, f)], { stdio: 'inherit', cwd: path.join(here, '..') });
  const status = r.error ? `failed to start: ${r.error.message}` : r.status === 0 ? 'ok' : `exit ${r.status ?? r.signal}`;
  summary.push({ bench: f, seconds: (performance.now() - started) / 1000, status });
}

console.log('\n=== summary ===');
for (const s of summary) console.log(`  ${s.bench.padEnd(32)} ${s.seconds.toFixed(1).padStart(7)} s  ${s.status}`);
process.exit(summary.every((s) => s.status === 'ok') ? 0 : 1);
