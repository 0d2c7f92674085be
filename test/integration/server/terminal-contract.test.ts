import { expect, it } from 'vitest';
import { outboxOps } from '../../../src-main/sync/op-payloads';
import type { SyncOp } from '../../../src-shared/sync/protocol';
import { key, openTestTerminal } from '../../helpers/terminal';
import { describeServer } from './harness';

/**
 * The server accepts what a real terminal (src-main) writes to its outbox: every op of a day's
 * trading is applied, none is rejected or held, and the server's balance equals the terminal's.
 */
describeServer('contract with the terminal outbox', (ctx) => {
  it('applies every op a real terminal queued while trading', async () => {
    const till = await openTestTerminal();
    try {
      await till.signInCashier();
      const approval = await till.managerApproval();
      const m = await till.call('members.register', { idempotencyKey: key(), phone: '13800138123', name: 'Zhang Wei', consentTerms: true, consentMarketing: true, cardCode: '6200000000000013' });
      const sale = await till.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'grocery', quantity: 2, unitPriceMinor: 45000 }], redeemPoints: 0 });
      await till.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'grocery', quantity: 1, unitPriceMinor: 40000 }], redeemPoints: 200 });
      await till.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 1, quantity: 1 }], approval });
      await till.call('members.update', { memberId: m.id, name: 'Zhang Wei 张伟', consentMarketing: false });
      await till.call('points.adjust', { idempotencyKey: key(), memberId: m.id, points: 50, reason: 'goodwill', approval });
      await till.call('members.deactivateCard', { cardCode: '6200000000000013', reason: 'lost' });
      const other = await till.call('members.register', { idempotencyKey: key(), phone: '13800138124', consentTerms: true, consentMarketing: false });
      await till.call('members.erase', { memberId: other.id, approval });

      // The ops exactly as the till's push sends them (payloads built from the sale and entry rows).
      const ops: SyncOp[] = await outboxOps(till.terminal.ctx.db, await till.terminal.ctx.db.selectFrom('outbox').selectAll().orderBy('seq').execute());
      expect(new Set(ops.map((o) => o.kind))).toEqual(new Set(['member', 'card', 'ledger_entry', 'sale', 'refund', 'member_fields', 'audit']));

      const h = ctx.h;
      h.clock.ms = till.clock.now().getTime();
      const server = await h.terminal(undefined, { id: till.terminal.ctx.terminalId });
      server.seq = ops[0]!.seq - 1;
      const res = await server.pushOk(ops);
      const notApplied = res.results.filter((r) => r.status !== 'applied');
      expect(notApplied.map((r) => ({ ...r, kind: ops.find((o) => o.seq === r.seq)!.kind }))).toEqual([]);
      expect(res.ackedThroughSeq).toBe(ops[ops.length - 1]!.seq);
      const local = await till.call('members.get', { memberId: m.id });
      expect(await h.balance(m.id)).toBe(local.balance);
      const row = await h.sdb.db.selectFrom('member').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
      expect([row.name, row.consent_marketing]).toEqual(['Zhang Wei 张伟', 0]);
      expect((await h.sdb.db.selectFrom('card').select('status').executeTakeFirstOrThrow()).status).toBe('inactive');
      expect((await h.sdb.db.selectFrom('member').select(['status', 'phone']).where('id', '=', other.id).executeTakeFirstOrThrow())).toEqual({ status: 'erased', phone: null });
    } finally {
      await till.close();
    }
  });
});
