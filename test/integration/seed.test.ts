import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import { classifyScan } from '../../src-shared/cards';
import { businessDateOf, previousMonth } from '../../src-shared/domain/dates';
import { creditExpiry, deriveLots, planExpiry } from '../../src-shared/domain/lots';
import { DEFAULT_RULE_SET } from '../../src-shared/domain/rules';
import type { LedgerFact, SaleLineInput } from '../../src-shared/domain/types';
import { nameIndexText } from '../../src-shared/search/name-tokens';
import { deterministicUuid } from '../../src-shared/sync/ids';
import { requestHash } from '../../src-main/ledger/request-hash';
import { DEMO_SEED_META_KEY } from '../../src-main/seed/demo';
import { checkDaySummary, DAY_SUMMARY_TRIGGERS } from '../../src-main/ledger/day-summary.repo';
import { refundRequestHash, saleRequestHash } from '../../src-main/seed/history';
import { openTestTerminal, TestClock, type TestTerminal } from '../helpers/terminal';

const MEMBERS = 300;
const TODAY = '2026-06-15T02:00:00.000Z';

interface MemberRow {
  seq: number;
  id: string;
  phone: string | null;
  phone_last4: string | null;
  name: string | null;
  balance: number;
  last_purchase_date: string | null;
}

let t: TestTerminal;
let raw: BetterSqlite3.Database;
let members: MemberRow[];

beforeAll(async () => {
  t = await openTestTerminal({ seedMembers: MEMBERS, clock: new TestClock(Date.parse(TODAY)) });
  raw = t.terminal.ctx.raw;
  members = raw.prepare('SELECT seq, id, phone, phone_last4, name, balance, last_purchase_date FROM member ORDER BY seq').all() as MemberRow[];
  await t.signInCashier();
});
afterAll(async () => {
  await t.close();
});

function facts(memberId: string): LedgerFact[] {
  return (
    raw.prepare('SELECT id, kind, points, created_at, expires_at, target_entry_id FROM ledger_entry WHERE member_id = ?').all(memberId) as {
      id: string;
      kind: LedgerFact['kind'];
      points: number;
      created_at: string;
      expires_at: string | null;
      target_entry_id: string | null;
    }[]
  ).map((r) => ({ id: r.id, kind: r.kind, points: r.points, at: r.created_at, expiresAt: r.expires_at, targetEntryId: r.target_entry_id }));
}

describe('demo store seed (300 members)', () => {
  it('creates the members, staff and about a year of history, and records what it wrote', async () => {
    const info = await t.call('terminal.info', {});
    expect(info.memberCount).toBe(MEMBERS);
    expect((await t.call('staff.list', {})).length).toBe(3);
    const meta = JSON.parse(raw.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(DEMO_SEED_META_KEY) as string) as { members: number; ledgerEntries: number; sales: number };
    expect(meta.members).toBe(MEMBERS);
    expect(Number(raw.prepare('SELECT count(*) FROM ledger_entry').pluck().get())).toBe(meta.ledgerEntries);
    expect(Number(raw.prepare('SELECT count(*) FROM sale').pluck().get())).toBe(meta.sales);
    // Roughly 20 entries per member, with every kind the history produces.
    expect(meta.ledgerEntries / MEMBERS).toBeGreaterThan(12);
    expect(meta.ledgerEntries / MEMBERS).toBeLessThan(30);
    const kinds = raw.prepare('SELECT DISTINCT kind FROM ledger_entry ORDER BY kind').pluck().all();
    expect(kinds).toEqual(['bonus', 'earn', 'expire', 'redeem', 'reverse']);
    const reasons = raw.prepare(`SELECT DISTINCT reason FROM ledger_entry WHERE kind = 'bonus'`).pluck().all() as string[];
    expect(reasons).toContain('birthday');
    expect(Number(raw.prepare('SELECT count(*) FROM refund').pluck().get())).toBeGreaterThan(0);
    const range = raw.prepare('SELECT min(created_at) AS first, max(created_at) AS last FROM sale').get() as { first: string; last: string };
    expect(Date.parse(TODAY) - Date.parse(range.first)).toBeGreaterThan(365 * 86_400_000);
    expect(range.last < TODAY).toBe(true);
    // Demo history is not replicated.
    expect(Number(raw.prepare(`SELECT count(*) FROM outbox WHERE kind IN ('ledger_entry', 'sale', 'refund', 'member', 'card')`).pluck().get())).toBe(0);
  });

  it('gives every member a unique E.164 phone and a Luhn-valid card, and finds each by phone and by card', async () => {
    const phones = members.map((m) => m.phone);
    expect(new Set(phones).size).toBe(MEMBERS);
    for (const p of phones) expect(p).toMatch(/^\+(861[3-9]\d{9}|852[569]\d{7})$/);
    for (const m of members) expect(m.phone_last4).toBe(m.phone!.slice(-4));

    const cards = raw.prepare(`SELECT code, member_id, kind, status FROM card`).all() as { code: string; member_id: string; kind: string; status: string }[];
    for (const m of members) expect(cards.filter((c) => c.member_id === m.id && c.status === 'active').length).toBeGreaterThanOrEqual(1);
    for (const c of cards.filter((x) => x.kind === 'printed')) expect(classifyScan(c.code)).toMatchObject({ kind: 'member_card', code: c.code });
    expect(cards.some((c) => c.status === 'inactive')).toBe(true);

    for (const m of members) {
      const byPhone = await t.call('members.find', { query: m.phone!, by: 'phone', limit: 5 });
      expect(byPhone.map((x) => x.id)).toEqual([m.id]);
    }
    for (const c of cards) {
      if (c.kind !== 'printed' || c.status !== 'active') continue;
      const byCard = await t.call('members.find', { query: c.code, by: 'card', limit: 5 });
      expect(byCard.map((x) => x.id)).toEqual([c.member_id]);
    }
    const m0 = members[0]!;
    const byLast4 = await t.call('members.find', { query: m0.phone_last4!, by: 'last4', limit: 100 });
    expect(byLast4.map((x) => x.id)).toContain(m0.id);
  });

  it('indexes names: Chinese two-character names and Latin prefixes are found', async () => {
    const named = members.filter((m) => m.name !== null);
    expect(named.length / MEMBERS).toBeGreaterThan(0.85);
    // The index is contentless: check that each named member's tokens lead back to them.
    expect(raw.prepare('SELECT rowid FROM member_name_fts ORDER BY rowid').pluck().all()).toEqual(named.map((m) => m.seq));
    const match = raw.prepare('SELECT rowid FROM member_name_fts WHERE member_name_fts MATCH ?').pluck();
    for (const m of named) {
      const phrase = `"${nameIndexText(m.name!).replace(/"/g, '""')}"`;
      expect(match.all(phrase)).toContain(m.seq);
    }

    const twoChar = named.filter((m) => /^\p{Script=Han}{2}$/u.test(m.name!));
    expect(twoChar.length).toBeGreaterThan(20);
    for (const m of twoChar.slice(0, 40)) {
      const found = await t.call('members.find', { query: m.name!, by: 'name', limit: 100 });
      expect(found.map((x) => x.id)).toContain(m.id);
    }
    const latin = named.filter((m) => /^[A-Za-z]/.test(m.name!));
    expect(latin.length / MEMBERS).toBeGreaterThan(0.1);
    for (const m of latin.slice(0, 20)) {
      const found = await t.call('members.find', { query: m.name!.slice(0, 3), by: 'name', limit: 100 });
      expect(found.map((x) => x.id)).toContain(m.id);
    }
  });

  it('keeps the ledger consistent: balances equal sums, no lot below zero, nothing left to expire', async () => {
    const verify = await t.call('ledger.verify', {});
    expect(verify).toMatchObject({ ok: true, membersChecked: MEMBERS, mismatches: [] });
    for (const m of members) {
      const state = deriveLots(facts(m.id));
      expect(state.balance).toBe(m.balance);
      expect(state.debt).toBe(0);
      for (const lot of state.lots) {
        expect(lot.remaining).toBeGreaterThan(0);
        expect(lot.remaining).toBeLessThanOrEqual(lot.original);
      }
      // The seed ran the expiry up to "today".
      expect(planExpiry(state, TODAY)).toEqual([]);
    }
    expect(raw.prepare(`SELECT value FROM meta WHERE key = 'expiry_watermark'`).pluck().get()).toBe(TODAY);
    const expiry = await t.call('points.runExpiry', {});
    expect(expiry.entries).toBe(0);
  });

  it('gives once-only bonuses the ids the services derive from their keys (so a checkout never repeats them)', () => {
    const once = raw.prepare(`SELECT id, member_id, reason, business_date, idempotency_key FROM ledger_entry WHERE kind = 'bonus' AND reason NOT LIKE 'spend_threshold:%'`).all() as {
      id: string;
      member_id: string;
      reason: string;
      business_date: string;
      idempotency_key: string;
    }[];
    expect(once.some((e) => e.reason === 'welcome')).toBe(true);
    expect(once.some((e) => e.reason.startsWith('referral:'))).toBe(true);
    for (const e of once) {
      const key =
        e.reason === 'birthday' ? `birthday:${e.member_id}:${e.business_date.slice(0, 4)}` : e.reason === 'welcome' ? `welcome:${e.member_id}` : `referral:${e.reason.slice('referral:'.length)}`;
      expect(e.idempotency_key).toBe(key);
      expect(e.id).toBe(deterministicUuid(key));
    }
  });

  it('writes credits with the rule set expiry, and dates in the store time zone', () => {
    const credits = raw.prepare(`SELECT created_at, expires_at, business_date FROM ledger_entry WHERE points > 0`).all() as { created_at: string; expires_at: string; business_date: string }[];
    for (const c of credits) {
      expect(c.expires_at).toBe(creditExpiry(c.created_at, DEFAULT_RULE_SET));
      expect(c.business_date).toBe(businessDateOf(c.created_at, t.terminal.ctx.timeZone));
    }
    const sales = raw.prepare('SELECT created_at, business_date FROM sale').all() as { created_at: string; business_date: string }[];
    for (const s of sales) expect(s.business_date).toBe(businessDateOf(s.created_at, t.terminal.ctx.timeZone));
  });

  it('keeps the period counters and purchase dates consistent with the sales', () => {
    // The member row's window holds the last month with spend and the month before it (spend-window.ts).
    const net = (member: string, month: string) =>
      Number(
        raw
          .prepare(
            `SELECT (SELECT COALESCE(SUM(s.paid_minor), 0) FROM sale s WHERE s.member_id = @member AND substr(s.business_date, 1, 7) = @month)
                  - (SELECT COALESCE(SUM(r.refund_minor), 0) FROM refund r JOIN sale s ON s.id = r.sale_id WHERE s.member_id = @member AND substr(s.business_date, 1, 7) = @month)`,
          )
          .pluck()
          .get({ member, month }),
      );
    const windows = raw.prepare(`SELECT id, spend_period, spend_current, spend_previous FROM member WHERE spend_period IS NOT NULL`).all() as {
      id: string;
      spend_period: string;
      spend_current: number;
      spend_previous: number;
    }[];
    expect(windows.length).toBeGreaterThan(0);
    for (const w of windows) {
      expect(w.spend_current).toBe(net(w.id, w.spend_period));
      expect(w.spend_previous).toBe(net(w.id, previousMonth(w.spend_period)));
    }
    const latest = raw.prepare(`SELECT member_id, max(substr(business_date, 1, 7)) AS month FROM sale WHERE member_id IS NOT NULL GROUP BY member_id`).all() as { member_id: string; month: string }[];
    const byId = new Map(windows.map((w) => [w.id, w.spend_period]));
    for (const l of latest) expect(byId.get(l.member_id)).toBe(l.month);
    const last = raw.prepare(`SELECT m.last_purchase_date AS last, (SELECT max(business_date) FROM sale s WHERE s.member_id = m.id) AS sold FROM member m`).all() as { last: string | null; sold: string | null }[];
    for (const l of last) if (l.sold !== null) expect(l.last).toBe(l.sold);
  });

  it('sums the day summaries of the whole history once, equal to the rows, and keeps them from then on', () => {
    expect(Number(raw.prepare('SELECT count(*) FROM day_summary').pluck().get())).toBeGreaterThan(0);
    expect(checkDaySummary(raw)).toEqual([]);
    const triggers = raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'day_summary_%' ORDER BY name`).pluck().all();
    expect(triggers).toEqual([...DAY_SUMMARY_TRIGGERS].sort());
  });

  it('references valid members, sales and staff everywhere; seeded sales read back through the API', async () => {
    expect(raw.pragma('foreign_key_check')).toEqual([]);
    expect(Number(raw.prepare('SELECT count(*) FROM sale s LEFT JOIN member m ON m.id = s.member_id WHERE m.id IS NULL').pluck().get())).toBe(0);
    const sale = raw.prepare(`SELECT id, receipt_no FROM sale WHERE redeemed_points > 0 ORDER BY created_at DESC LIMIT 1`).get() as { id: string; receipt_no: string };
    const dto = await t.call('sales.get', { receiptNo: sale.receipt_no });
    expect(dto.id).toBe(sale.id);
    expect(dto.redeemedPoints).toBeGreaterThan(0);
    expect(dto.lines.length).toBeGreaterThan(0);
    const refunded = raw.prepare(`SELECT s.id, s.receipt_no FROM refund r JOIN sale s ON s.id = r.sale_id LIMIT 1`).get() as { id: string; receipt_no: string };
    const withRefund = await t.call('sales.get', { saleId: refunded.id });
    expect(withRefund.lines.some((l) => l.refundedQuantity > 0)).toBe(true);
    // The demo's receipt numbers count up in insertion order, so the next receipt continues after the last.
    const counters = (raw.prepare('SELECT receipt_no FROM sale ORDER BY rowid').pluck().all() as string[]).map((r) => Number(r.slice(r.lastIndexOf('-') + 1)));
    expect(counters).toEqual(counters.map((_, i) => i + 1));
  });

  it('stores the same request fingerprints the services compute', () => {
    const sales = raw.prepare('SELECT id, idempotency_key, member_id, redeemed_points, request_hash FROM sale LIMIT 50').all() as {
      id: string;
      idempotency_key: string;
      member_id: string;
      redeemed_points: number;
      request_hash: string;
    }[];
    const lines = raw.prepare('SELECT line_no, category, sku, description, quantity, unit_price_minor, discount_minor FROM sale_line WHERE sale_id = ? ORDER BY line_no');
    for (const s of sales) {
      const input: SaleLineInput[] = (lines.all(s.id) as { line_no: number; category: string; sku: string; description: string; quantity: number; unit_price_minor: number; discount_minor: number }[]).map(
        (l) => ({ lineNo: l.line_no, category: l.category, sku: l.sku, description: l.description, quantity: l.quantity, unitPriceMinor: l.unit_price_minor, discountMinor: l.discount_minor }),
      );
      const expected = requestHash({ idempotencyKey: s.idempotency_key, memberId: s.member_id, lines: input, redeemPoints: s.redeemed_points });
      expect(s.request_hash).toBe(expected);
      expect(saleRequestHash(s.member_id, input, s.redeemed_points)).toBe(expected);
    }
    const r = [{ lineNo: 2, quantity: 1 }];
    expect(refundRequestHash('sale-1', r)).toBe(requestHash({ idempotencyKey: 'k-12345678', saleId: 'sale-1', lines: r }));
  });

  it('is deterministic for the same clock and seed', async () => {
    const again = await openTestTerminal({ seedMembers: MEMBERS, clock: new TestClock(Date.parse(TODAY)) });
    try {
      const digest = (db: BetterSqlite3.Database) => ({
        members: db.prepare('SELECT phone, name, birthday, balance, diamond, registered_at, last_purchase_date FROM member ORDER BY seq').all(),
        entries: db.prepare('SELECT kind, count(*) AS n, sum(points) AS points FROM ledger_entry GROUP BY kind ORDER BY kind').all(),
        sales: db.prepare('SELECT created_at, gross_minor, paid_minor, earned_points FROM sale ORDER BY created_at, gross_minor').all(),
        cards: db.prepare('SELECT code, status FROM card ORDER BY code').all(),
      });
      expect(digest(again.terminal.ctx.raw)).toEqual(digest(raw));
    } finally {
      await again.close();
    }
  });
});
