import { randomUUID } from 'node:crypto';
import { businessDateOf } from '../../src-shared/domain/dates';
import { parseRuleSet } from '../../src-shared/domain/rules-parse';
import type { RuleSet } from '../../src-shared/domain/rules';
import { DomainError } from '../../src-shared/errors/domain-error';
import type { EnrolRequest, EnrolResponse } from '../../src-shared/sync/protocol';
import { hashEnrolmentCode, hashToken, newEnrolmentCode, newTerminalToken } from '../crypto';
import { inTransaction, type ServerDb } from '../db/database';
import type { TerminalRow } from '../db/schema';
import { ServerError } from '../errors';
import { appendToFeed } from './feed';

export interface StoreDto {
  id: string;
  name: string;
  timeZone: string;
  createdAt: string;
}

export async function createStore(sdb: ServerDb, now: () => number, input: { name: string; timeZone: string }): Promise<StoreDto> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) throw new ServerError(400, 'INVALID_REQUEST', 'a store name has 1 to 100 characters');
  try {
    businessDateOf(new Date(now()).toISOString(), input.timeZone);
  } catch {
    throw new ServerError(400, 'INVALID_REQUEST', `unknown time zone "${input.timeZone}" (use an IANA name such as Asia/Shanghai)`);
  }
  const store = { id: randomUUID(), name, time_zone: input.timeZone, created_at: new Date(now()).toISOString() };
  await sdb.db.insertInto('store').values(store).execute();
  return { id: store.id, name, timeZone: store.time_zone, createdAt: store.created_at };
}

export async function listStores(sdb: ServerDb): Promise<StoreDto[]> {
  const rows = await sdb.db.selectFrom('store').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, timeZone: r.time_zone, createdAt: r.created_at }));
}

export const DEFAULT_CODE_TTL_HOURS = 72;

/** A one-time enrolment code for a store. The code itself is returned once and stored only as a hash. */
export async function createEnrolmentCode(
  sdb: ServerDb,
  now: () => number,
  input: { storeId: string; ttlHours?: number },
): Promise<{ code: string; storeId: string; storeName: string; expiresAt: string }> {
  const ttl = input.ttlHours ?? DEFAULT_CODE_TTL_HOURS;
  if (!Number.isFinite(ttl) || ttl <= 0 || ttl > 24 * 30) throw new ServerError(400, 'INVALID_REQUEST', 'the code lifetime is 1 minute to 30 days (ttlHours)');
  const store = await sdb.db.selectFrom('store').selectAll().where('id', '=', input.storeId).executeTakeFirst();
  if (!store) throw new ServerError(404, 'INVALID_REQUEST', 'no such store', { storeId: input.storeId });
  const code = newEnrolmentCode();
  const nowMs = now();
  const expiresAt = new Date(nowMs + ttl * 3_600_000).toISOString();
  await sdb.db
    .insertInto('enrolment_code')
    .values({ code_hash: hashEnrolmentCode(code), store_id: store.id, created_at: new Date(nowMs).toISOString(), expires_at: expiresAt, used_at: null, used_by: null })
    .execute();
  return { code, storeId: store.id, storeName: store.name, expiresAt };
}

const codeInvalid = (reason: string, message: string, status = 401) => new ServerError(status, 'ENROLMENT_CODE_INVALID', message, { reason });

/**
 * Exchanges a valid, unused, unexpired code for a terminal token bound to the terminal id and the
 * code's store. The token (32 random bytes) is returned once; only its hash is stored. A retry with
 * the same code by the same terminal before its first sync (the answer to the first try was lost)
 * gets a fresh token that replaces the first.
 */
export async function enrolTerminal(sdb: ServerDb, now: () => number, req: EnrolRequest): Promise<EnrolResponse> {
  return inTransaction(sdb, async (trx) => {
    const nowIso = new Date(now()).toISOString();
    let cq = trx.selectFrom('enrolment_code').selectAll().where('code_hash', '=', hashEnrolmentCode(req.code));
    if (sdb.dialect === 'postgres') cq = cq.forUpdate();
    const code = await cq.executeTakeFirst();
    if (!code) throw codeInvalid('unknown', 'this enrolment code is not valid');
    if (code.expires_at <= nowIso) throw codeInvalid('expired', 'this enrolment code has expired: ask head office for a new one');
    const existing = await trx.selectFrom('terminal').selectAll().where('id', '=', req.terminalId).executeTakeFirst();
    const token = newTerminalToken();
    if (code.used_at) {
      const retry = code.used_by === req.terminalId && existing && existing.status === 'active' && existing.last_seen_at === null && Number(existing.last_acked_seq) === 0;
      if (!retry) throw codeInvalid('used', 'this enrolment code was already used');
      await trx.updateTable('terminal').set({ token_hash: hashToken(token), app_version: req.appVersion }).where('id', '=', req.terminalId).execute();
    } else {
      if (existing) {
        throw codeInvalid(
          existing.status === 'revoked' ? 'terminal_revoked' : 'terminal_already_enrolled',
          existing.status === 'revoked' ? 'this terminal was revoked and cannot enrol again' : 'this terminal is already enrolled',
          409,
        );
      }
      await trx
        .insertInto('terminal')
        .values({
          id: req.terminalId,
          store_id: code.store_id,
          name: req.terminalName ?? null,
          token_hash: hashToken(token),
          enrolment_code_hash: code.code_hash,
          status: 'active',
          app_version: req.appVersion,
          last_seen_at: null,
          clock_offset_ms: null,
          enrolled_at: nowIso,
          revoked_at: null,
        })
        .execute();
      await trx.updateTable('enrolment_code').set({ used_at: nowIso, used_by: req.terminalId }).where('code_hash', '=', code.code_hash).execute();
    }
    const store = await trx.selectFrom('store').selectAll().where('id', '=', code.store_id).executeTakeFirstOrThrow();
    return { token, storeId: store.id, storeName: store.name, timeZone: store.time_zone, serverTime: new Date(now()).toISOString() };
  });
}

/** The terminal a bearer token belongs to (any status), or undefined. */
export async function terminalByToken(sdb: ServerDb, token: string): Promise<TerminalRow | undefined> {
  return sdb.db.selectFrom('terminal').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
}

/** Revokes a terminal: its token stops working at once and its open holds are released. */
export async function revokeTerminal(sdb: ServerDb, now: () => number, terminalId: string): Promise<{ terminalId: string; revokedAt: string }> {
  return inTransaction(sdb, async (trx) => {
    const t = await trx.selectFrom('terminal').select(['id', 'status', 'revoked_at']).where('id', '=', terminalId).executeTakeFirst();
    if (!t) throw new ServerError(404, 'INVALID_REQUEST', 'no such terminal', { terminalId });
    if (t.status === 'revoked') return { terminalId, revokedAt: t.revoked_at ?? '' };
    const at = new Date(now()).toISOString();
    await trx.updateTable('terminal').set({ status: 'revoked', revoked_at: at }).where('id', '=', terminalId).execute();
    await trx.updateTable('redemption_hold').set({ status: 'released', closed_at: at }).where('terminal_id', '=', terminalId).where('status', '=', 'open').execute();
    return { terminalId, revokedAt: at };
  });
}

export interface TerminalDto {
  id: string;
  name: string | null;
  storeId: string;
  storeName: string;
  status: 'active' | 'revoked';
  appVersion: string | null;
  enrolledAt: string;
  lastSeenAt: string | null;
  /** Server clock minus the terminal's clock when it last sent a request (ms); null until it sends sentAt. */
  clockOffsetMs: number | null;
  lastAckedSeq: number;
  /** The cursor of its latest pull (null before the first); below the feed's compaction horizon it will load a snapshot. */
  lastPullCursor: number | null;
  heldOps: number;
  revokedAt: string | null;
}

export async function listTerminals(sdb: ServerDb, storeId?: string): Promise<TerminalDto[]> {
  let q = sdb.db
    .selectFrom('terminal as t')
    .innerJoin('store as s', 's.id', 't.store_id')
    .selectAll('t')
    .select('s.name as store_name')
    .select((eb) => eb.selectFrom('held_op as h').select((e) => e.fn.countAll<number>().as('n')).whereRef('h.terminal_id', '=', 't.id').as('held_ops'));
  if (storeId) q = q.where('t.store_id', '=', storeId);
  const rows = await q.orderBy('s.name').orderBy('t.enrolled_at').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    storeId: r.store_id,
    storeName: r.store_name,
    status: r.status,
    appVersion: r.app_version,
    enrolledAt: r.enrolled_at,
    lastSeenAt: r.last_seen_at,
    clockOffsetMs: r.clock_offset_ms === null ? null : Number(r.clock_offset_ms),
    lastAckedSeq: Number(r.last_acked_seq),
    lastPullCursor: r.last_pull_cursor === null ? null : Number(r.last_pull_cursor),
    heldOps: Number(r.held_ops ?? 0),
    revokedAt: r.revoked_at,
  }));
}

export async function listHeldOps(sdb: ServerDb, terminalId?: string) {
  let q = sdb.db.selectFrom('held_op').selectAll();
  if (terminalId) q = q.where('terminal_id', '=', terminalId);
  const rows = await q.orderBy('terminal_id').orderBy('seq').limit(1000).execute();
  return rows.map((r) => ({ terminalId: r.terminal_id, seq: Number(r.seq), opId: r.op_id, kind: r.kind, entityId: r.entity_id, reason: r.reason, appVersion: r.app_version, receivedAt: r.received_at }));
}

/**
 * Publishes a rule set: validated by the shared schema (parseRuleSet), its version strictly above
 * every earlier one, stored and put on the feed as a `rule_set` change for every terminal.
 */
export async function publishRuleSet(sdb: ServerDb, now: () => number, input: unknown): Promise<{ version: number; effectiveFrom: string; serverSeq: string }> {
  let rules: RuleSet;
  try {
    rules = parseRuleSet(input);
  } catch (e) {
    if (e instanceof DomainError) throw new ServerError(400, 'INVALID_REQUEST', 'the rule set is not valid', e.details);
    throw e;
  }
  return inTransaction(sdb, async (trx) => {
    const nowIso = new Date(now()).toISOString();
    // Versions are checked under the feed lock: two publishers cannot both win one version.
    if (sdb.dialect === 'postgres') await trx.selectFrom('feed_clock').select('id').where('id', '=', 1).forUpdate().execute();
    const max = await trx.selectFrom('rule_set').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
    const latest = max?.v ? Number(max.v) : 0;
    if (rules.version <= latest) {
      throw new ServerError(409, 'INVALID_REQUEST', `rule-set versions must increase: the latest is ${latest}`, { latestVersion: latest, version: rules.version });
    }
    await trx.insertInto('rule_set').values({ version: rules.version, effective_from: rules.effectiveFrom, body: JSON.stringify(rules), created_at: nowIso }).execute();
    const feed = await appendToFeed(trx, sdb.dialect, [{ body: { kind: 'rule_set', ruleSet: rules }, entityId: String(rules.version), origin: null }], nowIso);
    return { version: rules.version, effectiveFrom: rules.effectiveFrom, serverSeq: String(feed!.first) };
  });
}

export async function listRuleSets(sdb: ServerDb): Promise<{ version: number; effectiveFrom: string; createdAt: string }[]> {
  const rows = await sdb.db.selectFrom('rule_set').select(['version', 'effective_from', 'created_at']).orderBy('version').execute();
  return rows.map((r) => ({ version: Number(r.version), effectiveFrom: r.effective_from, createdAt: r.created_at }));
}

export async function latestRuleSet(sdb: ServerDb): Promise<RuleSet | null> {
  const r = await sdb.db.selectFrom('rule_set').select('body').orderBy('version', 'desc').limit(1).executeTakeFirst();
  return r ? parseRuleSet(JSON.parse(r.body)) : null;
}
