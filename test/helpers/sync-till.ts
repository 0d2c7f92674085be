import { DomainError } from '../../src-shared/errors/domain-error';
import type { Input, Method, Outputs } from '../../src-shared/api/contract';
import { SyncNetworkError, createSyncClient, type SyncClient } from '../../src-main/sync/sync-client';
import type { TerminalPath, TerminalRequest } from '../../src-shared/sync/protocol';
import { DEMO_STAFF } from '../../src-main/seed/demo';
import { createTerminal, type Terminal } from '../../src-main/terminal/create-terminal';
import { tempDir } from './terminal';
import type { TestSyncServer } from './sync-server';

/** The network between a till and the test server: it can be cut, lose answers, and it records what was asked. */
export class TillLink {
  down = false;
  /** Per path, how many more answers get through before one is lost (the server did the work, the till never hears). */
  private readonly loseAfter = new Map<string, number>();
  readonly requests: { path: string; body: Record<string, unknown> }[] = [];
  /** The answer to the request after the next `n` requests on `path` is lost (n = 0: the next one). */
  loseAnswer(path: string, n = 0): void {
    this.loseAfter.set(path, n);
  }
  wrap(inner: SyncClient): SyncClient {
    return {
      post: async <P extends TerminalPath>(path: P, body: TerminalRequest<P>, token: string | null) => {
        if (this.down) throw new SyncNetworkError('cable unplugged');
        this.requests.push({ path, body: { ...body } });
        const res = await inner.post(path, body, token);
        const left = this.loseAfter.get(path);
        if (left !== undefined) {
          if (left === 0) {
            this.loseAfter.delete(path);
            throw new SyncNetworkError('answer lost');
          }
          this.loseAfter.set(path, left - 1);
        }
        return res;
      },
    };
  }
}

export interface SyncTill {
  t: Terminal;
  link: TillLink;
  dataDir: string;
  call<M extends Method>(m: M, input: Input<M>): Promise<Outputs[M]>;
  /** The demo manager's approval on this till. */
  approval: { staffId: string; pin: string };
  storeId(): string;
  /** Closes the till (as a crash would leave it: whatever was committed stays) and opens it again on its data folder. */
  reopen(): Promise<SyncTill>;
  close(): Promise<void>;
}

/**
 * A real till (createTerminal on its own data folder, demo staff, a cashier signed in) with the sync
 * agent idle (tests call `t.sync.syncNow()`), enrolled with `code` unless it is reopened.
 */
export async function syncTill(
  server: TestSyncServer,
  opts: { now: () => number; code?: string; dataDir?: string; link?: TillLink; snapshotLimit?: number; pullLimit?: number; /** Enrol with this address instead of the server's (a proxy in between). */ serverUrl?: string },
): Promise<SyncTill> {
  const link = opts.link ?? new TillLink();
  const dataDir = opts.dataDir ?? tempDir('tillsmith-till-');
  const t = await createTerminal({
    dataDir,
    now: () => new Date(opts.now()),
    pinKdfCost: 1024,
    seedDemo: { members: 0, paymentsAtTill: false },
    startSync: false,
    sync: {
      clientFor: (url) => link.wrap(createSyncClient({ baseUrl: url, now: opts.now })),
      ...(opts.snapshotLimit ? { snapshotLimit: opts.snapshotLimit } : {}),
      ...(opts.pullLimit ? { pullLimit: opts.pullLimit } : {}),
    },
  });
  const call = async <M extends Method>(m: M, input: Input<M>): Promise<Outputs[M]> => {
    const r = await t.dispatch(m, input);
    if (r.ok) return r.value as Outputs[M];
    throw new DomainError(r.error.code, r.error.message, r.error.details ?? {});
  };
  const staff = await call('staff.list', {});
  const idOf = (role: 'cashier' | 'manager') => staff.find((s) => s.name === DEMO_STAFF.find((d) => d.role === role)!.name)!.id;
  await call('session.signIn', { staffId: idOf('cashier'), pin: DEMO_STAFF[0].pin });
  const approval = { staffId: idOf('manager'), pin: DEMO_STAFF.find((d) => d.role === 'manager')!.pin };
  if (opts.code) {
    const down = link.down;
    link.down = false;
    await call('sync.enrol', { serverUrl: opts.serverUrl ?? server.baseUrl, code: opts.code, approval });
    link.down = down;
  }
  const till: SyncTill = {
    t,
    link,
    dataDir,
    call,
    approval,
    storeId: () => t.ctx.raw.prepare(`SELECT value FROM meta WHERE key = 'store_id'`).pluck().get() as string,
    reopen: async () => {
      await t.close();
      return syncTill(server, { ...opts, code: undefined, dataDir, link });
    },
    close: () => t.close(),
  };
  return till;
}
