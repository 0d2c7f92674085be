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
  await ex
    .insertInto('outbox')
    .values({
      op_id: ctx.newId(),
      kind,
      entity_id: entityId,
      payload: JSON.stringify(payload),
      hlc: hlc ?? ctx.hlc.send(),
      created_at: ctx.now().toISOString(),
    })
    .execute();
}
