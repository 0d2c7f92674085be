import type { CoreContext, Executor } from '../terminal/context';

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

/** Several changes queued in one statement, in order (as many `enqueueOutbox` calls would). */
export async function enqueueOutboxRows(
  ex: Executor,
  ctx: CoreContext,
  changes: readonly { kind: OutboxKind; entityId: string; payload: unknown; hlc?: string }[],
): Promise<void> {
  if (changes.length === 0) return;
  const createdAt = ctx.now().toISOString();
  await ex
    .insertInto('outbox')
    .values(
      changes.map((c) => ({
        op_id: ctx.newId(),
        kind: c.kind,
        entity_id: c.entityId,
        payload: JSON.stringify(c.payload),
        hlc: c.hlc ?? ctx.hlc.send(),
        created_at: createdAt,
      })),
    )
    .execute();
}
