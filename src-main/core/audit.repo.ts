import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { TerminalDatabase } from '../db/schema';
import type { CoreContext, Executor } from './context';
import { enqueueOutbox } from './outbox.repo';

export const AUDIT_GENESIS = '0'.repeat(64);

export interface AuditInput {
  action: string;
  staffId: string | null;
  approvedBy?: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  details?: Record<string, unknown>;
}

/** The fields the hash covers: the row without its sequence number and its two hashes. */
type AuditFields = Omit<Selectable<TerminalDatabase['audit_log']>, 'seq' | 'prev_hash' | 'hash'>;

/** sha256 over the previous hash and the entry's fields in a fixed order. */
export function auditHash(prevHash: string, f: AuditFields): string {
  const canonical = JSON.stringify([f.id, f.at, f.terminal_id, f.staff_id, f.approved_by, f.action, f.subject_type, f.subject_id, f.details]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** Appends one entry to the tamper-evident audit log; call inside the operation's transaction. */
export async function appendAudit(ex: Executor, ctx: CoreContext, input: AuditInput): Promise<void> {
  const last = await ex.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const prev = last?.hash ?? AUDIT_GENESIS;
  const fields: AuditFields = {
    id: ctx.newId(),
    at: ctx.now().toISOString(),
    terminal_id: ctx.terminalId,
    staff_id: input.staffId,
    approved_by: input.approvedBy ?? null,
    action: input.action,
    subject_type: input.subjectType ?? null,
    subject_id: input.subjectId ?? null,
    details: JSON.stringify(input.details ?? {}),
  };
  const hash = auditHash(prev, fields);
  await ex.insertInto('audit_log').values({ ...fields, prev_hash: prev, hash }).execute();
  await enqueueOutbox(ex, ctx, 'audit', fields.id, { ...fields, prev_hash: prev, hash });
}

/** Walks the chain in order; returns the first sequence number whose link or hash is wrong. */
export async function verifyAuditChain(ex: Executor): Promise<{ ok: boolean; entries: number; brokenAt: number | null }> {
  const rows = await ex.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  let prev = AUDIT_GENESIS;
  for (const row of rows) {
    if (row.prev_hash !== prev || auditHash(prev, row) !== row.hash) {
      return { ok: false, entries: rows.length, brokenAt: row.seq };
    }
    prev = row.hash;
  }
  return { ok: true, entries: rows.length, brokenAt: null };
}
