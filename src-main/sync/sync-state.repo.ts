import type { SyncProblemDto } from '../../src-shared/api/contract-sync';
import type { Executor } from '../core/context';

/** The sync agent's durable state, in `meta`, written in the same transaction as what it covers. */
export const SYNC_KEYS = {
  serverUrl: 'sync.server_url',
  token: 'sync.token',
  cursor: 'sync.pull_cursor',
  lastSuccessAt: 'sync.last_success_at',
  clockOffsetMs: 'sync.clock_offset_ms',
  /** JSON BootstrapState while a snapshot bootstrap is under way; absent otherwise. */
  bootstrap: 'sync.bootstrap',
  bootstrappedAt: 'sync.bootstrapped_at',
} as const;

/** Where a snapshot bootstrap stands, written in the transaction of each page it applied. */
export interface BootstrapState {
  /** The feed cursor to continue from once every page is in (null until the first page). */
  upper: string | null;
  /** The last member id applied ("" before the first page). */
  after: string;
  members: number;
  pages: number;
  startedAt: string;
}

export async function readBootstrap(ex: Executor): Promise<BootstrapState | null> {
  const v = await readSyncValue(ex, SYNC_KEYS.bootstrap);
  return v ? (JSON.parse(v) as BootstrapState) : null;
}

export async function writeBootstrap(ex: Executor, state: BootstrapState | null): Promise<void> {
  if (state) await writeSyncValue(ex, SYNC_KEYS.bootstrap, JSON.stringify(state));
  else await ex.deleteFrom('meta').where('key', '=', SYNC_KEYS.bootstrap).execute();
}

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

/** The newest sync problems (ops the server rejected or held, changes kept aside), newest first. */
export async function latestSyncProblems(ex: Executor, limit: number): Promise<SyncProblemDto[]> {
  const rows = await ex.selectFrom('sync_problem').selectAll().orderBy('seq', 'desc').limit(limit).execute();
  return rows.map((r) => ({ seq: r.seq, kind: r.kind, entityId: r.entity_id, status: r.status, reason: r.reason, at: r.at }));
}

export interface Enrolment {
  serverUrl: string;
  token: string;
}

export async function readEnrolment(ex: Executor): Promise<Enrolment | null> {
  const [serverUrl, token] = await Promise.all([readSyncValue(ex, SYNC_KEYS.serverUrl), readSyncValue(ex, SYNC_KEYS.token)]);
  return serverUrl && token ? { serverUrl, token } : null;
}
