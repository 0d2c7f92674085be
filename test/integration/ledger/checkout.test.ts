import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectCode, key, openTestTerminal, type TestTerminal } from '../../helpers/terminal';

let t: TestTerminal;
beforeEach(async () => {
  t = await openTestTerminal();
  await t.signInCashier();
});
afterEach(() => t.close());

const member = async (phone = '13800138000', extra: Record<string, unknown> = {}) =>
  (await t.call('members.register', { idempotencyKey: key(), phone, consentTerms: true, consentMarketing: false, ...extra })).id;
const line = (unitPriceMinor: number, category = 'grocery', quantity = 1, lineNo = 1) => ({ lineNo, category, quantity, unitPriceMinor });
const buy = (memberId: string | null, lines: ReturnType<typeof line>[], redeemPoints = 0, extra: Record<string, unknown> = {}) =>
  t.call('checkout.complete', { idempotencyKey: key(), memberId, lines, redeemPoints, ...extra });
const balance = async (memberId: string) => (await t.call('members.get', { memberId })).balance;
const rows = (sql: string) => t.terminal.ctx.raw.prepare(sql).pluck().get();

describe('checkout', () => {
  it('earns 1 point per unit paid, floored per receipt, and records the rule-set version', async () => {
    const m = await member();
    const sale = await buy(m, [line(1250), line(1275, 'eco', 1, 2)]);
    expect(sale.paidMinor).toBe(2525);
    expect(sale.earnedPoints).toBe(25);
    expect(sale.ruleSetVersion).toBe(1);
    expect(await balance(m)).toBe(25);
  });

  it('redeems 100 points = ¥1 within the 50% cap, and earns only on what was paid', async () => {
    const m = await member();
    await buy(m, [line(450000)]); // 4500 points
    const sale = await buy(m, [line(4000)], 2000);
    expect(sale.redeemedValueMinor).toBe(2000);
    expect(sale.paidMinor).toBe(2000);
    expect(sale.earnedPoints).toBe(20);
    expect(await balance(m)).toBe(4500 - 2000 + 20);
    const before = await balance(m);
    const e = await expectCode(buy(m, [line(4000)], 2100), 'REDEMPTION_ABOVE_BILL_CAP');
    expect(e.details).toMatchObject({ maxPoints: 2000 });
    await expectCode(buy(m, [line(400000)], 5000), 'INSUFFICIENT_POINTS');
    await expectCode(buy(m, [line(4000)], 150), 'REDEMPTION_NOT_IN_STEPS');
    await expectCode(buy(m, [line(4000)], 0.5 as unknown as number), 'INVALID_INPUT');
    expect(await balance(m)).toBe(before);
  });

  it('shows the maximum redeemable and the earn preview without writing anything', async () => {
    const m = await member();
    await buy(m, [line(100000)]);
    const count = rows('SELECT count(*) FROM ledger_entry');
    const p = await t.call('checkout.preview', { memberId: m, lines: [line(3000)], redeemPoints: 1000 });
    expect(p.maxRedeem).toEqual({ points: 1000, valueMinor: 1000, limitedBy: 'balance' });
    const capped = await t.call('checkout.preview', { memberId: m, lines: [line(1500)], redeemPoints: 0 });
    expect(capped.maxRedeem).toEqual({ points: 700, valueMinor: 700, limitedBy: 'bill_cap' });
    expect(p.paidMinor).toBe(2000);
    expect(p.earn?.purchasePoints).toBe(20);
    expect(rows('SELECT count(*) FROM ledger_entry')).toBe(count);
  });

  it('answers a replayed checkout with the first result and never counts it twice', async () => {
    const m = await member();
    const input = { idempotencyKey: key(), memberId: m, lines: [line(8888)], redeemPoints: 0 };
    const first = await t.call('checkout.complete', input);
    const again = await t.call('checkout.complete', input);
    expect(again.replayed).toBe(true);
    expect(again.id).toBe(first.id);
    expect(again.receiptNo).toBe(first.receiptNo);
    expect(await balance(m)).toBe(88);
    await expectCode(t.call('checkout.complete', { ...input, lines: [line(9999)] }), 'IDEMPOTENCY_CONFLICT');
    expect(rows('SELECT count(*) FROM sale')).toBe(1);
  });

  it('lets a blocked member buy but not redeem; blocking needs a manager and is audited', async () => {
    const m = await member();
    await buy(m, [line(100000)]);
    await expectCode(t.call('members.block', { memberId: m, reason: 'card fraud', approval: { staffId: await t.staffId('cashier'), pin: '1111' } }), 'MANAGER_PIN_REQUIRED');
    await t.call('members.block', { memberId: m, reason: 'card fraud', approval: await t.managerApproval() });
    await expectCode(buy(m, [line(10000)], 100), 'MEMBER_BLOCKED');
    await expectCode(t.call('rewards.redeem', { idempotencyKey: key(), memberId: m, rewardId: 'coupon-10' }), 'MEMBER_BLOCKED');
    const sale = await buy(m, [line(10000)]);
    expect(sale.member?.status).toBe('blocked');
    expect(rows(`SELECT count(*) FROM audit_log WHERE action = 'member.block'`)).toBe(1);
  });

  it('caps purchase points at 5,000 a day and records the excess', async () => {
    const m = await member();
    const first = await buy(m, [line(400000)]);
    expect(first.earnedPoints).toBe(4000);
    const second = await buy(m, [line(300000)]);
    expect(second.earnedPoints).toBe(1000);
    expect(second.cappedPoints).toBe(2000);
    expect(rows(`SELECT capped_points FROM ledger_entry WHERE sale_id = '${second.id}' AND kind = 'earn'`)).toBe(2000);
    t.clock.advance(24 * 3600_000);
    expect((await buy(m, [line(10000)])).earnedPoints).toBe(125); // a new day, and Silver since ¥7,000 this month
  });

  it('gives the birthday bonus on the first purchase of the birthday month only', async () => {
    const m = await member('13800138001', { birthday: '1990-06-20' }); // clock: 2026-06-15
    const a = await buy(m, [line(1000)]);
    expect(a.bonuses).toEqual([{ reason: 'birthday', points: 200 }]);
    const b = await buy(m, [line(1000)]);
    expect(b.bonuses).toEqual([]);
  });

  it('upgrades the tier immediately and applies its multiplier from the next sale', async () => {
    const m = await member();
    const big = await buy(m, [line(500000)]);
    expect(big.tierAtSale).toBe('regular');
    expect(big.member?.tier).toBe('silver');
    t.clock.advance(24 * 3600_000); // the big sale used up today's earn cap
    const next = await buy(m, [line(10000)]);
    expect(next.tierAtSale).toBe('silver');
    expect(next.earnedPoints).toBe(125);
  });

  it('holds the 4th redemption in 10 minutes for a manager, and audits the override', async () => {
    const m = await member();
    await buy(m, [line(1000000)]);
    for (let i = 0; i < 3; i++) await buy(m, [line(1000)], 100);
    const e = await expectCode(buy(m, [line(1000)], 100), 'RISK_HOLD');
    expect(e.details).toMatchObject({ rule: 'member_velocity' });
    const ok = await buy(m, [line(1000)], 100, { approval: await t.managerApproval() });
    expect(ok.redeemedPoints).toBe(100);
    expect(rows(`SELECT count(*) FROM audit_log WHERE action = 'checkout.override'`)).toBe(1);
    t.clock.advance(11 * 60_000);
    expect((await buy(m, [line(1000)], 100)).redeemedPoints).toBe(100);
  });

  it('holds the 21st redemption at this till within a minute (any members), and lets it through once the minute has passed', async () => {
    const members: string[] = [];
    for (let i = 0; i < 7; i++) {
      const m = await member(`1390000000${i}`);
      await buy(m, [line(1000000)]);
      members.push(m);
    }
    // 20 redemptions in 40 s, at most 3 per member (below the member rule).
    for (let i = 0; i < 20; i++) {
      await buy(members[i % 7]!, [line(1000)], 100);
      t.clock.advance(2_000);
    }
    const e = await expectCode(buy(members[6]!, [line(1000)], 100), 'RISK_HOLD');
    expect(e.details).toMatchObject({ rule: 'terminal_velocity', count: 21, windowSeconds: 60 });
    // Once the first redemption is more than a minute old (the window includes its edge), the next one goes through.
    t.clock.advance(21_000);
    expect((await buy(members[6]!, [line(1000)], 100)).redeemedPoints).toBe(100);
  });

  it('limits offline redemption to 2,000 points per member per day, and splitting does not dodge it', async () => {
    const m = await member();
    await buy(m, [line(1000000)]);
    t.setConnectivity('offline');
    const later = () => t.clock.advance(11 * 60_000); // keep clear of the velocity rule
    expect((await t.call('members.get', { memberId: m })).offlineRedeemRemaining).toBe(2000);
    await buy(m, [line(300000)], 1500);
    later();
    await expectCode(buy(m, [line(300000)], 600), 'OFFLINE_REDEMPTION_LIMIT');
    await buy(m, [line(300000)], 500);
    later();
    await expectCode(buy(m, [line(300000)], 100), 'OFFLINE_REDEMPTION_LIMIT');
    expect((await t.call('members.get', { memberId: m })).offlineRedeemRemaining).toBe(0);
    const sale = await buy(m, [line(300000)], 1000, { approval: await t.managerApproval() });
    expect(sale.offline).toBe(true);
    later();
    expect(rows(`SELECT count(*) FROM ledger_entry WHERE kind = 'redeem' AND offline = 1`)).toBe(3);
    t.setConnectivity('standalone');
    expect((await buy(m, [line(300000)], 1000)).redeemedPoints).toBe(1000);
  });

  it('sells to non-members without touching the ledger', async () => {
    const sale = await buy(null, [line(1999), line(500, 'eco', 2, 2)]);
    expect(sale.member).toBeNull();
    expect(sale.paidMinor).toBe(2999);
    expect(sale.earnedPoints).toBe(0);
    expect(rows('SELECT count(*) FROM ledger_entry')).toBe(0);
    await expectCode(buy(null, [line(1999)], 100), 'INVALID_INPUT');
  });

  it('redeems catalogue rewards once per key', async () => {
    const m = await member();
    await buy(m, [line(200000)]);
    const k = key();
    const r = await t.call('rewards.redeem', { idempotencyKey: k, memberId: m, rewardId: 'coupon-10' });
    expect(r.balanceAfter).toBe(1000);
    const again = await t.call('rewards.redeem', { idempotencyKey: k, memberId: m, rewardId: 'coupon-10' });
    expect(again).toMatchObject({ replayed: true, balanceAfter: 1000 });
    await expectCode(t.call('rewards.redeem', { idempotencyKey: key(), memberId: m, rewardId: 'free-service' }), 'INSUFFICIENT_POINTS');
    await expectCode(t.call('rewards.redeem', { idempotencyKey: key(), memberId: m, rewardId: 'no-such' }), 'REWARD_NOT_AVAILABLE');
  });

  let phoneSeq = 0;
  it('property: any mix of sales, redemptions and retried keys keeps balance = sum of entries = sum of unique sales', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ price: fc.integer({ min: 100, max: 200000 }), redeem: fc.constantFrom(0, 0, 100, 300), retry: fc.boolean() }), { minLength: 1, maxLength: 12 }),
        async (ops) => {
          const m = await member(`139${String((phoneSeq += 1)).padStart(8, '0')}`);
          let expected = 0;
          for (const op of ops) {
            const input = { idempotencyKey: key(), memberId: m, lines: [line(op.price)], redeemPoints: op.redeem, approval: await t.managerApproval() };
            const r = await t.terminal.dispatch('checkout.complete', input);
            if (!r.ok) continue;
            const s = r.value as { earnedPoints: number; redeemedPoints: number };
            expected += s.earnedPoints - s.redeemedPoints;
            if (op.retry) {
              const again = await t.call('checkout.complete', input);
              expect(again.replayed).toBe(true);
            }
          }
          expect(await balance(m)).toBe(expected);
          expect((await t.call('ledger.verify', {})).ok).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  });
});
