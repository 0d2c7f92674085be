import { afterEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../../src-shared/errors/domain-error';
import type { Input, Method, Outputs } from '../../../src-shared/api/contract';
import { SyncNetworkError, createSyncClient } from '../../../src-main/sync/sync-client';
import { DEMO_STAFF } from '../../../src-main/seed/demo';
import { createTerminal, type Terminal } from '../../../src-main/terminal/create-terminal';
import { expectCode, key, tempDir } from '../../helpers/terminal';
import { TestSyncServer } from '../../helpers/sync-server';

/** A till enrolled with the test server whose network can be cut. */
async function till(server: TestSyncServer, opts: { skewMs?: number; now: () => number }) {
  const link = { down: false };
  const t: Terminal = await createTerminal({
    dataDir: tempDir('tillsmith-till-'),
    now: () => new Date(opts.now() + (opts.skewMs ?? 0)),
    pinKdfCost: 1024,
    seedDemo: { members: 0, paymentsAtTill: false },
    startSync: false,
    sync: {
      clientFor: (url) => {
        const inner = createSyncClient({ baseUrl: url, now: () => opts.now() + (opts.skewMs ?? 0) });
        return { post: (p, b, tok) => (link.down ? Promise.reject(new SyncNetworkError('cable unplugged')) : inner.post(p, b, tok)) };
      },
    },
  });
  const call = async <M extends Method>(m: M, input: Input<M>): Promise<Outputs[M]> => {
    const r = await t.dispatch(m, input);
    if (r.ok) return r.value as Outputs[M];
    throw new DomainError(r.error.code, r.error.message, r.error.details ?? {});
  };
  const staff = await call('staff.list', {});
  const id = (role: 'cashier' | 'manager') => staff.find((s) => s.name === DEMO_STAFF.find((d) => d.role === role)!.name)!.id;
  await call('session.signIn', { staffId: id('cashier'), pin: DEMO_STAFF[0].pin });
  const approval = { staffId: id('manager'), pin: DEMO_STAFF.find((d) => d.role === 'manager')!.pin };
  await call('sync.enrol', { serverUrl: server.baseUrl, code: await server.enrolmentCode(), approval });
  return { t, call, link, approval };
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('redemption safety across stores', () => {
  it('online, a hold on the server stops a second store spending the same points', async () => {
    const now = () => Date.parse('2026-06-15T02:00:00.000Z');
    const server = await TestSyncServer.start('sqlite', now);
    const a = await till(server, { now });
    const b = await till(server, { now });
    cleanup.push(() => server.close(), () => a.t.close(), () => b.t.close());
    const m = await a.call('members.register', { idempotencyKey: key(), phone: '13700000001', consentTerms: true, consentMarketing: false });
    await a.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 100000 }], redeemPoints: 0 });
    await a.t.sync.syncNow();
    await b.t.sync.syncNow();
    expect((await b.call('members.get', { memberId: m.id })).balance).toBe(1000);
    // Store A redeems all 1,000 points online: the server holds them first.
    const sale = await a.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 3000 }], redeemPoints: 1000 });
    expect(sale.offline).toBe(false);
    // Store B has not pulled yet and still shows 1,000 locally, but the server refuses the hold.
    const e = await expectCode(b.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 3000 }], redeemPoints: 1000 }), 'INSUFFICIENT_POINTS');
    expect(e.message).toMatch(/another store/);
    expect(b.t.ctx.raw.prepare(`SELECT count(*) FROM ledger_entry WHERE kind = 'redeem'`).pluck().get()).toBe(0);
  });

  it('offline, two stores can overspend within the offline limit; the server records the overdraft and every till sees it', async () => {
    const now = () => Date.parse('2026-06-15T02:00:00.000Z');
    const server = await TestSyncServer.start('sqlite', now);
    const a = await till(server, { now });
    const b = await till(server, { now });
    cleanup.push(() => server.close(), () => a.t.close(), () => b.t.close());
    const m = await a.call('members.register', { idempotencyKey: key(), phone: '13700000002', consentTerms: true, consentMarketing: false });
    await a.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 300000 }], redeemPoints: 0 });
    await a.t.sync.syncNow();
    await b.t.sync.syncNow();
    a.link.down = true;
    b.link.down = true;
    const redeem = (till: typeof a, points: number) =>
      till.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 4000 }], redeemPoints: points, approval: till.approval });
    // The hold cannot be placed: the till notices it is offline and applies the offline limit.
    const sa = await a.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 4000 }], redeemPoints: 2000 });
    expect(sa.offline).toBe(true);
    expect((await a.call('sync.status', {})).state).toBe('offline');
    await expectCode(a.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 4000 }], redeemPoints: 100 }), 'OFFLINE_REDEMPTION_LIMIT');
    const sb = await redeem(b, 2000);
    expect(sb.offline).toBe(true);
    // The line comes back.
    a.link.down = false;
    b.link.down = false;
    await a.t.sync.syncNow();
    await b.t.sync.syncNow();
    await a.t.sync.syncNow();
    const exceptions = await server.sdb.db.selectFrom('overdraft_exception').selectAll().execute();
    expect(exceptions).toHaveLength(1);
    // 3,000 points, A spent 2,000 (+20 earned), then B's 2,000 took the balance to -980.
    expect(Number(exceptions[0]!.shortfall)).toBe(980);
    for (const till of [a, b]) {
      expect((await till.call('members.get', { memberId: m.id })).balance).toBe(3000 + 20 + 20 - 4000);
      expect(till.t.ctx.raw.prepare('SELECT count(*) FROM overdraft_exception').pluck().get()).toBe(1);
    }
  });

  it('a till with a clock hours fast keeps selling, warns the operator, and cannot win profile edits with its future clock', async () => {
    let serverMs = Date.parse('2026-06-15T02:00:00.000Z');
    const now = () => serverMs;
    const server = await TestSyncServer.start('sqlite', now);
    const fast = await till(server, { now, skewMs: 5 * 3_600_000 });
    const good = await till(server, { now });
    cleanup.push(() => server.close(), () => fast.t.close(), () => good.t.close());
    const m = await good.call('members.register', { idempotencyKey: key(), phone: '13700000003', name: 'Original', consentTerms: true, consentMarketing: false });
    await good.t.sync.syncNow();
    await fast.t.sync.syncNow();
    const status = await fast.call('sync.status', {});
    expect(status.clockWarning).toBe(true);
    expect(Math.round((status.clockOffsetMs ?? 0) / 3_600_000)).toBe(-5);
    const sale = await fast.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 1000 }], redeemPoints: 0 });
    expect(sale.earnedPoints).toBe(10);
    // The fast till edits first (its HLC says 5 hours later), the good till edits a minute later.
    await fast.call('members.update', { memberId: m.id, name: 'Fast Clock' });
    await fast.t.sync.syncNow();
    serverMs += 60_000;
    await good.call('members.update', { memberId: m.id, name: 'Real Latest' });
    await good.t.sync.syncNow();
    await fast.t.sync.syncNow();
    const a = await fast.call('members.reveal', { memberId: m.id, approval: fast.approval });
    const b = await good.call('members.reveal', { memberId: m.id, approval: good.approval });
    expect(a.name).toBe('Real Latest');
    expect(b.name).toBe('Real Latest');
  });
});
