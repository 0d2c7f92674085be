import type { z } from 'zod';
import { OP_PAYLOADS, type LedgerEntryPayload, type OpKind, type OpResult, type PushRequest, type PushResponse, type SyncOp } from '../../src-shared/sync/protocol';
import { inTransaction, type ServerDb } from '../db/database';
import { ServerError } from '../errors';
import { ApplyContext } from './apply-context';
import { applyCard } from './cards';
import { appendToFeed } from './feed';
import { applyLedgerEntry, applyLedgerRun } from './ledger';
import { applyMemberFields, applyMemberOp } from './members';
import { applied, held, rejected, type OpOutcome, type TerminalIdentity } from './outcome';
import { applyAudit, applyDrawerEvent, applyRefund, applySale, applyZReport } from './records';
import { applyStaff } from './staff';

/** Test seams inside the push transaction (never set in production). */
export interface PushHooks {
  /** After each op was applied, inside the transaction: a throw rolls the whole batch back. */
  afterOp?: (info: { terminalId: string; seq: number; kind: string }) => void | Promise<void>;
  /** After the feed sequence was allocated (the feed lock is held), just before commit. */
  beforeCommit?: (info: { terminalId: string; feed: { first: number; last: number } | null }) => void | Promise<void>;
}

const KNOWN_KINDS = new Set<string>(Object.keys(OP_PAYLOADS));

function summariseIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(payload)'}: ${i.message}`)
    .join('; ');
}

async function applyOp(ctx: ApplyContext, terminal: TerminalIdentity, op: SyncOp): Promise<OpOutcome> {
  if (!KNOWN_KINDS.has(op.kind)) {
    await ctx.trx
      .insertInto('held_op')
      .values({
        terminal_id: terminal.id,
        seq: op.seq,
        op_id: op.opId,
        kind: op.kind,
        entity_id: op.entityId,
        hlc: op.hlc,
        payload: JSON.stringify(op.payload ?? null),
        reason: 'unknown_kind',
        app_version: terminal.appVersion ?? null,
        received_at: ctx.nowIso,
      })
      .execute();
    return held(`unknown_kind: this server does not know "${op.kind}" yet; the op is kept and applied after an update`);
  }
  const kind = op.kind as OpKind;
  const parsed = OP_PAYLOADS[kind].safeParse(op.payload);
  if (!parsed.success) return rejected(`invalid_payload: ${summariseIssues(parsed.error)}`.slice(0, 500));
  const p = parsed.data;
  switch (kind) {
    case 'ledger_entry':
      return applyLedgerEntry(ctx, terminal, p as z.infer<typeof OP_PAYLOADS.ledger_entry>);
    case 'member':
      return applyMemberOp(ctx, terminal, p as z.infer<typeof OP_PAYLOADS.member>);
    case 'member_fields':
      return applyMemberFields(ctx, terminal, p as z.infer<typeof OP_PAYLOADS.member_fields>);
    case 'card':
      return applyCard(ctx, terminal, p as z.infer<typeof OP_PAYLOADS.card>, op.hlc);
    case 'sale':
      return applySale(ctx, terminal, p as z.infer<typeof OP_PAYLOADS.sale>);
    case 'refund':
      return applyRefund(ctx, terminal, p as z.infer<typeof OP_PAYLOADS.refund>);
    case 'audit':
      return applyAudit(ctx, terminal, p as z.infer<typeof OP_PAYLOADS.audit>);
    case 'staff':
      return applyStaff(ctx, terminal, p as z.infer<typeof OP_PAYLOADS.staff>, op.hlc);
    case 'drawer_event':
      return applyDrawerEvent(ctx, terminal, p as z.infer<typeof OP_PAYLOADS.drawer_event>);
    case 'z_report':
      return applyZReport(ctx, terminal, p as z.infer<typeof OP_PAYLOADS.z_report>);
  }
  return applied();
}

/** The existing members an op will touch (for locking them up front, in id order). */
function membersNamedBy(op: SyncOp): string[] {
  const p = op.payload as Record<string, unknown> | null;
  if (!p || typeof p !== 'object') return [];
  const ids = [p.member_id, p.memberId, (p.member as { id?: unknown } | null | undefined)?.id];
  return ids.filter((x): x is string => typeof x === 'string' && x.length <= 100);
}

function toResult(seq: number, o: { status: OpResult['status']; reason: string | null }, replayed: boolean): OpResult {
  return { seq, status: o.status, ...(o.reason ? { reason: o.reason } : {}), ...(replayed ? { replayed: true as const } : {}) };
}

/**
 * One push batch, in ONE transaction:
 * 1. lock the terminal row (PostgreSQL `FOR UPDATE`; SQLite write transactions are serialised);
 * 2. ops at or below last_acked_seq are duplicates (a retry after a lost acknowledgement): they
 *    get the result stored the first time and nothing is applied;
 * 3. the first new op must be last_acked_seq + 1 and the new ops contiguous, else 409 SEQUENCE_GAP
 *    and nothing is stored;
 * 4. each new op is applied by kind; a rejection or a hold still acknowledges the op;
 * 5. the results, the terminal's new last_acked_seq and its clock offset are stored;
 * 6. the changes go on the feed with sequence numbers allocated last, under the feed lock held
 *    until commit (allocation order = commit order).
 */
export async function handlePush(
  sdb: ServerDb,
  now: () => number,
  terminal: TerminalIdentity,
  req: PushRequest,
  hooks: PushHooks = {},
): Promise<PushResponse> {
  const ops = [...req.ops].sort((a, b) => a.seq - b.seq);
  for (let i = 1; i < ops.length; i++) {
    if (ops[i]!.seq === ops[i - 1]!.seq) throw new ServerError(400, 'INVALID_REQUEST', `seq ${ops[i]!.seq} appears twice in the batch`, { seq: ops[i]!.seq });
  }
  const opIds = new Set(ops.map((o) => o.opId));
  if (opIds.size !== ops.length) throw new ServerError(400, 'INVALID_REQUEST', 'an opId appears twice in the batch');

  return inTransaction(sdb, async (trx) => {
    const nowMs = now();
    const ctx = new ApplyContext(trx, sdb.dialect, nowMs);
    let tq = trx.selectFrom('terminal').select(['id', 'status', 'last_acked_seq', 'resend_floor']).where('id', '=', terminal.id);
    if (sdb.dialect === 'postgres') tq = tq.forUpdate();
    const t = await tq.executeTakeFirst();
    if (!t) throw new ServerError(401, 'UNAUTHORIZED', 'unknown terminal');
    if (t.status === 'revoked') throw new ServerError(401, 'TOKEN_REVOKED', 'this terminal was revoked');
    const last = Number(t.last_acked_seq);
    const floor = Number(t.resend_floor);
    // The terminal once sent a push starting at `floor`: it had deleted every op below for good (a
    // terminal deletes outbox rows only after their acknowledgement, and always sends from its
    // oldest row). Such an op coming back means its database was restored or reset.
    if (ops[0]!.seq < floor) {
      throw new ServerError(
        409,
        'SEQUENCE_CONFLICT',
        `seq ${ops[0]!.seq} was acknowledged and deleted by this terminal long ago (it has since sent from seq ${floor}): its database was restored or reset: re-enrol it`,
        { seq: ops[0]!.seq, resendFloor: floor, lastAckedSeq: last },
      );
    }

    const dups = ops.filter((o) => o.seq <= last);
    const fresh = ops.filter((o) => o.seq > last);
    for (let i = 0; i < fresh.length; i++) {
      const expected = last + 1 + i;
      if (fresh[i]!.seq !== expected) {
        throw new ServerError(409, 'SEQUENCE_GAP', `expected seq ${expected}, got ${fresh[i]!.seq}: send the outbox from seq ${expected}`, { expectedSeq: expected, lastAckedSeq: last });
      }
    }

    const results = new Map<number, OpResult>();
    if (dups.length > 0) {
      const stored = new Map<number, { op_id: string; status: OpResult['status']; reason: string | null }>();
      for (let i = 0; i < dups.length; i += 500) {
        const rows = await trx
          .selectFrom('push_result')
          .select(['seq', 'op_id', 'status', 'reason'])
          .where('terminal_id', '=', terminal.id)
          .where('seq', 'in', dups.slice(i, i + 500).map((d) => d.seq))
          .execute();
        for (const r of rows) stored.set(Number(r.seq), r);
      }
      for (const d of dups) {
        const s = stored.get(d.seq);
        if (s && s.op_id !== d.opId) {
          throw new ServerError(
            409,
            'SEQUENCE_CONFLICT',
            `seq ${d.seq} was acknowledged for another op (${s.op_id}); this terminal's outbox does not match what the server stored: re-enrol it`,
            { seq: d.seq, storedOpId: s.op_id, lastAckedSeq: last },
          );
        }
        results.set(d.seq, toResult(d.seq, s ?? { status: 'duplicate', reason: 'acknowledged earlier' }, true));
      }
    }

    await ctx.lockMembersInOrder(fresh.flatMap(membersNamedBy));
    const fresults: { terminal_id: string; seq: number; op_id: string; status: OpResult['status']; reason: string | null; created_at: string }[] = [];
    const record = async (op: SyncOp, o: OpOutcome) => {
      const reason = o.reasons.length > 0 ? o.reasons.join('; ').slice(0, 1000) : null;
      fresults.push({ terminal_id: terminal.id, seq: op.seq, op_id: op.opId, status: o.status, reason, created_at: ctx.nowIso });
      results.set(op.seq, toResult(op.seq, { status: o.status, reason }, false));
      await hooks.afterOp?.({ terminalId: terminal.id, seq: op.seq, kind: op.kind });
    };
    for (let i = 0; i < fresh.length; ) {
      if (fresh[i]!.kind !== 'ledger_entry') {
        await record(fresh[i]!, await applyOp(ctx, terminal, fresh[i]!));
        i++;
        continue;
      }
      // A run of ledger entries (the bulk of any outbox) is applied together.
      let j = i;
      while (j < fresh.length && fresh[j]!.kind === 'ledger_entry') j++;
      const run = fresh.slice(i, j);
      const outcomes: (OpOutcome | null)[] = [];
      const valid: LedgerEntryPayload[] = [];
      for (const op of run) {
        const parsed = OP_PAYLOADS.ledger_entry.safeParse(op.payload);
        if (parsed.success) {
          valid.push(parsed.data);
          outcomes.push(null);
        } else outcomes.push(rejected(`invalid_payload: ${summariseIssues(parsed.error)}`.slice(0, 500)));
      }
      const applied = await applyLedgerRun(ctx, terminal, valid);
      let k = 0;
      for (let r = 0; r < run.length; r++) await record(run[r]!, outcomes[r] ?? applied[k++]!);
      i = j;
    }
    for (let i = 0; i < fresults.length; i += 500) {
      await trx.insertInto('push_result').values(fresults.slice(i, i + 500)).execute();
    }
    const acked = fresh.length > 0 ? fresh[fresh.length - 1]!.seq : last;
    const offset = req.sentAt ? nowMs - Date.parse(req.sentAt) : undefined;
    await trx
      .updateTable('terminal')
      .set({
        last_acked_seq: acked,
        resend_floor: Math.max(floor, ops[0]!.seq),
        last_seen_at: ctx.nowIso,
        app_version: req.appVersion,
        ...(offset !== undefined && Number.isFinite(offset) ? { clock_offset_ms: offset } : {}),
      })
      .where('id', '=', terminal.id)
      .execute();

    const feed = await appendToFeed(trx, ctx.dialect, ctx.changes, ctx.nowIso);
    await hooks.beforeCommit?.({ terminalId: terminal.id, feed });
    return {
      ackedThroughSeq: acked,
      results: ops.map((o) => results.get(o.seq)!),
      serverTime: new Date(now()).toISOString(),
    };
  });
}
