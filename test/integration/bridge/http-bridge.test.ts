import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Input, Method, Outputs } from '../../../src-shared/api/contract';
import type { Result } from '../../../src-shared/api/dto';
import { startHttpBridge } from '../../../src-main/bridge/http-bridge';
import { startHeadless } from '../../../src-main/terminal/headless';
import { DEMO_STAFF } from '../../../src-main/seed/demo';
import { key, tempDir } from '../../helpers/terminal';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TOKEN = 'test-token-3f9a';

type Headless = Awaited<ReturnType<typeof startHeadless>>;

interface Answer {
  status: number;
  headers: Headers;
  body: Result<unknown>;
}

/** One raw HTTP request to the bridge. */
async function request(
  url: string,
  method: string,
  opts: { body?: string | ReadableStream<Uint8Array> | null; token?: string | null; httpMethod?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const init: RequestInit & { duplex?: 'half' } = { method: opts.httpMethod ?? 'POST', headers };
  if (opts.body !== undefined && opts.body !== null) {
    init.body = opts.body;
    if (typeof opts.body !== 'string') init.duplex = 'half';
  }
  const res = await fetch(`${url}/api/${method}`, init);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Result<unknown> };
}

const post = (url: string, method: string, input: unknown) => request(url, method, { body: JSON.stringify(input) });

/** A typed call that must succeed. */
async function call<M extends Method>(url: string, method: M, input: Input<M>): Promise<Outputs[M]> {
  const a = await post(url, method, input);
  if (!a.body.ok) throw new Error(`${method}: ${a.status} ${JSON.stringify(a.body.error)}`);
  expect(a.status).toBe(200);
  return a.body.value as Outputs[M];
}

function expectError(a: Answer, status: number, code: string): { code: string; message: string; details?: Record<string, unknown> } {
  expect(a.status).toBe(status);
  expect(a.body.ok).toBe(false);
  if (a.body.ok) throw new Error('unreachable');
  expect(a.body.error.code).toBe(code);
  expect(typeof a.body.error.message).toBe('string');
  expect(a.body.error.details).toBeTypeOf('object');
  return a.body.error;
}

const cashier = DEMO_STAFF.find((s) => s.role === 'cashier')!;

async function staffId(url: string, name: string): Promise<string> {
  const list = await call(url, 'staff.list', {});
  return list.find((s) => s.name === name)!.id;
}

async function signIn(url: string): Promise<void> {
  await call(url, 'session.signIn', { staffId: await staffId(url, cashier.name), pin: cashier.pin });
}

const register = (url: string, phone: string) =>
  call(url, 'members.register', { idempotencyKey: key(), phone, consentTerms: true, consentMarketing: false });

const line = (unitPriceMinor: number) => ({ lineNo: 1, category: 'grocery', quantity: 1, unitPriceMinor });

describe('HTTP bridge against a headless terminal', () => {
  let h: Headless;
  let dataDir: string;

  beforeEach(async () => {
    dataDir = tempDir('tillsmith-bridge-');
    h = await startHeadless({ dataDir, token: TOKEN, seedDemo: { members: 0, paymentsAtTill: false }, pinKdfCost: 1024 });
  });
  afterEach(async () => {
    await h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves on loopback and answers with the { ok, value } envelope', async () => {
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const a = await post(h.url, 'terminal.info', {});
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toMatch(/^application\/json/);
    expect(a.headers.get('cache-control')).toBe('no-store');
    expect(a.body).toMatchObject({ ok: true, value: { storeName: 'Tillsmith Demo Store', dataDir, memberCount: 0 } });
  });

  it('answers 401 without a token, with a wrong one, and with a token that is not a Bearer token', async () => {
    const none = await request(h.url, 'terminal.info', { body: '{}', token: null });
    expectError(none, 401, 'UNAUTHORIZED');
    expectError(await request(h.url, 'terminal.info', { body: '{}', token: 'wrong-token' }), 401, 'UNAUTHORIZED');
    expectError(await request(h.url, 'terminal.info', { body: '{}', token: `${TOKEN}x` }), 401, 'UNAUTHORIZED');
    expectError(await request(h.url, 'terminal.info', { body: '{}', token: null, headers: { authorization: TOKEN } }), 401, 'UNAUTHORIZED');
    // A wrong token never reaches a handler, not even sign-in with the right PIN.
    const signIn = await request(h.url, 'session.signIn', {
      token: 'wrong-token',
      body: JSON.stringify({ staffId: await staffId(h.url, cashier.name), pin: cashier.pin }),
    });
    expectError(signIn, 401, 'UNAUTHORIZED');
    expect((await call(h.url, 'session.current', {})).staff).toBeNull();
  });

  it('answers 400 for a body that is not JSON', async () => {
    const e = expectError(await request(h.url, 'session.signIn', { body: '{"staffId": "x", "pin": 1111' }), 400, 'INVALID_INPUT');
    expect(e.message).toMatch(/not valid JSON/);
    expectError(await request(h.url, 'terminal.info', { body: 'hello' }), 400, 'INVALID_INPUT');
  });

  it('answers 400 with details.issues for input that breaks the schema', async () => {
    const a = await post(h.url, 'members.register', { idempotencyKey: 'short', phone: '13800138000', birthday: '20/06/1990', consentTerms: false, consentMarketing: 'yes' });
    const e = expectError(a, 400, 'INVALID_INPUT');
    const issues = e.details?.issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path).sort()).toEqual(['birthday', 'consentMarketing', 'consentTerms', 'idempotencyKey']);
    for (const i of issues) expect(i.message.length).toBeGreaterThan(0);
    // Strict inputs refuse unknown fields; nested paths are dotted.
    const strict = expectError(await post(h.url, 'terminal.info', { verbose: true }), 400, 'INVALID_INPUT');
    expect(strict.details?.issues).toHaveLength(1);
    const nested = expectError(await post(h.url, 'checkout.preview', { lines: [{ lineNo: 1, category: 'x', quantity: 0, unitPriceMinor: 1.5 }] }), 400, 'INVALID_INPUT');
    expect((nested.details?.issues as { path: string }[]).map((i) => i.path).sort()).toEqual(['lines.0.quantity', 'lines.0.unitPriceMinor']);
    // A JSON body that is not an object at all.
    expectError(await request(h.url, 'session.signIn', { body: '[1, 2]' }), 400, 'INVALID_INPUT');
  });

  it('answers 404 for an unknown method, including names inherited from Object.prototype', async () => {
    const e = expectError(await post(h.url, 'members.delete', {}), 404, 'UNKNOWN_METHOD');
    expect(e.message).toContain('members.delete');
    for (const m of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) expectError(await post(h.url, m, {}), 404, 'UNKNOWN_METHOD');
  });

  it('answers 413 for a body over the limit and keeps serving', async () => {
    const big = JSON.stringify({ query: 'x'.repeat(1024 * 1024) });
    const e = expectError(await request(h.url, 'members.find', { body: big }), 413, 'INVALID_INPUT');
    expect(e.message).toMatch(/larger than 1048576 bytes/);
    // The same without a Content-Length: a chunked body that grows past the limit.
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ < 32) c.enqueue(chunk);
        else c.close();
      },
    });
    const chunked = await request(h.url, 'terminal.info', { body: stream });
    expectError(chunked, 413, 'INVALID_INPUT');
    expect(chunked.headers.get('connection')).toBe('close');
    expect((await post(h.url, 'terminal.info', {})).status).toBe(200);
  });

  it('answers 405 with Allow: POST for other HTTP methods on /api', async () => {
    for (const httpMethod of ['GET', 'PUT', 'DELETE']) {
      const a = await request(h.url, 'terminal.info', { httpMethod });
      expectError(a, 405, 'INVALID_INPUT');
      expect(a.headers.get('allow')).toBe('POST');
    }
  });

  it('answers 401 NOT_SIGNED_IN for member work when nobody is signed in, and again after sign-out', async () => {
    expectError(await post(h.url, 'members.find', { query: '13800138000' }), 401, 'NOT_SIGNED_IN');
    expectError(await post(h.url, 'checkout.complete', { idempotencyKey: key(), lines: [line(1000)] }), 401, 'NOT_SIGNED_IN');
    await signIn(h.url);
    await call(h.url, 'members.find', { query: '13800138000' });
    await call(h.url, 'session.signOut', {});
    expectError(await post(h.url, 'members.find', { query: '13800138000' }), 401, 'NOT_SIGNED_IN');
  });

  it('maps typed domain errors to their HTTP status', async () => {
    const wrongPin = expectError(await post(h.url, 'session.signIn', { staffId: await staffId(h.url, cashier.name), pin: '0000' }), 401, 'INVALID_PIN');
    expect(wrongPin.details).toMatchObject({ staffId: expect.any(String) });
    await signIn(h.url);
    const m = await register(h.url, '13800138000');
    const dup = expectError(await post(h.url, 'members.register', { idempotencyKey: key(), phone: '138 0013 8000', consentTerms: true, consentMarketing: false }), 409, 'DUPLICATE_PHONE');
    expect(dup.details).toEqual({ memberId: m.id });
    await call(h.url, 'checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [line(30000)] }); // 300 points
    const poor = expectError(await post(h.url, 'checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [line(100000)], redeemPoints: 1000 }), 422, 'INSUFFICIENT_POINTS');
    expect(poor.details).toMatchObject({ requested: 1000, available: 300 });
    expectError(await post(h.url, 'members.get', { memberId: 'no-such-member' }), 404, 'MEMBER_NOT_FOUND');
    const cashierApproval = { staffId: await staffId(h.url, cashier.name), pin: cashier.pin };
    expectError(await post(h.url, 'points.adjust', { idempotencyKey: key(), memberId: m.id, points: 50, reason: 'goodwill', approval: cashierApproval }), 403, 'MANAGER_PIN_REQUIRED');
    // Nothing of the refused calls was written.
    expect((await call(h.url, 'members.get', { memberId: m.id })).balance).toBe(300);
    expect(await call(h.url, 'ledger.verify', {})).toMatchObject({ ok: true, membersChecked: 1 });
  });

  it('runs the happy path: sign in, register, check out, replay, read back', async () => {
    const me = await call(h.url, 'session.signIn', { staffId: await staffId(h.url, cashier.name), pin: cashier.pin });
    expect(me.staff).toMatchObject({ name: cashier.name, role: 'cashier', active: true });
    expect((await call(h.url, 'session.current', {})).staff?.id).toBe(me.staff?.id);

    const member = await call(h.url, 'members.register', {
      idempotencyKey: key(),
      phone: '13912345678',
      name: '王小明',
      cardCode: '6222 0200 0000 0015',
      consentTerms: true,
      consentMarketing: false,
    });
    expect(member).toMatchObject({ maskedName: '王**', maskedPhone: '139****5678', balance: 0, cards: [{ maskedCode: '6222 **** **** 0015', status: 'active' }] });

    const scan = await call(h.url, 'members.scan', { raw: '6222020000000015' });
    expect(scan.kind === 'member' && scan.member.id).toBe(member.id);

    const basket = { memberId: member.id, lines: [{ lineNo: 1, category: 'grocery', quantity: 2, unitPriceMinor: 4550 }] };
    const preview = await call(h.url, 'checkout.preview', basket);
    expect(preview).toMatchObject({ grossMinor: 9100, paidMinor: 9100, earn: { purchasePoints: 91 } });

    const checkout = { ...basket, idempotencyKey: key() };
    const sale = await call(h.url, 'checkout.complete', checkout);
    expect(sale).toMatchObject({ paidMinor: 9100, earnedPoints: 91, balanceAfter: 91, replayed: false });
    expect(sale.receiptNo).toMatch(/^R\d{8}-[0-9A-F]{4}-000001$/);
    const again = await call(h.url, 'checkout.complete', checkout);
    expect(again).toMatchObject({ id: sale.id, receiptNo: sale.receiptNo, replayed: true });

    expect((await call(h.url, 'members.get', { memberId: member.id })).balance).toBe(91);
    expect((await call(h.url, 'sales.get', { receiptNo: sale.receiptNo })).id).toBe(sale.id);
    expect(await call(h.url, 'sales.recent', {})).toHaveLength(1);
    expect((await call(h.url, 'terminal.info', {})).memberCount).toBe(1);
    expect(await call(h.url, 'audit.verify', {})).toMatchObject({ ok: true, brokenAt: null });
  });

  it('replaces a lost card over HTTP: masked cards only, a retry replays, refusals keep their status codes', async () => {
    await signIn(h.url);
    const member = await call(h.url, 'members.register', { idempotencyKey: key(), phone: '13912340001', cardCode: '6222020000000015', consentTerms: true, consentMarketing: false });
    const other = await call(h.url, 'members.register', { idempotencyKey: key(), phone: '13912340002', cardCode: '6222020000000049', consentTerms: true, consentMarketing: false });
    const cardId = member.cards[0]!.id;
    const input = { idempotencyKey: key(), memberId: member.id, cardId, newCardCode: '6222 0200 0000 0031', reason: 'lost' as const };
    // Bound to another member: 409, nothing changed.
    const taken = expectError(await post(h.url, 'members.replaceCard', { ...input, newCardCode: '6222020000000049' }), 409, 'CARD_ALREADY_ACTIVE');
    expect(taken.details).toEqual({ maskedCode: '6222 **** **** 0049' });
    expectError(await post(h.url, 'members.replaceCard', { ...input, newCardCode: '6222020000000032' }), 422, 'INVALID_CARD_NUMBER');
    expectError(await post(h.url, 'members.replaceCard', { ...input, cardId: other.cards[0]!.id }), 404, 'CARD_NOT_FOUND');
    const bad = expectError(await post(h.url, 'members.replaceCard', { ...input, reason: 'stolen', cardId: undefined }), 400, 'INVALID_INPUT');
    expect((bad.details?.issues as { path: string }[]).map((i) => i.path).sort()).toEqual(['cardId', 'reason']);
    expect((await call(h.url, 'members.scan', { raw: '6222020000000015' })).kind).toBe('member');

    const a = await post(h.url, 'members.replaceCard', input);
    expect(a.status).toBe(200);
    const body = JSON.stringify(a.body);
    expect(body).not.toContain('6222020000000015');
    expect(body).not.toContain('6222020000000031');
    expect(a.body).toMatchObject({ ok: true, value: { replayed: false } });
    // The answer was lost: the same request again.
    const again = await call(h.url, 'members.replaceCard', input);
    expect(again).toMatchObject({ replayed: true, oldCard: { id: cardId, maskedCode: '6222 **** **** 0015', status: 'inactive' }, newCard: { maskedCode: '6222 **** **** 0031', status: 'active' } });
    expectError(await post(h.url, 'members.scan', { raw: '6222020000000015' }), 409, 'CARD_INACTIVE');
    const scan = await call(h.url, 'members.scan', { raw: '6222020000000031' });
    expect(scan.kind === 'member' && scan.member.id).toBe(member.id);
    await call(h.url, 'session.signOut', {});
    expectError(await post(h.url, 'members.replaceCard', { ...input, idempotencyKey: key() }), 401, 'NOT_SIGNED_IN');
  });

  it('treats an empty body as {}', async () => {
    const a = await request(h.url, 'terminal.info', {});
    expect(a.status).toBe(200);
    expect(a.body.ok).toBe(true);
  });
});

describe('bridge binding', () => {
  const dispatch = async () => ({ ok: true as const, value: null });

  it('refuses to bind a non-loopback host', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'example.com']) {
      await expect(startHttpBridge({ dispatch, token: TOKEN, host })).rejects.toThrow(/only binds to loopback/);
    }
  });

  it('binds to 127.0.0.1 by default on a free port', async () => {
    const b = await startHttpBridge({ dispatch, token: TOKEN });
    try {
      expect(b.url).toBe(`http://127.0.0.1:${b.port}`);
      expect(b.port).toBeGreaterThan(0);
    } finally {
      await b.close();
    }
  });
});

describe('headless CLI', () => {
  let dataDir: string;
  let child: ChildProcess | null = null;

  beforeAll(() => {
    dataDir = tempDir('tillsmith-cli-');
  });
  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints its URL, serves the API and exits 0 on SIGTERM', async () => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', 'src-main/terminal/cli.ts', '--data-dir', dataDir, '--port', '0', '--token', 'T', '--seed-members', '20'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
    );
    child = proc;
    let stderr = '';
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));

    // Wait for the line that names the URL (no sleeping): fail at once if the process dies first.
    const url = await new Promise<string>((resolve, reject) => {
      const lines = readline.createInterface({ input: proc.stdout! });
      lines.on('line', (l) => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/.exec(l);
        if (m) resolve(m[1]!);
      });
      void exited.then((e) => reject(new Error(`the CLI exited (${e.code ?? e.signal}) before printing its URL:\n${stderr}`)));
    });

    const a = await request(url, 'terminal.info', { body: '{}', token: 'T' });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ ok: true, value: { storeName: 'Tillsmith Demo Store', dataDir, connectivity: 'standalone' } });
    expect(a.body.ok && typeof (a.body.value as { memberCount: unknown }).memberCount).toBe('number');
    // --seed-members created the demo store: the demo staff are there.
    const staff = await request(url, 'staff.list', { body: '{}', token: 'T' });
    const names = staff.body.ok ? (staff.body.value as { name: string }[]).map((s) => s.name) : [];
    for (const s of DEMO_STAFF) expect(names).toContain(s.name);
    expectError(await request(url, 'terminal.info', { body: '{}', token: 'wrong' }), 401, 'UNAUTHORIZED');

    proc.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(path.join(dataDir, 'terminal.sqlite'))).toBe(true);
  });

  it('refuses a bad port and exits 1', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src-main/terminal/cli.ts', '--data-dir', dataDir, '--port', '70000'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stderr = '';
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toMatch(/--port must be 0\.\.65535/);
  });
});
