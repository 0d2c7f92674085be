/**
 * The persistent print queue through the whole terminal: checkout writes the receipt job in its
 * own transaction; the worker prints it on a simulated printer at the far end of a REAL serial
 * link (socat pseudo-terminals), after asking its status with DLE EOT.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enqueueReport } from '../../../src-main/devices/print-queue';
import { DomainError } from '../../../src-shared/errors/domain-error';
import { openPtyPair } from '../../helpers/pty-pair';
import { EventRecorder, FAST_ENV, openTill, printerTestLifecycle, serialPrinter, tempDir, type PrinterRig, type Till } from './device-rig';

let till: Till | null = null;
const life = printerTestLifecycle('tillsmith-queue-', async () => {
  await till?.close();
  till = null;
});

function rig(name = 'printer'): Promise<PrinterRig> {
  return life.printer(name);
}

const jobs = (t: Till) => t.terminal.ctx.raw.prepare('SELECT kind, state, receipt_no AS receiptNo, attempts FROM print_job ORDER BY seq').all() as Array<{ kind: string; state: string; receiptNo: string | null; attempts: number }>;

async function member(t: Till, phone = '13812345678') {
  return (await t.call('members.register', { idempotencyKey: randomUUID(), phone, name: '张伟', consentTerms: true, consentMarketing: false })).id;
}

describe('print queue', () => {
  it('writes the receipt job in the sale\'s transaction: a sale that fails leaves no job', async () => {
    till = await openTill();
    const p = await rig();
    p.sim.state.paper = 'out'; // keep the job queued so the test sees it as written
    await till.configure(serialPrinter(p.host));
    const raw = till.terminal.ctx.raw;
    // The outbox row is written after the print job, in the same transaction: make it fail.
    raw.exec(`CREATE TRIGGER fail_sale BEFORE INSERT ON outbox WHEN NEW.kind = 'sale' BEGIN SELECT RAISE(ABORT, 'simulated failure after the print job'); END`);
    await expect(till.sale()).rejects.toBeInstanceOf(DomainError);
    expect(raw.prepare('SELECT count(*) FROM sale').pluck().get()).toBe(0);
    expect(jobs(till)).toEqual([]);
    raw.exec('DROP TRIGGER fail_sale');
    const sale = await till.sale();
    expect(jobs(till)).toEqual([{ kind: 'receipt', state: 'queued', receiptNo: sale.receiptNo, attempts: 0 }]);
  });

  it('prints every receipt once, in order, with the sale, member and points on it', async () => {
    till = await openTill();
    const p = await rig();
    await till.configure(serialPrinter(p.host, { headerLines: ['滨江大道1号'], openDrawer: true }));
    const m = await member(till);
    const first = await till.sale([{ description: '农夫山泉 矿泉水', quantity: 2, unitPriceMinor: 200 }], m);
    const second = await till.sale([{ description: '进口奇异果礼盒', quantity: 1, unitPriceMinor: 8990 }], m);
    const third = await till.sale();
    await p.sim.until((s) => s.count('cut') === 3);
    await till.terminal.devices.queue.waitForJob((await till.call('printer.queue', { limit: 1 })).jobs[0]!.id, 5000);

    const r = p.sim.receipt();
    expect(r.unknown).toEqual([]);
    expect(r.qrCodes.map((q) => q.payload)).toEqual([first.receiptNo, second.receiptNo, third.receiptNo]);
    expect(r.cuts).toEqual(['partial', 'partial', 'partial']);
    expect(r.drawerKicks).toHaveLength(3);
    const text = r.text.join('\n');
    expect(text).toContain('Tillsmith Demo Store');
    expect(text).toContain('滨江大道1号');
    expect(text).toContain('王芳'); // the cashier's name
    expect(text).toContain('138****5678');
    expect(text).not.toContain('13812345678');
    expect(r.text.find((l) => l.startsWith('农夫山泉'))?.endsWith('￥4.00')).toBe(true);
    expect(r.text.some((l) => l.startsWith('本次积分') && l.endsWith('+4'))).toBe(true);
    expect(r.text.some((l) => l.startsWith('积分余额') && l.endsWith(String(second.balanceAfter)))).toBe(true);
    expect(r.text.some((l) => l.startsWith('等级'))).toBe(true);
    expect(r.text).toContain(`积分规则 v${first.ruleSetVersion}`);
    for (const l of r.lines) expect(l.columns).toBeLessThanOrEqual(48);
    expect(jobs(till).map((j) => [j.state, j.attempts])).toEqual([
      ['printed', 1],
      ['printed', 1],
      ['printed', 1],
    ]);
  });

  it('holds the job while the paper is out, and prints it exactly once when the paper is back', async () => {
    till = await openTill();
    const p = await rig();
    p.sim.state.paper = 'out';
    const status = new EventRecorder(till.terminal.events, 'devices.status');
    await till.configure(serialPrinter(p.host));
    const sale = await till.sale(); // a printer problem never blocks the sale
    expect(sale.receiptNo).toBeTruthy();
    const held = await status.until((e) => e.device === 'printer' && e.state === 'paper_out');
    expect(held.message).toBe('Printer is out of paper');
    // It keeps asking (backoff): wait for a few more status rounds, still nothing printed.
    const queries = p.sim.receipt().statusQueries.length;
    await p.sim.until((s) => s.receipt().statusQueries.length >= queries + 8);
    expect(p.sim.count('cut')).toBe(0);
    expect(jobs(till)).toEqual([{ kind: 'receipt', state: 'queued', receiptNo: sale.receiptNo, attempts: 0 }]);
    expect((await till.call('devices.status', {})).printer).toMatchObject({ state: 'paper_out', queued: 1 });

    p.sim.state.paper = 'ok';
    await status.until((e) => e.device === 'printer' && e.state === 'ready' && e.queued === 0);
    await p.sim.until((s) => s.count('cut') === 1);
    expect(p.sim.receipt().qrCodes.map((q) => q.payload)).toEqual([sale.receiptNo]);
    expect(jobs(till)).toEqual([{ kind: 'receipt', state: 'printed', receiptNo: sale.receiptNo, attempts: 1 }]);
    // Later status rounds (an idle queue) never print it again.
    const after = p.sim.received.length;
    const next = await till.sale();
    await p.sim.until((s) => s.count('cut') === 2);
    expect(p.sim.receipt().qrCodes.map((q) => q.payload)).toEqual([sale.receiptNo, next.receiptNo]);
    expect(p.sim.received.length).toBeGreaterThan(after);
  });

  it('completes checkouts while the printer is off, and prints them when it is plugged in', async () => {
    till = await openTill();
    const host = path.join(life.dir(), 'late-printer');
    const status = new EventRecorder(till.terminal.events, 'devices.status');
    await till.configure(serialPrinter(host));
    const started = Date.now();
    const a = await till.sale();
    const b = await till.sale();
    expect(Date.now() - started).toBeLessThan(2000);
    const offline = await status.until((e) => e.device === 'printer' && e.state === 'offline');
    expect(offline.message).toMatch(/not there|unplugged|switched off/);
    expect(jobs(till).map((j) => j.state)).toEqual(['queued', 'queued']);

    // The printer is switched on: a pty appears under the configured name.
    const pair = await openPtyPair({ links: { a: host, b: path.join(life.dir(), 'late-printer-device') } });
    const { openDevicePort, closeDevicePort } = await import('./device-rig');
    const device = await openDevicePort(pair.b);
    const { SimulatedPrinter } = await import('./simulated-printer');
    const sim = new SimulatedPrinter({ cjkEncoding: 'gb18030' }, (bytes) => device.write(Buffer.from(bytes)));
    device.on('data', (chunk: Buffer) => sim.receive(chunk));
    try {
      await sim.until((s) => s.count('cut') === 2);
      expect(sim.receipt().qrCodes.map((q) => q.payload)).toEqual([a.receiptNo, b.receiptNo]);
      await status.until((e) => e.device === 'printer' && e.state === 'ready' && e.queued === 0);
      expect(jobs(till).map((j) => j.state)).toEqual(['printed', 'printed']);
    } finally {
      await till.close();
      till = null;
      await closeDevicePort(device);
      await pair.close();
    }
  });

  it('reprints the last receipt and a receipt by number, marked as a reprint, and audits it', async () => {
    till = await openTill();
    const before = await till.sale([{ description: 'Before the printer', quantity: 1, unitPriceMinor: 990 }]);
    await expect(till.call('printer.reprint', {})).rejects.toMatchObject({ code: 'DEVICE_NOT_CONFIGURED' });
    const p = await rig();
    await till.configure(serialPrinter(p.host));
    const sale = await till.sale();
    await p.sim.until((s) => s.count('cut') === 1);

    const last = await till.call('printer.reprint', {});
    expect(last).toMatchObject({ kind: 'reprint', receiptNo: sale.receiptNo, state: 'queued' });
    await p.sim.until((s) => s.count('cut') === 2);
    const old = await till.call('printer.reprint', { receiptNo: before.receiptNo });
    expect(old).toMatchObject({ kind: 'reprint', receiptNo: before.receiptNo, reprintOf: null });
    await p.sim.until((s) => s.count('cut') === 3);
    await expect(till.call('printer.reprint', { receiptNo: 'NO-SUCH-RECEIPT' })).rejects.toMatchObject({ code: 'SALE_NOT_FOUND' });

    const r = p.sim.receipt();
    expect(r.qrCodes.map((q) => q.payload)).toEqual([sale.receiptNo, sale.receiptNo, before.receiptNo]);
    expect(r.lines.filter((l) => l.text === '重印').map((l) => ({ align: l.align, bold: l.bold }))).toEqual([
      { align: 'center', bold: true },
      { align: 'center', bold: true },
    ]);
    expect(r.text.some((l) => l.startsWith('Before the printer'))).toBe(true);
    const audited = till.terminal.ctx.raw.prepare(`SELECT count(*) FROM audit_log WHERE action = 'printer.reprint'`).pluck().get();
    expect(audited).toBe(2);
  });

  it('prints refund slips, the test page and an end-of-day report through the same queue', async () => {
    till = await openTill();
    const p = await rig();
    await till.configure(serialPrinter(p.host, { language: 'en' }));
    const sale = await till.sale([{ description: 'Green tea', quantity: 3, unitPriceMinor: 1000 }]);
    await till.call('refunds.create', { idempotencyKey: randomUUID(), saleId: sale.id, lines: [{ lineNo: 1, quantity: 1 }] });
    await p.sim.until((s) => s.count('cut') === 2);
    const test = await till.call('devices.testPrint', {});
    expect(test).toMatchObject({ kind: 'test', state: 'printed', attempts: 1 });
    await enqueueReport(till.terminal.devices.queue, {
      title: 'End of day',
      store: { name: 'Tillsmith Demo Store', addressLines: [] },
      terminal: 'T01',
      time: '2026-06-15 22:00',
      sections: [{ heading: 'Sales', rows: [{ label: 'Receipts', value: '1' }, { label: 'Takings', value: '¥20.00', bold: true }] }],
      footer: ['End of report'],
    });
    await p.sim.until((s) => s.count('cut') === 4);
    const text = p.sim.receipt().text;
    expect(text).toContain('REFUND');
    expect(text.some((l) => l.startsWith('Green tea') && l.endsWith('-￥10.00'))).toBe(true);
    expect(text).toContain('Printer test');
    expect(text.some((l) => l.includes(`${p.host} @ 38400`))).toBe(true);
    expect(text).toContain('End of day');
    expect(text.some((l) => l.startsWith('Takings') && l.endsWith('￥20.00'))).toBe(true);
    // The last job is marked printed once its write has drained, which may be just after its bytes arrived.
    await expect.poll(() => jobs(till!).map((j) => `${j.kind}:${j.state}`)).toEqual(['receipt:printed', 'refund_receipt:printed', 'test:printed', 'end_of_day:printed']);
  });

  it('prints the tenders, kicks the drawer only when cash moves, and prints the Z report', async () => {
    till = await openTill();
    const p = await rig();
    await till.configure(serialPrinter(p.host, { openDrawer: true }));
    const approval = await till.approval();
    await till.call('session.signIn', approval);
    await till.call('drawer.open', { idempotencyKey: randomUUID(), counts: { '10000': 1 } });
    const line = [{ lineNo: 1, category: 'tea', description: '乌龙茶', quantity: 1, unitPriceMinor: 2500 }];
    await till.call('checkout.complete', { idempotencyKey: randomUUID(), lines: line, tenders: [{ code: 'CASH', amountMinor: 5000 }] });
    await till.call('checkout.complete', { idempotencyKey: randomUUID(), lines: line, tenders: [{ code: 'WECHAT', amountMinor: 2500, reference: '4200009876543210' }] });
    await p.sim.until((s) => s.count('cut') === 2);
    const receipts = p.sim.receipt();
    expect(receipts.drawerKicks).toHaveLength(1); // the cash sale only
    for (const words of ['现金', '收现金', '找零', '微信支付', '…3210']) expect(receipts.text.join('\n')).toContain(words);
    await till.call('drawer.close', { idempotencyKey: randomUUID(), counts: { '10000': 1, '1000': 2, '500': 1 } });
    const z = await till.call('day.close', { idempotencyKey: randomUUID() });
    await till.call('reports.printDay', { zNo: z.zNo! });
    await p.sim.until((s) => s.count('cut') === 3);
    const text = p.sim.receipt().text;
    expect(text).toContain('Z 报表（日结）');
    expect(text.some((l) => l.startsWith('Z 序号') && l.endsWith('1'))).toBe(true);
    expect(text.some((l) => l.startsWith('微信支付') && l.endsWith('￥25.00'))).toBe(true);
    expect(text.some((l) => l.startsWith('长款/短款') && l.endsWith('￥0.00'))).toBe(true);
    expect(p.sim.receipt().drawerKicks).toHaveLength(1);
  });

  it('lets the cashier decide on a job that needs checking, and cancel a waiting one', async () => {
    till = await openTill();
    const p = await rig();
    p.sim.state.paper = 'out';
    await till.configure(serialPrinter(p.host));
    const sale = await till.sale();
    const [job] = (await till.call('printer.queue', { limit: 5 })).jobs;
    expect(job).toMatchObject({ kind: 'receipt', state: 'queued', title: `Receipt ${sale.receiptNo}` });
    await expect(till.call('printer.resolveJob', { jobId: job!.id, action: 'printed' })).rejects.toMatchObject({ code: 'PRINT_JOB_NOT_OPEN' });
    expect(await till.call('printer.resolveJob', { jobId: job!.id, action: 'cancel' })).toMatchObject({ state: 'cancelled' });
    await expect(till.call('printer.resolveJob', { jobId: 'nope', action: 'cancel' })).rejects.toMatchObject({ code: 'PRINT_JOB_NOT_FOUND' });
    p.sim.state.paper = 'ok';
    const next = await till.sale();
    await p.sim.until((s) => s.count('cut') === 1);
    expect(p.sim.receipt().qrCodes.map((q) => q.payload)).toEqual([next.receiptNo]);
  });
});

describe('print queue after a crash', () => {
  it('never reprints a job that was printing when the till died: it needs checking, then prints once on request', async () => {
    const dataDir = tempDir('tillsmith-print-crash-');
    try {
      const { spawn } = await import('node:child_process');
      const worker = path.resolve(__dirname, '../../helpers/print-crash-worker.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', worker, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const receiptNo = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /printing (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`worker exited (${String(code)}) before printing:\n${out}\n${err}`)));
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;

      // The till comes back with a working printer.
      const p = await rig();
      till = await openTill({ dataDir, env: FAST_ENV });
      expect(jobs(till)).toEqual([{ kind: 'receipt', state: 'needs_check', receiptNo, attempts: 1 }]);
      await till.configure(serialPrinter(p.host));
      const status = await till.call('devices.status', {});
      expect(status.needsCheck).toBe(1);
      expect(status.printer).toMatchObject({ needsCheck: 1, queued: 0 });
      const [job] = (await till.call('printer.queue', { limit: 5, states: ['needs_check'] })).jobs;
      expect(job?.lastError).toMatch(/may or may not have come out/);

      // Other receipts still print; the interrupted one does not.
      const other = await till.sale();
      await p.sim.until((s) => s.count('cut') === 1);
      expect(p.sim.receipt().qrCodes.map((q) => q.payload)).toEqual([other.receiptNo]);

      // The cashier asks for it again: printed once.
      await till.call('printer.resolveJob', { jobId: job!.id, action: 'reprint' });
      await p.sim.until((s) => s.count('cut') === 2);
      await till.terminal.devices.queue.waitForJob(job!.id, 5000);
      expect(p.sim.receipt().qrCodes.map((q) => q.payload)).toEqual([other.receiptNo, receiptNo]);
      expect(jobs(till).find((j) => j.receiptNo === receiptNo)).toMatchObject({ state: 'printed', attempts: 2 });
    } finally {
      await till?.close();
      till = null;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
