import { MAX_PUSH_OPS, SYNC_PROTOCOL_VERSION, type PushResponse, type SyncOp } from '../../src-shared/sync/protocol';
import { inTransaction } from '../db/transaction';
import type { CoreContext, Trx } from '../core/context';
import { acknowledgeThrough } from '../core/outbox.repo';
import { outboxOps } from './op-payloads';
import { badAnswer, type SyncClient, type SyncResponse } from './sync-client';

/**
 * What an acknowledgement may say about the batch it answers. Refused (nothing deleted, nothing
 * recorded, the batch is sent again later):
 * - an `ackedThroughSeq` beyond the last op sent: deleting up to it would drop changes the server
 *   never saw (the agent always sends the oldest rows, MAX_PUSH_OPS at most, so any seq the
 *   server acknowledged earlier is inside the batch it sends again);
 * - results that are not exactly one per op sent, in the order sent: a rejected or held op the
 *   till could not match would be deleted without its problem being kept for the operator.
 */
function checkAck(sent: readonly SyncOp[], body: PushResponse): void {
  const last = sent[sent.length - 1]!.seq;
  if (body.ackedThroughSeq > last) throw badAnswer('/v1/push', `ackedThroughSeq ${body.ackedThroughSeq} is beyond the last change sent (#${last})`);
  if (body.results.length !== sent.length) throw badAnswer('/v1/push', `${body.results.length} results for ${sent.length} changes sent`);
  body.results.forEach((r, i) => {
    if (r.seq !== sent[i]!.seq) throw badAnswer('/v1/push', `results[${i}].seq is ${r.seq}, the change sent there is #${sent[i]!.seq}`);
  });
}

/**
 * Sends the oldest outbox rows (strictly in seq order, one batch in flight) and, once the server
 * has acknowledged them, deletes exactly those rows in one transaction, recording any op the
 * server rejected or held. A lost answer just means the same batch is sent again: the server
 * answers duplicates with what it stored the first time. `alsoWrite` runs inside that same
 * transaction (the agent records its sync state there rather than in a commit of its own).
 */
export async function pushBatch(
  ctx: CoreContext,
  client: SyncClient,
  token: string,
  max = MAX_PUSH_OPS,
  alsoWrite?: (trx: Trx) => Promise<void>,
): Promise<{ sent: number; acked: number; response: SyncResponse<PushResponse> | null }> {
  const rows = await ctx.db.selectFrom('outbox').selectAll().orderBy('seq').limit(max).execute();
  if (rows.length === 0) return { sent: 0, acked: 0, response: null };
  const ops = await outboxOps(ctx.db, rows);
  const payloadOf = new Map(ops.map((o) => [o.seq, JSON.stringify(o.payload)]));
  let response: SyncResponse<PushResponse>;
  try {
    response = await client.post('/v1/push', { protocolVersion: SYNC_PROTOCOL_VERSION, terminalId: ctx.terminalId, appVersion: ctx.appVersion, ops }, token);
    checkAck(ops, response.body);
  } catch (e) {
    await ctx.db
      .updateTable('outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: (e as Error).message.slice(0, 300) }))
      .where('seq', '<=', rows[rows.length - 1]!.seq)
      .execute();
    throw e;
  }
  const { ackedThroughSeq, results } = response.body;
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  const at = ctx.now().toISOString();
  const acked = await inTransaction(ctx.db, async (trx) => {
    for (const r of results) {
      if (r.status !== 'rejected' && r.status !== 'held') continue;
      const row = bySeq.get(r.seq);
      if (!row) continue;
      await trx
        .insertInto('sync_problem')
        .values({ seq: row.seq, op_id: row.op_id, kind: row.kind, entity_id: row.entity_id, status: r.status, reason: r.reason ?? null, payload: payloadOf.get(row.seq) ?? '{}', at })
        .onConflict((oc) => oc.column('op_id').doNothing())
        .execute();
    }
    const deleted = await acknowledgeThrough(trx, ackedThroughSeq);
    await alsoWrite?.(trx);
    return deleted;
  });
  return { sent: rows.length, acked, response };
}
