import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTerminal, type Terminal } from '../../../src-main/terminal/create-terminal';
import { LOG_FOLDER, openTillLog } from '../../../src-main/terminal/till-log';
import { tempDir } from '../../helpers/terminal';

let t: Terminal | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const logFiles = (dir: string) => fs.readdirSync(path.join(dir, LOG_FOLDER)).filter((f) => f.endsWith('.log')).sort();
const lines = (dir: string) =>
  logFiles(dir).flatMap((f) => fs.readFileSync(path.join(dir, LOG_FOLDER, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));

describe('the till log', () => {
  it('writes JSON lines in the data folder: the terminal opening, an unexpected error with its method and stack, the closing', async () => {
    const dataDir = tempDir();
    t = await createTerminal({ dataDir, seedDemo: false, startSync: false, pinKdfCost: 1024 });
    t.handlers['terminal.info'] = () => Promise.reject(new Error('a bug in the till'));
    const r = await t.dispatch('terminal.info', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    // The cashier sees no internals; the log has them.
    expect(JSON.stringify(r)).not.toContain('a bug in the till');
    await t.close();
    t = null;
    const logged = lines(dataDir);
    expect(logged.map((l) => l.msg)).toEqual(['terminal opened', 'unexpected error in a method', 'terminal closed']);
    expect(logged[0]).toMatchObject({ level: 30, app: 'tillsmith-terminal', schemaVersion: expect.any(Number), terminalId: expect.any(String) });
    expect(logged[1]).toMatchObject({ level: 50, method: 'terminal.info', err: { message: 'a bug in the till', stack: expect.stringContaining('Error: a bug in the till') } });
  });

  it('never stops the till: a log folder that cannot be made leaves it trading, logging to the console', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, LOG_FOLDER), 'a file where the log folder should be');
    t = await createTerminal({ dataDir, seedDemo: false, startSync: false, pinKdfCost: 1024 });
    expect(await t.dispatch('terminal.info', {})).toMatchObject({ ok: true });
    await t.close();
    t = null;
  });

  it('rolls over at its size and keeps only the newest files', async () => {
    const dataDir = tempDir();
    const { log, close, written } = await openTillLog(dataDir, { size: '1k', keep: 2 });
    // One line at a time, each written before the next, as a till logs.
    for (let i = 0; i < 100; i++) {
      const done = written();
      log.info({ i, filler: 'x'.repeat(40) }, 'line');
      await done;
    }
    await close();
    const files = logFiles(dataDir);
    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThanOrEqual(3); // the current one and two rolled
    for (const f of files) expect(fs.statSync(path.join(dataDir, LOG_FOLDER, f)).size).toBeLessThan(2048);
    const kept = lines(dataDir).map((l) => l.i as number);
    expect(kept).toContain(99); // the newest line survives; the oldest files went
    expect(kept).not.toContain(0);
  });
});
