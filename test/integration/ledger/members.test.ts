import { deterministicUuid } from '../../../src-shared/sync/ids';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../src-shared/cards';
import { expectCode, key, openTestTerminal, type TestTerminal } from '../../helpers/terminal';

let t: TestTerminal;
beforeEach(async () => {
  t = await openTestTerminal();
  await t.signInCashier();
});
afterEach(() => t.close());

const card = (body15: string) => body15 + luhnCheckDigit(body15);
const register = (phone: string, extra: Record<string, unknown> = {}) =>
  t.call('members.register', { idempotencyKey: key(), phone, consentTerms: true, consentMarketing: false, ...extra });

describe('members', () => {
  it('registers with consent, masks personal data, and refuses a duplicate phone without changing anything', async () => {
    const m = await register('138 1234 5678', { name: '王伟', birthday: '1990-03-08', consentMarketing: true });
    expect(m.maskedPhone).toBe('138****5678');
    expect(m.maskedName).toBe('王*');
    expect(m.consentMarketing).toBe(true);
    const count = () => t.terminal.ctx.raw.prepare('SELECT count(*) FROM member').pluck().get();
    const before = count();
    const e = await expectCode(register('+8613812345678'), 'DUPLICATE_PHONE');
    expect(e.message).toMatch(/already registered/);
    expect(count()).toBe(before);
  });

  it('rejects registration without consent to the terms and a malformed phone', async () => {
    const r = await t.terminal.dispatch('members.register', { idempotencyKey: key(), phone: '13800000000', consentTerms: false, consentMarketing: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('INVALID_INPUT');
    await expectCode(register('12'), 'INVALID_INPUT');
  });

  it('replays a registration with the same key instead of creating a second member', async () => {
    const k = key();
    const a = await t.call('members.register', { idempotencyKey: k, phone: '13811112222', consentTerms: true, consentMarketing: false });
    const b = await t.call('members.register', { idempotencyKey: k, phone: '13811112222', consentTerms: true, consentMarketing: false });
    expect(b.id).toBe(a.id);
  });

  it('gives the welcome bonus to a referred member and the referrer bonus after the first purchase, once', async () => {
    const referrer = await register('13900000001');
    const fresh = await register('13900000002', { referrer: '13900000001' });
    expect(fresh.balance).toBe(100);
    const sale = { memberId: fresh.id, lines: [{ lineNo: 1, category: 'grocery', quantity: 1, unitPriceMinor: 1000 }], redeemPoints: 0 };
    await t.call('checkout.complete', { idempotencyKey: key(), ...sale });
    await t.call('checkout.complete', { idempotencyKey: key(), ...sale });
    expect((await t.call('members.get', { memberId: referrer.id })).balance).toBe(200);
    await expectCode(register('13900000003', { referrer: '13999999999' }), 'MEMBER_NOT_FOUND');
  });

  it('gives no second referrer bonus when another till already credited it (synced in as a remote entry)', async () => {
    const referrer = await register('13900000011');
    const fresh = await register('13900000012', { referrer: '13900000011' });
    // The new member's first purchase happened at another store first; its referral bonus arrived by sync.
    const id = deterministicUuid(`referral:${fresh.id}`);
    t.terminal.ctx.raw
      .prepare(
        `INSERT INTO remote_entry (id, member_id, kind, points, reason, sale_id, target_entry_id, expires_at, offline, business_date, created_at, hlc, terminal_id, idempotency_key, server_seq)
         VALUES (?, ?, 'bonus', 200, ?, NULL, NULL, '2027-06-15T00:00:00.000Z', 0, '2026-06-15', '2026-06-15T01:00:00.000Z', '0000000000001-0000-other', 'other-till', ?, 1)`,
      )
      .run(id, referrer.id, `referral:${fresh.id}`, `referral:${fresh.id}`);
    expect((await t.call('members.get', { memberId: referrer.id })).balance).toBe(200);
    // The member's first purchase at this till: no second bonus, and the referrer stays readable.
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: fresh.id, lines: [{ lineNo: 1, category: 'grocery', quantity: 1, unitPriceMinor: 1000 }], redeemPoints: 0 });
    expect((await t.call('members.get', { memberId: referrer.id })).balance).toBe(200);
    expect(t.terminal.ctx.raw.prepare(`SELECT count(*) FROM ledger_entry WHERE member_id = ? AND kind = 'bonus'`).pluck().get(referrer.id)).toBe(0);
    expect((await t.call('ledger.verify', {})).ok).toBe(true);
  });

  it('activates a pre-printed card at first scan so it earns at once; a bad check digit is refused', async () => {
    const code = card('600012345678901');
    const scanned = await t.call('members.scan', { raw: `${code}\r\n` });
    expect(scanned).toMatchObject({ kind: 'unknown_card', activatable: true });
    const m = await t.call('members.activateCard', { idempotencyKey: key(), cardCode: code });
    expect(m.anonymous).toBe(true);
    const sale = await t.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'grocery', quantity: 1, unitPriceMinor: 4250 }], redeemPoints: 0 });
    expect(sale.earnedPoints).toBe(42);
    const bad = code.slice(0, 15) + String((Number(code[15]) + 1) % 10);
    await expectCode(t.call('members.activateCard', { idempotencyKey: key(), cardCode: bad }), 'INVALID_CARD_NUMBER');
    await expectCode(t.call('members.scan', { raw: bad }), 'INVALID_CARD_NUMBER');
    await expectCode(t.call('members.activateCard', { idempotencyKey: key(), cardCode: code }), 'CARD_ALREADY_ACTIVE');
    await expectCode(t.call('members.scan', { raw: '\u0007\u0000garbage' }), 'UNRECOGNISED_SCAN');
  });

  it('replaces a lost card: the old one stops working, the balance stays', async () => {
    const oldCard = card('600000000000001');
    const newCard = card('600000000000002');
    const m = await register('13700000000', { cardCode: oldCard });
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 9900 }], redeemPoints: 0 });
    await t.call('members.deactivateCard', { cardCode: oldCard, reason: 'lost' });
    const after = await t.call('members.addCard', { memberId: m.id, cardCode: newCard });
    expect(after.balance).toBe(99);
    // A retry after a lost answer binds nothing twice and answers the same; the stopped card
    // cannot be given back, and another member cannot take the new one.
    const auditRows = () => t.terminal.ctx.raw.prepare(`SELECT count(*) FROM audit_log WHERE action = 'card.add'`).pluck().get();
    const addsBefore = auditRows();
    expect(await t.call('members.addCard', { memberId: m.id, cardCode: newCard })).toEqual(after);
    expect(auditRows()).toBe(addsBefore);
    expect(t.terminal.ctx.raw.prepare('SELECT count(*) FROM card WHERE member_id = ?').pluck().get(m.id)).toBe(2);
    await expectCode(t.call('members.addCard', { memberId: m.id, cardCode: oldCard }), 'CARD_INACTIVE');
    const other = await register('13700000001');
    await expectCode(t.call('members.addCard', { memberId: other.id, cardCode: newCard }), 'CARD_ALREADY_ACTIVE');
    await expectCode(t.call('members.scan', { raw: oldCard }), 'CARD_INACTIVE');
    const found = await t.call('members.scan', { raw: newCard });
    expect(found.kind === 'member' && found.member.id).toBe(m.id);
    expect(found.kind === 'member' && found.member.balance).toBe(99);
  });

  it('finds members by card, phone, last four digits and by Chinese and Latin names', async () => {
    const c = card('600000000000099');
    const a = await register('13611112345', { name: '张伟', cardCode: c });
    const b = await register('13622222345', { name: '欧阳娜娜' });
    const d = await register('+85291234567', { name: 'Alice Wong' });
    expect((await t.call('members.find', { query: c })).map((m) => m.id)).toEqual([a.id]);
    expect((await t.call('members.find', { query: '136 1111 2345' })).map((m) => m.id)).toEqual([a.id]);
    expect(new Set((await t.call('members.find', { query: '2345' })).map((m) => m.id))).toEqual(new Set([a.id, b.id]));
    expect((await t.call('members.find', { query: '张伟' })).map((m) => m.id)).toEqual([a.id]);
    expect((await t.call('members.find', { query: '欧阳' })).map((m) => m.id)).toEqual([b.id]);
    expect((await t.call('members.find', { query: '娜娜' })).map((m) => m.id)).toEqual([b.id]);
    expect((await t.call('members.find', { query: 'ali' })).map((m) => m.id)).toEqual([d.id]);
    expect((await t.call('members.find', { query: 'WONG alice' })).map((m) => m.id)).toEqual([d.id]);
    expect(await t.call('members.find', { query: '伟张' })).toEqual([]);
    expect(await t.call('members.find', { query: '"OR 1=1 --' })).toEqual([]);
  });

  it('reveals masked data only with a manager PIN, and audits it', async () => {
    const m = await register('13812340000', { name: 'Bob Lee' });
    const cashier = { staffId: await t.staffId('cashier'), pin: '1111' };
    await expectCode(t.call('members.reveal', { memberId: m.id, approval: cashier }), 'MANAGER_PIN_REQUIRED');
    await expectCode(t.call('members.reveal', { memberId: m.id, approval: { ...(await t.managerApproval()), pin: '0000' } }), 'INVALID_PIN');
    const shown = await t.call('members.reveal', { memberId: m.id, approval: await t.managerApproval() });
    expect(shown).toEqual({ phone: '+8613812340000', name: 'Bob Lee', birthday: null });
    const audit = t.terminal.ctx.raw.prepare(`SELECT action, subject_id, approved_by FROM audit_log WHERE action = 'member.reveal'`).all();
    expect(audit).toEqual([{ action: 'member.reveal', subject_id: m.id, approved_by: await t.staffId('manager') }]);
  });

  it('erases a member on request: profile anonymised, ledger kept consistent, no longer findable', async () => {
    const m = await register('13812349999', { name: '李雷' });
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 5000 }], redeemPoints: 0 });
    const exported = await t.call('members.export', { memberId: m.id, approval: await t.managerApproval() });
    expect(exported.member.phone).toBe('+8613812349999');
    expect(exported.ledger).toHaveLength(1);
    const erased = await t.call('members.erase', { memberId: m.id, approval: await t.managerApproval() });
    expect(erased).toMatchObject({ status: 'erased', maskedName: null, maskedPhone: null, balance: 50 });
    expect(await t.call('members.find', { query: '李雷' })).toEqual([]);
    expect(await t.call('members.find', { query: '13812349999' })).toEqual([]);
    expect((await t.call('ledger.verify', {})).ok).toBe(true);
    await expectCode(t.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 100 }], redeemPoints: 0 }), 'MEMBER_ERASED');
  });

  it('shows history newest first with receipt numbers', async () => {
    const m = await register('13812348888');
    const s = await t.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 30000 }], redeemPoints: 0 });
    t.clock.advance(60_000);
    await t.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 30000 }], redeemPoints: 100 });
    const h = await t.call('members.history', { memberId: m.id });
    expect(h.map((e) => e.kind)).toEqual(['earn', 'redeem', 'earn']);
    expect(h[2]!.receiptNo).toBe(s.receiptNo);
  });

  it('requires a signed-in staff member', async () => {
    await t.call('session.signOut', {});
    await expectCode(t.call('members.find', { query: '1234' }), 'NOT_SIGNED_IN');
  });
});
