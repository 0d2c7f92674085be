/**
 * Scan-to-member-found latency through a REAL serial link: socat joins two pseudo-terminals; the
 * terminal's DeviceManager has a serial scanner on one end, a simulated scanner writes a member's
 * card code (and CR) at the other. Measured from the write until `members.scan` has answered
 * with the member (serialport read -> line assembly -> `scan.received` on the EventBus ->
 * dispatch with schema validation -> card lookup, member view with balance, tier and expiring
 * points). A fresh demo store of 5,000 members in a temporary folder; a few hundred scans of
 * random members, one at a time. Prints figures; asserts nothing.
 *
 *   npx tsx bench/scan-latency.bench.ts [scans=400] [members=5000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { SerialPort } from 'serialport';
import type { ScanOutcomeDto } from '../src-shared/api/dto';
import { DEMO_STAFF } from '../src-main/seed/demo';
import { benchCaller } from './lib/terminal-session';
import { createTerminal } from '../src-main/terminal/create-terminal';
import { openPtyPair } from '../test/helpers/pty-pair';

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export async function runScanLatencyBench(scans = 400, members = 5000): Promise<{ p50: number; p90: number; p99: number; max: number; lookupP50: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillsmith-bench-scan-'));
  const pair = await openPtyPair({ links: { a: path.join(dir, 'scanner'), b: path.join(dir, 'scanner-device') } });
  const seedStart = performance.now();
  const t = await createTerminal({ dataDir: dir, pinKdfCost: 1024, seedDemo: { members } });
  const seedMs = performance.now() - seedStart;
  try {
    const call = benchCaller(t);
    const staff = (await call('staff.list', {})) as Array<{ id: string; name: string }>;
    const id = (name: string) => staff.find((s) => s.name === name)!.id;
    const cashier = DEMO_STAFF[0];
    const manager = DEMO_STAFF.find((s) => s.role === 'manager')!;
    await call('session.signIn', { staffId: id(cashier.name), pin: cashier.pin });
    await call('devices.configure', {
      config: { scanners: [{ id: 'bench', type: 'serial', path: pair.a, baudRate: 115200, terminator: 'CR' }] },
      approval: { staffId: id(manager.name), pin: manager.pin },
    });
    const cards = t.ctx.raw.prepare(`SELECT code FROM card WHERE status = 'active' AND code NOT LIKE 'NFC:%' ORDER BY random() LIMIT ?`).pluck().all(scans) as string[];
    if (cards.length === 0) throw new Error('the demo store has no printed cards');

    const device = await new Promise<SerialPort>((resolve, reject) => {
      const p = new SerialPort({ path: pair.b, baudRate: 115200, autoOpen: false });
      p.open((err) => (err ? reject(err) : resolve(p)));
    });

    // Each scan: the UI's path, as the app does it: scan.received -> members.scan.
    let pending: { code: string; started: number; resolve: (ms: { total: number; lookup: number }) => void } | null = null;
    t.events.on('scan.received', (scan) => {
      const p = pending;
      if (p === null) return;
      const lookupStart = performance.now();
      void call('members.scan', { raw: scan.raw }).then((outcome) => {
        const o = outcome as ScanOutcomeDto;
        if (o.kind !== 'member') throw new Error(`card ${p.code} was not found: ${o.kind}`);
        const end = performance.now();
        pending = null;
        p.resolve({ total: end - p.started, lookup: end - lookupStart });
      });
    });
    const scanOnce = (code: string) =>
      new Promise<{ total: number; lookup: number }>((resolve) => {
        pending = { code, started: performance.now(), resolve };
        device.write(`${code}\r`);
      });

    for (const code of cards.slice(0, 20)) await scanOnce(code); // warm-up
    const totals: number[] = [];
    const lookups: number[] = [];
    for (let i = 0; i < scans; i += 1) {
      const r = await scanOnce(cards[i % cards.length]!);
      totals.push(r.total);
      lookups.push(r.lookup);
    }
    await new Promise<void>((resolve) => device.close(() => resolve()));
    totals.sort((a, b) => a - b);
    lookups.sort((a, b) => a - b);
    const result = {
      p50: quantile(totals, 0.5),
      p90: quantile(totals, 0.9),
      p99: quantile(totals, 0.99),
      max: totals.at(-1) ?? NaN,
      lookupP50: quantile(lookups, 0.5),
    };
    const f = (ms: number) => `${ms.toFixed(2)} ms`;
    console.log(`Scan-to-member-found through a serial pseudo-terminal (${scans} scans, ${members} members, seeded in ${(seedMs / 1000).toFixed(1)} s)`);
    console.log(`  p50 ${f(result.p50)}   p90 ${f(result.p90)}   p99 ${f(result.p99)}   max ${f(result.max)}`);
    console.log(`  of which members.scan (dispatch + lookup): p50 ${f(result.lookupP50)}`);
    return result;
  } finally {
    await t.close();
    await pair.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [scans, members] = process.argv.slice(2).map(Number);
  runScanLatencyBench(scans || 400, members || 5000).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
