import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { key, openTestTerminal, type TestTerminal } from '../../helpers/terminal';

let t: TestTerminal | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

/** Every SQL text the connection prepares from now on (the services' real SQL, as Kysely compiles it). */
function captureSql(raw: BetterSqlite3.Database): Set<string> {
  const texts = new Set<string>();
  const prepare = raw.prepare.bind(raw);
  (raw as unknown as { prepare: (s: string) => BetterSqlite3.Statement }).prepare = (s: string) => {
    texts.add(s);
    return prepare(s);
  };
  return texts;
}

/** EXPLAIN QUERY PLAN of a statement, its parameters bound to placeholders. */
function planOf(raw: BetterSqlite3.Database, sql: string): string[] {
  return (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...sql.split('?').slice(1).map(() => 1)) as { detail: string }[]).map((r) => r.detail);
}

/**
 * The plans of a checkout's member reads, taken from the SQL the services really run: one
 * member's facts and recent redemptions must come from the covering indexes (one or two index
 * pages), never from table rows scattered over the ledger.
 */
describe('query plans of the checkout path', () => {
  it('reads a member\'s ledger facts and redemptions through covering indexes only', async () => {
    t = await openTestTerminal({ seedMembers: 5 });
    await t.signInCashier();
    const raw = t.terminal.ctx.raw;
    const texts = captureSql(raw);
    const member = raw.prepare(`SELECT id FROM member WHERE balance >= 200 LIMIT 1`).pluck().get() as string;
    await t.call('checkout.complete', {
      idempotencyKey: key(),
      memberId: member,
      lines: [{ lineNo: 1, category: 'grocery', quantity: 1, unitPriceMinor: 5000 }],
      redeemPoints: 100,
    });
    await t.call('members.get', { memberId: member });
    const sale = (await t.call('sales.recent', { limit: 1 }))[0]!;
    await t.call('refunds.create', { idempotencyKey: key(), saleId: sale.id, lines: [{ lineNo: 1, quantity: 1 }] });

    const facts = [...texts].filter((s) => /from "ledger_entry" where "member_id" = \? union all/i.test(s));
    const redemptions = [...texts].filter((s) => /"member_id" = \? and \+kind = 'redeem'/.test(s));
    expect(facts.length).toBeGreaterThan(0);
    expect(redemptions.length).toBeGreaterThan(0);
    const plan = (s: string) => planOf(raw, s);
    for (const s of facts) {
      const p = plan(s);
      expect(p).toContainEqual(expect.stringMatching(/SEARCH ledger_entry USING COVERING INDEX ledger_member \(member_id=\?\)/));
      expect(p).toContainEqual(expect.stringMatching(/SEARCH remote_entry USING COVERING INDEX remote_entry_member \(member_id=\?\)/));
    }
    for (const s of redemptions) expect(plan(s)).toContainEqual(expect.stringMatching(/SEARCH ledger_entry USING COVERING INDEX ledger_member \(member_id=\? AND created_at>\?\)/));
    // The till's own redemptions in the velocity window: a range of entry ids (UUIDv7, minted in time order).
    const terminal = [...texts].filter((s) => /"id" >= \? and "id" < \? and "kind" = \?/.test(s));
    expect(terminal.length).toBeGreaterThan(0);
    for (const s of terminal) expect(plan(s)).toContainEqual(expect.stringMatching(/SEARCH ledger_entry USING INDEX sqlite_autoindex_ledger_entry_1 \(id>\? AND id<\?\)/));
    // The member's counters for today come from today's entries, through the member's index.
    const day = [...texts].filter((s) => /"business_date" = \?/.test(s) && /offline = 1/.test(s));
    expect(day.length).toBeGreaterThan(0);
    for (const s of day) expect(plan(s)).toContainEqual(expect.stringMatching(/SEARCH ledger_entry USING INDEX ledger_member \(member_id=\? AND created_at>\?\)/));
    // A refund finds the sale's earn entry among the member's entries (no index of entries by sale).
    const earnOfSale = [...texts].filter((s) => /"sale_id" = \? and \+kind = 'earn'/.test(s));
    expect(earnOfSale.length).toBeGreaterThan(0);
    for (const s of earnOfSale) expect(plan(s)).toContainEqual(expect.stringMatching(/SEARCH ledger_entry USING INDEX ledger_member \(member_id=\?\)/));
  });

});
