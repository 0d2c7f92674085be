import type { PullRequest } from '../../src-shared/sync/protocol';
import type { ServerDb } from '../db/database';
import { ServerError } from '../errors';
import { feedState } from './feed';
import type { TerminalIdentity } from './outcome';

/** 410 CURSOR_EXPIRED: the feed below `compactedThrough` was compacted away; the terminal must load a snapshot. */
export function cursorExpired(cursor: number, compactedThrough: number, what = 'cursor'): ServerError {
  return new ServerError(
    410,
    'CURSOR_EXPIRED',
    `the ${what} ${cursor} is older than the change feed the server keeps (compacted through ${compactedThrough}): load a fresh snapshot (/v1/snapshot, protocol 2; a version-1 till must be updated)`,
    { reason: 'compacted', cursor: String(cursor), compactedThrough: String(compactedThrough) },
  );
}

/**
 * One page of the change feed after `cursor`, in server_seq (= commit) order, without the
 * terminal's own echoes (its ledger entries, cards and spend) and without other stores' staff.
 * Version-1 terminals get no staff changes at all. Returns the response body as JSON text: the
 * stored payloads are spliced in as they are (no parse and re-serialise per change).
 *
 * The head (highest committed seq) is read FIRST, then the rows up to it: every seq at or below
 * the head was committed before the head was read (the feed lock makes allocation order commit
 * order), so the second read sees all of them. When the page is not full, nothing else exists up
 * to the end of the window it looked at, and the cursor can jump there (past a run of own echoes).
 *
 * A cursor below the compaction horizon is refused (410 CURSOR_EXPIRED), never served with a hole.
 * The horizon is checked again after the rows were read: a compaction commits its horizon before
 * it deletes anything, so rows missing from this read mean the second check sees the new horizon.
 */
export async function handlePull(sdb: ServerDb, now: () => number, terminal: TerminalIdentity, req: PullRequest): Promise<string> {
  const cursor = Number(req.cursor);
  if (!Number.isSafeInteger(cursor)) throw new ServerError(400, 'INVALID_REQUEST', 'cursor out of range');
  const { head, compactedThrough } = await feedState(sdb.db);
  if (cursor > head) {
    throw new ServerError(409, 'INVALID_REQUEST', `the cursor ${cursor} is ahead of the server's feed (${head}): was the server restored from a backup? Re-bootstrap.`, {
      reason: 'cursor_ahead',
      head: String(head),
    });
  }
  if (cursor < compactedThrough) throw cursorExpired(cursor, compactedThrough);
  // Each query looks at a bounded window of seqs (whatever plan the database picks, a page never
  // scans or sorts the whole rest of the feed); a window thinned out by own echoes just means
  // a short page with hasMore.
  const windowEnd = Math.min(head, cursor + Math.max(2 * req.limit, 1000));
  let q = sdb.db
    .selectFrom('change_feed')
    .select(['server_seq', 'payload'])
    .where('server_seq', '>', cursor)
    .where('server_seq', '<=', windowEnd)
    .where((eb) => eb.or([eb('origin_terminal', 'is', null), eb('origin_terminal', '!=', terminal.id)]))
    .where((eb) => eb.or([eb('store_id', 'is', null), eb('store_id', '=', terminal.storeId)]));
  if (req.protocolVersion < 2) q = q.where('kind', '!=', 'staff');
  const rows = cursor === head ? [] : await q.orderBy('server_seq').limit(req.limit + 1).execute();
  const full = rows.length > req.limit;
  const page = full ? rows.slice(0, req.limit) : rows;
  const nextCursor = full ? Number(page[page.length - 1]!.server_seq) : windowEnd;
  const hasMore = nextCursor < head;
  if (cursor !== head) {
    const after = await feedState(sdb.db);
    if (cursor < after.compactedThrough) throw cursorExpired(cursor, after.compactedThrough);
  }

  const nowMs = now();
  const offset = req.sentAt ? nowMs - Date.parse(req.sentAt) : undefined;
  await sdb.db
    .updateTable('terminal')
    .set({
      last_seen_at: new Date(nowMs).toISOString(),
      last_pull_cursor: nextCursor,
      ...(offset !== undefined && Number.isFinite(offset) ? { clock_offset_ms: offset } : {}),
    })
    .where('id', '=', terminal.id)
    .execute();

  const parts: string[] = [];
  for (const r of page) parts.push(`{"serverSeq":"${Number(r.server_seq)}",${r.payload.slice(1)}`);
  return `{"changes":[${parts.join(',')}],"nextCursor":"${nextCursor}","hasMore":${hasMore},"serverTime":"${new Date(now()).toISOString()}"}`;
}
