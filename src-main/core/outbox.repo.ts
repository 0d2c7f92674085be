import { preparedQuery, rowParams } from '../db/prepared-query';
import type { TerminalDatabase } from '../db/schema';
import type { CoreContext, Executor } from './context';

export type OutboxKind = 'ledger_entry' | 'member' | 'member_fields' | 'card' | 'sale' | 'refund' | 'audit' | 'staff';

/**
 * Queues a change for the sync agent, in the same transaction as the change itself: the
 * change and its outbox row commit together or not at all. Never touches the network.
 */
export async function enqueueOutbox(
  ex: Executor,
  ctx: CoreContext,
  kind: OutboxKind,
  entityId: string,
  payload: unknown,
  hlc?: string,
): Promise<void> {
  await enqueueOutboxRows(ex, ctx, [{ kind, entityId, payload, hlc }]);
}

type OutboxInsert = { op_id: string; kind: OutboxKind; entity_id: string; payload: string; hlc: string; created_at: string };
const insertOutboxQuery = preparedQuery<TerminalDatabase, OutboxInsert, never>((db, p) =>
  db.insertInto('outbox').values(rowParams(p, { op_id: true, kind: true, entity_id: true, payload: true, hlc: true, created_at: true })),
);

/** Several changes queued in order (as many `enqueueOutbox` calls would). */
export async function enqueueOutboxRows(
  ex: Executor,
  ctx: CoreContext,
  changes: readonly { kind: OutboxKind; entityId: string; payload: unknown; hlc?: string }[],
): Promise<void> {
  if (changes.length === 0) return;
  const createdAt = ctx.now().toISOString();
  for (const c of changes) {
    await insertOutboxQuery(ex, {
      op_id: ctx.newId(),
      kind: c.kind,
      entity_id: c.entityId,
      payload: JSON.stringify(c.payload),
      hlc: c.hlc ?? ctx.hlc.send(),
      created_at: createdAt,
    });
  }
}
