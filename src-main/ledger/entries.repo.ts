import { sql, type Selectable } from 'kysely';
import type { EntryKind, LedgerFact } from '../../src-shared/domain/types';
import { deterministicUuid } from '../../src-shared/sync/ids';
import { preparedQuery, rowParams } from '../db/prepared-query';
import type { TerminalDatabase } from '../db/schema';
import type { CoreContext, Executor, Trx } from '../core/context';
import { rememberAnswer, rememberedAnswer } from '../core/idempotency.repo';
import { enqueueOutboxRows } from '../core/outbox.repo';

export type LedgerRow = Selectable<TerminalDatabase['ledger_entry']>;

export interface NewEntry {
  memberId: string;
  kind: EntryKind;
  points: number;
  reason?: string | null;
  saleId?: string | null;
  refundId?: string | null;
  targetEntryId?: string | null;
  expiresAt?: string | null;
  cappedPoints?: number;
  offline?: boolean;
  businessDate: string;
  staffId: string | null;
  approvedBy?: string | null;
  ruleSetVersion: number;
  idempotencyKey: string;
  /**
   * For entries that may exist only once per member and occasion across ALL terminals (welcome,
   * referral, birthday per year): the id is derived from the idempotency key, so the same bonus
   * made by two offline terminals is one entry in the union of ledgers.
   */
  onceOnly?: boolean;
}

/**
 * Appends one immutable ledger entry and its outbox row. The member's cached balance moves in
 * the same statement (trigger `ledger_entry_balance`), so cache and sum cannot drift apart.
 */
export async function appendEntry(ex: Executor, ctx: CoreContext, e: NewEntry): Promise<LedgerRow> {
  return (await appendEntries(ex, ctx, [e]))[0]!;
}

const insertEntryQuery = preparedQuery<TerminalDatabase, LedgerRow, never>((db, p) =>
  db.insertInto('ledger_entry').values(
    rowParams(p, {
      id: true,
      member_id: true,
      kind: true,
      points: true,
      reason: true,
      sale_id: true,
      refund_id: true,
      target_entry_id: true,
      expires_at: true,
      capped_points: true,
      offline: true,
      business_date: true,
      created_at: true,
      hlc: true,
      terminal_id: true,
      staff_id: true,
      approved_by: true,
      rule_set_version: true,
      idempotency_key: true,
    }),
  ),
);

/**
 * Appends several entries (a sale's redemption, earn and bonuses) in order, with their outbox
 * rows, as `appendEntry` does one at a time.
 */
export async function appendEntries(ex: Executor, ctx: CoreContext, entries: readonly NewEntry[]): Promise<LedgerRow[]> {
  if (entries.length === 0) return [];
  const rows = entries.map((e) => newRow(ctx, e));
  for (const row of rows) await insertEntryQuery(ex, row);
  await enqueueOutboxRows(
    ex,
    ctx,
    rows.map((row) => ({ kind: 'ledger_entry' as const, entityId: row.id, hlc: row.hlc })),
  );
  return rows;
}

function newRow(ctx: CoreContext, e: NewEntry): LedgerRow {
  return {
    id: e.onceOnly ? deterministicUuid(e.idempotencyKey) : ctx.newId(),
    member_id: e.memberId,
    kind: e.kind,
    points: e.points,
    reason: e.reason ?? null,
    sale_id: e.saleId ?? null,
    refund_id: e.refundId ?? null,
    target_entry_id: e.targetEntryId ?? null,
    expires_at: e.points > 0 ? (e.expiresAt ?? null) : null,
    capped_points: e.cappedPoints ?? 0,
    offline: e.offline ? 1 : 0,
    business_date: e.businessDate,
    created_at: ctx.now().toISOString(),
    hlc: ctx.hlc.send(),
    terminal_id: ctx.terminalId,
    staff_id: e.staffId,
    approved_by: e.approvedBy ?? null,
    rule_set_version: e.ruleSetVersion,
    idempotency_key: e.idempotencyKey,
  };
}

type FactColumns = Pick<LedgerRow, 'id' | 'kind' | 'points' | 'created_at' | 'expires_at' | 'target_entry_id'>;
const memberFactsQuery = preparedQuery<TerminalDatabase, { memberId: string }, FactColumns>((db, p) =>
  db
    .selectFrom('ledger_entry')
    .select(['id', 'kind', 'points', 'created_at', 'expires_at', 'target_entry_id'])
    .where('member_id', '=', p('memberId'))
    .unionAll(
      db
        .selectFrom('remote_entry')
        .select(['id', 'kind', 'points', 'created_at', 'expires_at', 'target_entry_id'])
        .where('member_id', '=', p('memberId')),
    ),
);

/** All of a member's entries as domain facts (for lots, expiry, balance checks). */
export async function memberFacts(ex: Executor, memberId: string): Promise<LedgerFact[]> {
  return (await memberFactsQuery(ex, { memberId })).rows.map(toFact);
}

const entryExistsQuery = preparedQuery<TerminalDatabase, { id: string }, { id: string }>((db, p) =>
  db
    .selectFrom('ledger_entry')
    .select('id')
    .where('id', '=', p('id'))
    .unionAll(db.selectFrom('remote_entry').select('id').where('id', '=', p('id'))),
);

/** Whether an entry with this id exists, made here or received from another terminal. */
export async function entryExists(ex: Executor, id: string): Promise<boolean> {
  return (await entryExistsQuery(ex, { id })).rows.length > 0;
}

export function toFact(r: FactColumns): LedgerFact {
  return { id: r.id, kind: r.kind, points: r.points, at: r.created_at, expiresAt: r.expires_at, targetEntryId: r.target_entry_id };
}

/**
 * An entry made on its own (an adjustment, a reward redemption) by its idempotency key, which
 * `rememberEntryKey` kept in its transaction. Entries of a sale or refund are replayed through
 * their sale or refund; once-only entries have ids derived from their key.
 */
export async function entryByIdempotencyKey(ex: Executor, key: string): Promise<LedgerRow | undefined> {
  const remembered = await rememberedAnswer(ex, 'ledger_entry', key);
  if (!remembered) return undefined;
  return ex.selectFrom('ledger_entry').selectAll().where('id', '=', remembered.result).executeTakeFirst();
}

export async function rememberEntryKey(trx: Trx, key: string, entryId: string): Promise<void> {
  await rememberAnswer(trx, 'ledger_entry', key, { requestHash: null, result: entryId });
}

/**
 * The earn entry of a member's sale (a refund takes its points back from that lot first), found
 * among the member's entries (ledger_member): no index of entries by sale is kept for this.
 */
export async function earnEntryOfSale(ex: Executor, memberId: string, saleId: string): Promise<{ id: string } | undefined> {
  return ex.selectFrom('ledger_entry').select('id').where('member_id', '=', memberId).where('sale_id', '=', saleId).where(sql<boolean>`+kind = 'earn'`).executeTakeFirst();
}
