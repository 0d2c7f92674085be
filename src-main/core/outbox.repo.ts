import { sql } from 'kysely';
import { preparedQuery, rowParams } from '../db/prepared-query';
import type { TerminalDatabase } from '../db/schema';
import type { CoreContext, Executor, Trx } from './context';

export type OutboxKind = 'ledger_entry' | 'member' | 'member_fields' | 'card' | 'sale' | 'refund' | 'audit' | 'staff' | 'drawer_event' | 'z_report';

/**
 * Queues a change for the sync agent, in the same transaction as the change itself: the
 * change and its outbox row commit together or not at all. Never touches the network.
 */
export async function enqueueOutbox(
  ex: Executor,
  ctx: CoreContext,
  kind: Exclude<OutboxKind, JournalKind>,
  entityId: string,
  payload: unknown,
  hlc?: string,
): Promise<void> {
  await enqueueOutboxRows(ex, ctx, [{ kind, entityId, payload, hlc }]);
}

/** Queues a sale or ledger entry written in this transaction; its op is built from its row when sent. */
export async function enqueueJournal(ex: Executor, ctx: CoreContext, kind: JournalKind, entityId: string, hlc?: string): Promise<void> {
  await enqueueOutboxRows(ex, ctx, [{ kind, entityId, hlc }]);
}

type OutboxInsert = { op_id: string; kind: OutboxKind; entity_id: string; payload: string | null; hlc: string; created_at: string };

/**
 * `meta` key of the highest seq already acknowledged and deleted. A change's seq follows the last
 * row still queued, or this floor when none is, so seqs only ever grow (the server relies on it)
 * without a counter written at every change.
 */
export const OUTBOX_SEQ_FLOOR = 'outbox.seq_floor';

/**
 * Kinds whose rows never change once written (a sale, a ledger entry): their outbox row names the
 * row, and the op's payload is built from it when it is sent, instead of a second copy of it here.
 */
export type JournalKind = 'sale' | 'ledger_entry';
const insertOutboxQuery = preparedQuery<TerminalDatabase, OutboxInsert, never>((db, p) =>
  db.insertInto('outbox').values({
    ...rowParams(p, { op_id: true, kind: true, entity_id: true, payload: true, hlc: true, created_at: true }),
    seq: sql<number>`coalesce((SELECT max(seq) FROM outbox), (SELECT CAST(value AS INTEGER) FROM meta WHERE key = ${OUTBOX_SEQ_FLOOR}), 0) + 1`,
  }),
);

/** Several changes queued in order (as many `enqueueOutbox` calls would). */
export async function enqueueOutboxRows(
  ex: Executor,
  ctx: CoreContext,
  changes: readonly ({ kind: Exclude<OutboxKind, JournalKind>; entityId: string; payload: unknown; hlc?: string } | { kind: JournalKind; entityId: string; hlc?: string })[],
): Promise<void> {
  if (changes.length === 0) return;
  const createdAt = ctx.now().toISOString();
  for (const c of changes) {
    await insertOutboxQuery(ex, {
      op_id: ctx.newId(),
      kind: c.kind,
      entity_id: c.entityId,
      payload: 'payload' in c ? JSON.stringify(c.payload) : null,
      hlc: c.hlc ?? ctx.hlc.send(),
      created_at: createdAt,
    });
  }
}

/**
 * Deletes the changes the server acknowledged (seq up to `seq`) and raises the seq floor with
 * them, in the caller's transaction. The only way rows leave the outbox.
 */
export async function acknowledgeThrough(trx: Trx, seq: number): Promise<number> {
  const deleted = Number((await trx.deleteFrom('outbox').where('seq', '<=', seq).executeTakeFirst()).numDeletedRows);
  if (deleted > 0) {
    const floor = await trx.selectFrom('meta').select('value').where('key', '=', OUTBOX_SEQ_FLOOR).executeTakeFirst();
    if (floor === undefined || Number(floor.value) < seq) {
      await trx
        .insertInto('meta')
        .values({ key: OUTBOX_SEQ_FLOOR, value: String(seq) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(seq) }))
        .execute();
    }
  }
  return deleted;
}
