import { preparedQuery } from '../db/prepared-query';
import type { TerminalDatabase } from '../db/schema';
import type { Executor } from '../terminal/context';

/**
 * More index entries than one leaf page of `sale_member` or `ledger_member` holds (4 KiB pages:
 * ~55 and ~30 entries when full), so reading this many from the member's range outwards always
 * reaches the neighbouring leaf.
 */
export const NEIGHBOUR_ENTRIES = 64;

const lastSaleOfMember = preparedQuery<TerminalDatabase, { memberId: string }, { created_at: string }>((db, p) =>
  db.selectFrom('sale').select('created_at').where('member_id', '=', p('memberId')).orderBy('created_at', 'desc').limit(1),
);
const salesBefore = preparedQuery<TerminalDatabase, { memberId: string }, { member_id: string | null }>((db, p) =>
  db.selectFrom('sale').select('member_id').where('member_id', '<', p('memberId')).orderBy('member_id', 'desc').limit(NEIGHBOUR_ENTRIES),
);
const salesAfter = preparedQuery<TerminalDatabase, { memberId: string }, { member_id: string | null }>((db, p) =>
  db.selectFrom('sale').select('member_id').where('member_id', '>', p('memberId')).orderBy('member_id', 'asc').limit(NEIGHBOUR_ENTRIES),
);
const entriesBefore = preparedQuery<TerminalDatabase, { memberId: string }, { member_id: string }>((db, p) =>
  db.selectFrom('ledger_entry').select('member_id').where('member_id', '<', p('memberId')).orderBy('member_id', 'desc').limit(NEIGHBOUR_ENTRIES),
);
const entriesAfter = preparedQuery<TerminalDatabase, { memberId: string }, { member_id: string }>((db, p) =>
  db.selectFrom('ledger_entry').select('member_id').where('member_id', '>', p('memberId')).orderBy('member_id', 'asc').limit(NEIGHBOUR_ENTRIES),
);

/**
 * Reads into SQLite's page cache the index pages a sale of this member will write or may read:
 * the end of the member's range of `sale_member` (its own entries in `ledger_member` are already
 * read by the preview's lots), and the leaves either side of the member's range in both indexes.
 * An insert into a full leaf makes SQLite rebalance it with its neighbours, reading them; on a
 * large store those are rarely cached, and that read, one or two random reads from the disk, came
 * inside the cashier's "complete" (bench/README.md, session 9).
 *
 * A basket is always previewed before "complete" (the till previews on every change), so the
 * preview calls this and the sale's inserts find the pages in memory. The queries read only the
 * member-keyed covering indexes (test/integration/db/query-plans.test.ts checks the plans).
 */
export async function touchMemberIndexPages(ex: Executor, memberId: string): Promise<void> {
  const params = { memberId };
  await lastSaleOfMember(ex, params);
  await salesBefore(ex, params);
  await salesAfter(ex, params);
  await entriesBefore(ex, params);
  await entriesAfter(ex, params);
}

