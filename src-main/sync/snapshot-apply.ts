import type BetterSqlite3 from 'better-sqlite3';
import { formatHlc, nodeIdOf } from '../../src-shared/sync/hlc';
import { addSpend, NO_SPEND, spendBefore } from '../../src-shared/domain/spend-window';
import { deterministicUuid } from '../../src-shared/sync/ids';
import type { SnapshotMember, SnapshotResponse } from '../../src-shared/sync/protocol';
import { nameIndexText } from '../../src-shared/search/name-tokens';
import type { CoreContext } from '../core/context';
import { FIELD_COLUMNS } from './pull-apply';

/**
 * Applies the members of one snapshot page with prepared statements on the raw connection. Must
 * run inside the caller's transaction (the page, its cursor and its range commit together).
 *
 * For every member the server's state replaces what this till knew from other tills:
 * - the profile (fields this till changed later and has not had acknowledged are kept, as for a
 *   pulled member); a phone the server gives this member is let go by any other local member;
 * - the points other tills and the server made, as one remote row per open lot (with its expiry
 *   and FIFO order), one debit for a debt, and zero-point markers for spent once-only bonuses (so
 *   they are never given again). Remote rows the till had for the member are replaced. This
 *   till's own entries stay as they are: the server left them out of the snapshot;
 * - cards (by code), qualifying spend from `spendFrom` on (the server's, which leaves out this
 *   till's sales, plus this till's own sales and refunds), overdraft exceptions.
 * An id in the snapshot that this till also holds as its own entry (a once-only bonus both gave
 * while offline) is counted once: a compensating remote row makes the sum right.
 * A referrer or merge target not here yet is linked when its page arrives (snapshot_link).
 */
export function applySnapshotMembers(ctx: CoreContext, page: SnapshotResponse): string[] {
  const raw = ctx.raw;
  const st = statements(raw);
  const ids = page.members.map((m) => m.member.id);
  if (ids.length === 0) return ids;
  const existing = new Set(inChunks(ids, (part) => raw.prepare(`SELECT id FROM member WHERE id IN (${marks(part)})`).pluck().all(...part) as string[]));
  const withRemote = new Set(inChunks(ids, (part) => raw.prepare(`SELECT DISTINCT member_id FROM remote_entry WHERE member_id IN (${marks(part)})`).pluck().all(...part) as string[]));
  const rowIds = page.members.flatMap((m) => [...m.lots.map((l) => l.entryId), ...m.onceOnly.map((o) => o.id)]);
  const ownPoints = new Map(
    inChunks(rowIds, (part) => raw.prepare(`SELECT id, points FROM ledger_entry WHERE id IN (${marks(part)})`).all(...part) as { id: string; points: number }[]).map((r) => [r.id, r.points]),
  );
  const newest = page.members.flatMap((m) => Object.values(m.member.fieldHlc)).sort().pop();
  if (newest) ctx.hlc.receive(newest);
  const now = ctx.now().toISOString();

  let trigger: string | null = null;
  if (withRemote.size > 0) {
    // Replacing a member's remote rows: lift the immutability guard for this transaction only.
    trigger = raw.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'remote_entry_no_delete'`).pluck().get() as string | null;
    if (trigger) raw.exec('DROP TRIGGER remote_entry_no_delete');
  }
  try {
    for (const sm of page.members) {
      const id = sm.member.id;
      const known = existing.has(id);
      if (known) updateMember(st, sm);
      else insertMember(st, sm);
      if (withRemote.has(id)) st.deleteRemote.run(id);
      insertRemoteRows(st, sm, ownPoints);
      for (const c of sm.cards) st.upsertCard.run(c.code, id, c.kind, c.status, c.reason ?? null, now, ctx.hlc.current());
      applySpend(st, id, known, page.spendFrom, sm.spend);
      for (const x of sm.exceptions) st.insertException.run(x.id, x.memberId, x.entryId, x.terminalId, x.shortfall, x.exposureMinor, x.createdAt);
      if (known || withRemote.has(id)) st.recomputeBalance.run({ member: id });
    }
  } finally {
    if (trigger) raw.exec(trigger);
  }
  for (const col of ['referrer_id', 'merged_into'] as const) {
    raw
      .prepare(
        `UPDATE member SET ${col} = (SELECT target FROM snapshot_link l WHERE l.member_id = member.id AND l.col = '${col}')
          WHERE id IN (SELECT l.member_id FROM snapshot_link l JOIN member t ON t.id = l.target WHERE l.col = '${col}')`,
      )
      .run();
  }
  raw.prepare('DELETE FROM snapshot_link WHERE target IN (SELECT id FROM member)').run();
  return ids;
}

// ------------------------------------------------------------------ members

function target(st: Statements, memberId: string, col: 'referrer_id' | 'merged_into', id: string | null): string | null {
  if (!id) return null;
  if (st.memberExists.get(id)) return id;
  st.link.run(memberId, col, id);
  return null;
}

function insertMember(st: Statements, sm: SnapshotMember): void {
  const m = sm.member;
  if (m.phone) st.releasePhone.run(m.phone, m.id);
  const info = st.insertMember.run({
    id: m.id,
    phone: m.phone,
    last4: m.phone ? m.phone.slice(-4) : null,
    name: m.name,
    birthday: m.birthday,
    referrer: target(st, m.id, 'referrer_id', m.referrerId),
    terms: m.consentTermsAt,
    marketing: m.consentMarketing ? 1 : 0,
    status: m.status,
    reason: m.statusReason,
    merged: target(st, m.id, 'merged_into', m.mergedInto),
    diamond: m.diamond ? 1 : 0,
    registered: m.registeredAt,
  });
  if (m.name) st.ftsInsert.run(Number(info.lastInsertRowid), nameIndexText(m.name));
}

type MemberCols = { seq: number; name: string | null; phone: string | null; birthday: string | null; consent_marketing: number; consent_terms_at: string | null; status: string; status_reason: string | null };

/** The server's profile, except registers this till wrote later that are still in its outbox. */
function updateMember(st: Statements, sm: SnapshotMember): void {
  const m = sm.member;
  const cur = st.memberRow.get(m.id) as MemberCols;
  const pending = st.pendingMember.get(m.id) !== undefined;
  const local = new Map(pending ? (st.localClocks.all(m.id) as { field: string; hlc: string }[]).map((c) => [c.field, c.hlc]) : []);
  const server = {
    name: m.name,
    birthday: m.birthday,
    phone: m.phone,
    consent_marketing: m.consentMarketing ? 1 : 0,
    consent_terms_at: m.consentTermsAt,
    status: m.status,
    status_reason: m.statusReason,
  };
  const next = { ...cur };
  for (const [field, column] of Object.entries(FIELD_COLUMNS) as [keyof typeof FIELD_COLUMNS, keyof typeof server][]) {
    const mine = local.get(field);
    const theirs = m.fieldHlc[field];
    if (mine && (!theirs || mine > theirs)) continue;
    (next as Record<string, unknown>)[column] = server[column];
  }
  if (next.phone && next.phone !== cur.phone) st.releasePhone.run(next.phone, m.id);
  st.updateMember.run({
    id: m.id,
    name: next.name,
    birthday: next.birthday,
    phone: next.phone,
    last4: next.phone ? next.phone.slice(-4) : null,
    marketing: next.consent_marketing,
    terms: next.consent_terms_at,
    status: next.status,
    reason: next.status_reason,
    merged: target(st, m.id, 'merged_into', m.mergedInto),
    diamond: m.diamond ? 1 : 0,
  });
  if (next.name !== cur.name) {
    st.ftsDelete.run(cur.seq);
    if (next.name) st.ftsInsert.run(cur.seq, nameIndexText(next.name));
  }
}

// ------------------------------------------------------------------ points

function insertRemoteRows(st: Statements, sm: SnapshotMember, ownPoints: Map<string, number>): void {
  const memberId = sm.member.id;
  const row = (r: { id: string; kind: string; points: number; reason: string | null; target: string | null; expiresAt: string | null; at: string; terminalId: string }) =>
    st.insertRemote.run({
      id: r.id,
      member: memberId,
      kind: r.kind,
      points: r.points,
      reason: r.reason,
      target: r.target,
      expires: r.expiresAt,
      date: r.at.slice(0, 10),
      at: r.at,
      hlc: formatHlc({ millis: Date.parse(r.at), counter: 0, node: nodeIdOf(r.terminalId) }),
      terminal: r.terminalId,
      key: `snapshot:${r.id}`,
    });
  // The server counted an entry under another till that this till also holds as its own (the
  // same once-only bonus given at two stores): keep ours, and correct by what the server's copy
  // still contributes (`remaining`) minus what ours contributes.
  const compensate = (entryId: string, remaining: number, at: string, expiresAt: string | null, terminalId: string) => {
    const delta = remaining - ownPoints.get(entryId)!;
    if (delta === 0) return;
    row({ id: deterministicUuid(`snapshot-dup:${entryId}`), kind: 'adjust', points: delta, reason: `snapshot:duplicate_of:${entryId}`, target: delta < 0 ? entryId : null, expiresAt: delta > 0 ? expiresAt : null, at, terminalId });
  };
  for (const l of sm.lots) {
    if (ownPoints.has(l.entryId)) compensate(l.entryId, l.remaining, l.earnedAt, l.expiresAt, l.terminalId);
    else row({ id: l.entryId, kind: l.kind, points: l.remaining, reason: l.reason, target: null, expiresAt: l.expiresAt, at: l.earnedAt, terminalId: l.terminalId });
  }
  for (const o of sm.onceOnly) {
    if (ownPoints.has(o.id)) compensate(o.id, 0, o.createdAt, null, 'server');
    else row({ id: o.id, kind: o.kind, points: 0, reason: 'snapshot:spent', target: null, expiresAt: null, at: o.createdAt, terminalId: 'server' });
  }
  if (sm.debt > 0) {
    const at = sm.lots[0]?.earnedAt ?? sm.member.registeredAt;
    row({ id: deterministicUuid(`snapshot-debt:${memberId}`), kind: 'adjust', points: -sm.debt, reason: 'snapshot:debt', target: null, expiresAt: null, at, terminalId: 'server' });
  }
}

// ------------------------------------------------------------------ statements

const marks = (xs: readonly unknown[]) => xs.map(() => '?').join(',');

function inChunks<T, R>(xs: readonly T[], fn: (part: T[]) => R[]): R[] {
  const out: R[] = [];
  for (let i = 0; i < xs.length; i += 500) out.push(...fn(xs.slice(i, i + 500)));
  return out;
}

/**
 * The member's spend window after a snapshot page: what it held before `from`, then the server's
 * spend from `from` on (which leaves out this till's sales) and this till's own sales and refunds.
 */
function applySpend(st: Statements, id: string, known: boolean, from: string, server: readonly { period: string; spendMinor: number }[]): void {
  const row = known ? (st.spendWindow.get(id) as { spend_period: string | null; spend_current: number; spend_previous: number } | undefined) : undefined;
  let w = row ? spendBefore({ period: row.spend_period, current: row.spend_current, previous: row.spend_previous }, from) : NO_SPEND;
  const own = known ? (st.ownSpend.all({ member: id, from }) as { period: string; spendMinor: number }[]) : [];
  for (const s of [...server, ...own].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0))) w = addSpend(w, s.period, s.spendMinor);
  st.setSpend.run(w.period, w.current, w.previous, id);
}

function prepare(raw: BetterSqlite3.Database) {
  return {
    memberExists: raw.prepare('SELECT 1 FROM member WHERE id = ?').pluck(),
    memberRow: raw.prepare('SELECT seq, name, phone, birthday, consent_marketing, consent_terms_at, status, status_reason FROM member WHERE id = ?'),
    pendingMember: raw.prepare(`SELECT seq FROM outbox WHERE entity_id = ? AND kind IN ('member', 'member_fields') LIMIT 1`),
    localClocks: raw.prepare('SELECT field, hlc FROM member_field_clock WHERE member_id = ?'),
    releasePhone: raw.prepare('UPDATE member SET phone = NULL, phone_last4 = NULL WHERE phone = ? AND id != ?'),
    insertMember: raw.prepare(
      `INSERT INTO member (id, phone, phone_last4, name, birthday, referrer_id, consent_terms_at, consent_marketing, status, status_reason,
                           merged_into, diamond, registered_at, registered_terminal, first_purchase_at, last_purchase_date)
       VALUES (@id, @phone, @last4, @name, @birthday, @referrer, @terms, @marketing, @status, @reason, @merged, @diamond, @registered, 'server', NULL, NULL)`,
    ),
    updateMember: raw.prepare(
      `UPDATE member SET name = @name, birthday = @birthday, phone = @phone, phone_last4 = @last4, consent_marketing = @marketing,
              consent_terms_at = @terms, status = @status, status_reason = @reason, merged_into = @merged, diamond = @diamond
        WHERE id = @id`,
    ),
    link: raw.prepare('INSERT OR REPLACE INTO snapshot_link (member_id, col, target) VALUES (?, ?, ?)'),
    ftsInsert: raw.prepare('INSERT INTO member_name_fts (rowid, tokens) VALUES (?, ?)'),
    ftsDelete: raw.prepare('DELETE FROM member_name_fts WHERE rowid = ?'),
    deleteRemote: raw.prepare('DELETE FROM remote_entry WHERE member_id = ?'),
    insertRemote: raw.prepare(
      `INSERT INTO remote_entry (id, member_id, kind, points, reason, sale_id, target_entry_id, expires_at, offline, business_date, created_at, hlc, terminal_id, idempotency_key, server_seq)
       VALUES (@id, @member, @kind, @points, @reason, NULL, @target, @expires, 0, @date, @at, @hlc, @terminal, @key, 0)`,
    ),
    upsertCard: raw.prepare(
      `INSERT INTO card (code, member_id, kind, status, status_reason, added_at, hlc) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (code) DO UPDATE SET member_id = excluded.member_id, kind = excluded.kind, status = excluded.status, status_reason = excluded.status_reason`,
    ),
    spendWindow: raw.prepare('SELECT spend_period, spend_current, spend_previous FROM member WHERE id = ?'),
    setSpend: raw.prepare('UPDATE member SET spend_period = ?, spend_current = ?, spend_previous = ? WHERE id = ?'),
    /* This till's own sales and refunds of the member, as checkout and refunds counted them. */
    ownSpend: raw.prepare(
      `SELECT period, SUM(amount) AS spendMinor FROM (
         SELECT substr(business_date, 1, 7) AS period, paid_minor AS amount FROM sale WHERE member_id = @member
         UNION ALL
         SELECT substr(s.business_date, 1, 7), -r.refund_minor FROM refund r JOIN sale s ON s.id = r.sale_id WHERE s.member_id = @member
       ) WHERE period >= @from GROUP BY period`,
    ),
    insertException: raw.prepare(
      `INSERT OR IGNORE INTO overdraft_exception (id, member_id, entry_id, terminal_id, shortfall, exposure_minor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    recomputeBalance: raw.prepare(
      `UPDATE member SET balance = (SELECT COALESCE(SUM(points), 0) FROM ledger_entry WHERE member_id = @member)
                                 + (SELECT COALESCE(SUM(points), 0) FROM remote_entry WHERE member_id = @member)
        WHERE id = @member`,
    ),
  };
}
type Statements = ReturnType<typeof prepare>;

const cache = new WeakMap<BetterSqlite3.Database, Statements>();
function statements(raw: BetterSqlite3.Database): Statements {
  let st = cache.get(raw);
  if (!st) {
    st = prepare(raw);
    cache.set(raw, st);
  }
  return st;
}
