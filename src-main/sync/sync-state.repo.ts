import type { Executor } from '../terminal/context';

/** The sync agent's durable state, in `meta`, written in the same transaction as what it covers. */
export const SYNC_KEYS = {
  serverUrl: 'sync.server_url',
  token: 'sync.token',
  cursor: 'sync.pull_cursor',
  lastSuccessAt: 'sync.last_success_at',
  clockOffsetMs: 'sync.clock_offset_ms',
} as const;

export async function readSyncValue(ex: Executor, key: string): Promise<string | null> {
  const row = await ex.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

export async function writeSyncValue(ex: Executor, key: string, value: string): Promise<void> {
  await ex
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export interface Enrolment {
  serverUrl: string;
  token: string;
}

export async function readEnrolment(ex: Executor): Promise<Enrolment | null> {
  const [serverUrl, token] = await Promise.all([readSyncValue(ex, SYNC_KEYS.serverUrl), readSyncValue(ex, SYNC_KEYS.token)]);
  return serverUrl && token ? { serverUrl, token } : null;
}
