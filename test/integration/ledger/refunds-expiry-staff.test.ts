import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectCode, key, openTestTerminal, type TestTerminal } from '../../helpers/terminal';

let t: TestTerminal;
beforeEach(async () => {
  t = await openTestTerminal();
  await t.signInCashier();
});
afterEach(() => t.close());

const member = async (phone = '13800138000') => (await t.call('members.register', { idempotencyKey: key(), phone, consentTerms: true, consentMarketing: false })).id;
const balance = async (memberId: string) => (await t.call('members.get', { memberId })).balance;
const raw = () => t.terminal.ctx.raw;

describe('refunds', () => {
  it('reverses earned and returns redeemed points proportionally; partial then rest equals full', async () => {
    const m = await member();
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 200000 }], redeemPoints: 0 });
    t.clock.advance(24 * 3600_000);
    const before = await balance(m);
    const sale = await t.call('checkout.complete', {
      idempotencyKey: key(),
      memberId: m,
      lines: [
        { lineNo: 1, category: 'food', quantity: 3, unitPriceMinor: 3333 },
        { lineNo: 2, category: 'eco', quantity: 1, unitPriceMinor: 7001 },
      ],
      redeemPoints: 800,
    });
    const r1 = await t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 1, quantity: 1 }] });
    expect(r1.reverseEarnedPoints + r1.returnRedeemedPoints).toBeGreaterThan(0);
    const r2 = await t.call('refunds.create', { idempotencyKey: key(), receiptNo: sale.receiptNo, lines: [{ lineNo: 1, quantity: 2 }, { lineNo: 2, quantity: 1 }] });
    expect(r1.refundMinor + r2.refundMinor).toBe(sale.paidMinor);
    expect(r1.reverseEarnedPoints + r2.reverseEarnedPoints).toBe(sale.earnedPoints);
    expect(r1.returnRedeemedPoints + r2.returnRedeemedPoints).toBe(800);
    expect(await balance(m)).toBe(before);
    const got = await t.call('sales.get', { saleId: sale.id });
    expect(got.lines.map((l) => l.refundedQuantity)).toEqual([3, 1]);
  });

  it('refuses to refund more than was sold, and changes nothing', async () => {
    const m = await member();
    const sale = await t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: [{ lineNo: 1, category: 'food', quantity: 2, unitPriceMinor: 5000 }], redeemPoints: 0 });
    const count = () => raw().prepare('SELECT (SELECT count(*) FROM refund) + (SELECT count(*) FROM ledger_entry)').pluck().get();
    const before = count();
    const e = await expectCode(t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 1, quantity: 3 }] }), 'REFUND_EXCEEDS_SALE');
    expect(e.details).toMatchObject({ lineNo: 1, sold: 2 });
    await expectCode(t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 9, quantity: 1 }] }), 'REFUND_EXCEEDS_SALE');
    await expectCode(t.call('refunds.create', { idempotencyKey: key(), receiptNo: 'R-NOPE', lines: [{ lineNo: 1, quantity: 1 }] }), 'SALE_NOT_FOUND');
    expect(count()).toBe(before);
    const k = key();
    await t.call('refunds.create', { idempotencyKey: k, saleId: sale.id, lines: [{ lineNo: 1, quantity: 2 }] });
    const again = await t.call('refunds.create', { idempotencyKey: k, saleId: sale.id, lines: [{ lineNo: 1, quantity: 2 }] });
    expect(again.replayed).toBe(true);
    expect(await balance(m)).toBe(0);
  });

  it('lets a balance go negative when refunded points were already spent, and shows it', async () => {
    const m = await member();
    const sale = await t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 100000 }], redeemPoints: 0 });
    t.clock.advance(60_000);
    await t.call('rewards.redeem', { idempotencyKey: key(), memberId: m, rewardId: 'coupon-10' });
    const r = await t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 1, quantity: 1 }] });
    expect(r.balanceAfter).toBe(-1000);
    expect((await t.call('ledger.verify', {})).ok).toBe(true);
  });
});

describe('expiry', () => {
  it('expires points 12 months after they were earned, oldest first, warns 30 days ahead, and re-runs harmlessly', async () => {
    const m = await member();
    t.clock.set('2025-06-01T02:00:00.000Z');
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 30000 }], redeemPoints: 0 });
    t.clock.set('2025-09-01T02:00:00.000Z');
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 20000 }], redeemPoints: 0 });
    t.clock.set('2025-10-01T02:00:00.000Z');
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 40000 }], redeemPoints: 100 }); // FIFO: from June's lot
    t.clock.set('2026-05-15T02:00:00.000Z');
    const warned = await t.call('members.get', { memberId: m });
    expect(warned.expiringSoon).toMatchObject({ points: 200, firstExpiry: '2026-06-01T02:00:00.000Z' });
    t.clock.set('2026-06-02T00:00:00.000Z');
    const run = await t.call('points.runExpiry', {});
    expect(run).toEqual({ membersAffected: 1, entries: 1, pointsExpired: 200 });
    // June 300 + Sept 200 + Oct 399 (on ¥399 paid) - 100 redeemed (from June) - 200 expired (June's rest)
    expect(await balance(m)).toBe(300 + 200 + 399 - 100 - 200);
    expect(await t.call('points.runExpiry', {})).toEqual({ membersAffected: 0, entries: 0, pointsExpired: 0 });
  });

  it('never lets a cashier spend points past their date (lazy expiry at checkout)', async () => {
    const m = await member();
    t.clock.set('2025-01-10T02:00:00.000Z');
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 50000 }], redeemPoints: 0 });
    t.clock.set('2026-02-01T02:00:00.000Z');
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 100000 }], redeemPoints: 500 }), 'INSUFFICIENT_POINTS');
  });
});

describe('staff, adjustments and the audit log', () => {
  it('needs a manager PIN and a reason to adjust points, and audits it', async () => {
    const m = await member();
    await expectCode(t.call('points.adjust', { idempotencyKey: key(), memberId: m, points: 500, reason: 'goodwill', approval: { staffId: await t.staffId('cashier'), pin: '1111' } }), 'MANAGER_PIN_REQUIRED');
    const adj = await t.call('points.adjust', { idempotencyKey: key(), memberId: m, points: 500, reason: 'goodwill for a late order', approval: await t.managerApproval() });
    expect(adj.balanceAfter).toBe(500);
    const minus = await t.call('points.adjust', { idempotencyKey: key(), memberId: m, points: -700, reason: 'duplicate card correction', approval: await t.managerApproval() });
    expect(minus.balanceAfter).toBe(-200);
    expect(raw().prepare(`SELECT count(*) FROM audit_log WHERE action = 'points.adjust'`).pluck().get()).toBe(2);
  });

  it('locks a staff member after five wrong PINs', async () => {
    const cashier = await t.staffId('cashier');
    for (let i = 0; i < 5; i++) await expectCode(t.call('session.signIn', { staffId: cashier, pin: '0000' }), 'INVALID_PIN');
    await expectCode(t.call('session.signIn', { staffId: cashier, pin: '1111' }), 'STAFF_LOCKED');
    t.clock.advance(6 * 60_000);
    await t.call('session.signIn', { staffId: cashier, pin: '1111' });
  });

  it('stores PINs only as slow salted hashes', () => {
    const hashes = raw().prepare('SELECT pin_hash FROM staff').pluck().all() as string[];
    expect(hashes.length).toBeGreaterThan(0);
    for (const h of hashes) expect(h).toMatch(/^scrypt\$\d+\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('keeps an append-only, hash-chained audit log whose tampering is detected', async () => {
    const m = await member();
    await t.call('members.reveal', { memberId: m, approval: await t.managerApproval() });
    await t.call('points.adjust', { idempotencyKey: key(), memberId: m, points: 10, reason: 'test entry', approval: await t.managerApproval() });
    const ok = await t.call('audit.verify', {});
    expect(ok.ok).toBe(true);
    expect(ok.entries).toBeGreaterThanOrEqual(3);
    expect(() => raw().prepare(`UPDATE audit_log SET action = 'x'`).run()).toThrow(/append-only/);
    expect(() => raw().prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/);
    expect(() => raw().prepare(`UPDATE ledger_entry SET points = 1`).run()).toThrow(/immutable/);
    // Someone with file access drops the guard and rewrites history: the chain shows where.
    raw().exec('DROP TRIGGER audit_log_no_update');
    const target = raw().prepare(`SELECT seq FROM audit_log WHERE action = 'member.reveal'`).pluck().get() as number;
    raw().prepare(`UPDATE audit_log SET details = '{"note":"nothing to see"}' WHERE seq = ?`).run(target);
    const broken = await t.call('audit.verify', {});
    expect(broken).toMatchObject({ ok: false, brokenAt: target });
  });
});

describe('refund properties', () => {
  let phoneSeq = 0;
  it('property: refunding a whole sale in any number of steps restores the balance from before it', async () => {
    const fc = (await import('fast-check')).default;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ qty: fc.integer({ min: 1, max: 4 }), price: fc.integer({ min: 1, max: 90000 }), category: fc.constantFrom('food', 'eco') }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 6 }),
        async (lines, redeemSteps, stepPicks) => {
          const m = await member(`137${String((phoneSeq += 1)).padStart(8, '0')}`);
          await t.call('points.adjust', { idempotencyKey: key(), memberId: m, points: 5000, reason: 'starting balance', approval: await t.managerApproval() });
          const before = await balance(m);
          const saleLines = lines.map((l, i) => ({ lineNo: i + 1, category: l.category, quantity: l.qty, unitPriceMinor: l.price }));
          const gross = saleLines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
          const redeem = Math.min(redeemSteps * 100, Math.floor(gross / 2 / 100) * 100);
          const sale = await t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: saleLines, redeemPoints: redeem, approval: await t.managerApproval() });
          // Refund line quantities in random steps until everything is back.
          const left = new Map(saleLines.map((l) => [l.lineNo, l.quantity]));
          let pick = 0;
          while ([...left.values()].some((q) => q > 0)) {
            const open = [...left.entries()].filter(([, q]) => q > 0);
            const [lineNo, q] = open[stepPicks[pick++ % stepPicks.length]! % open.length]!;
            const quantity = Math.max(1, Math.min(q, stepPicks[pick % stepPicks.length]!));
            await t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo, quantity }] });
            left.set(lineNo, q - quantity);
          }
          expect(await balance(m)).toBe(before);
          t.clock.advance(24 * 3600_000); // a fresh day: the daily earn cap never interferes
        },
      ),
      { numRuns: 12 },
    );
  });
});
