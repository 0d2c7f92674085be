import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../../src-shared/cards';
import { expectCode, key, openTestTerminal, type TestTerminal } from '../../helpers/terminal';

/**
 * members.replaceCard against a real terminal database: one transaction that stops the old card
 * (picked by its id: the screens only know masked numbers), binds the new one, queues both card
 * changes for head office and audits it; refusals change nothing; retries are answered once.
 */
let t: TestTerminal;
beforeEach(async () => {
  t = await openTestTerminal();
  await t.signInCashier();
});
afterEach(() => t.close());

const card = (body15: string) => body15 + luhnCheckDigit(body15);
const OLD = card('600000000000101');
const NEW = card('600000000000102');
const OTHER = card('600000000000103');
const spaced = (c: string) => c.replace(/(\d{4})(?=\d)/g, '$1 ');

const raw = () => t.terminal.ctx.raw;
const count = (sql: string, ...args: unknown[]) => Number(raw().prepare(sql).pluck().get(...args));
/** Everything a replacement may write, to prove a refused one wrote nothing. */
const snapshot = () => ({
  cards: raw().prepare('SELECT code, id, member_id, status, status_reason, hlc FROM card ORDER BY code').all(),
  outbox: count('SELECT count(*) FROM outbox'),
  audit: count('SELECT count(*) FROM audit_log'),
  remembered: count("SELECT count(*) FROM idempotency WHERE scope = 'card_replacement'"),
  ledger: count('SELECT count(*) FROM ledger_entry'),
});

async function memberWithPoints(phone: string, cardCode: string | null) {
  const m = await t.call('members.register', { idempotencyKey: key(), phone, cardCode, consentTerms: true, consentMarketing: false });
  await t.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'grocery', quantity: 1, unitPriceMinor: 12300 }], redeemPoints: 0 });
  return t.call('members.get', { memberId: m.id });
}

describe('members.replaceCard', () => {
  it('stops the old card and binds the new one in one step: balance kept, both changes queued for head office, audited with masked numbers', async () => {
    const m = await memberWithPoints('13700000001', OLD);
    expect(m.balance).toBe(123);
    const oldCard = m.cards[0]!;
    expect(oldCard).toEqual({ id: expect.any(String), maskedCode: '6000 **** **** ' + OLD.slice(-4), kind: 'printed', status: 'active' });
    const outboxBefore = count('SELECT max(seq) FROM outbox');
    const ledgerBefore = snapshot().ledger;

    const r = await t.call('members.replaceCard', { idempotencyKey: key(), memberId: m.id, cardId: oldCard.id, newCardCode: NEW, reason: 'lost' });
    expect(r.replayed).toBe(false);
    expect(r.oldCard).toEqual({ ...oldCard, status: 'inactive' });
    expect(r.newCard).toMatchObject({ maskedCode: '6000 **** **** ' + NEW.slice(-4), kind: 'printed', status: 'active' });
    expect(r.newCard.id).not.toBe(oldCard.id);
    expect(r.member.balance).toBe(123);
    expect(r.member.cards.map((c) => [c.id, c.status])).toEqual([
      [oldCard.id, 'inactive'],
      [r.newCard.id, 'active'],
    ]);
    // The answer never carries a whole card number.
    expect(JSON.stringify(r)).not.toContain(OLD);
    expect(JSON.stringify(r)).not.toContain(NEW);

    expect(raw().prepare('SELECT status, status_reason FROM card WHERE code = ?').get(OLD)).toEqual({ status: 'inactive', status_reason: 'lost' });
    await expectCode(t.call('members.scan', { raw: OLD }), 'CARD_INACTIVE');
    const found = await t.call('members.scan', { raw: NEW });
    expect(found.kind === 'member' && [found.member.id, found.member.balance]).toEqual([m.id, 123]);

    // Head office learns both changes, the old card first (sync ships the outbox in seq order).
    const queued = raw().prepare("SELECT kind, entity_id, payload FROM outbox WHERE seq > ? AND kind = 'card' ORDER BY seq").all(outboxBefore) as { entity_id: string; payload: string }[];
    expect(queued.map((q) => [q.entity_id, JSON.parse(q.payload)])).toEqual([
      [OLD, { code: OLD, memberId: m.id, status: 'inactive', reason: 'lost' }],
      [NEW, { code: NEW, memberId: m.id, kind: 'printed', status: 'active' }],
    ]);
    const audit = raw().prepare("SELECT staff_id, subject_id, details FROM audit_log WHERE action = 'card.replace'").all() as { staff_id: string; subject_id: string; details: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.staff_id).toBe(await t.staffId('cashier'));
    expect(audit[0]!.subject_id).toBe(m.id);
    expect(JSON.parse(audit[0]!.details)).toEqual({ oldCard: r.oldCard.maskedCode, newCard: r.newCard.maskedCode, reason: 'lost', oldCardWasActive: true });
    // No points moved.
    expect(snapshot().ledger).toBe(ledgerBefore);
    expect(await t.call('ledger.verify', {})).toMatchObject({ ok: true });
    expect(await t.call('audit.verify', {})).toMatchObject({ ok: true });
  });

  it('refuses a new card that already belongs to another member, and changes nothing', async () => {
    const m = await memberWithPoints('13700000002', OLD);
    await memberWithPoints('13700000003', OTHER);
    const before = snapshot();
    const e = await expectCode(
      t.call('members.replaceCard', { idempotencyKey: key(), memberId: m.id, cardId: m.cards[0]!.id, newCardCode: OTHER, reason: 'lost' }),
      'CARD_ALREADY_ACTIVE',
    );
    expect(e.details).toEqual({ maskedCode: '6000 **** **** ' + OTHER.slice(-4) });
    expect(snapshot()).toEqual(before);
    // The old card still works, the other member keeps theirs.
    const still = await t.call('members.scan', { raw: OLD });
    expect(still.kind === 'member' && still.member.id).toBe(m.id);
    const other = await t.call('members.scan', { raw: OTHER });
    expect(other.kind === 'member' && other.member.id).not.toBe(m.id);
  });

  it('gives the same clear refusals as elsewhere for a stopped card, a misread number, a product barcode, an unknown card id; nothing changes', async () => {
    const m = await memberWithPoints('13700000004', OLD);
    const stopped = card('600000000000104');
    const x = await memberWithPoints('13700000005', stopped);
    await t.call('members.deactivateCard', { cardCode: stopped, reason: 'stolen' });
    const before = snapshot();
    const replace = (newCardCode: string, cardId = m.cards[0]!.id) => t.call('members.replaceCard', { idempotencyKey: key(), memberId: m.id, cardId, newCardCode, reason: 'damaged' });
    await expectCode(replace(stopped), 'CARD_INACTIVE');
    await expectCode(replace(OLD), 'CARD_ALREADY_ACTIVE');
    const misread = NEW.slice(0, 15) + String((Number(NEW[15]) + 1) % 10);
    await expectCode(replace(misread), 'INVALID_CARD_NUMBER');
    await expectCode(replace('6901234567892'), 'UNRECOGNISED_SCAN');
    await expectCode(replace(NEW, x.cards[0]!.id), 'CARD_NOT_FOUND'); // another member's card id
    await expectCode(replace(NEW, 'no-such-card'), 'CARD_NOT_FOUND');
    await expectCode(t.call('members.replaceCard', { idempotencyKey: key(), memberId: 'no-such-member', cardId: m.cards[0]!.id, newCardCode: NEW, reason: 'lost' }), 'MEMBER_NOT_FOUND');
    // 'stolen' is for deactivateCard; a replacement is for a lost or damaged card.
    await expectCode(t.call('members.replaceCard', { idempotencyKey: key(), memberId: m.id, cardId: m.cards[0]!.id, newCardCode: NEW, reason: 'stolen' as 'lost' }), 'INVALID_INPUT');
    expect(snapshot()).toEqual(before);
  });

  it('answers a retry with the same key once (replayed), and refuses the key for another replacement', async () => {
    const m = await memberWithPoints('13700000006', OLD);
    const k = key();
    const input = { idempotencyKey: k, memberId: m.id, cardId: m.cards[0]!.id, newCardCode: NEW, reason: 'lost' as const };
    const first = await t.call('members.replaceCard', input);
    const after = snapshot();
    // The same request (the number typed with spaces this time) is the same replacement.
    const again = await t.call('members.replaceCard', { ...input, newCardCode: spaced(NEW) });
    expect(again).toEqual({ ...first, replayed: true });
    expect(snapshot()).toEqual(after);
    expect(count("SELECT count(*) FROM audit_log WHERE action = 'card.replace'")).toBe(1);
    await expectCode(t.call('members.replaceCard', { ...input, newCardCode: card('600000000000105') }), 'IDEMPOTENCY_CONFLICT');
    await expectCode(t.call('members.replaceCard', { ...input, reason: 'damaged' }), 'IDEMPOTENCY_CONFLICT');
    expect(snapshot()).toEqual(after);
  });

  it('is one transaction: when a later step fails, the old card keeps working and the new one stays unknown', async () => {
    const m = await memberWithPoints('13700000007', OLD);
    raw().exec(`CREATE TRIGGER fail_replace BEFORE INSERT ON audit_log WHEN NEW.action = 'card.replace' BEGIN SELECT RAISE(ABORT, 'simulated failure at the last step'); END`);
    const before = snapshot();
    const r = await t.terminal.dispatch('members.replaceCard', { idempotencyKey: key(), memberId: m.id, cardId: m.cards[0]!.id, newCardCode: NEW, reason: 'lost' });
    expect(r.ok ? null : r.error.code).toBe('INTERNAL'); // (the core logs the unexpected failure)
    expect(snapshot()).toEqual(before);
    raw().exec('DROP TRIGGER fail_replace');
    const ok = await t.call('members.replaceCard', { idempotencyKey: key(), memberId: m.id, cardId: m.cards[0]!.id, newCardCode: NEW, reason: 'lost' });
    expect(ok.newCard.status).toBe('active');
  });

  it('replaces a card that was already stopped (reported lost by phone) without touching it again', async () => {
    const m = await memberWithPoints('13700000008', OLD);
    await t.call('members.deactivateCard', { cardCode: OLD, reason: 'stolen' });
    const seq = count('SELECT max(seq) FROM outbox');
    const r = await t.call('members.replaceCard', { idempotencyKey: key(), memberId: m.id, cardId: m.cards[0]!.id, newCardCode: NEW, reason: 'lost' });
    expect(r.oldCard.status).toBe('inactive');
    expect(raw().prepare('SELECT status_reason FROM card WHERE code = ?').pluck().get(OLD)).toBe('stolen');
    expect(raw().prepare("SELECT entity_id FROM outbox WHERE seq > ? AND kind = 'card'").pluck().all(seq)).toEqual([NEW]);
  });

  it('cards written without an id (the bulk demo seed, cards from head office) get one from the database and can be replaced', async () => {
    const m = await memberWithPoints('13700000009', null);
    raw().prepare("INSERT INTO card (code, member_id, kind, status, added_at, hlc) VALUES (?, ?, 'printed', 'active', '2026-01-01T00:00:00.000Z', '0')").run(OLD, m.id);
    const seen = await t.call('members.get', { memberId: m.id });
    expect(seen.cards[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const r = await t.call('members.replaceCard', { idempotencyKey: key(), memberId: m.id, cardId: seen.cards[0]!.id, newCardCode: NEW, reason: 'damaged' });
    expect(r.oldCard).toMatchObject({ id: seen.cards[0]!.id, status: 'inactive' });
    expect(raw().prepare('SELECT status_reason FROM card WHERE code = ?').pluck().get(OLD)).toBe('damaged');
  });

  it('needs a signed-in staff member, but no manager (card changes are cashier work, like adding a card)', async () => {
    const m = await memberWithPoints('13700000010', OLD);
    await t.call('session.signOut', {});
    await expectCode(t.call('members.replaceCard', { idempotencyKey: key(), memberId: m.id, cardId: m.cards[0]!.id, newCardCode: NEW, reason: 'lost' }), 'NOT_SIGNED_IN');
    await t.signInCashier();
    await t.call('members.replaceCard', { idempotencyKey: key(), memberId: m.id, cardId: m.cards[0]!.id, newCardCode: NEW, reason: 'lost' });
  });
});
