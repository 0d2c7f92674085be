/**
 * Browser mode keeps its bridge token (and last port) in the data folder, so the till's address
 * survives a restart: real starts of the headless terminal on one data folder, the file's mode
 * on disk, and the files it refuses.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BRIDGE_FILE, BridgeFileError, loadBridgeFile } from '../../../src-main/terminal/bridge-file';
import { DATABASE_FILE } from '../../../src-main/terminal/config';
import { startHeadless, type Headless } from '../../../src-main/terminal/headless';
import { DEMO_STAFF, demoScanCodes } from '../../../src-main/seed/demo';
import { tempDir } from '../../helpers/terminal';

const open: Headless[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function start(dataDir: string, extra: { token?: string; port?: number; seedDemo?: { members: number } } = {}): Promise<Headless> {
  const h = await startHeadless({ dataDir, pinKdfCost: 1024, ...extra });
  open.push(h);
  return h;
}

async function stop(h: Headless): Promise<void> {
  open.splice(open.indexOf(h), 1);
  await h.close();
}

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

/** The bridge answers a call with this token (terminal.info needs no session). */
async function answers(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/api/terminal.info`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' });
  await res.arrayBuffer();
  return res.status;
}

describe('the bridge token in the data folder', () => {
  it('a second start on the same data folder has the same token and address; the file is 0600', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const file = path.join(dir, BRIDGE_FILE);
    expect(mode(file)).toBe(0o600);
    expect(first.notes).toEqual([]);
    const { url, token } = first;
    expect(await answers(url, token)).toBe(200);
    await stop(first);

    const second = await start(dir);
    expect(second.token).toBe(token);
    expect(second.url).toBe(url);
    expect(second.notes).toEqual([]);
    expect(mode(file)).toBe(0o600);
    expect(await answers(second.url, token)).toBe(200);
    expect(await answers(second.url, 'not-the-token')).toBe(401);
  });

  it('a token file others can read is tightened to 0600, keeps its token, and the start says so', async () => {
    const dir = tempDir();
    const { token } = loadBridgeFile(dir);
    const file = path.join(dir, BRIDGE_FILE);
    fs.chmodSync(file, 0o644);
    const h = await start(dir);
    expect(h.token).toBe(token);
    expect(mode(file)).toBe(0o600);
    expect(h.notes).toEqual([expect.stringContaining(`${file} could be read or changed by other users (mode 0644): now 0600`)]);
  });

  it('refuses a symbolic link, a file that is not the bridge file, and one without a usable token, before opening the database', async () => {
    const dir = tempDir();
    const file = path.join(dir, BRIDGE_FILE);
    const elsewhere = path.join(tempDir(), 'token.json');
    fs.writeFileSync(elsewhere, JSON.stringify({ token: 'a'.repeat(32) }), { mode: 0o600 });
    fs.symlinkSync(elsewhere, file);
    await expect(start(dir)).rejects.toThrow(new BridgeFileError(`${file} is a symbolic link; the till keeps its token only in a file of its own. Delete the link, then start again.`));
    expect(fs.existsSync(path.join(dir, DATABASE_FILE))).toBe(false);

    fs.rmSync(file);
    fs.writeFileSync(file, 'hello', { mode: 0o600 });
    await expect(start(dir)).rejects.toThrow(/is not the till's bridge file \(not JSON\)\. Delete it to get a new token/);
    fs.writeFileSync(file, JSON.stringify({ token: 'short' }));
    await expect(start(dir)).rejects.toThrow(/holds no usable token/);
    fs.rmSync(file);
    fs.mkdirSync(file);
    await expect(start(dir)).rejects.toThrow(/is not a regular file/);
    expect(fs.existsSync(path.join(dir, DATABASE_FILE))).toBe(false);
  });

  // Only root can give a file to another user.
  it.runIf(process.getuid?.() === 0)('refuses a token file that belongs to another user', async () => {
    const dir = tempDir();
    const file = path.join(dir, BRIDGE_FILE);
    loadBridgeFile(dir);
    fs.chownSync(file, 65534, 65534);
    await expect(start(dir)).rejects.toThrow(`${file} belongs to another user (uid 65534, this is uid 0), so its token cannot be trusted.`);
  });

  it('when the last port is taken, the till starts on another and says its address changed', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const port = Number(new URL(first.url).port);
    await stop(first);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const second = await start(dir);
      expect(second.url).not.toBe(first.url);
      expect(second.notes).toEqual([expect.stringContaining(`port ${port} of the last start is taken by another program`)]);
      await stop(second);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
    // The new port is the one remembered now.
    const third = await start(dir);
    expect(third.url).not.toBe(first.url);
  });

  it('a token given by the caller is used as is and nothing is written', async () => {
    const dir = tempDir();
    const h = await start(dir, { token: 'tok-given' });
    expect(h.token).toBe('tok-given');
    expect(fs.existsSync(path.join(dir, BRIDGE_FILE))).toBe(false);
  });
});

describe('demo codes for a newcomer', () => {
  it('the demo store offers two members\' card numbers and product barcodes that the till recognises', async () => {
    const dir = tempDir();
    const h = await start(dir, { seedDemo: { members: 20 } });
    const demo = await demoScanCodes(h.terminal.ctx);
    expect(demo?.cards).toHaveLength(2);
    expect(demo?.products.length).toBeGreaterThanOrEqual(3);
    const staff = await h.terminal.dispatch('staff.list', {});
    if (!staff.ok) throw new Error('staff.list failed');
    const cashier = DEMO_STAFF[0];
    const staffId = (staff.value as Array<{ id: string; name: string }>).find((s) => s.name === cashier.name)!.id;
    expect((await h.terminal.dispatch('session.signIn', { staffId, pin: cashier.pin })).ok).toBe(true);
    for (const c of demo!.cards) {
      const r = await h.terminal.dispatch('members.scan', { raw: c.code });
      expect(r.ok && (r.value as { kind: string }).kind, c.code).toBe('member');
    }
    for (const p of demo!.products) {
      const r = await h.terminal.dispatch('members.scan', { raw: p.sku });
      expect(r.ok && (r.value as { kind: string; product: unknown }).product, p.sku).toMatchObject({ unitPriceMinor: p.unitPriceMinor });
    }
  });

  it('a store that is not the demo store prints none of its members\' numbers', async () => {
    const h = await start(tempDir());
    expect(await demoScanCodes(h.terminal.ctx)).toBeNull();
  });
});
