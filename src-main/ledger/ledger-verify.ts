import { sql } from 'kysely';
import type { LedgerVerifyDto } from '../../src-shared/api/dto';
import type { Executor } from '../core/context';

/**
 * Proves the cached balances equal the sum of the ledger (own and received entries), member by
 * member. A full scan of the ledger (tens of seconds at a million members): the till runs it in
 * the reports' worker thread, on its read-only connection.
 */
export async function verifyLedgerBalances(ex: Executor): Promise<LedgerVerifyDto> {
  const { rows } = await sql<{ id: string; balance: number; total: number }>`
    SELECT m.id, m.balance, COALESCE(s.total, 0) AS total
    FROM member m LEFT JOIN (
      SELECT member_id, SUM(points) AS total FROM (
        SELECT member_id, points FROM ledger_entry UNION ALL SELECT member_id, points FROM remote_entry
      ) GROUP BY member_id
    ) s ON s.member_id = m.id
    WHERE m.balance != COALESCE(s.total, 0)`.execute(ex);
  const count = await ex.selectFrom('member').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return {
    ok: rows.length === 0,
    membersChecked: Number(count.n),
    mismatches: rows.map((r) => ({ memberId: r.id, cached: r.balance, sum: r.total })),
  };
}
