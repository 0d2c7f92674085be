/**
 * Receipt printing over a REAL serial link: socat joins two pseudo-terminals; the till's
 * SerialPrinterTransport opens one end, a simulated printer (serialport + the test-side
 * ESC/POS decoder) sits on the other, captures the bytes and answers DLE EOT queries.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LABELS_ZH_HANS,
  LABELS_ZH_HANT,
  PROFILE_58MM_GB18030,
  PROFILE_80MM_BIG5,
  PROFILE_80MM_GB18030,
  PrinterTransportError,
  ReceiptPrinter,
  SerialPrinterTransport,
  renderReceipt,
} from '../../../src-main/devices/printer';
import type { ReceiptDoc } from '../../../src-shared/receipt';
import { closeAllPtyPairs, openPtyPair, type PtyPair } from '../../helpers/pty-pair';
import { SimulatedPrinter } from './simulated-printer';

const DOC: ReceiptDoc = {
  store: { name: '滨江路便利店', addressLines: ['上海市浦东新区滨江大道1号'] },
  terminal: 'T01',
  cashier: '张三',
  receiptId: 'R-20261120-0042',
  time: '2026-11-20 14:03',
  currency: { code: 'CNY', symbol: '¥', minorDigits: 2 },
  lines: [
    { description: '农夫山泉 矿泉水 550ml', qty: 2, unitMinor: 200, lineMinor: 400 },
    { description: '进口新西兰奇异果（金果）礼盒装六个装超值优惠', qty: 1, unitMinor: 8990, lineMinor: 8990 },
  ],
  totals: { grossMinor: 9390, pointsRedeemed: 300, pointsRedeemedValueMinor: 300, paidMinor: 9090 },
  member: {
    maskedPhone: '138****5678',
    tier: '金卡',
    pointsEarned: 90,
    pointsRedeemed: 300,
    newBalance: 1024,
    expiringSoon: { points: 120, date: '2026-12-31' },
  },
  ruleSetVersion: '7',
  footer: ['谢谢惠顾'],
};

function openPort(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) {
      resolve();
      return;
    }
    port.close(() => resolve());
  });
}

interface Rig {
  pair: PtyPair;
  device: SerialPort;
  sim: SimulatedPrinter;
  transport: SerialPrinterTransport;
  printer: ReceiptPrinter;
}

let dir = '';
let rig: Rig | null = null;

async function makeRig(cjk: 'gb18030' | 'big5' = 'gb18030', statusTimeoutMs = 500): Promise<Rig> {
  const pair = await openPtyPair({ links: { a: join(dir, 'printer-host'), b: join(dir, 'printer-device') } });
  const device = await openPort(pair.b);
  device.on('error', () => undefined);
  const sim = new SimulatedPrinter({ cjkEncoding: cjk }, (bytes) => device.write(Buffer.from(bytes)));
  device.on('data', (chunk: Buffer) => sim.receive(chunk));
  const transport = new SerialPrinterTransport({ path: pair.a, baudRate: 38400 });
  const printer = new ReceiptPrinter(transport, { statusTimeoutMs });
  return { pair, device, sim, transport, printer };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tillsmith-printer-'));
});

afterEach(async () => {
  if (rig !== null) {
    await rig.printer.close();
    await closePort(rig.device);
    await rig.pair.close();
    rig = null;
  }
  rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await closeAllPtyPairs();
});

describe('receipt printer on a serial pseudo-terminal', () => {
  it('prints an 80 mm GB18030 receipt: the printer gets the exact bytes, text, alignment, QR and cut', async () => {
    rig = await makeRig('gb18030');
    const bytes = renderReceipt(DOC, { profile: PROFILE_80MM_GB18030, labels: LABELS_ZH_HANS, openDrawer: true });
    await rig.printer.print(bytes);
    await rig.sim.until((p) => p.count('cut') === 1);

    expect(Buffer.from(rig.sim.received)).toEqual(Buffer.from(bytes));
    const r = rig.sim.receipt();
    expect(r.unknown).toEqual([]);
    expect(r.lines[0]).toMatchObject({ text: '滨江路便利店', align: 'center', bold: true, widthScale: 2 });
    expect(r.lines[1]).toMatchObject({ text: '上海市浦东新区滨江大道1号', align: 'center' });
    const paid = r.lines.find((l) => l.text.startsWith('实付'));
    expect(paid).toMatchObject({ align: 'left', bold: true, columns: 48 });
    expect(paid?.text.endsWith('￥90.90')).toBe(true);
    const item = r.lines.find((l) => l.text.startsWith('进口新西兰'));
    expect(item?.columns).toBe(48);
    expect(item?.text.endsWith(' ￥89.90')).toBe(true);
    expect(r.text).toContain('120积分将于2026-12-31过期');
    for (const l of r.lines) expect(l.columns).toBeLessThanOrEqual(48);
    expect(r.qrCodes).toEqual([{ payload: 'R-20261120-0042', model: 2, size: 6, errorCorrection: 'M' }]);
    expect(r.drawerKicks).toHaveLength(1);
    expect(r.cuts).toEqual(['partial']);
  });

  it('prints a 58 mm receipt and a Big5 receipt with correct widths', async () => {
    rig = await makeRig('gb18030');
    const bytes = renderReceipt(DOC, { profile: PROFILE_58MM_GB18030, labels: LABELS_ZH_HANS });
    await rig.printer.print(bytes);
    await rig.sim.until((p) => p.count('cut') === 1);
    const r = rig.sim.receipt();
    for (const l of r.lines) expect(l.columns, l.text).toBeLessThanOrEqual(32);
    expect(r.lines.filter((l) => l.text.endsWith('￥90.90')).map((l) => l.columns)).toEqual([32]);
    await rig.printer.close();
    await closePort(rig.device);
    await rig.pair.close();

    rig = await makeRig('big5');
    const big5 = renderReceipt(
      { ...DOC, store: { name: '信義路門市', addressLines: [] }, cashier: '陳小明', lines: [{ description: '烏龍茶', qty: 1, unitMinor: 2500, lineMinor: 2500 }], footer: ['謝謝光臨'], member: null },
      { profile: PROFILE_80MM_BIG5, labels: LABELS_ZH_HANT },
    );
    await rig.printer.print(big5);
    await rig.sim.until((p) => p.count('cut') === 1);
    const b = rig.sim.receipt();
    expect(b.text[0]).toBe('信義路門市');
    expect(b.text.some((t) => t.startsWith('收銀員') && t.endsWith('陳小明'))).toBe(true);
    expect(b.text.some((t) => t.startsWith('烏龍茶') && t.endsWith('￥25.00'))).toBe(true);
    expect(b.text).toContain('謝謝光臨');
  });

  it('reads status with DLE EOT: paper out first, then OK after the paper is replaced', async () => {
    rig = await makeRig();
    rig.sim.state.paper = 'out';
    const out = await rig.printer.status();
    expect(out).toMatchObject({ answered: true, online: false, paperOut: true, coverOpen: false, error: false });
    expect(out.message).toBe('Printer is out of paper');
    expect(rig.sim.receipt().statusQueries).toEqual([1, 2, 3, 4]);

    rig.sim.state.paper = 'ok';
    const ok = await rig.printer.status();
    expect(ok).toMatchObject({ answered: true, online: true, paperOut: false, paperNearEnd: false, error: false, message: 'Ready' });

    rig.sim.state.paper = 'near_end';
    rig.sim.state.coverOpen = true;
    expect(await rig.printer.status()).toMatchObject({ answered: true, coverOpen: true, paperNearEnd: true, online: false });
  });

  it('reports no answer when the printer stays silent', async () => {
    rig = await makeRig('gb18030', 150);
    rig.sim.state.silent = true;
    const s = await rig.printer.status();
    expect(s).toMatchObject({ answered: false, online: false, reason: 'no_answer' });
    expect(s.message).toMatch(/did not answer/);
    // and it recovers when the printer answers again
    rig.sim.state.silent = false;
    expect((await rig.printer.status()).answered).toBe(true);
  });

  it('status queries go out only after a receipt has been fully written', async () => {
    rig = await makeRig();
    const bytes = renderReceipt(DOC, { profile: PROFILE_80MM_GB18030 });
    const [, status] = await Promise.all([rig.printer.print(bytes), rig.printer.status()]);
    expect(status.answered).toBe(true);
    const firstQuery = rig.sim.events.findIndex((e) => e.type === 'status_query');
    const cut = rig.sim.events.findIndex((e) => e.type === 'cut');
    expect(cut).toBeGreaterThan(-1);
    expect(firstQuery).toBeGreaterThan(cut);
  });

  it('times out and discards the rest when the printer stops taking data mid-receipt', async () => {
    rig = await makeRig();
    rig.device.pause(); // the printer stops reading: its buffer, then the pty's, fill up
    const transport = new SerialPrinterTransport({ path: rig.pair.a, baudRate: 38400, writeTimeoutMs: 300 });
    await transport.open();
    const huge = new Uint8Array(4 * 1024 * 1024).fill(0x41);
    const err = await transport.write(huge).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PrinterTransportError);
    expect((err as PrinterTransportError).code).toBe('write_timeout');
    expect((err as PrinterTransportError).message).toMatch(/stopped accepting data/);
    expect(transport.isOpen).toBe(false);
    await transport.close();
  });

  it('reports an unplugged printer clearly instead of hanging', async () => {
    rig = await makeRig();
    await rig.printer.print(new Uint8Array([0x1b, 0x40]));
    await rig.pair.close(); // unplug
    await closePort(rig.device);
    expect(existsSync(rig.pair.a)).toBe(false);
    const s = await rig.printer.status();
    expect(s.answered).toBe(false);
    if (!s.answered) {
      expect(['transport_error', 'no_answer']).toContain(s.reason);
      expect(s.message).toMatch(/unplugged|not there|not open/);
    }
    const e = await rig.printer.print(new Uint8Array([0x0a])).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(PrinterTransportError);
    expect(['open_failed', 'write_failed', 'not_open']).toContain((e as PrinterTransportError).code);
    expect((e as PrinterTransportError).message).toMatch(/unplugged|failed|not open/);
  });
});
