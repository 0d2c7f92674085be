import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../src-main/db/transaction';
import { applyChange, type ApplyOutcome } from '../../../src-main/sync/pull-apply';
import { HlcClock } from '../../../src-shared/sync/hlc';
import { deterministicUuid } from '../../../src-shared/sync/ids';
import type { LedgerEntryPayload, PullChange, ServerMember } from '../../../src-shared/sync/protocol';
import { key, openTestTerminal, type TestTerminal } from '../../helpers/terminal';

let t: TestTerminal;
beforeEach(async () => {
  t = await openTestTerminal();
  await t.signInCashier();
});
afterEach(() => t.close());

const OTHER_TERMINAL = '019ec901-0000-7000-8000-000000000002';
const otherClock = new HlcClock({ node: '0000000000000002', now: () => Date.parse('2026-06-15T02:00:00.000Z') });
let seq = 0;
const apply = async (...changes: PullChange[]) => {
  const out: ApplyOutcome = { memberIds: new Set() };
  await inTransaction(t.terminal.ctx.db, async (trx) => {
    for (const c of changes) await applyChange(trx, t.terminal.ctx, { receiveRuleSet: async () => undefined }, c, out);
  });
  return out;
};
const entry = (memberId: string, points: number, extra: Partial<LedgerEntryPayload> = {}): PullChange => ({
  serverSeq: String(++seq),
  kind: 'ledger_entry',
  entry: {
    id: extra.id ?? `019ec901-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    member_id: memberId,
    kind: points > 0 ? 'earn' : 'redeem',
    points,
    reason: null,
    sale_id: null,
    refund_id: null,
    target_entry_id: null,
    expires_at: points > 0 ? '2027-06-15T02:00:00.000Z' : null,
    capped_points: 0,
    offline: 0,
    business_date: '2026-06-15',
    created_at: '2026-06-15T02:00:00.000Z',
    hlc: otherClock.send(),
    terminal_id: OTHER_TERMINAL,
    staff_id: null,
    approved_by: null,
    rule_set_version: 1,
    idempotency_key: `remote-${seq}`,
    ...extra,
  },
});
const serverMember = (m: Partial<ServerMember> & { id: string }): PullChange => ({
  serverSeq: String(++seq),
  kind: 'member',
  member: {
    phone: null,
    name: null,
    birthday: null,
    referrerId: null,
    consentTermsAt: null,
    consentMarketing: false,
    status: 'active',
    statusReason: null,
    mergedInto: null,
    diamond: false,
    registeredAt: '2026-06-01T00:00:00.000Z',
    fieldHlc: {},
    ...m,
  },
});

describe('applying pulled changes', () => {
  it('adds other terminals’ entries once (a grow-only set) and the balance covers both ledgers', async () => {
    const m = await t.call('members.register', { idempotencyKey: key(), phone: '13800000001', consentTerms: true, consentMarketing: false });
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 10000 }], redeemPoints: 0 });
    const e = entry(m.id, 250);
    await apply(e);
    await apply(e); // delivered twice
    expect((await t.call('members.get', { memberId: m.id })).balance).toBe(350);
    expect((await t.call('ledger.verify', {})).ok).toBe(true);
    expect((await t.call('members.history', { memberId: m.id })).map((h) => h.points)).toEqual(expect.arrayContaining([100, 250]));
  });

  it('counts a once-only bonus made at two stores once', async () => {
    const m = await t.call('members.register', { idempotencyKey: key(), phone: '13800000002', birthday: '1990-06-01', consentTerms: true, consentMarketing: false });
    const sale = await t.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 1000 }], redeemPoints: 0 });
    expect(sale.bonuses).toEqual([{ reason: 'birthday', points: 200 }]);
    // The other store gave the same birthday bonus while offline: same deterministic id.
    await apply(entry(m.id, 200, { id: deterministicUuid(`birthday:${m.id}:2026`), kind: 'bonus', reason: 'birthday', idempotency_key: `birthday:${m.id}:2026` }));
    expect((await t.call('members.get', { memberId: m.id })).balance).toBe(210);
  });

  it('creates members first seen from the server, even when their entries came first', async () => {
    const id = '019ec901-0000-7000-8000-0000000000aa';
    await apply(entry(id, 500));
    await apply(serverMember({ id, phone: '+8613900000003', name: '周杰', fieldHlc: { name: otherClock.send() } }));
    const found = await t.call('members.find', { query: '周杰' });
    expect(found.map((f) => [f.id, f.balance])).toEqual([[id, 500]]);
    expect((await t.call('members.find', { query: '0003' }))[0]?.id).toBe(id);
  });

  it('takes the server’s fields but keeps a newer local edit still on its way', async () => {
    const m = await t.call('members.register', { idempotencyKey: key(), phone: '13800000004', name: 'Old Name', consentTerms: true, consentMarketing: false });
    const stale = otherClock.send();
    t.clock.advance(60_000);
    await t.call('members.update', { memberId: m.id, name: 'Local Newer' }); // HLC after `stale`
    await apply(serverMember({ id: m.id, phone: '+8613800000004', name: 'Server Older', birthday: '1988-01-02', fieldHlc: { name: stale, birthday: stale } }));
    const reveal = await t.call('members.reveal', { memberId: m.id, approval: await t.managerApproval() });
    expect(reveal.name).toBe('Local Newer');
    expect(reveal.birthday).toBe('1988-01-02');
    // A later server write wins over the local one.
    const later = new HlcClock({ node: '0000000000000003', now: () => Date.parse('2026-07-01T00:00:00.000Z') }).send();
    await apply(serverMember({ id: m.id, phone: '+8613800000004', name: 'Server Later', fieldHlc: { name: later } }));
    expect((await t.call('members.reveal', { memberId: m.id, approval: await t.managerApproval() })).name).toBe('Server Later');
  });

  it('follows a merge: the loser is marked merged and lets go of the phone', async () => {
    const loser = await t.call('members.register', { idempotencyKey: key(), phone: '13800000005', consentTerms: true, consentMarketing: false });
    const winnerId = '019ec900-0000-7000-8000-000000000001';
    await apply(
      serverMember({ id: winnerId, phone: '+8613800000005', fieldHlc: { phone: otherClock.send() } }),
      serverMember({ id: loser.id, phone: null, status: 'merged', mergedInto: winnerId, fieldHlc: { phone: otherClock.send(), status: otherClock.send() } }),
    );
    const l = await t.call('members.get', { memberId: loser.id });
    expect(l.status).toBe('merged');
    expect(l.mergedInto).toBe(winnerId);
    expect((await t.call('members.find', { query: '13800000005' }))[0]?.id).toBe(winnerId);
  });

  it('adds other stores’ spend to qualifying spend (tiers converge) and keeps exceptions', async () => {
    const m = await t.call('members.register', { idempotencyKey: key(), phone: '13800000006', consentTerms: true, consentMarketing: false });
    await apply({ serverSeq: String(++seq), kind: 'spend', memberId: m.id, period: '2026-06', deltaMinor: 600000, sourceTerminalId: OTHER_TERMINAL });
    expect((await t.call('members.get', { memberId: m.id })).tier).toBe('silver');
    await apply({
      serverSeq: String(++seq),
      kind: 'exception',
      exception: { id: '019ec901-0000-7000-8000-0000000000ee', memberId: m.id, entryId: '019ec901-0000-7000-8000-0000000000ef', terminalId: OTHER_TERMINAL, shortfall: 300, exposureMinor: 300, createdAt: '2026-06-15T03:00:00.000Z' },
    });
    expect(t.terminal.ctx.raw.prepare('SELECT shortfall FROM overdraft_exception').pluck().all()).toEqual([300]);
  });
});

describe('changes from a newer server', () => {
  it('keeps a change kind it does not know aside instead of dropping it or failing the page', async () => {
    const future = { serverSeq: '99', kind: 'voucher', voucher: { id: 'v1' } } as unknown as PullChange;
    await apply(future);
    const kept = t.terminal.ctx.raw.prepare(`SELECT kind, status, payload FROM sync_problem WHERE op_id = 'pull:99'`).get() as { kind: string; status: string; payload: string };
    expect(kept).toMatchObject({ kind: 'voucher', status: 'deferred' });
    expect(JSON.parse(kept.payload)).toEqual(future);
  });
});
