import { afterEach, describe, expect, it } from 'vitest';
import { outboxOps } from '../../../src-main/sync/op-payloads';
import { key, openTestTerminal, type TestTerminal } from '../../helpers/terminal';

let t: TestTerminal | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('ops built from the outbox', () => {
  it('send a sale as the checkout answered it and each entry as its row, without a second copy in the outbox', async () => {
    t = await openTestTerminal({ seedMembers: 3 });
    await t.signInCashier();
    const raw = t.terminal.ctx.raw;
    const memberId = raw.prepare('SELECT id FROM member WHERE balance >= 200 LIMIT 1').pluck().get() as string;
    const before = Number(raw.prepare('SELECT coalesce(max(seq), 0) FROM outbox').pluck().get());
    const k = key();
    const sale = await t.call('checkout.complete', { idempotencyKey: k, memberId, lines: [{ lineNo: 1, category: 'grocery', quantity: 2, unitPriceMinor: 5000 }], redeemPoints: 100 });
    // A refund afterwards changes what sales.get shows, not the sale op.
    await t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 1, quantity: 1 }] });

    const rows = await t.terminal.ctx.db.selectFrom('outbox').selectAll().where('seq', '>', before).orderBy('seq').execute();
    const journal = rows.filter((r) => r.kind === 'sale' || r.kind === 'ledger_entry');
    expect(journal.length).toBeGreaterThanOrEqual(3); // the sale, its redemption and its earn (and the refund's entries)
    expect(journal.every((r) => r.payload === null)).toBe(true);

    const ops = await outboxOps(t.terminal.ctx.db, rows);
    const saleOp = ops.find((o) => o.kind === 'sale')!;
    expect(saleOp.payload).toEqual({ ...sale, terminalId: t.terminal.ctx.terminalId, idempotencyKey: k });
    for (const op of ops.filter((o) => o.kind === 'ledger_entry')) {
      expect(op.payload).toEqual(raw.prepare('SELECT * FROM ledger_entry WHERE id = ?').get(op.entityId));
    }
    // Everything else still carries its own payload.
    expect(rows.filter((r) => r.kind === 'refund').every((r) => r.payload !== null)).toBe(true);
  });
});
