/**
 * Staff made or changed on one till, or by head office, reach every till of that store (never
 * another store's): a new cashier signs in at the other till with their PIN, a new PIN replaces
 * the old one everywhere, a deactivated person can sign in nowhere, and when two tills change the
 * same PIN offline the later change wins on both. On SQLite and PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createStaff, updateStaff } from '../../../src-server/services/staff';
import { createUuidV7 } from '../../../src-shared/sync/ids';
import { TestSyncServer, enrolmentCodeFor, type Dialect } from '../../helpers/sync-server';
import { syncTill, type SyncTill } from '../../helpers/sync-till';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
  cleanup = [];
});

const names = async (till: SyncTill) => (await till.call('staff.list', {})).map((s) => s.name).sort();
const signIn = (till: SyncTill, staffId: string, pin: string) => till.call('session.signIn', { staffId, pin });

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe(`${dialect}: staff travel between the tills of a store`, () => {
    it('creates, re-PINs and deactivates on one till or at head office; the other till of the store follows, another store never sees them', async () => {
      let ms = Date.parse('2026-06-15T02:00:00.000Z');
      const now = () => ms;
      const server = await TestSyncServer.start(dialect, now);
      cleanup.push(() => server.close());
      const a = await syncTill(server, { now, code: await server.enrolmentCode('Binjiang Road') });
      const b = await syncTill(server, { now, code: await enrolmentCodeFor(server, a.storeId()) });
      const other = await syncTill(server, { now, code: await server.enrolmentCode('Elsewhere') });
      cleanup.push(() => a.close(), () => b.close(), () => other.close());
      const syncAll = async () => {
        for (const t of [a, b, other]) await t.t.sync.syncNow();
        for (const t of [a, b, other]) await t.t.sync.syncNow();
      };
      await syncAll();
      const demoNames = await names(b);

      // A adds a cashier: B has them after syncing, and they sign in there with their PIN.
      const zhao = await a.call('staff.create', { name: 'Zhao Lei 赵磊', role: 'cashier', pin: '4321', approval: a.approval });
      await syncAll();
      expect(await names(b)).toEqual([...demoNames, 'Zhao Lei 赵磊'].sort());
      expect((await signIn(b, zhao.id, '4321')).staff?.name).toBe('Zhao Lei 赵磊');
      expect(await names(other)).toEqual(demoNames);
      expect(other.t.ctx.raw.prepare('SELECT count(*) FROM staff WHERE id = ?').pluck().get(zhao.id)).toBe(0);

      // B gives them a new PIN: on A the old one no longer works.
      await b.call('staff.changePin', { staffId: zhao.id, newPin: '8642', approval: b.approval });
      await syncAll();
      await expect(signIn(a, zhao.id, '4321')).rejects.toMatchObject({ code: 'INVALID_PIN' });
      expect((await signIn(a, zhao.id, '8642')).staff?.id).toBe(zhao.id);
      // the PIN travelled as its hash only
      const feed = await server.sdb.db.selectFrom('change_feed').select('payload').where('kind', '=', 'staff').execute();
      expect(feed.length).toBeGreaterThan(0);
      // HLCs are left out of the search: their random node id is hex and may hold any four digits.
      expect(JSON.stringify(feed).replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-[0-9a-f]{4}-[0-9a-f]{16}/g, '')).not.toMatch(/8642|4321/);

      // A deactivates them: nowhere can they sign in any more, and at B, where they are still
      // signed in, their next action signs them out and says why.
      await signIn(a, a.approval.staffId, a.approval.pin);
      await a.call('staff.deactivate', { staffId: zhao.id, approval: a.approval });
      expect((await b.call('session.current', {})).staff?.id).toBe(zhao.id);
      await syncAll();
      await expect(b.call('members.find', { query: '1234' })).rejects.toMatchObject({ code: 'NOT_SIGNED_IN', details: { reason: 'staff_deactivated' } });
      expect(await b.call('session.current', {})).toEqual({ staff: null, endedBecause: 'staff_deactivated' });
      for (const t of [a, b]) {
        expect(await names(t)).toEqual(demoNames);
        await expect(signIn(t, zhao.id, '8642')).rejects.toMatchObject({ code: 'STAFF_NOT_FOUND' });
      }
      await signIn(b, b.approval.staffId, b.approval.pin);
      expect(await b.call('session.current', {})).toMatchObject({ staff: { id: b.approval.staffId }, endedBecause: null });

      // Head office adds a manager from the server: both tills of the store can use her approval.
      const newId = createUuidV7({ now, randomBytes: (n) => new Uint8Array(randomBytes(n)) });
      const ma = await createStaff(server.sdb, now, { storeId: a.storeId(), name: 'Ma Lin 马琳', role: 'manager', pin: '2468', newId, pinCost: 1024 });
      await syncAll();
      for (const t of [a, b]) {
        const made = await t.call('staff.create', { name: `Temp ${t === a ? 'A' : 'B'}`, role: 'cashier', pin: '1212', approval: { staffId: ma.id, pin: '2468' } });
        expect(made.role).toBe('cashier');
      }
      expect(await names(other)).toEqual(demoNames);

      // Offline, A and then (a minute later) B change her PIN; B's is the later change and wins on
      // both tills, whichever reaches the server first.
      a.link.down = true;
      b.link.down = true;
      await a.call('staff.changePin', { staffId: ma.id, newPin: '1111', approval: a.approval });
      ms += 60_000;
      await b.call('staff.changePin', { staffId: ma.id, newPin: '2222', approval: b.approval });
      a.link.down = false;
      b.link.down = false;
      await b.t.sync.syncNow();
      await a.t.sync.syncNow();
      await b.t.sync.syncNow();
      for (const t of [a, b]) {
        await expect(signIn(t, ma.id, '1111')).rejects.toMatchObject({ code: 'INVALID_PIN' });
        expect((await signIn(t, ma.id, '2222')).staff?.id).toBe(ma.id);
      }
      // Head office deactivates her: the operator's change wins over what the tills last wrote.
      await updateStaff(server.sdb, now, { staffId: ma.id, active: false });
      await syncAll();
      for (const t of [a, b]) await expect(signIn(t, ma.id, '2222')).rejects.toMatchObject({ code: 'STAFF_NOT_FOUND' });
      for (const t of [a, b, other]) expect((await t.call('sync.status', {})).problems).toBe(0);
    }, 120_000);
  });
}
