import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isDomainError } from '../../src-shared/errors/domain-error';
import { DATABASE_FILE } from '../terminal/config';
import { createTerminal } from '../terminal/create-terminal';
import { DEFAULT_SEED } from './bulk';
import { DEMO_SEED_META_KEY, DEMO_STAFF, seedDemoStore } from './demo';

/**
 * npm run seed -- --data-dir DIR --members 100000 [--seed N] [--now ISO] [--force] [--worker | --no-worker] [--store-name NAME] [--time-zone ZONE]
 * Creates a fresh demo store in DIR (refuses an existing database unless --force, which deletes it).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      members: { type: 'string', default: '2000' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      force: { type: 'boolean', default: false },
      worker: { type: 'boolean', default: false },
      'no-worker': { type: 'boolean', default: false },
      now: { type: 'string' },
      'store-name': { type: 'string' },
      'time-zone': { type: 'string' },
    },
  });
  if (!values['data-dir']) fail('--data-dir DIR is required (the folder that will hold terminal.sqlite).');
  const dataDir = path.resolve(values['data-dir']);
  const members = Number(values.members);
  const seed = Number(values.seed);
  if (!Number.isInteger(members) || members < 0) fail(`--members must be a whole number, got "${values.members}"`);
  if (!Number.isInteger(seed)) fail(`--seed must be a whole number, got "${values.seed}"`);
  // "Today" for the demo history (default: now); the same --now, --seed and --members give the same store.
  const fixedNow = values.now !== undefined ? Date.parse(values.now) : null;
  if (fixedNow !== null && Number.isNaN(fixedNow)) fail(`--now must be an ISO-8601 instant, got "${values.now}"`);

  const file = path.join(dataDir, DATABASE_FILE);
  if (fs.existsSync(file)) {
    if (!values.force) fail(`${file} already exists. Choose another --data-dir, or add --force to delete it and seed again.`);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    console.log(`Deleted the existing database ${file}.`);
  }

  const started = performance.now();
  const terminal = await createTerminal({
    dataDir,
    seedDemo: false,
    ...(fixedNow !== null ? { now: () => new Date(fixedNow) } : {}),
    ...(values['store-name'] ? { storeName: values['store-name'] } : {}),
    ...(values['time-zone'] ? { timeZone: values['time-zone'] } : {}),
  });
  try {
    const summary = await seedDemoStore(terminal.ctx, { members, seed, ...(values['no-worker'] ? { worker: false } : values.worker ? { worker: true } : {}) });
    const seconds = (performance.now() - started) / 1000;
    const d = summary.detail;
    const size = fileSize(file);
    console.log('');
    console.log(`Demo store seeded in ${dataDir}`);
    console.log(`  store            ${terminal.ctx.storeName} (${terminal.ctx.timeZone}), terminal ${terminal.ctx.terminalId}`);
    console.log(`  members          ${d.members.toLocaleString('en')} (${d.cards.toLocaleString('en')} cards)`);
    console.log(`  ledger entries   ${d.ledgerEntries.toLocaleString('en')}`);
    console.log(`  sales            ${d.sales.toLocaleString('en')} (${d.saleLines.toLocaleString('en')} lines, ${d.refunds.toLocaleString('en')} refunds)`);
    console.log(`  time             ${seconds.toFixed(1)} s (bulk load ${(d.elapsedMs / 1000).toFixed(1)} s${d.worker ? ', history generated in a worker thread' : ''}${d.indexBuildMs > 0 ? `, ${(d.indexBuildMs / 1000).toFixed(1)} s of it building deferred indexes` : ''})`);
    console.log(`  database         ${(size / 1e6).toFixed(1)} MB${d.members > 0 ? `, ${(size / d.members / 1024).toFixed(1)} KiB per member` : ''}`);
    console.log(`  seed             ${seed} (recorded in meta.${DEMO_SEED_META_KEY})`);
    console.log('');
    console.log('Demo staff PINs (demo store only):');
    for (const s of DEMO_STAFF) console.log(`  ${s.role.padEnd(8)} ${s.name.padEnd(18)} PIN ${s.pin}`);
  } finally {
    await terminal.close();
  }
}

function fileSize(file: string): number {
  return [file, `${file}-wal`].reduce((s, f) => s + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
}

function fail(message: string): never {
  console.error(`seed: ${message}`);
  process.exit(2);
}

main().catch((e: unknown) => {
  if (isDomainError(e)) console.error(`seed: ${e.message} [${e.code}]`);
  else console.error('seed failed:', e);
  process.exit(1);
});
