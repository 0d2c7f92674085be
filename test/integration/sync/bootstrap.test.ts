/**
 * A new till of a store loads the members from snapshot pages (not the whole change feed), keeps
 * trading meanwhile, resumes where it stopped after a lost answer and a restart, then follows the
 * feed; a till that was away longer than the server keeps its feed is sent back to a snapshot and
 * converges without losing or double-counting its own sales. On SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compactFeed } from '../../../src-server/services/housekeeping';
import { key } from '../../helpers/terminal';
import { TestSyncServer, enrolmentCodeFor, type Dialect } from '../../helpers/sync-server';
import { syncTill, type SyncTill } from '../../helpers/sync-till';

const DAY = 86_400_000;
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
  cleanup = [];
});

const sale = (till: SyncTill, memberId: string, amountMinor: number, redeemPoints = 0) =>
  till.call('checkout.complete', { idempotencyKey: key(), memberId, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: amountMinor }], redeemPoints, approval: till.approval });

/** Every member of the server, as the till holds it: balance, profile, and the tier the other till shows. */
async function expectSameAsServer(server: TestSyncServer, till: SyncTill, other: SyncTill): Promise<void> {
  const members = await server.sdb.db.selectFrom('member').selectAll().execute();
  expect(members.length).toBeGreaterThan(0);
  for (const sm of members) {
    const row = till.t.ctx.raw.prepare('SELECT balance, phone, name, status, merged_into FROM member WHERE id = ?').get(sm.id) as
      | { balance: number; phone: string | null; name: string | null; status: string; merged_into: string | null }
      | undefined;
    expect(row, `member ${sm.id}`).toBeDefined();
    expect({ balance: row!.balance, phone: row!.phone, name: row!.name, status: row!.status, mergedInto: row!.merged_into }, `member ${sm.id}`).toEqual({
      balance: Number(sm.balance),
      phone: sm.phone,
      name: sm.name,
      status: sm.status,
      mergedInto: sm.merged_into,
    });
    if (sm.status !== 'merged') {
      expect((await till.call('members.get', { memberId: sm.id })).tier, `tier of ${sm.id}`).toBe((await other.call('members.get', { memberId: sm.id })).tier);
    }
  }
  expect((await till.call('ledger.verify', {})).ok).toBe(true);
  const status = await till.call('sync.status', {});
  expect([status.pending, status.lastError, status.bootstrap]).toEqual([0, null, null]);
}

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe(`${dialect}: snapshot bootstrap of a till`, () => {
    it('loads the members page by page while trading, resumes after a lost answer and a restart, then follows the feed', async () => {
      let ms = Date.parse('2026-06-15T02:00:00.000Z');
      const now = () => ms;
      const server = await TestSyncServer.start(dialect, now);
      cleanup.push(() => server.close());
      const a = await syncTill(server, { now, code: await server.enrolmentCode('Binjiang Road') });
      cleanup.push(() => a.close());
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const m = await a.call('members.register', {
          idempotencyKey: key(),
          phone: `1370000${String(i).padStart(4, '0')}`,
          name: `会员${i}`,
          consentTerms: true,
          consentMarketing: false,
          ...(i === 2 ? { birthday: '1990-06-01' } : {}),
          ...(i === 1 ? { cardCode: '6200000000000013' } : {}),
        });
        ids.push(m.id);
        await sale(a, m.id, 10_000 * (i + 1));
      }
      // Member 2's birthday bonus is spent to the last point: a till must still never give it twice.
      await sale(a, ids[2]!, 1_000);
      const bal2 = (await a.call('members.get', { memberId: ids[2]! })).balance;
      await sale(a, ids[2]!, 100_000, Math.floor(bal2 / 100) * 100);
      await sale(a, ids[0]!, 50_000, 100);
      await a.t.sync.syncNow();
      ms += 60_000;

      // Till B of the same store: pages of 4 members; the answer to its second page is lost.
      const b0 = await syncTill(server, { now, code: await enrolmentCodeFor(server, a.storeId()), snapshotLimit: 4 });
      b0.link.requests.length = 0;
      b0.link.loseAnswer('/v1/snapshot', 1);
      await b0.t.sync.syncNow();
      const mid = await b0.call('sync.status', {});
      expect(mid.bootstrap).toMatchObject({ membersLoaded: 4 });
      expect(mid.state).toBe('offline');
      // B trades meanwhile: it sells to a member already loaded, and registers someone A knows
      // (member 11, not loaded yet): the server merges the two.
      await sale(b0, ids[0]!, 20_000);
      await b0.call('members.register', { idempotencyKey: key(), phone: '13700000011', consentTerms: true, consentMarketing: false });
      await expect(b0.call('members.get', { memberId: ids[10]! })).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' });
      // A goes on too: a member B has, and one B has not loaded yet.
      await sale(a, ids[1]!, 30_000);
      await sale(a, ids[9]!, 40_000);
      await a.t.sync.syncNow();

      // A restart (what was committed stays): B resumes at member 5, not from the start.
      const b = await b0.reopen();
      cleanup.push(() => b.close());
      expect((await b.call('sync.status', {})).bootstrap).toMatchObject({ membersLoaded: 4 });
      await b.t.sync.syncNow();
      await a.t.sync.syncNow();
      await b.t.sync.syncNow();

      const snapshots = b.link.requests.filter((r) => r.path === '/v1/snapshot');
      expect(snapshots.map((r) => r.body.after ?? '')).toEqual(['', ids[3], ids[3], ids[7], ids[11]]);
      const pulls = b.link.requests.filter((r) => r.path === '/v1/pull');
      expect(pulls[0]!.body.cursor).toBe(snapshots[1]!.body.upperCursor); // the feed from the snapshot, never from 0
      expect(Number(pulls[0]!.body.cursor)).toBeGreaterThan(0);
      await expectSameAsServer(server, b, a);
      await expectSameAsServer(server, a, b);
      const merged = await server.sdb.db.selectFrom('member').select(['id', 'merged_into']).where('status', '=', 'merged').execute();
      expect(merged.map((m) => m.merged_into)).toEqual([ids[11]]);
      expect(b.t.ctx.raw.prepare('SELECT count(*) FROM snapshot_range').pluck().get()).toBe(0);
      expect((await b.call('members.find', { query: '6200000000000013' }))[0]?.id).toBe(ids[1]);
      // The birthday bonus was spent before B loaded member 2: B still knows it was given.
      const again = await sale(b, ids[2]!, 1_000);
      expect(again.bonuses).toEqual([]);
    }, 120_000);

    it('sends a till that was away longer than the feed is kept back to a snapshot; it keeps its own sales', async () => {
      let ms = Date.parse('2026-06-15T02:00:00.000Z');
      const now = () => ms;
      const server = await TestSyncServer.start(dialect, now);
      cleanup.push(() => server.close());
      const a = await syncTill(server, { now, code: await server.enrolmentCode('Xihu') });
      cleanup.push(() => a.close());
      const b = await syncTill(server, { now, code: await enrolmentCodeFor(server, a.storeId()), snapshotLimit: 3 });
      cleanup.push(() => b.close());
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const m = await a.call('members.register', { idempotencyKey: key(), phone: `1380000${String(i).padStart(4, '0')}`, consentTerms: true, consentMarketing: false });
        ids.push(m.id);
        await sale(a, m.id, 20_000);
      }
      await a.t.sync.syncNow();
      await b.t.sync.syncNow();
      await sale(b, ids[0]!, 5_000);
      await b.t.sync.syncNow();
      expect((await b.call('members.get', { memberId: ids[0]! })).balance).toBe(250);

      // B is switched off for four months; the store goes on without it.
      b.link.down = true;
      await b.t.sync.syncNow(); // it notices
      const offline = await sale(b, ids[1]!, 7_000); // its last sale before it went dark
      expect(offline.offline).toBe(true);
      await sale(a, ids[0]!, 10_000, 100);
      await sale(a, ids[1]!, 10_000);
      await a.call('members.update', { memberId: ids[2]!, name: 'Renamed at A' });
      await a.t.sync.syncNow();
      ms += 120 * DAY;
      await sale(a, ids[3]!, 10_000);
      await a.t.sync.syncNow();
      const compacted = await compactFeed(server.sdb, now, { olderThanDays: 90 });
      expect(compacted.terminalsBehind).toBe(1);

      b.link.down = false;
      b.link.requests.length = 0;
      await b.t.sync.syncNow();
      const asked = b.link.requests.map((r) => r.path);
      expect(asked.slice(0, 3)).toEqual(['/v1/push', '/v1/pull', '/v1/snapshot']); // 410, then a snapshot
      await a.t.sync.syncNow();
      await b.t.sync.syncNow();
      await expectSameAsServer(server, b, a);
      // its own sales are still its own (made here, pushed, counted once)
      expect(b.t.ctx.raw.prepare(`SELECT count(*) FROM sale`).pluck().get()).toBe(2);
      expect((await b.call('members.get', { memberId: ids[1]! })).balance).toBe(200 + 70 + 100);
      expect((await b.call('members.reveal', { memberId: ids[2]!, approval: b.approval })).name).toBe('Renamed at A');
    }, 120_000);
  });
}
