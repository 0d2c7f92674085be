import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../../src-main/seed/demo';
import { DEFAULT_TENDER_CONFIG } from '../../../src-shared/tenders/tender-types';
import { expectCode, key, openTestTerminal, type TestTerminal } from '../../helpers/terminal';

let t: TestTerminal;
beforeEach(async () => {
  t = await openTestTerminal();
  await t.signInCashier();
});
afterEach(() => t.close());

const raw = () => t.terminal.ctx.raw;
const line = (unitPriceMinor: number, category = 'grocery', lineNo = 1) => ({ lineNo, category, quantity: 1, unitPriceMinor });
const signInManager = async () => t.call('session.signIn', { staffId: await t.staffId('manager'), pin: DEMO_STAFF.find((s) => s.role === 'manager')!.pin });
const takeMoney = async (cashRounding: '0.10' | 'none' = 'none') => {
  await signInManager();
  await t.call('tenders.setConfig', { config: { ...DEFAULT_TENDER_CONFIG, cashRounding }, paymentsAtTill: true });
  await t.signInCashier();
};
const openDrawer = (counts: Record<string, number> = { '10000': 2, '1000': 5 }) => t.call('drawer.open', { idempotencyKey: key(), counts });

describe('tenders at checkout', () => {
  it('refuses a sale the tenders do not cover, a cash tender with no drawer, a missing reference, change from a card; saves nothing', async () => {
    await takeMoney();
    const sales = () => raw().prepare('SELECT count(*) FROM sale').pluck().get();
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), lines: [line(5000)] }), 'TENDER_SHORT');
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), lines: [line(5000)], tenders: [{ code: 'WECHAT', amountMinor: 4000, reference: '4200001234567890' }] }), 'TENDER_SHORT');
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), lines: [line(5000)], tenders: [{ code: 'CASH', amountMinor: 10000 }] }), 'DRAWER_NOT_OPEN');
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), lines: [line(5000)], tenders: [{ code: 'CARD', amountMinor: 5000 }] }), 'TENDER_REFERENCE_REQUIRED');
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), lines: [line(5000)], tenders: [{ code: 'CARD', amountMinor: 6000, reference: '1234' }] }), 'TENDER_NO_CHANGE');
    expect(sales()).toBe(0);
  });

  it('splits across points, WeChat Pay and cash with change, rounds the cash part, and keeps the tenders with the sale', async () => {
    await takeMoney('0.10');
    await openDrawer();
    const m = (await t.call('members.register', { idempotencyKey: key(), phone: '13800138000', consentTerms: true, consentMarketing: false })).id;
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: [line(200000)], tenders: [{ code: 'ALIPAY', amountMinor: 200000, reference: '2026120722001' }] });
    const k = key();
    const input = {
      idempotencyKey: k,
      memberId: m,
      lines: [line(12734)],
      redeemPoints: 500,
      tenders: [
        { code: 'WECHAT', amountMinor: 5000, reference: '4200001234567890' },
        { code: 'CASH', amountMinor: 10000 },
      ],
    };
    const sale = await t.call('checkout.complete', input);
    const due = sale.paidMinor;
    const cashDue = Math.floor((due - 5000 + 5) / 10) * 10;
    expect(sale.roundingMinor).toBe(cashDue - (due - 5000));
    expect(sale.changeMinor).toBe(10000 - cashDue);
    expect(sale.tenders.map((x) => [x.code, x.amountMinor])).toEqual([['WECHAT', 5000], ['CASH', cashDue]]);
    expect(sale.tenders.reduce((a, x) => a + x.amountMinor, 0)).toBe(due + sale.roundingMinor);
    // Read back and replayed: the same tenders.
    expect((await t.call('sales.get', { saleId: sale.id })).tenders).toEqual(sale.tenders);
    const again = await t.call('checkout.complete', input);
    expect(again.replayed).toBe(true);
    expect(again.tenders).toEqual(sale.tenders);
    expect(raw().prepare('SELECT count(*) FROM sale').pluck().get()).toBe(2);
  });
});

describe('the cash drawer', () => {
  it('opens with a counted float, takes pay-ins and pay-outs with a manager, pick-ups, and closes blind with the over/short', async () => {
    await takeMoney();
    await expectCode(t.call('drawer.close', { idempotencyKey: key(), counts: {} }), 'DRAWER_NOT_OPEN');
    await expectCode(t.call('drawer.open', { idempotencyKey: key(), counts: { '10000': -1 } }), 'DRAWER_COUNT_INVALID');
    await expectCode(t.call('drawer.open', { idempotencyKey: key(), counts: { '10000': 1.5 } }), 'DRAWER_COUNT_INVALID');
    const opened = await openDrawer(); // 250.00
    expect(opened.amountMinor).toBe(25000);
    await expectCode(openDrawer(), 'DRAWER_ALREADY_OPEN');
    const status = await t.call('drawer.status', {});
    expect(status).toMatchObject({ status: 'open', sessionId: opened.id, canTakeCash: true });
    expect(JSON.stringify(status)).not.toMatch(/expected/i);

    await t.call('checkout.complete', { idempotencyKey: key(), lines: [line(3750)], tenders: [{ code: 'CASH', amountMinor: 5000 }] }); // +37.50
    await t.call('checkout.complete', { idempotencyKey: key(), lines: [line(2000)], tenders: [{ code: 'CARD', amountMinor: 2000, reference: '4321' }] });
    const approval = await t.managerApproval();
    await t.call('drawer.payIn', { idempotencyKey: key(), amountMinor: 1000, reason: 'coins from the bank', approval });
    await t.call('drawer.payOut', { idempotencyKey: key(), amountMinor: 500, reason: 'window cleaner', approval });
    await expectCode(t.call('drawer.payOut', { idempotencyKey: key(), amountMinor: 1_000_000, reason: 'too much', approval }), 'DRAWER_CASH_INSUFFICIENT');
    await t.call('drawer.pickup', { idempotencyKey: key(), counts: { '10000': 1 } });
    await t.call('drawer.noSale', { idempotencyKey: key(), reason: 'change for the next shop', approval });
    // expected = 250 + 37.50 + 10 − 5 − 100 = 192.50; counted 190.00: short 2.50
    const close = await t.call('drawer.close', { idempotencyKey: key(), counts: { '10000': 1, '5000': 1, '1000': 4 } });
    expect(close).toMatchObject({ countedMinor: 19000, expectedMinor: 19250, overShortMinor: -250 });
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), lines: [line(100)], tenders: [{ code: 'CASH', amountMinor: 100 }] }), 'DRAWER_NOT_OPEN');
    const actions = raw().prepare(`SELECT action FROM audit_log WHERE action LIKE 'drawer.%' ORDER BY seq`).pluck().all();
    expect(actions).toEqual(['drawer.open', 'drawer.pay_in', 'drawer.pay_out', 'drawer.pickup', 'drawer.no_sale', 'drawer.close']);
    expect(() => raw().prepare(`UPDATE drawer_event SET amount_minor = 0`).run()).toThrow(/immutable/);
    expect(raw().prepare(`SELECT count(*) FROM outbox WHERE kind = 'drawer_event'`).pluck().get()).toBe(6);
  });

  it('a retried drawer operation returns the first answer and records one event', async () => {
    await takeMoney();
    const k = key();
    const a = await t.call('drawer.open', { idempotencyKey: k, counts: { '1000': 10 } });
    const b = await t.call('drawer.open', { idempotencyKey: k, counts: { '1000': 10 } });
    expect(b).toMatchObject({ id: a.id, replayed: true });
    expect(raw().prepare('SELECT count(*) FROM drawer_event').pluck().get()).toBe(1);
  });

  it('a cashier may not pay out without a manager', async () => {
    await takeMoney();
    await openDrawer();
    await expectCode(t.call('drawer.payOut', { idempotencyKey: key(), amountMinor: 100, reason: 'x', approval: { staffId: await t.staffId('cashier'), pin: DEMO_STAFF[0].pin } }), 'MANAGER_PIN_REQUIRED');
  });
});

describe('refunds to tenders', () => {
  it('go back to the original tenders in proportion; to cash only with a manager; above the threshold with a manager and a reason', async () => {
    await takeMoney();
    await openDrawer({ '10000': 2 });
    const sale = await t.call('checkout.complete', {
      idempotencyKey: key(),
      lines: [line(20000, 'tea', 1), line(20000, 'tea', 2)],
      tenders: [{ code: 'WECHAT', amountMinor: 30000, reference: '4200001234' }, { code: 'CASH', amountMinor: 10000 }],
    });
    const approval = await t.managerApproval();
    await expectCode(t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 1, quantity: 1 }], toCash: true }), 'MANAGER_PIN_REQUIRED');
    const first = await t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 1, quantity: 1 }] });
    expect(first.tenders.map((x) => [x.code, x.amountMinor])).toEqual([['WECHAT', 15000], ['CASH', 5000]]);
    expect(first.approvedBy).toBe(null);
    // The second takes the sale's refunds above 200.00: a manager and a reason.
    await expectCode(t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 2, quantity: 1 }] }), 'MANAGER_PIN_REQUIRED');
    await expectCode(t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 2, quantity: 1 }], approval }), 'INVALID_INPUT');
    const second = await t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 2, quantity: 1 }], approval, reason: 'damaged tin', toCash: true });
    // To cash: the WeChat part comes out of the drawer too, which holds 200 + 100 − 50 = 250.00.
    expect(second.tenders.reduce((a, x) => a + x.amountMinor, 0)).toBe(20000);
    expect(second.tenders.every((x) => x.code === 'CASH')).toBe(true);
    expect(second).toMatchObject({ approvedBy: approval.staffId, reason: 'damaged tin' });
    await signInManager();
    const x = await t.call('reports.x', {});
    expect(x.drawers[0]).toMatchObject({ floatMinor: 20000, cashSalesMinor: 10000, cashRefundsMinor: 25000, expectedMinor: 5000 });
  });

  it('refuses a cash refund larger than the drawer holds, and saves nothing', async () => {
    await takeMoney();
    await openDrawer({ '1000': 1 });
    const sale = await t.call('checkout.complete', { idempotencyKey: key(), lines: [line(5000)], tenders: [{ code: 'CARD', amountMinor: 5000, reference: '9876' }] });
    await expectCode(t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 1, quantity: 1 }], toCash: true, approval: await t.managerApproval() }), 'DRAWER_CASH_INSUFFICIENT');
    expect(raw().prepare('SELECT count(*) FROM refund').pluck().get()).toBe(0);
  });
});

describe('X and Z', () => {
  it('X changes nothing; Z closes the day once, numbered and chained; later sales belong to the next day', async () => {
    await takeMoney();
    await openDrawer({ '1000': 10 });
    const s1 = await t.call('checkout.complete', { idempotencyKey: key(), lines: [line(3000, 'tea')], tenders: [{ code: 'CASH', amountMinor: 5000 }] });
    await t.call('checkout.complete', { idempotencyKey: key(), lines: [line(2000, 'snacks')], tenders: [{ code: 'WECHAT', amountMinor: 2000, reference: '4200009999' }] });
    const approval = await t.managerApproval();
    await t.call('refunds.create', { idempotencyKey: key(), saleId: s1.id, lines: [{ lineNo: 1, quantity: 1 }], approval });
    await signInManager();
    const before = raw().prepare('SELECT count(*) FROM audit_log').pluck().get();
    const x = await t.call('reports.x', {});
    expect(raw().prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(before);
    expect(x).toMatchObject({ kind: 'x', zNo: null, sales: { count: 2, paidMinor: 5000 }, refunds: { count: 1, amountMinor: 3000 }, netMinor: 2000 });
    expect(x.tenders.map((r) => [r.code, r.salesMinor])).toEqual([['CASH', 3000], ['WECHAT', 2000]]);
    expect(x.categories.map((c) => c.category).sort()).toEqual(['snacks', 'tea']);
    expect(x.drawers).toHaveLength(1);
    // The cash sale's refund came out of the drawer.
    expect(x.drawers[0]).toMatchObject({ floatMinor: 10000, cashSalesMinor: 3000, cashRefundsMinor: 3000, expectedMinor: 10000, countedMinor: null });
    expect(x.refundList).toHaveLength(1);
    expect(x.refundList[0]!.approvedBy).toBe(approval.staffId);

    await expectCode(t.call('day.close', { idempotencyKey: key() }), 'Z_DRAWER_OPEN');
    await t.call('drawer.close', { idempotencyKey: key(), counts: { '1000': 10 } });
    const zKey = key();
    const z = await t.call('day.close', { idempotencyKey: zKey });
    expect(z).toMatchObject({ kind: 'z', zNo: 1, businessDate: x.businessDate, netMinor: 2000, grandTotalMinor: 2000 });
    expect(z.drawers[0]).toMatchObject({ countedMinor: 10000, overShortMinor: 0 });
    expect((await t.call('day.close', { idempotencyKey: zKey })).replayed).toBe(true);
    // The next sale belongs to the day after, though the calendar has not moved.
    await t.signInCashier();
    const after = await t.call('checkout.complete', { idempotencyKey: key(), lines: [line(1000)], tenders: [{ code: 'ALIPAY', amountMinor: 1000, reference: '2026120788' }] });
    expect(after.businessDate > z.businessDate).toBe(true);
    await signInManager();
    const z2 = await t.call('day.close', { idempotencyKey: key() });
    expect(z2).toMatchObject({ zNo: 2, netMinor: 1000, grandTotalMinor: 3000 });
    const rows = raw().prepare('SELECT z_no, prev_hash, hash FROM z_report ORDER BY z_no').all() as { prev_hash: string; hash: string }[];
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(() => raw().prepare('DELETE FROM z_report').run()).toThrow(/immutable/);
    expect((await t.call('reports.zList', { limit: 5 })).map((r) => r.zNo)).toEqual([2, 1]);
  });

  it('keeps the day summary equal to the rows, for any sequence of sales and refunds', async () => {
    await takeMoney();
    await openDrawer({ '10000': 50 });
    const codes = ['CASH', 'WECHAT', 'ALIPAY', 'CARD'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ price: fc.integer({ min: 1, max: 50000 }), tender: fc.constantFrom(...codes), category: fc.constantFrom('tea', 'snacks', 'grocery'), refund: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        async (ops) => {
          for (const op of ops) {
            const ref = op.tender === 'CARD' ? '1234' : op.tender === 'CASH' ? null : '4200001111';
            const sale = await t.call('checkout.complete', { idempotencyKey: key(), lines: [line(op.price, op.category)], tenders: [{ code: op.tender, amountMinor: op.price, reference: ref }] });
            if (op.refund) await t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 1, quantity: 1 }], approval: await t.managerApproval(), reason: 'changed their mind' });
          }
          const summary = raw().prepare(`SELECT dim, key, sale_count, sale_minor, refund_count, refund_minor FROM day_summary WHERE dim IN ('tender', 'category', 'staff') ORDER BY dim, key`).all();
          const fromRows = raw()
            .prepare(
              `SELECT dim, key, sum(sc) AS sale_count, sum(sm) AS sale_minor, sum(rc) AS refund_count, sum(rm) AS refund_minor FROM (
                 SELECT 'tender' AS dim, json_extract(t.value, '$.code') AS key, 1 AS sc, json_extract(t.value, '$.amountMinor') AS sm, 0 AS rc, 0 AS rm FROM sale s, json_each(s.tenders) t
                 UNION ALL SELECT 'tender', json_extract(t.value, '$.code'), 0, 0, 1, json_extract(t.value, '$.amountMinor') FROM refund r, json_each(r.tenders) t
                 UNION ALL SELECT 'category', l.category, l.quantity, l.paid_minor, 0, 0 FROM sale_line l
                 UNION ALL SELECT 'category', l.category, 0, 0, rl.quantity, rl.refund_minor FROM refund_line rl JOIN refund r ON r.id = rl.refund_id JOIN sale_line l ON l.sale_id = r.sale_id AND l.line_no = rl.line_no
                 UNION ALL SELECT 'staff', staff_id, 1, paid_minor, 0, 0 FROM sale
                 UNION ALL SELECT 'staff', staff_id, 0, 0, 1, refund_minor FROM refund
               ) GROUP BY dim, key ORDER BY dim, key`,
            )
            .all();
          expect(summary).toEqual(fromRows);
          // And every dimension, checked the way the check command does.
          await signInManager();
          expect((await t.call('reports.checkSummaries', {})).mismatchCount).toBe(0);
          await t.signInCashier();
        },
      ),
      { numRuns: 8 },
    );
  });
});
