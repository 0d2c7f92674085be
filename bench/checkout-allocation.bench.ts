/**
 * What a checkout allocates, by function: V8's sampling heap profiler (through the inspector, every
 * 128 bytes, garbage included) over preview + complete of N checkouts on the ledger bench's store.
 * Less garbage per checkout means fewer scavenges, which V8's helper threads run (bench/README.md,
 * session 9).
 *
 *   npx tsx bench/checkout-allocation.bench.ts [--members 10000] [--checkouts 300] [--top 25]
 *
 * Seeds the store (bench/results/ledger-db-<members>/) if it is missing. Benches assert nothing.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createUuidV7 } from '../src-shared/sync/ids';
import { DATABASE_FILE } from '../src-main/terminal/config';
import { createTerminal } from '../src-main/terminal/create-terminal';
import { notSoldToSinceSeed } from './lib/fresh-buyers';
import { benchCaller, signInDemoStaff } from './lib/terminal-session';

const { values } = parseArgs({
  options: { members: { type: 'string', default: '10000' }, checkouts: { type: 'string', default: '300' }, top: { type: 'string', default: '25' } },
});
const members = Number(values.members);
const checkouts = Number(values.checkouts);
const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', `ledger-db-${members}`);
if (!fs.existsSync(path.join(dataDir, DATABASE_FILE))) {
  console.log(`Seeding ${members.toLocaleString('en')} members into ${dataDir} ...`);
  await (await createTerminal({ dataDir, seedDemo: { members } })).close();
}

let clockMs = Date.now();
const t = await createTerminal({ dataDir, now: () => new Date(clockMs), seedDemo: false });
const { raw } = t.ctx;
// After any earlier run's last redemption, 4 s per checkout: the velocity rules never hold one.
const lastRedeem = raw.prepare(`SELECT max(created_at) FROM ledger_entry WHERE kind = 'redeem'`).pluck().get() as string | null;
if (lastRedeem) clockMs = Math.max(clockMs, Date.parse(lastRedeem) + 120_000);
const call = benchCaller(t);
await signInDemoStaff(call, 'cashier');

const fresh = notSoldToSinceSeed(raw);
const candidates = (raw.prepare('SELECT id FROM member WHERE balance >= 1000 ORDER BY seq').pluck().all() as string[]).filter(fresh);
const lines = [
  { lineNo: 1, category: 'grocery', sku: '6920000000017', description: '五常大米 5kg', quantity: 1, unitPriceMinor: 6990 },
  { lineNo: 2, category: 'dairy', sku: '6920000000024', description: '全脂牛奶 1L', quantity: 2, unitPriceMinor: 1290 },
];
const newKey = createUuidV7({ now: Date.now, randomBytes: (n) => randomBytes(n) });
/** One customer: preview, then complete; members the preview refuses (too few points left) are skipped. */
async function checkout(): Promise<void> {
  for (;;) {
    const memberId = candidates.shift();
    if (memberId === undefined) throw new Error(`too few members with points: ask for fewer checkouts or seed more members`);
    clockMs += 4000;
    if (!(await t.dispatch('checkout.preview', { memberId, lines, redeemPoints: 100 })).ok) continue;
    await call('checkout.complete', { idempotencyKey: newKey(), memberId, lines, redeemPoints: 100 });
    return;
  }
}

for (let i = 0; i < 100; i++) await checkout(); // warm-up: the JIT and the caches settle
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 128, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
for (let i = 0; i < checkouts; i++) await checkout();
const { profile } = await session.post('HeapProfiler.stopSampling');
session.disconnect();
await t.close();

interface Node {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: Node[];
}
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
function walk(node: Node, onStack: Set<string>): number {
  const where = node.callFrame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/\/?.*?\/(src-|bench\/)/, '$1');
  const key = `${node.callFrame.functionName || '(anonymous)'}  ${where}`;
  self.set(key, (self.get(key) ?? 0) + node.selfSize);
  total += node.selfSize;
  let sum = node.selfSize;
  const outermost = !onStack.has(key);
  onStack.add(key);
  for (const child of node.children) sum += walk(child, onStack);
  if (outermost) {
    onStack.delete(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + sum);
  }
  return sum;
}
walk(profile.head as unknown as Node, new Set());
const kib = (bytes: number) => (bytes / checkouts / 1024).toFixed(1).padStart(7);
const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
console.log(`\nCheckout allocation: ${members.toLocaleString('en')} members, ${checkouts} checkouts (preview + complete), sampled every 128 bytes`);
console.log(`  allocated per checkout: ${kib(total).trim()} KiB (garbage included)`);
console.log('\n  KiB per checkout, by function (self):');
for (const [k, v] of top(self)) console.log(`  ${kib(v)}  ${k}`);
console.log('\n  KiB per checkout, by function and everything it called (inclusive):');
for (const [k, v] of top(inclusive)) console.log(`  ${kib(v)}  ${k}`);
