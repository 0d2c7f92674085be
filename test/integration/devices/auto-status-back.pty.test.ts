/**
 * Automatic Status Back (GS a) through the whole terminal and a REAL serial link: when the
 * profile says the printer supports it, Tillsmith switches it on as the port opens; the frames
 * the printer then sends by itself change the printer state the cashier sees at once, with no
 * DLE EOT poll, and a job held for paper is printed once as soon as the printer says the paper
 * is back (the retry delay here is ten minutes, so only the ASB frame can have started it).
 */
import { describe, expect, it } from 'vitest';
import { EventRecorder, FAST_ENV, openTill, printerTestLifecycle, serialPrinter, type PrinterRig, type Till } from './device-rig';

let till: Till | null = null;
const life = printerTestLifecycle('tillsmith-asb-', async () => {
  await till?.close();
  till = null;
});

function rig(): Promise<PrinterRig> {
  return life.printer();
}

/** No idle polling and a ten-minute retry delay: nothing but an ASB frame or a new job wakes the worker. */
const ASB_ENV = { ...FAST_ENV, idlePollMs: 0, printBackoff: { initialMs: 600_000, maxMs: 600_000 } };

const jobs = (t: Till) => t.terminal.ctx.raw.prepare('SELECT kind, state, receipt_no AS receiptNo, attempts FROM print_job ORDER BY seq').all();
const queries = (p: PrinterRig) => p.sim.receipt().statusQueries.length;

describe('Automatic Status Back', () => {
  it('shows paper out the moment the printer reports it, then prints the held receipt once when the paper is back', async () => {
    till = await openTill({ env: ASB_ENV });
    const p = await rig();
    const status = new EventRecorder(till.terminal.events, 'devices.status');
    await till.configure(serialPrinter(p.host, { autoStatusBack: true }));

    // Switched on as the port opened, before the first status query.
    expect(p.sim.asbMask).toBe(0x0f);
    const events = p.sim.events.map((e) => e.type);
    expect(events.indexOf('asb')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('asb')).toBeLessThan(events.indexOf('status_query'));
    expect((await till.call('devices.status', {})).printer?.state).toBe('ready');

    // The paper runs out while the till is idle: the printer says so by itself.
    const polled = queries(p);
    const from = status.seen.length;
    p.sim.state.paper = 'out';
    p.sim.sendAsb();
    const out = await status.until((e) => e.device === 'printer' && e.state === 'paper_out', from);
    expect(out.message).toBe('Printer is out of paper');
    expect((await till.call('devices.status', {})).printer).toMatchObject({ state: 'paper_out' });
    expect(queries(p)).toBe(polled); // no poll was needed to learn it

    // A sale meanwhile: its receipt is held (the worker's own DLE EOT check says paper out too).
    const sale = await till.sale();
    await p.sim.until((s) => s.receipt().statusQueries.length >= polled + 4);
    expect(p.sim.count('cut')).toBe(0);
    expect(jobs(till)).toEqual([{ kind: 'receipt', state: 'queued', receiptNo: sale.receiptNo, attempts: 0 }]);

    // Paper back: the printer's frame wakes the queue (its retry would wait ten minutes).
    const back = status.seen.length;
    p.sim.state.paper = 'ok';
    p.sim.sendAsb();
    await status.until((e) => e.device === 'printer' && e.state === 'ready', back);
    await p.sim.until((s) => s.count('cut') === 1);
    const job = (await till.call('printer.queue', { limit: 1 })).jobs[0]!;
    expect((await till.terminal.devices.queue.waitForJob(job.id, 10_000)).state).toBe('printed');
    expect(p.sim.receipt().qrCodes.map((q) => q.payload)).toEqual([sale.receiptNo]);

    // More "all fine" frames never print it again; the next sale prints once, after it.
    p.sim.sendAsb();
    p.sim.sendAsb();
    const next = await till.sale();
    await p.sim.until((s) => s.count('cut') === 2);
    await till.terminal.devices.queue.waitForJob((await till.call('printer.queue', { limit: 1 })).jobs[0]!.id, 10_000);
    expect(p.sim.receipt().qrCodes.map((q) => q.payload)).toEqual([sale.receiptNo, next.receiptNo]);
    expect(jobs(till)).toEqual([
      { kind: 'receipt', state: 'printed', receiptNo: sale.receiptNo, attempts: 1 },
      { kind: 'receipt', state: 'printed', receiptNo: next.receiptNo, attempts: 1 },
    ]);
    // Each receipt switches ASB on again after its ESC @ (in case a model resets it there).
    expect(p.sim.count('asb')).toBe(3);
  });

  it('shows a cover opened and closed while idle, from the frames alone', async () => {
    till = await openTill({ env: ASB_ENV });
    const p = await rig();
    const status = new EventRecorder(till.terminal.events, 'devices.status');
    await till.configure(serialPrinter(p.host, { autoStatusBack: true }));
    const polled = queries(p);
    let from = status.seen.length;
    p.sim.state.coverOpen = true;
    p.sim.sendAsb();
    expect((await status.until((e) => e.device === 'printer' && e.state === 'cover_open', from)).message).toBe('Printer cover is open');
    from = status.seen.length;
    p.sim.state.coverOpen = false;
    p.sim.sendAsb();
    await status.until((e) => e.device === 'printer' && e.state === 'ready', from);
    expect(queries(p)).toBe(polled);
  });

  it('never sends GS a to a printer whose profile does not say it supports ASB', async () => {
    till = await openTill({ env: ASB_ENV });
    const p = await rig();
    await till.configure(serialPrinter(p.host));
    await till.sale();
    await p.sim.until((s) => s.count('cut') === 1);
    expect(p.sim.count('asb')).toBe(0);
    expect(p.sim.asbMask).toBe(0);
  });
});
