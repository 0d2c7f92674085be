import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../../src-shared/errors/domain-error';
import { RedemptionRefusals } from '../../../src-main/ledger/refusals.service';
import { DEMO_STAFF } from '../../../src-main/seed/demo';
import { expectCode, key, openTestTerminal, type TestTerminal } from '../../helpers/terminal';

/**
 * Refused redemptions are recorded for the manager (redemption_refusal and the audit log), and a
 * refusal never moves points: the refused checkout or reward still rolls back completely.
 */
let t: TestTerminal;
beforeEach(async () => {
  t = await openTestTerminal();
  await t.signInCashier();
});
afterEach(() => t.close());

const raw = () => t.terminal.ctx.raw;
const count = (sql: string, ...args: unknown[]) => Number(raw().prepare(sql).pluck().get(...args));
const line = (unitPriceMinor: number) => [{ lineNo: 1, category: 'grocery', quantity: 1, unitPriceMinor }];
const refusals = () =>
  raw().prepare('SELECT channel, points, reason, staff_id AS staffId, approver_id AS approverId, member_id AS memberId, offline, details FROM redemption_refusal ORDER BY at, rowid').all() as {
    channel: string;
    points: number;
    reason: string;
    staffId: string | null;
    approverId: string | null;
    memberId: string;
    offline: number;
    details: string;
  }[];
/** What a redemption could have moved: it must all stay put when one is refused. */
const points = (memberId: string) => ({
  balance: count('SELECT balance FROM member WHERE id = ?', memberId),
  entries: count('SELECT count(*) FROM ledger_entry'),
  sales: count('SELECT count(*) FROM sale'),
  ledgerOutbox: count("SELECT count(*) FROM outbox WHERE kind IN ('ledger_entry', 'sale')"),
});

async function memberWith(pointsWanted: number, phone = '13900000001'): Promise<string> {
  const m = await t.call('members.register', { idempotencyKey: key(), phone, consentTerms: true, consentMarketing: false });
  await t.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: line(pointsWanted * 100), redeemPoints: 0 });
  return m.id;
}

describe('refused redemptions', () => {
  it('a redemption above the balance is refused, recorded once per request, and moves no points', async () => {
    const m = await memberWith(1200);
    const before = points(m);
    const k = key();
    const attempt = { idempotencyKey: k, memberId: m, lines: line(400000), redeemPoints: 5000 };
    await expectCode(t.call('checkout.complete', attempt), 'INSUFFICIENT_POINTS');
    expect(points(m)).toEqual(before);
    const [r] = refusals();
    expect(refusals()).toHaveLength(1);
    expect(r).toMatchObject({ channel: 'bill', points: 5000, reason: 'INSUFFICIENT_POINTS', staffId: await t.staffId('cashier'), approverId: null, memberId: m, offline: 0 });
    expect(JSON.parse(r!.details)).toMatchObject({ requested: 5000, available: 1200, maxPoints: 1200, limitedBy: 'balance' });
    // The same request again (a retry) is the same refusal; fewer points with the same key is another attempt.
    await expectCode(t.call('checkout.complete', attempt), 'INSUFFICIENT_POINTS');
    expect(refusals()).toHaveLength(1);
    await expectCode(t.call('checkout.complete', { ...attempt, redeemPoints: 3000 }), 'INSUFFICIENT_POINTS');
    expect(refusals().map((x) => x.points)).toEqual([5000, 3000]);
    // Audited (tamper-evident, and shipped to head office with the audit log).
    const audit = raw().prepare("SELECT subject_id, details FROM audit_log WHERE action = 'redemption.refused' ORDER BY seq").all() as { subject_id: string; details: string }[];
    expect(audit.map((a) => [a.subject_id, JSON.parse(a.details).reason, JSON.parse(a.details).points])).toEqual([
      [m, 'INSUFFICIENT_POINTS', 5000],
      [m, 'INSUFFICIENT_POINTS', 3000],
    ]);
    expect(count("SELECT count(*) FROM outbox WHERE kind = 'audit' AND payload LIKE '%redemption.refused%'")).toBe(2);
    expect(points(m)).toEqual(before);
    expect(await t.call('ledger.verify', {})).toMatchObject({ ok: true });
    expect(await t.call('audit.verify', {})).toMatchObject({ ok: true });
    // The same key then completes the sale the cashier meant (nothing of the refusals is in the way).
    const sale = await t.call('checkout.complete', { ...attempt, lines: line(4000), redeemPoints: 200 });
    expect(sale.redeemedPoints).toBe(200);
  });

  it('records the bill cap, the steps, a blocked member (bill and reward) and the offline limit, each with its reason', async () => {
    const m = await memberWith(3000);
    const before = points(m);
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: line(2000), redeemPoints: 1100 }), 'REDEMPTION_ABOVE_BILL_CAP');
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: line(20000), redeemPoints: 150 }), 'REDEMPTION_NOT_IN_STEPS');
    t.setConnectivity('offline');
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: line(600000), redeemPoints: 2100 }), 'OFFLINE_REDEMPTION_LIMIT');
    t.setConnectivity('standalone');
    await t.call('members.block', { memberId: m, reason: 'Card shared by several people', approval: await t.managerApproval() });
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: line(20000), redeemPoints: 500 }), 'MEMBER_BLOCKED');
    await expectCode(t.call('rewards.redeem', { idempotencyKey: key(), memberId: m, rewardId: 'coupon-10' }), 'MEMBER_BLOCKED');
    expect(points(m)).toEqual(before);
    expect(refusals().map((r) => [r.channel, r.reason, r.points, r.offline])).toEqual([
      ['bill', 'REDEMPTION_ABOVE_BILL_CAP', 1100, 0],
      ['bill', 'REDEMPTION_NOT_IN_STEPS', 150, 0],
      ['bill', 'OFFLINE_REDEMPTION_LIMIT', 2100, 1],
      ['bill', 'MEMBER_BLOCKED', 500, 0],
      ['reward', 'MEMBER_BLOCKED', 1000, 0],
    ]);
    expect(JSON.parse(refusals()[2]!.details)).toMatchObject({ offlineRemaining: 2000 });
    expect(JSON.parse(refusals()[4]!.details)).toEqual({ rewardId: 'coupon-10' });
  });

  it('a velocity hold and the manager overrides that failed are refusals; the approved override is not', async () => {
    const m = await memberWith(5000);
    for (let i = 0; i < 3; i++) await t.call('checkout.complete', { idempotencyKey: key(), memberId: m, lines: line(2000), redeemPoints: 100 });
    const before = points(m);
    const k = key();
    const held = { idempotencyKey: k, memberId: m, lines: line(2000), redeemPoints: 100 };
    const hold = await expectCode(t.call('checkout.complete', held), 'RISK_HOLD');
    expect(hold.details).toMatchObject({ rule: 'member_velocity', count: 4 });
    const manager = await t.managerApproval();
    await expectCode(t.call('checkout.complete', { ...held, approval: { ...manager, pin: '0000' } }), 'INVALID_PIN');
    const cashier = { staffId: await t.staffId('cashier'), pin: DEMO_STAFF[0].pin };
    await expectCode(t.call('checkout.complete', { ...held, approval: cashier }), 'MANAGER_PIN_REQUIRED');
    expect(points(m)).toEqual(before);
    expect(refusals().map((r) => [r.reason, r.approverId])).toEqual([
      ['RISK_HOLD', null],
      ['INVALID_PIN', manager.staffId],
      ['MANAGER_PIN_REQUIRED', cashier.staffId],
    ]);
    expect(JSON.parse(refusals()[0]!.details)).toMatchObject({ rule: 'member_velocity', count: 4, windowSeconds: 600, max: 3 });
    // The manager's PIN lifts the hold: the sale completes, audited as an override, not as a refusal.
    await t.call('checkout.complete', { ...held, approval: manager });
    expect(refusals()).toHaveLength(3);
    expect(count("SELECT count(*) FROM audit_log WHERE action = 'checkout.override'")).toBe(1);
  });

  it('records nothing for what is not a refused redemption: a preview, a sale without points, a wrong key, a bad request', async () => {
    const m = await memberWith(300);
    await expectCode(t.call('checkout.preview', { memberId: m, lines: line(100000), redeemPoints: 5000 }), 'INSUFFICIENT_POINTS');
    const k = key();
    await t.call('checkout.complete', { idempotencyKey: k, memberId: m, lines: line(1000), redeemPoints: 0 });
    await expectCode(t.call('checkout.complete', { idempotencyKey: k, memberId: m, lines: line(100000), redeemPoints: 5000 }), 'IDEMPOTENCY_CONFLICT');
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), memberId: 'nobody', lines: line(1000), redeemPoints: 100 }), 'MEMBER_NOT_FOUND');
    await expectCode(t.call('rewards.redeem', { idempotencyKey: key(), memberId: m, rewardId: 'no-such-reward' }), 'REWARD_NOT_AVAILABLE');
    expect(refusals()).toEqual([]);
  });

  it('a refusal that cannot be recorded still reaches the cashier as the refusal it is (and is logged)', async () => {
    const m = await memberWith(100);
    raw().exec(`CREATE TRIGGER fail_refusal BEFORE INSERT ON redemption_refusal BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    const logged: string[] = [];
    const log = { info: () => undefined, warn: () => undefined, error: (_fields: Record<string, unknown>, msg: string) => void logged.push(msg) };
    const guard = new RedemptionRefusals({ ...t.terminal.ctx, log });
    const refused = new DomainError('INSUFFICIENT_POINTS', 'Not enough points.', { requested: 500, available: 100 });
    const attempt = { channel: 'bill' as const, memberId: m, points: 500, idempotencyKey: key(), staffId: await t.staffId('cashier'), approverId: null };
    await expect(guard.guard(attempt, () => Promise.reject(refused))).rejects.toBe(refused);
    expect(logged).toEqual(['a refused redemption could not be recorded']);
    expect(refusals()).toEqual([]);
    // Other failures pass through untouched and are not recorded.
    const other = new DomainError('SALE_NOT_FOUND', 'No sale.');
    raw().exec('DROP TRIGGER fail_refusal');
    await expect(guard.guard(attempt, () => Promise.reject(other))).rejects.toBe(other);
    await expect(guard.guard(null, () => Promise.reject(refused))).rejects.toBe(refused);
    expect(refusals()).toEqual([]);
    expect(await guard.guard(attempt, async () => 'fine')).toBe('fine');
  });
});
