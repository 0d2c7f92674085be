import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, MAX_PUSH_OPS, SYNC_PROTOCOL_VERSION, type SyncErrorBody } from '../../../src-shared/sync/protocol';
import { startServer } from '../../../src-server/server';
import { openServerDatabase } from '../../../src-server/db/database';
import { ADMIN_TOKEN, describeServer, FakeTerminal } from './harness';

const isoRe = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function expectError(r: { status: number; body: unknown }, status: number, code: string): SyncErrorBody {
  const b = r.body as SyncErrorBody;
  expect({ status: r.status, code: b?.error?.code }).toEqual({ status, code });
  expect(b.serverTime).toMatch(isoRe);
  expect(typeof b.error.message).toBe('string');
  return b;
}

describeServer('enrolment, authentication and bad input', (ctx) => {
  const enrol = (code: string, terminalId: string, extra: Record<string, unknown> = {}) =>
    ctx.h.request<{ token: string; storeId: string; storeName: string; timeZone: string; serverTime: string }>('POST', '/v1/enrol', {
      body: { protocolVersion: SYNC_PROTOCOL_VERSION, code, terminalId, appVersion: '0.1.0', ...extra },
    });

  it('exchanges a one-time code for a high-entropy token stored only as hashes', async () => {
    const h = ctx.h;
    const store = await h.store('Binjiang Road');
    const code = await h.code(store);
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const t = new FakeTerminal(h, store);
    const r = await enrol(code.toLowerCase(), t.id); // codes are case-insensitive
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ storeId: store, storeName: 'Binjiang Road', timeZone: 'Asia/Shanghai' });
    expect(r.body.serverTime).toMatch(isoRe);
    expect(Buffer.from(r.body.token, 'base64url')).toHaveLength(32);
    // Neither the token nor the code is stored in clear.
    const row = await h.sdb.db.selectFrom('terminal').selectAll().where('id', '=', t.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(r.body.token);
    const codes = await h.sdb.db.selectFrom('enrolment_code').selectAll().execute();
    expect(JSON.stringify(codes)).not.toContain(code);
    expect(codes[0]!.used_by).toBe(t.id);
    // Single use: another terminal cannot use it.
    expectError(await enrol(code, new FakeTerminal(h, store).id), 401, 'ENROLMENT_CODE_INVALID');
    // The token works.
    t.token = r.body.token;
    expect((await t.pull()).status).toBe(200);
  });

  it('refuses unknown and expired codes, and a terminal id that is already enrolled', async () => {
    const h = ctx.h;
    const store = await h.store();
    const t = new FakeTerminal(h, store);
    expect(expectError(await enrol('AAAAA-BBBBB-CCCCC', t.id), 401, 'ENROLMENT_CODE_INVALID').error.details).toEqual({ reason: 'unknown' });
    const code = await h.code(store, 1);
    h.clock.advance(3_600_001);
    expect(expectError(await enrol(code, t.id), 401, 'ENROLMENT_CODE_INVALID').error.details).toEqual({ reason: 'expired' });
    const enrolled = await h.terminal(store);
    const again = await enrol(await h.code(store), enrolled.id);
    expect(expectError(again, 409, 'ENROLMENT_CODE_INVALID').error.details).toEqual({ reason: 'terminal_already_enrolled' });
    expect(await h.count('terminal')).toBe(1);
  });

  it('answers a retried enrolment (lost answer) with a fresh token until the first sync', async () => {
    const h = ctx.h;
    const store = await h.store();
    const code = await h.code(store);
    const t = new FakeTerminal(h, store);
    const first = await enrol(code, t.id);
    const second = await enrol(code, t.id);
    expect(second.status).toBe(200);
    expect(second.body.token).not.toBe(first.body.token);
    t.token = first.body.token;
    expectError(await t.pull(), 401, 'UNAUTHORIZED');
    t.token = second.body.token;
    expect((await t.pull()).status).toBe(200);
    expectError(await enrol(code, t.id), 401, 'ENROLMENT_CODE_INVALID');
  });

  it('authenticates every call: missing, unknown and revoked tokens', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const m = t.member('+8613800000001');
    const pushBody = t.pushBody([m.op]);
    expectError(await h.request('POST', '/v1/push', { body: pushBody }), 401, 'UNAUTHORIZED');
    expectError(await h.request('POST', '/v1/push', { token: 'x'.repeat(43), body: pushBody }), 401, 'UNAUTHORIZED');
    expectError(await h.request('POST', '/v1/push', { body: pushBody, headers: { authorization: 'Basic abc' } }), 401, 'UNAUTHORIZED');
    expect(await h.count('member')).toBe(0);

    const revoked = await h.admin<{ terminalId: string; revokedAt: string }>('POST', `/admin/terminals/${t.id}/revoke`);
    expect(revoked.status).toBe(200);
    expectError(await t.push([m.op]), 401, 'TOKEN_REVOKED');
    expectError(await t.pull(), 401, 'TOKEN_REVOKED');
    expectError(await h.request('POST', '/v1/holds', { token: t.token, body: { holdId: t.newId(), memberId: m.id, points: 100, receiptRef: 'r1' } }), 401, 'TOKEN_REVOKED');
    expect(await h.count('member')).toBe(0);
    // A revoked terminal cannot come back with a new code under the same id.
    const again = await enrol(await h.code(t.storeId), t.id);
    expect(expectError(again, 409, 'ENROLMENT_CODE_INVALID').error.details).toEqual({ reason: 'terminal_revoked' });
  });

  it('refuses a token used for another terminal (forged terminalId) and changes nothing', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal();
    const m = b.member('+8613800000002');
    // a's token, b's id and b's ops
    const r = await h.request('POST', '/v1/push', { token: a.token, body: b.pushBody([m.op]) });
    expectError(r, 403, 'FORBIDDEN');
    expectError(await h.request('POST', '/v1/pull', { token: a.token, body: { protocolVersion: 1, terminalId: b.id, cursor: '0' } }), 403, 'FORBIDDEN');
    expectError(await h.request('POST', '/v1/holds', { token: a.token, body: { holdId: a.newId(), memberId: m.id, points: 1, receiptRef: 'x', terminalId: b.id } }), 403, 'FORBIDDEN');
    expect(await h.count('member')).toBe(0);
    expect(await h.count('push_result')).toBe(0);
    expect(await h.feedHead()).toBe(0);
    // An entry that names another terminal inside a terminal's own batch is rejected (acknowledged, not applied).
    const mine = a.member('+8613800000003');
    const forged = a.entryOp(a.entry(mine.id, 'earn', 10, { terminal_id: b.id }));
    const res = await a.pushOk([mine.op, forged]);
    expect(res.results[1]).toMatchObject({ status: 'rejected' });
    expect(res.results[1]!.reason).toMatch(/^terminal_mismatch/);
    expect(await h.count('ledger_entry')).toBe(0);
  });

  it('refuses a future protocol version before anything else, on every endpoint', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const m = t.member('+8613800000004');
    const future = SYNC_PROTOCOL_VERSION + 1;
    const p = await h.request('POST', '/v1/push', { token: t.token, body: { ...t.pushBody([m.op]), protocolVersion: future, ops: 'a newer shape' } });
    expect(expectError(p, 400, 'PROTOCOL_VERSION_UNSUPPORTED').error.details).toEqual({ requested: future, supported: [1, 2, SYNC_PROTOCOL_VERSION] });
    expectError(await t.pull('0', 500, { protocolVersion: future }), 400, 'PROTOCOL_VERSION_UNSUPPORTED');
    expectError(await enrol(await h.code(t.storeId), t.newId(), { protocolVersion: future }), 400, 'PROTOCOL_VERSION_UNSUPPORTED');
    expectError(await h.request('POST', '/v1/holds', { token: t.token, body: { holdId: t.newId(), memberId: m.id, points: 1, receiptRef: 'x', protocolVersion: future } }), 400, 'PROTOCOL_VERSION_UNSUPPORTED');
    expect(await h.count('member')).toBe(0);
    expect(await h.count('terminal')).toBe(1);
  });

  it('refuses malformed JSON, other media types and empty bodies', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    expectError(await h.request('POST', '/v1/push', { token: t.token, raw: '{"protocolVersion":1,"ops":[' }), 400, 'INVALID_REQUEST');
    expectError(await h.request('POST', '/v1/push', { token: t.token, raw: '{"__proto__":{"x":1}}' }), 400, 'INVALID_REQUEST');
    expectError(await h.request('POST', '/v1/push', { token: t.token, raw: 'ops=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'INVALID_REQUEST');
    expectError(await h.request('POST', '/v1/push', { token: t.token, raw: '' }), 400, 'INVALID_REQUEST');
    expectError(await h.request('POST', '/v1/pull', { token: t.token }), 400, 'INVALID_REQUEST');
    expectError(await h.request('GET', '/v1/nothing-here'), 404, 'INVALID_REQUEST');
  });

  it('refuses schema violations with the issues, and stores nothing', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const m = t.member('+8613800000005');
    const bad = [
      { ...t.pushBody([]) },
      { ...t.pushBody([m.op]), terminalId: 'not-a-uuid' },
      { ...t.pushBody([{ ...m.op, seq: 0 }]) },
      { ...t.pushBody([{ ...m.op, hlc: '2026-11-20' }]) },
      { ...t.pushBody([{ ...m.op, opId: 'x' }]) },
      { ...t.pushBody(Array.from({ length: MAX_PUSH_OPS + 1 }, (_, i) => ({ ...m.op, seq: i + 1, opId: t.newId() }))) },
      { ...t.pushBody([m.op]), protocolVersion: '1' },
      [m.op],
    ];
    for (const body of bad) {
      const r = await h.request<SyncErrorBody>('POST', '/v1/push', { token: t.token, body });
      expectError(r, 400, 'INVALID_REQUEST');
    }
    const issues = (await h.request<SyncErrorBody>('POST', '/v1/push', { token: t.token, body: t.pushBody([]) })).body.error.details!.issues as { path: string }[];
    expect(issues[0]!.path).toBe('ops');
    expectError(await t.pull('-1'), 400, 'INVALID_REQUEST');
    expectError(await t.pull('0', 2001), 400, 'INVALID_REQUEST');
    expectError(await t.pull('abc'), 400, 'INVALID_REQUEST');
    // the same seq twice in one batch
    const twice = await t.push([m.op, { ...m.op, opId: t.newId() }]);
    expectError(twice, 400, 'INVALID_REQUEST');
    expect(await h.count('member')).toBe(0);
    expect(await h.count('push_result')).toBe(0);
    expect(await h.feedHead()).toBe(0);
  });

  it('refuses an oversized body with 413 PAYLOAD_TOO_LARGE', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const m = t.member('+8613800000006');
    const big = { ...t.pushBody([{ ...m.op, payload: { ...(m.op.payload as object), padding: 'x'.repeat(MAX_BODY_BYTES) } }]) };
    expectError(await h.request('POST', '/v1/push', { token: t.token, body: big }), 413, 'PAYLOAD_TOO_LARGE');
    expect(await h.count('member')).toBe(0);
  });

  it('rate-limits per terminal and per address (token bucket) with 429 RATE_LIMITED', async () => {
    const h = ctx.h;
    h.rateLimits = { terminal: { burst: 3, perSecond: 1 }, ip: { burst: 1000, perSecond: 1000 }, enrol: { burst: 100, perSecond: 100 } };
    await h.rebuild();
    const t = await h.terminal();
    const u = await h.terminal(t.storeId);
    for (let i = 0; i < 3; i++) expect((await t.pull()).status).toBe(200);
    const r = await t.pull();
    const b = expectError(r, 429, 'RATE_LIMITED');
    expect(b.error.details).toEqual({ retryAfterMs: 1000 });
    expect(r.headers['retry-after']).toBe('1');
    expect((await u.pull()).status).toBe(200); // another terminal has its own bucket
    h.clock.advance(1000);
    expect((await t.pull()).status).toBe(200);

    h.rateLimits = { terminal: { burst: 100, perSecond: 100 }, ip: { burst: 2, perSecond: 1 }, enrol: { burst: 1, perSecond: 0.01 } };
    await h.rebuild();
    expect((await h.request('GET', '/v1/status')).status).toBe(200);
    expect((await h.request('POST', '/v1/enrol', { body: {} })).status).toBe(400);
    expectError(await h.request('GET', '/v1/status'), 429, 'RATE_LIMITED');
    h.clock.advance(1000);
    // the enrolment bucket (guessing codes) is much smaller than the address bucket
    expectError(await h.request('POST', '/v1/enrol', { body: {} }), 429, 'RATE_LIMITED');
  });

  it('protects the admin endpoints with the admin token', async () => {
    const h = ctx.h;
    expectError(await h.request('GET', '/admin/terminals'), 401, 'UNAUTHORIZED');
    expectError(await h.request('GET', '/admin/terminals', { token: 'wrong' }), 401, 'UNAUTHORIZED');
    expectError(await h.request('POST', '/v1/push', { token: ADMIN_TOKEN, body: {} }), 401, 'UNAUTHORIZED');
    expectError(await h.admin('POST', '/admin/stores', { name: 'X', timeZone: 'Mars/Olympus' }), 400, 'INVALID_REQUEST');
    expectError(await h.admin('POST', '/admin/stores', { name: '' }), 400, 'INVALID_REQUEST');
    expectError(await h.admin('POST', `/admin/stores/${'0'.repeat(8)}/enrolment-codes`, {}), 404, 'INVALID_REQUEST');
    const id = await h.store('Listed');
    expectError(await h.admin('POST', `/admin/stores/${id}/enrolment-codes`, { ttlHours: -1 }), 400, 'INVALID_REQUEST');
    const stores = await h.admin<{ stores: { id: string; name: string; timeZone: string }[]; serverTime: string }>('GET', '/admin/stores');
    expect(stores.body.stores).toEqual([expect.objectContaining({ id, name: 'Listed', timeZone: 'Asia/Shanghai' })]);
    expectError(await h.admin('POST', `/admin/terminals/${id}/revoke`), 404, 'INVALID_REQUEST');
    h.adminToken = null;
    await h.rebuild();
    expectError(await h.request('GET', '/admin/terminals', { token: ADMIN_TOKEN }), 403, 'FORBIDDEN');
  });

  it('lists terminals with last seen, clock offset and acknowledged seq; every answer has serverTime', async () => {
    const h = ctx.h;
    const t = await h.terminal(undefined, { name: 'till 1' });
    const status = await h.request<{ serverTime: string; protocolVersion: number }>('GET', '/v1/status');
    expect(status.body).toMatchObject({ protocolVersion: 3, supportedProtocolVersions: [1, 2, 3], serverTime: h.clock.iso() });
    const m = t.member('+8613800000007');
    // the till's clock is 90 s behind the server's
    const res = await t.push([m.op], { sentAt: new Date(h.clock.now() - 90_000).toISOString() });
    expect(res.body.serverTime).toBe(h.clock.iso());
    const list = await h.admin<{ terminals: { id: string; name: string; lastSeenAt: string; clockOffsetMs: number; lastAckedSeq: number; status: string }[]; serverTime: string }>(
      'GET',
      '/admin/terminals',
    );
    expect(list.body.serverTime).toBe(h.clock.iso());
    expect(list.body.terminals).toEqual([
      expect.objectContaining({ id: t.id, name: 'till 1', status: 'active', lastSeenAt: h.clock.iso(), clockOffsetMs: 90_000, lastAckedSeq: 1 }),
    ]);
    const pulled = await t.pull('0', 10, { sentAt: new Date(h.clock.now() + 5_000).toISOString() });
    expect(pulled.body.serverTime).toBe(h.clock.iso());
    const after = await h.admin<{ terminals: { clockOffsetMs: number }[] }>('GET', '/admin/terminals');
    expect(after.body.terminals[0]!.clockOffsetMs).toBe(-5_000);
  });
});

describe('server process', () => {
  it('serves real HTTP on loopback and refuses an oversized body by its length', async () => {
    const sdb = await openServerDatabase('sqlite::memory:');
    const server = await startServer({ databaseUrl: 'unused', sdb, port: 0, rateLimits: false });
    try {
      const status = await fetch(`${server.url}/v1/status`);
      expect(status.status).toBe(200);
      expect(((await status.json()) as { database: string }).database).toBe('sqlite');
      const big = await fetch(`${server.url}/v1/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
        body: JSON.stringify({ padding: 'x'.repeat(MAX_BODY_BYTES + 10) }),
      });
      expect(big.status).toBe(413);
      expect(((await big.json()) as SyncErrorBody).error.code).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      await server.close();
      await sdb.close();
    }
  });

  it('fails clearly on a database URL it does not understand', async () => {
    await expect(openServerDatabase('mysql://x')).rejects.toThrow(/unsupported database URL/);
  });
});
