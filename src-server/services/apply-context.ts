import { sql } from 'kysely';
import { formatHlc, nodeIdOf, parseHlc } from '../../src-shared/sync/hlc';
import { MAX_HLC_AHEAD_MS, SERVER_TERMINAL_ID, type ServerMember } from '../../src-shared/sync/protocol';
import type { DialectName, Executor, Trx } from '../db/database';
import type { MemberRow } from '../db/schema';
import type { FeedBody, PendingChange } from './feed';

export const SERVER_NODE = nodeIdOf(SERVER_TERMINAL_ID);

/**
 * State of one write transaction: the changes it will append to the feed (in order), the server's
 * own HLCs, and the row-locking helpers that differ between PostgreSQL and SQLite. Built anew for
 * every attempt of a transaction (a deadlock retry starts from scratch).
 */
export class ApplyContext {
  readonly changes: PendingChange[] = [];
  private hlcCounter = 0;
  private ruleVersion: number | null = null;

  constructor(
    readonly trx: Trx,
    readonly dialect: DialectName,
    readonly nowMs: number,
  ) {}

  get nowIso(): string {
    return new Date(this.nowMs).toISOString();
  }

  /** An HLC of the server, after `after` when given (a server write must win over what it replaces). */
  serverHlc(after?: string | null): string {
    let millis = this.nowMs;
    const p = after ? parseHlc(after) : null;
    if (p && p.millis >= millis) millis = p.millis + 1;
    this.hlcCounter = (this.hlcCounter + 1) & 0xffff;
    return formatHlc({ millis, counter: this.hlcCounter, node: SERVER_NODE });
  }

  emit(body: FeedBody, entityId: string, origin: string | null = null, storeId: string | null = null): void {
    this.changes.push({ body, entityId, origin, storeId });
  }

  /** Appends the member's current resolved state (read inside this transaction) to the feed. */
  async emitMember(id: string): Promise<void> {
    const m = await readServerMember(this.trx, id);
    if (m) this.emit({ kind: 'member', member: m }, id);
  }

  /** Reads a member and locks its row until commit (PostgreSQL `FOR UPDATE`). */
  async lockMember(id: string): Promise<MemberRow | undefined> {
    let q = this.trx.selectFrom('member').selectAll().where('id', '=', id);
    if (this.dialect === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /**
   * Locks many members at once in id order (PostgreSQL), before a transaction touches them one by
   * one in whatever order its ops name them: two pushes naming the same members in opposite orders
   * then queue instead of deadlocking.
   */
  async lockMembersInOrder(ids: Iterable<string>): Promise<void> {
    if (this.dialect !== 'postgres') return;
    const sorted = [...new Set(ids)].sort();
    for (let i = 0; i < sorted.length; i += 500) {
      await this.trx.selectFrom('member').select('id').where('id', 'in', sorted.slice(i, i + 500)).orderBy('id').forUpdate().execute();
    }
  }

  /** Serialises every transaction that checks or claims one phone number (PostgreSQL advisory lock). */
  async lockPhone(phone: string): Promise<void> {
    if (this.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`phone:${phone}`}, 0))`.execute(this.trx);
  }

  /** Follows merged_into to the surviving member, locking each row on the way. */
  async lockEffective(m: MemberRow): Promise<MemberRow> {
    let cur = m;
    for (let i = 0; i < 16 && cur.status === 'merged' && cur.merged_into; i++) {
      const next = await this.lockMember(cur.merged_into);
      if (!next) break;
      cur = next;
    }
    return cur;
  }

  /** The newest rule-set version (1 before any was published): server-made entries record it. */
  async currentRuleSetVersion(): Promise<number> {
    if (this.ruleVersion === null) {
      const r = await this.trx.selectFrom('rule_set').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
      this.ruleVersion = r?.v ? Number(r.v) : 1;
    }
    return this.ruleVersion;
  }
}

/**
 * Clamps an HLC whose physical time is more than MAX_HLC_AHEAD_MS ahead of the server clock to
 * the server clock (counter and node kept, so ties still break by terminal). A terminal with a
 * clock a day fast cannot win every last-writer-wins comparison for a day.
 */
export function clampHlc(hlc: string, nowMs: number): { hlc: string; clamped: boolean } {
  const p = parseHlc(hlc);
  if (!p || p.millis - nowMs <= MAX_HLC_AHEAD_MS) return { hlc, clamped: false };
  return { hlc: formatHlc({ millis: nowMs, counter: p.counter, node: p.node }), clamped: true };
}

export async function readServerMember(ex: Executor, id: string): Promise<ServerMember | undefined> {
  const m = await ex.selectFrom('member').selectAll().where('id', '=', id).executeTakeFirst();
  if (!m) return undefined;
  const clocks = await ex.selectFrom('member_field_clock').select(['field', 'hlc']).where('member_id', '=', id).orderBy('field').execute();
  return toServerMember(m, Object.fromEntries(clocks.map((c) => [c.field, c.hlc])));
}

export function toServerMember(m: MemberRow, fieldHlc: Record<string, string>): ServerMember {
  return {
    id: m.id,
    phone: m.phone,
    name: m.name,
    birthday: m.birthday,
    referrerId: m.referrer_id,
    consentTermsAt: m.consent_terms_at,
    consentMarketing: Number(m.consent_marketing) === 1,
    status: m.status,
    statusReason: m.status_reason,
    mergedInto: m.merged_into,
    diamond: Number(m.diamond) === 1,
    registeredAt: m.registered_at,
    fieldHlc,
  };
}
