import { sql } from 'kysely';
import { deriveLots } from '../../src-shared/domain/lots';
import type { LedgerFact } from '../../src-shared/domain/types';
import type { SnapshotLot, SnapshotMember, SnapshotRequest, SnapshotResponse } from '../../src-shared/sync/protocol';
import { inReadTransaction, type ServerDb, type Trx } from '../db/database';
import type { MemberRow } from '../db/schema';
import { ServerError } from '../errors';
import { toServerMember } from './apply-context';
import { monthsBack } from './central';
import { feedState } from './feed';
import type { TerminalIdentity } from './outcome';
import { cursorExpired } from './pull';
import { storeStaff } from './staff';

/** Idempotency keys of the bonuses a till gives once per member and occasion (ids derived from the key). */
const ONCE_ONLY_KEY = /^(welcome|referral|birthday):/;
/** Months of qualifying spend a snapshot carries (this month and the 13 before: tiers look at two). */
const SPEND_MONTHS = 14;
const CHUNK = 500;

function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

type EntryRow = {
  id: string;
  member_id: string;
  kind: SnapshotLot['kind'];
  points: number;
  reason: string | null;
  created_at: string;
  expires_at: string | null;
  target_entry_id: string | null;
  terminal_id: string;
  idempotency_key: string;
};

/** Lots and debt of one member from the entries of everyone but the requesting terminal. */
function lotsOf(entries: readonly EntryRow[]): Pick<SnapshotMember, 'lots' | 'debt' | 'onceOnly'> {
  const facts: LedgerFact[] = entries.map((e) => ({ id: e.id, kind: e.kind, points: Number(e.points), at: e.created_at, expiresAt: e.expires_at, targetEntryId: e.target_entry_id }));
  const state = deriveLots(facts);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const open = new Set(state.lots.map((l) => l.entryId));
  const lots = state.lots.map((l): SnapshotLot => {
    const e = byId.get(l.entryId)!;
    return { entryId: l.entryId, kind: e.kind, reason: e.reason, earnedAt: l.earnedAt, expiresAt: l.expiresAt, remaining: l.remaining, terminalId: e.terminal_id };
  });
  const onceOnly = entries.filter((e) => ONCE_ONLY_KEY.test(e.idempotency_key) && !open.has(e.id)).map((e) => ({ id: e.id, kind: e.kind, createdAt: e.created_at }));
  return { lots, debt: state.debt, onceOnly };
}

/**
 * Builds the snapshot of one page of members inside the page's read transaction. What the
 * requesting terminal contributed itself is left out, as the feed never echoes it: its own ledger
 * entries (it has them), and the spend of its own sales and refunds (it counted them).
 */
async function buildMembers(trx: Trx, terminalId: string, page: readonly MemberRow[], spendFrom: string): Promise<SnapshotMember[]> {
  const ids = page.map((m) => m.id);
  const clocks: { member_id: string; field: string; hlc: string }[] = [];
  const entries: EntryRow[] = [];
  const cards: { code: string; member_id: string; kind: 'printed' | 'nfc'; status: 'active' | 'inactive'; status_reason: string | null }[] = [];
  const spend: { member_id: string; period: string; spend_minor: number }[] = [];
  const ownSales: { member_id: string | null; period: string; s: number }[] = [];
  const ownRefunds: { member_id: string | null; period: string; s: number }[] = [];
  const exceptions: { id: string; member_id: string; entry_id: string; terminal_id: string; shortfall: number; exposure_minor: number; created_at: string }[] = [];
  for (const part of chunks(ids)) {
    clocks.push(...(await trx.selectFrom('member_field_clock').select(['member_id', 'field', 'hlc']).where('member_id', 'in', part).orderBy('field').execute()));
    entries.push(
      ...(await trx
        .selectFrom('ledger_entry')
        .select(['id', 'member_id', 'kind', 'points', 'reason', 'created_at', 'expires_at', 'target_entry_id', 'terminal_id', 'idempotency_key'])
        .where('member_id', 'in', part)
        .where('terminal_id', '!=', terminalId)
        .execute()),
    );
    cards.push(...(await trx.selectFrom('card').select(['code', 'member_id', 'kind', 'status', 'status_reason']).where('member_id', 'in', part).orderBy('code').execute()));
    spend.push(...(await trx.selectFrom('member_spend').selectAll().where('member_id', 'in', part).where('period', '>=', spendFrom).orderBy('period').execute()));
    const month = sql<string>`substr(business_date, 1, 7)`;
    ownSales.push(
      ...(await trx
        .selectFrom('sale')
        .select(['member_id', month.as('period'), sql<number>`sum(paid_minor)`.as('s')])
        .where('terminal_id', '=', terminalId)
        .where('member_id', 'in', part)
        .groupBy(['member_id', month])
        .execute()),
    );
    ownRefunds.push(
      ...(await trx
        .selectFrom('refund as r')
        .innerJoin('sale as s', 's.id', 'r.sale_id')
        .select(['s.member_id', sql<string>`substr(s.business_date, 1, 7)`.as('period'), sql<number>`sum(r.refund_minor)`.as('s')])
        .where('r.terminal_id', '=', terminalId)
        .where('s.member_id', 'in', part)
        .groupBy(['s.member_id', sql`substr(s.business_date, 1, 7)`])
        .execute()),
    );
    exceptions.push(...(await trx.selectFrom('overdraft_exception').selectAll().where('member_id', 'in', part).orderBy('created_at').orderBy('id').execute()));
  }
  const clocksOf = groupBy(clocks, (c) => c.member_id);
  const entriesOf = groupBy(entries, (e) => e.member_id);
  const cardsOf = groupBy(cards, (c) => c.member_id);
  const exceptionsOf = groupBy(exceptions, (x) => x.member_id);
  const spendOf = new Map<string, Map<string, number>>();
  const addSpend = (memberId: string | null, period: string, amount: number) => {
    if (!memberId || period < spendFrom) return;
    const m = spendOf.get(memberId) ?? new Map<string, number>();
    m.set(period, (m.get(period) ?? 0) + amount);
    spendOf.set(memberId, m);
  };
  for (const s of spend) addSpend(s.member_id, s.period, Number(s.spend_minor));
  for (const s of ownSales) addSpend(s.member_id, s.period, -Number(s.s));
  for (const s of ownRefunds) addSpend(s.member_id, s.period, Number(s.s));

  return page.map((m) => {
    const fieldHlc = Object.fromEntries((clocksOf.get(m.id) ?? []).map((c) => [c.field, c.hlc]));
    const periods = [...(spendOf.get(m.id) ?? new Map<string, number>()).entries()].filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
    return {
      member: toServerMember(m, fieldHlc),
      ...lotsOf(entriesOf.get(m.id) ?? []),
      cards: (cardsOf.get(m.id) ?? []).map((c) => ({ code: c.code, memberId: c.member_id, kind: c.kind, status: c.status, ...(c.status_reason ? { reason: c.status_reason } : {}) })),
      spend: periods.map(([period, spendMinor]) => ({ period, spendMinor })),
      exceptions: (exceptionsOf.get(m.id) ?? []).map((x) => ({
        id: x.id,
        memberId: x.member_id,
        entryId: x.entry_id,
        terminalId: x.terminal_id,
        shortfall: Number(x.shortfall),
        exposureMinor: Number(x.exposure_minor),
        createdAt: x.created_at,
      })),
    };
  });
}

/**
 * `POST /v1/snapshot`: one page of members in id order, all read in ONE read-only transaction
 * together with the feed head it was read at (`pageCursor`): the page contains exactly the
 * changes committed at or below that head. The first page fixes `upperCursor` (its head), where
 * the terminal continues the feed once every page is loaded; it skips the ledger entries and spend
 * changes each page already counted (see docs/sync-protocol.md, "Snapshot bootstrap").
 */
export async function handleSnapshot(sdb: ServerDb, now: () => number, terminal: TerminalIdentity, req: SnapshotRequest): Promise<string> {
  if (req.protocolVersion < 2) {
    throw new ServerError(400, 'PROTOCOL_VERSION_UNSUPPORTED', 'the snapshot bootstrap needs protocol version 2', { requested: req.protocolVersion, supported: [2] });
  }
  const nowMs = now();
  const spendFrom = monthsBack(new Date(nowMs).toISOString().slice(0, 7), SPEND_MONTHS - 1);
  const body = await inReadTransaction(sdb, async (trx): Promise<SnapshotResponse> => {
    const { head, compactedThrough } = await feedState(trx);
    const upper = req.upperCursor === undefined ? head : Number(req.upperCursor);
    if (!Number.isSafeInteger(upper)) throw new ServerError(400, 'INVALID_REQUEST', 'upperCursor out of range');
    if (upper > head) {
      throw new ServerError(409, 'INVALID_REQUEST', `the snapshot's upper cursor ${upper} is ahead of the server's feed (${head}): was the server restored from a backup? Start the snapshot again.`, {
        reason: 'cursor_ahead',
        head: String(head),
      });
    }
    if (upper < compactedThrough) throw cursorExpired(upper, compactedThrough, "snapshot's upper cursor");
    const rows = await trx.selectFrom('member').selectAll().where('id', '>', req.after).orderBy('id').limit(req.limit + 1).execute();
    const hasMore = rows.length > req.limit;
    const page = hasMore ? rows.slice(0, req.limit) : rows;
    const first = req.after === '';
    const ruleSets = first ? (await trx.selectFrom('rule_set').select('body').orderBy('version').execute()).map((r) => JSON.parse(r.body) as unknown) : undefined;
    return {
      upperCursor: String(upper),
      pageCursor: String(head),
      members: await buildMembers(trx, terminal.id, page, spendFrom),
      nextAfter: page.length > 0 ? page[page.length - 1]!.id : req.after,
      hasMore,
      spendFrom,
      ...(first ? { ruleSets, staff: await storeStaff(trx, terminal.storeId) } : {}),
      serverTime: new Date(now()).toISOString(),
    };
  });
  const offset = req.sentAt ? nowMs - Date.parse(req.sentAt) : undefined;
  await sdb.db
    .updateTable('terminal')
    .set({ last_seen_at: new Date(nowMs).toISOString(), ...(offset !== undefined && Number.isFinite(offset) ? { clock_offset_ms: offset } : {}) })
    .where('id', '=', terminal.id)
    .execute();
  return JSON.stringify(body);
}
