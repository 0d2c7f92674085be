/**
 * What a till takes reaches head office: a sale's tenders (in the sale's body), every drawer
 * event and the Z report, exactly once however often the push is retried. On SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../../src-main/seed/demo';
import { DEFAULT_TENDER_CONFIG } from '../../../src-shared/tenders/tender-types';
import { TestSyncServer, type Dialect } from '../../helpers/sync-server';
import { syncTill } from '../../helpers/sync-till';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
  cleanup = [];
});

for (const dialect of ['sqlite', 'postgres'] as Dialect[]) {
  describe(`${dialect}: the money a till takes`, () => {
    it('sends the tenders with the sale, each drawer event and the Z once', async () => {
      let ms = Date.parse('2026-06-15T02:00:00.000Z');
      const now = () => (ms += 1000);
      const server = await TestSyncServer.start(dialect, now);
      cleanup.push(() => server.close());
      const till = await syncTill(server, { now, code: await server.enrolmentCode('Binjiang Road') });
      cleanup.push(() => till.close());
      const manager = { staffId: till.approval.staffId, pin: DEMO_STAFF.find((d) => d.role === 'manager')!.pin };
      await till.call('session.signIn', manager);
      await till.call('tenders.setConfig', { config: DEFAULT_TENDER_CONFIG, paymentsAtTill: true });
      await till.call('drawer.open', { idempotencyKey: 'drawer-open-0001', counts: { '10000': 1 } });
      const sale = await till.call('checkout.complete', {
        idempotencyKey: 'sale-key-0001',
        lines: [{ lineNo: 1, category: 'tea', quantity: 1, unitPriceMinor: 6800 }],
        tenders: [{ code: 'WECHAT', amountMinor: 3000, reference: '4200001234567890' }, { code: 'CASH', amountMinor: 5000 }],
      });
      await till.call('drawer.close', { idempotencyKey: 'drawer-close-001', counts: { '10000': 1, '1000': 3, '500': 1, '100': 3 } });
      const z = await till.call('day.close', { idempotencyKey: 'z-report-key-001' });
      // A lost acknowledgement: the same ops are pushed again and change nothing.
      till.link.loseAnswer('/v1/push');
      await till.t.sync.syncNow().catch(() => undefined);
      await till.t.sync.syncNow();
      await till.t.sync.syncNow();

      const body = await server.sdb.db.selectFrom('sale').select('body').where('id', '=', sale.id).executeTakeFirstOrThrow();
      expect((JSON.parse(body.body) as { tenders: unknown[] }).tenders).toEqual(sale.tenders);
      const events = await server.sdb.db.selectFrom('drawer_event').select(['kind', 'amount_minor']).orderBy('at').execute();
      expect(events.map((e) => [e.kind, Number(e.amount_minor)])).toEqual([['open', 10000], ['close', 13800]]);
      const zs = await server.sdb.db.selectFrom('z_report').select(['id', 'z_no', 'hash']).execute();
      expect(zs).toEqual([{ id: z.id, z_no: 1, hash: z.hash }]);
      expect(await till.call('sync.problems', { limit: 10 })).toEqual([]);
    });
  });
}
