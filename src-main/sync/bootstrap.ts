import { SYNC_PROTOCOL_VERSION, type SnapshotResponse } from '../../src-shared/sync/protocol';
import { inTransaction } from '../db/transaction';
import type { CoreContext, Trx } from '../core/context';
import { applySnapshotMembers } from './snapshot-apply';
import { applyServerStaff } from './staff-apply';
import { SyncHttpError, badAnswer, type SyncClient, type SyncResponse } from './sync-client';
import { SYNC_KEYS, writeBootstrap, writeSyncValue, type BootstrapState } from './sync-state.repo';

export interface BootstrapDeps {
  receiveRuleSet: (trx: Trx, ruleSet: unknown) => Promise<void>;
  /** Members per page (default 500). */
  limit?: number;
  /** Called with each page before it is applied (the agent starts fetching the next one meanwhile). */
  onFetched?: (page: SnapshotResponse) => void;
  /** Runs inside each page's transaction (the agent records its sync state there, not in a commit of its own). */
  alsoWrite?: (trx: Trx) => Promise<void>;
}

export type SnapshotStep =
  | { kind: 'page'; state: BootstrapState; memberIds: string[]; response: SyncResponse<SnapshotResponse> }
  | { kind: 'done'; cursor: string; ceiling: number; memberIds: string[]; response: SyncResponse<SnapshotResponse> }
  | { kind: 'restart'; state: BootstrapState; reason: string };

/** A bootstrap from the start: the first page fixes the cursor the feed continues from. */
export async function startBootstrap(ctx: CoreContext, ex: CoreContext['db'] | Trx = ctx.db): Promise<BootstrapState> {
  const state: BootstrapState = { upper: null, after: '', members: 0, pages: 0, startedAt: ctx.now().toISOString() };
  await ex.deleteFrom('snapshot_range').execute();
  await ex.deleteFrom('snapshot_link').execute();
  await writeBootstrap(ex, state);
  return state;
}

/** Whether the server says the feed no longer holds what a cursor needs (compacted, or restored from a backup). */
export function needsSnapshot(e: unknown): boolean {
  return e instanceof SyncHttpError && ((e.status === 410 && e.code === 'CURSOR_EXPIRED') || (e.status === 409 && e.details.reason === 'cursor_ahead'));
}

/** Asks for the snapshot page that follows `state` (read-only on the server: safe to ask again). */
export function fetchSnapshotPage(ctx: CoreContext, client: SyncClient, token: string, limit: number, state: Pick<BootstrapState, 'upper' | 'after'>): Promise<SyncResponse<SnapshotResponse>> {
  return client.post(
    '/v1/snapshot',
    { protocolVersion: SYNC_PROTOCOL_VERSION, terminalId: ctx.terminalId, ...(state.upper !== null ? { upperCursor: state.upper } : {}), after: state.after, limit },
    token,
  );
}

/**
 * What a page may say about the position it was asked for. Refused (nothing applied, the same
 * page is asked for again later): another `upperCursor` than the one the first page fixed (the
 * feed would continue from the wrong place), a `pageCursor` below it, a member outside the
 * range `(after, nextAfter]` or out of id order (the range recorded for the feed replay would not
 * hold it, and its entries could be counted twice), or `hasMore` without moving on.
 */
export function checkSnapshotPage(state: Pick<BootstrapState, 'upper' | 'after'>, page: SnapshotResponse): void {
  const bad = (what: string) => badAnswer('/v1/snapshot', what);
  if (state.upper !== null && page.upperCursor !== state.upper) throw bad(`upperCursor ${page.upperCursor} is not the ${state.upper} this snapshot continues from`);
  if (BigInt(page.pageCursor) < BigInt(page.upperCursor)) throw bad(`pageCursor ${page.pageCursor} is below upperCursor ${page.upperCursor}`);
  let previous = state.after;
  page.members.forEach((m, i) => {
    if (m.member.id <= previous) throw bad(`members[${i}].member.id ${m.member.id} is not after "${previous}" (pages come in member id order)`);
    if (page.hasMore && m.member.id > page.nextAfter) throw bad(`members[${i}].member.id ${m.member.id} is beyond nextAfter "${page.nextAfter}"`);
    previous = m.member.id;
  });
  if (page.hasMore && page.nextAfter <= state.after) throw bad(`hasMore with nextAfter "${page.nextAfter}" not after "${state.after}"`);
}

/**
 * Applies one fetched snapshot page. The page, the range it covers (for the feed replay that
 * follows) and the new position commit in ONE local transaction, so a crash or a lost answer just
 * means the same page is fetched again. After the last page the pull cursor is set to the
 * snapshot's upper cursor and the bootstrap state is removed, in the same transaction.
 */
export async function applySnapshotPage(ctx: CoreContext, deps: BootstrapDeps, state: BootstrapState, res: SyncResponse<SnapshotResponse>): Promise<Exclude<SnapshotStep, { kind: 'restart' }>> {
  const page = res.body;
  return inTransaction(ctx.db, async (trx): Promise<Exclude<SnapshotStep, { kind: 'restart' }>> => {
    for (const rs of page.ruleSets ?? []) await deps.receiveRuleSet(trx, rs);
    for (const s of page.staff ?? []) await applyServerStaff(trx, ctx, s);
    const memberIds = applySnapshotMembers(ctx, page);
    const seq = Number(page.pageCursor);
    await trx
      .insertInto('snapshot_range')
      .values({ after: state.after, last: page.hasMore ? page.nextAfter : null, seq })
      .onConflict((oc) => oc.column('after').doUpdateSet({ last: page.hasMore ? page.nextAfter : null, seq }))
      .execute();
    if (page.hasMore) {
      const next: BootstrapState = { ...state, upper: page.upperCursor, after: page.nextAfter, members: state.members + memberIds.length, pages: state.pages + 1 };
      await writeBootstrap(trx, next);
      await deps.alsoWrite?.(trx);
      return { kind: 'page', state: next, memberIds, response: res };
    }
    await trx.deleteFrom('snapshot_link').execute(); // targets the server never had: left unlinked
    await writeBootstrap(trx, null);
    await writeSyncValue(trx, SYNC_KEYS.cursor, page.upperCursor);
    await writeSyncValue(trx, SYNC_KEYS.bootstrappedAt, ctx.now().toISOString());
    await deps.alsoWrite?.(trx);
    const ceiling = await trx.selectFrom('snapshot_range').select((eb) => eb.fn.max('seq').as('s')).executeTakeFirst();
    return { kind: 'done', cursor: page.upperCursor, ceiling: Number(ceiling?.s ?? 0), memberIds, response: res };
  });
}

/**
 * The next snapshot page: fetched (or taken from `prefetched`, the request for it already under
 * way) and applied. When the server no longer has the upper cursor's feed (compacted meanwhile)
 * or is behind it (restored from a backup), the bootstrap starts again from the first page.
 */
export async function snapshotStep(
  ctx: CoreContext,
  client: SyncClient,
  token: string,
  deps: BootstrapDeps,
  state: BootstrapState,
  prefetched?: Promise<SyncResponse<SnapshotResponse>>,
): Promise<SnapshotStep> {
  let res: SyncResponse<SnapshotResponse>;
  try {
    res = await (prefetched ?? fetchSnapshotPage(ctx, client, token, deps.limit ?? 500, state));
  } catch (e) {
    if (!needsSnapshot(e)) throw e;
    return { kind: 'restart', state: await startBootstrap(ctx), reason: (e as Error).message };
  }
  checkSnapshotPage(state, res.body);
  if (deps.onFetched) {
    deps.onFetched(res.body);
    // Applying a page is synchronous SQLite work that holds the event loop: give it one turn
    // first, so the request for the next page actually goes out and the server works meanwhile.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return applySnapshotPage(ctx, deps, state, res);
}
