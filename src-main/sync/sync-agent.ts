import type { SyncStatusDto } from '../../src-shared/api/contract-sync';
import { MAX_PUSH_OPS, SYNC_PROTOCOL_VERSION, type PullAnswer, type SnapshotResponse } from '../../src-shared/sync/protocol';
import { DomainError } from '../../src-shared/errors/domain-error';
import { inTransaction } from '../db/transaction';
import type { CoreContext, Trx } from '../core/context';
import type { EventBus } from '../core/events';
import { applyChange, checkPullPage, isKnownChange, keepAside, type ApplyOutcome } from './pull-apply';
import { pushBatch } from './push';
import { badAnswer, createSyncClient, SyncHttpError, SyncNetworkError, type SyncClient, type SyncResponse } from './sync-client';
import { readBootstrap, readEnrolment, readSyncValue, SYNC_KEYS, writeSyncValue, type BootstrapState, type Enrolment } from './sync-state.repo';
import { fetchSnapshotPage, needsSnapshot, snapshotStep, startBootstrap } from './bootstrap';

export interface SyncAgentOptions {
  /** Builds the HTTP client for a server URL (tests inject faulty transports). */
  clientFor?: (baseUrl: string) => SyncClient;
  intervalMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
  pullLimit?: number;
  /** Members per snapshot page while bootstrapping (default 500). */
  snapshotLimit?: number;
  receiveRuleSet: (trx: Trx, ruleSet: unknown) => Promise<void>;
}

const CLOCK_WARNING_MS = 2 * 60_000;
/**
 * A clock offset estimate moves by up to half a round trip from one answer to the next; a change
 * below this is noise and is not written on its own (it rides along with the next write).
 */
const CLOCK_OFFSET_TOLERANCE_MS = 5_000;

/** Bounds one cycle's pulling (feed or snapshot pages) so a till catching up still pushes its own sales in between. */
const MAX_PAGES_PER_CYCLE = 200;

/** The part of the agent's state that `meta` keeps for a restart (docs/sync-protocol.md, "An idle till writes nothing"). */
interface StoredTimes {
  lastSuccessAt: string | null;
  clockOffsetMs: number | null;
}

/**
 * The terminal's background sync: pushes the outbox, then pulls what changed, on a timer and
 * whenever a change is made here; retries with exponential backoff and jitter; never blocks a
 * checkout (it only ever holds the database for one short transaction at a time, and no network
 * call happens inside one). Its status is what the UI shows.
 */
export class SyncAgent {
  private enrolment: Enrolment | null = null;
  private client: SyncClient | null = null;
  private online = false;
  private failures = 0;
  private lastError: string | null = null;
  private clockOffsetMs: number | null = null;
  private lastSuccessAt: string | null = null;
  /**
   * What `meta` holds of the two above. They change with every answer, but are written only
   * inside a transaction that commits anyway (an acknowledged push, a pulled page, a snapshot
   * page, the enrolment), when the offset moved beyond the tolerance or across the warning
   * threshold, and when the agent stops: an idle till commits nothing.
   */
  private stored: StoredTimes = { lastSuccessAt: null, clockOffsetMs: null };
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private again = false;
  /** Set while a snapshot bootstrap is under way (a new till, or its cursor fell behind the compacted feed). */
  private bootstrap: BootstrapState | null = null;
  /** After a bootstrap, until the feed passes it: the highest seq a snapshot page was read at. */
  private snapshotCeiling = 0;
  /** The request for the next snapshot page, sent while the current one is applied. */
  private prefetch: { key: string; page: Promise<SyncResponse<SnapshotResponse>> } | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly events: EventBus,
    private readonly opts: SyncAgentOptions,
  ) {}

  async load(): Promise<void> {
    this.enrolment = await readEnrolment(this.ctx.db);
    this.client = this.enrolment ? this.makeClient(this.enrolment.serverUrl) : null;
    this.lastSuccessAt = await readSyncValue(this.ctx.db, SYNC_KEYS.lastSuccessAt);
    const offset = await readSyncValue(this.ctx.db, SYNC_KEYS.clockOffsetMs);
    this.clockOffsetMs = offset === null || !Number.isFinite(Number(offset)) ? null : Number(offset);
    this.stored = { lastSuccessAt: this.lastSuccessAt, clockOffsetMs: this.clockOffsetMs };
    this.bootstrap = await readBootstrap(this.ctx.db);
    // Enrolled by an earlier version and never pulled: load a snapshot rather than replay the feed.
    if (this.enrolment && !this.bootstrap && (await readSyncValue(this.ctx.db, SYNC_KEYS.cursor)) === null) this.bootstrap = await startBootstrap(this.ctx);
    const ceiling = await this.ctx.db.selectFrom('snapshot_range').select((eb) => eb.fn.max('seq').as('s')).executeTakeFirst();
    this.snapshotCeiling = this.bootstrap ? 0 : Number(ceiling?.s ?? 0);
  }

  get enrolled(): boolean {
    return this.enrolment !== null;
  }

  connectivity(): 'standalone' | 'online' | 'offline' {
    if (!this.enrolment) return 'standalone';
    return this.online ? 'online' : 'offline';
  }

  async status(): Promise<SyncStatusDto> {
    const [pending, problems] = await Promise.all([
      this.ctx.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      this.ctx.db.selectFrom('sync_problem').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      state: this.connectivity(),
      serverUrl: this.enrolment?.serverUrl ?? null,
      lastSuccessAt: this.lastSuccessAt,
      pending: Number(pending.n),
      lastError: this.lastError,
      clockOffsetMs: this.clockOffsetMs,
      clockWarning: this.clockOffsetMs !== null && Math.abs(this.clockOffsetMs) > CLOCK_WARNING_MS,
      problems: Number(problems.n),
      syncing: this.running !== null,
      bootstrap: this.bootstrap ? { membersLoaded: this.bootstrap.members, startedAt: this.bootstrap.startedAt } : null,
    };
  }

  /** Exchanges a one-time enrolment code for this terminal's token; adopts the server's store. */
  async enrol(serverUrl: string, code: string): Promise<void> {
    if (this.enrolment) throw new DomainError('ALREADY_ENROLLED', 'This till is already enrolled with a server.', { serverUrl: this.enrolment.serverUrl });
    const client = this.makeClient(serverUrl);
    let res;
    try {
      res = await client.post('/v1/enrol', { protocolVersion: SYNC_PROTOCOL_VERSION, code, terminalId: this.ctx.terminalId, appVersion: this.ctx.appVersion }, null);
    } catch (e) {
      if (e instanceof SyncHttpError && e.code === 'ENROLMENT_CODE_INVALID') {
        throw new DomainError('ENROLMENT_REFUSED', 'The enrolment code is wrong, used or expired. Ask head office for a new one.', { field: 'code' });
      }
      if (e instanceof SyncHttpError && !e.transient) {
        throw new DomainError('ENROLMENT_REFUSED', `The server refused the enrolment: ${e.message}`, { code: e.code });
      }
      if (e instanceof SyncHttpError && e.code === 'BAD_RESPONSE') {
        throw new DomainError('SERVER_UNREACHABLE', `The server's answer cannot be used (${e.message}); nothing was stored. Check that the address is the Tillsmith server, then try again.`, { code: e.code });
      }
      throw new DomainError('SERVER_UNREACHABLE', `Cannot reach the server: ${(e as Error).message}. Check the address and the network, then try again.`, {});
    }
    this.noteServerTime(res.serverTime, res.sentAt, res.receivedAt);
    let noted = () => {};
    this.bootstrap = await inTransaction(this.ctx.db, async (trx) => {
      noted = await this.writeTimes(trx, null);
      await writeSyncValue(trx, SYNC_KEYS.serverUrl, serverUrl);
      await writeSyncValue(trx, SYNC_KEYS.token, res.body.token);
      await writeSyncValue(trx, 'store_id', res.body.storeId);
      await writeSyncValue(trx, 'store_name', res.body.storeName);
      await writeSyncValue(trx, 'time_zone', res.body.timeZone);
      // A new till loads the current state from a snapshot, then follows the feed.
      return startBootstrap(this.ctx, trx);
    });
    noted();
    this.enrolment = { serverUrl, token: res.body.token };
    this.client = client;
    this.online = true;
    if (!this.stopped) this.schedule(0);
  }

  start(): void {
    this.stopped = false;
    if (this.enrolment) this.schedule(0);
  }

  /** Stops the timer, lets a cycle in flight finish, and keeps the last-synced time and clock offset for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    const next = this.timesToStore(this.lastSuccessAt);
    if (next.lastSuccessAt === this.stored.lastSuccessAt && next.clockOffsetMs === this.stored.clockOffsetMs) return;
    try {
      let noted = () => {};
      await inTransaction(this.ctx.db, async (trx) => {
        noted = await this.writeTimes(trx, this.lastSuccessAt);
      });
      noted();
    } catch {
      // Best effort: a restart then shows the values of the last exchange.
    }
  }

  /** Something was written here: sync soon (coalesced with a cycle already running). */
  nudge(): void {
    if (!this.enrolment || this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Runs one full cycle now (push everything, then pull everything) and reports the status. */
  async syncNow(): Promise<SyncStatusDto> {
    if (!this.enrolment) throw new DomainError('NOT_ENROLLED', 'This till is not enrolled with a server (standalone). Enrol it in Settings first.');
    await this.cycle();
    return this.status();
  }

  /**
   * Online redemption: asks the server to hold the points first, so two stores online can never
   * spend the same points. Changes still waiting here are pushed first (the server must know
   * what this member earned here a moment ago). `offline` when the server cannot be reached (the
   * caller then applies the offline limit); INSUFFICIENT_POINTS when the central balance is too low.
   */
  async holdForRedemption(memberId: string, points: number, receiptRef: string): Promise<{ status: 'approved' | 'offline' | 'standalone'; holdId: string | null }> {
    const enrolment = this.enrolment;
    const client = this.client;
    if (!enrolment || !client) return { status: 'standalone', holdId: null };
    const holdId = this.ctx.newId();
    try {
      for (;;) {
        const { sent } = await pushBatch(this.ctx, client, enrolment.token);
        if (sent === 0) break;
      }
      const res = await client.post(
        '/v1/holds',
        { protocolVersion: SYNC_PROTOCOL_VERSION, terminalId: this.ctx.terminalId, holdId, memberId, points, receiptRef },
        enrolment.token,
      );
      if (res.body.holdId !== holdId) throw badAnswer('/v1/holds', `holdId ${res.body.holdId} is not the ${holdId} asked for`);
      this.noteServerTime(res.serverTime, res.sentAt, res.receivedAt);
      this.online = true;
      return { status: 'approved', holdId };
    } catch (e) {
      if (e instanceof SyncHttpError && e.code === 'INSUFFICIENT_POINTS') {
        throw new DomainError('INSUFFICIENT_POINTS', 'Head office shows fewer points for this member (points were spent at another store). Redeem less.', { ...e.details });
      }
      if (e instanceof SyncHttpError && e.code === 'MEMBER_BLOCKED') {
        throw new DomainError('MEMBER_BLOCKED', 'Head office has blocked this member: no redemptions. Ask a manager.');
      }
      this.markOffline(e);
      return { status: 'offline', holdId: null };
    }
  }

  /** Gives a hold back when the checkout it was for did not complete (best effort: holds also lapse). */
  async releaseHold(holdId: string): Promise<void> {
    if (!this.enrolment || !this.client) return;
    try {
      const res = await this.client.post('/v1/holds/release', { protocolVersion: SYNC_PROTOCOL_VERSION, terminalId: this.ctx.terminalId, holdId }, this.enrolment.token);
      if (res.body.holdId !== holdId) throw badAnswer('/v1/holds/release', `holdId ${res.body.holdId} is not the ${holdId} released`);
    } catch (e) {
      // The hold lapses by itself on the server; an answer that cannot be used is still shown.
      if (e instanceof SyncHttpError && e.code === 'BAD_RESPONSE') this.markOffline(e);
    }
  }

  private makeClient(url: string): SyncClient {
    return this.opts.clientFor ? this.opts.clientFor(url) : createSyncClient({ baseUrl: url, now: () => this.ctx.now().getTime() });
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.cycle().finally(() => {
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.schedule(0);
        } else this.schedule(this.failures === 0 ? (this.opts.intervalMs ?? 5_000) : this.backoff());
      });
    }, ms);
    this.timer.unref?.();
  }

  private backoff(): number {
    const min = this.opts.minBackoffMs ?? 1_000;
    const max = this.opts.maxBackoffMs ?? 60_000;
    const ceiling = Math.min(max, min * 2 ** Math.min(this.failures - 1, 16));
    const r = (this.opts.random ?? Math.random)();
    return Math.round(ceiling / 2 + (ceiling / 2) * r); // "equal jitter"
  }

  /** One cycle; concurrent callers share the one in flight. */
  private cycle(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.runCycle().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runCycle(): Promise<void> {
    const enrolment = this.enrolment;
    const client = this.client;
    if (!enrolment || !client) return;
    const before = this.connectivity();
    try {
      for (;;) {
        let noted = () => {};
        const { sent, response } = await pushBatch(this.ctx, client, enrolment.token, MAX_PUSH_OPS, async (trx) => {
          noted = await this.writeTimes(trx, this.ctx.now().toISOString());
        });
        noted();
        if (response) this.noteServerTime(response.serverTime, response.sentAt, response.receivedAt);
        if (sent === 0) break;
      }
      // Snapshot pages while bootstrapping, then the feed. A page may be short, even empty, while
      // more follows: pull until the server says it is done, or the budget of this cycle is spent
      // (then another cycle follows at once, with a push in between).
      let budget = MAX_PAGES_PER_CYCLE;
      for (; budget > 0; budget--) {
        const more = this.bootstrap ? await this.snapshotPage(client, enrolment.token, this.bootstrap) : await this.pullPage(client, enrolment.token);
        if (!more) break;
      }
      if (budget === 0) this.again = true;
      this.online = true;
      this.failures = 0;
      this.lastError = null;
      this.lastSuccessAt = this.ctx.now().toISOString();
      if (this.offsetWorthWriting()) {
        let noted = () => {};
        await inTransaction(this.ctx.db, async (trx) => {
          noted = await this.writeTimes(trx, this.lastSuccessAt);
        });
        noted();
      }
    } catch (e) {
      this.markOffline(e);
    }
    if (before !== this.connectivity()) this.events.emit('ledger.changed', { memberIds: [] });
  }

  private markOffline(e: unknown): void {
    this.failures += 1;
    if (e instanceof SyncHttpError && e.code === 'BAD_RESPONSE' && e.status >= 200 && e.status < 300) {
      // The server (or something posing as it) answered "OK" with something unusable.
      this.online = false;
      this.lastError = `The server sent an answer this till cannot use (${e.message}). Nothing of it was applied; sales go on and changes wait until it answers properly.`;
    } else if (e instanceof SyncNetworkError || (e instanceof SyncHttpError && e.transient)) {
      this.online = false;
      this.lastError = `The server cannot be reached: ${e.message}. Sales go on; changes wait and are sent when it is back.`;
    } else if (e instanceof SyncHttpError && (e.code === 'TOKEN_REVOKED' || e.code === 'UNAUTHORIZED' || e.code === 'FORBIDDEN')) {
      this.online = false;
      this.lastError = `The server refuses this till (${e.code}): it must be enrolled again by head office. Sales go on locally.`;
    } else if (e instanceof SyncHttpError && e.code === 'SEQUENCE_CONFLICT') {
      this.online = false;
      this.lastError = 'The server already holds different changes under this till\'s numbers (its database was reset or copied): head office must enrol it again. Sales go on locally.';
    } else if (e instanceof SyncHttpError && e.code === 'SEQUENCE_GAP') {
      this.lastError = `The server is missing changes this till already deleted (expected #${String(e.details.expectedSeq)}): call support.`;
    } else {
      this.lastError = `Sync failed: ${(e as Error).message}`;
    }
  }

  private async pullPage(client: SyncClient, token: string): Promise<boolean> {
    const cursor = (await readSyncValue(this.ctx.db, SYNC_KEYS.cursor)) ?? '0';
    let res: SyncResponse<PullAnswer>;
    try {
      res = await this.requestPull(client, token, cursor);
      checkPullPage(cursor, res.body);
    } catch (e) {
      // The feed no longer holds what our cursor needs: it was compacted (410 CURSOR_EXPIRED), or
      // the server was restored from a backup older than our cursor. Load a snapshot again: it
      // replaces what this till knows from others and keeps everything it made itself.
      if (needsSnapshot(e)) {
        this.bootstrap = await startBootstrap(this.ctx);
        this.snapshotCeiling = 0;
        this.prefetch = null;
        return true;
      }
      throw e;
    }
    this.noteServerTime(res.serverTime, res.sentAt, res.receivedAt);
    const out: ApplyOutcome = { memberIds: new Set() };
    const deps = { receiveRuleSet: this.opts.receiveRuleSet, snapshotCeiling: this.snapshotCeiling };
    const passed = this.snapshotCeiling > 0 && Number(res.body.nextCursor) >= this.snapshotCeiling;
    const moved = res.body.nextCursor !== cursor;
    // Nothing new (an idle feed): no transaction at all. Changes always move the cursor
    // (checkPullPage), and the cursor commits with the changes it covers.
    if (!moved && !passed) return false;
    let noted = () => {};
    await inTransaction(this.ctx.db, async (trx) => {
      for (const change of res.body.changes) {
        if (isKnownChange(change)) await applyChange(trx, this.ctx, deps, change, out);
        else await keepAside(trx, this.ctx, change);
      }
      if (moved) await writeSyncValue(trx, SYNC_KEYS.cursor, res.body.nextCursor);
      if (passed) await trx.deleteFrom('snapshot_range').execute(); // every page's changes are behind us
      noted = await this.writeTimes(trx, this.ctx.now().toISOString());
    });
    noted();
    if (passed) this.snapshotCeiling = 0;
    if (out.memberIds.size) this.events.emit('ledger.changed', { memberIds: [...out.memberIds] });
    return res.body.hasMore && moved;
  }

  /**
   * One snapshot page; true while there is more to do (the next page, or the feed after the last
   * one). While a page is applied here the next one is already asked for (the server's read and
   * the till's write overlap); a prefetched page is used only for the position it was asked for.
   */
  private async snapshotPage(client: SyncClient, token: string, state: BootstrapState): Promise<boolean> {
    const key = `${state.upper}|${state.after}`;
    const prefetched = this.prefetch?.key === key ? this.prefetch.page : undefined;
    this.prefetch = null;
    const limit = this.opts.snapshotLimit ?? 500;
    const onFetched = (page: SnapshotResponse) => {
      if (!page.hasMore) return;
      const next = { upper: page.upperCursor, after: page.nextAfter };
      const request = fetchSnapshotPage(this.ctx, client, token, limit, next);
      request.catch(() => undefined); // awaited (and its error handled) by the next step, or dropped
      this.prefetch = { key: `${next.upper}|${next.after}`, page: request };
    };
    let noted = () => {};
    const alsoWrite = async (trx: Trx) => {
      noted = await this.writeTimes(trx, this.ctx.now().toISOString());
    };
    const step = await snapshotStep(this.ctx, client, token, { receiveRuleSet: this.opts.receiveRuleSet, limit, onFetched, alsoWrite }, state, prefetched);
    noted();
    if (step.kind !== 'page') this.prefetch = null;
    if (step.kind === 'restart') {
      this.bootstrap = step.state;
      return true;
    }
    this.noteServerTime(step.response.serverTime, step.response.sentAt, step.response.receivedAt);
    if (step.kind === 'page') this.bootstrap = step.state;
    else {
      this.bootstrap = null;
      this.snapshotCeiling = step.ceiling;
    }
    if (step.memberIds.length) this.events.emit('ledger.changed', { memberIds: step.memberIds });
    return true;
  }

  private requestPull(client: SyncClient, token: string, cursor: string): Promise<SyncResponse<PullAnswer>> {
    return client.post('/v1/pull', { protocolVersion: SYNC_PROTOCOL_VERSION, terminalId: this.ctx.terminalId, cursor, limit: this.opts.pullLimit ?? 500 }, token);
  }

  /** Offset = server time - the midpoint of our send and receive times (NTP's estimate). */
  private noteServerTime(serverTime: string, sentAt: number, receivedAt: number): void {
    const server = Date.parse(serverTime);
    if (Number.isNaN(server)) return;
    this.clockOffsetMs = Math.round(server - (sentAt + receivedAt) / 2);
  }

  /**
   * Whether the offset must be written on its own: it moved beyond the estimate's noise, or
   * across the warning threshold, since it was last written. Otherwise a restart showing the
   * stored value shows the same warning and nearly the same figure.
   */
  private offsetWorthWriting(): boolean {
    const now = this.clockOffsetMs;
    const then = this.stored.clockOffsetMs;
    if (now === null) return false;
    if (then === null) return true;
    return Math.abs(now - then) > CLOCK_OFFSET_TOLERANCE_MS || Math.abs(now) > CLOCK_WARNING_MS !== Math.abs(then) > CLOCK_WARNING_MS;
  }

  /** What `meta` should hold: a later success time than the stored one (never an earlier), the current offset. */
  private timesToStore(at: string | null): StoredTimes {
    const stored = this.stored.lastSuccessAt;
    return {
      lastSuccessAt: at !== null && (stored === null || at > stored) ? at : stored,
      clockOffsetMs: this.clockOffsetMs ?? this.stored.clockOffsetMs,
    };
  }

  /**
   * Writes the last-success time (`at`, unless null) and the clock offset where they differ from
   * what `meta` holds, inside the caller's transaction; returns what to call once it committed.
   */
  private async writeTimes(trx: Trx, at: string | null): Promise<() => void> {
    const next = this.timesToStore(at);
    if (next.lastSuccessAt !== null && next.lastSuccessAt !== this.stored.lastSuccessAt) await writeSyncValue(trx, SYNC_KEYS.lastSuccessAt, next.lastSuccessAt);
    if (next.clockOffsetMs !== null && next.clockOffsetMs !== this.stored.clockOffsetMs) await writeSyncValue(trx, SYNC_KEYS.clockOffsetMs, String(next.clockOffsetMs));
    return () => {
      this.stored = next;
    };
  }
}

