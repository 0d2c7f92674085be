import type { Executor, Trx } from './context';

/**
 * Answers remembered by idempotency key, for operations that have no row of their own keyed by it
 * (sales and refunds keep theirs on their own rows). Written in the operation's transaction, so
 * a retry after a crash finds either the whole operation with its answer or neither.
 */
export type IdempotencyScope = 'registration' | 'card_replacement' | 'ledger_entry' | 'drawer' | 'z_report';

export interface RememberedAnswer {
  requestHash: string | null;
  result: string;
}

export async function rememberedAnswer(ex: Executor, scope: IdempotencyScope, key: string): Promise<RememberedAnswer | null> {
  const row = await ex.selectFrom('idempotency').select(['request_hash', 'result']).where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  return row ? { requestHash: row.request_hash, result: row.result } : null;
}

export async function rememberAnswer(trx: Trx, scope: IdempotencyScope, key: string, answer: RememberedAnswer): Promise<void> {
  await trx.insertInto('idempotency').values({ scope, key, request_hash: answer.requestHash, result: answer.result }).execute();
}
