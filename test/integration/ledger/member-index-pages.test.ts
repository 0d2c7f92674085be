import { afterEach, describe, expect, it } from 'vitest';
import { touchMemberIndexPages } from '../../../src-main/ledger/member-index-pages';
import { openTestTerminal, type TestTerminal } from '../../helpers/terminal';

let t: TestTerminal | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('touchMemberIndexPages (the preview reading the index pages a sale will write)', () => {
  it('reads only the member-keyed covering indexes, whoever the member is', async () => {
    t = await openTestTerminal({ seedMembers: 40 });
    const { raw, db } = t.terminal.ctx;
    // Capture the SQL as the statement cache first prepares it (nothing has run these yet).
    const seen: string[] = [];
    const prepare = raw.prepare.bind(raw);
    raw.prepare = ((sql: string) => {
      seen.push(sql);
      return prepare(sql);
    }) as typeof raw.prepare;
    const ids = raw.prepare('SELECT id FROM member ORDER BY id').pluck().all() as string[];
    seen.length = 0;
    // The first and last members have nothing on one side; one in the middle has both.
    for (const id of [ids[0]!, ids[ids.length >> 1]!, ids[ids.length - 1]!, 'no-such-member']) await touchMemberIndexPages(db, id);
    raw.prepare = prepare;

    expect(seen).toHaveLength(5);
    for (const sql of seen) {
      const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...sql.split('?').slice(1).map(() => 1)) as { detail: string }[]).map((r) => r.detail).join(' / ');
      // A full scan here would read 20M rows at 1M members; a temp B-tree would sort them.
      expect(plan, sql).toMatch(/^SEARCH (sale|ledger_entry) USING COVERING INDEX (sale_member|ledger_member) \(member_id[<>=]\?\)$/);
    }
  });
});
