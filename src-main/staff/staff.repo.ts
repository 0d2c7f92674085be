import type BetterSqlite3 from 'better-sqlite3';
import type { StaffField, StaffPayload } from '../../src-shared/sync/protocol';
import type { CoreContext, Executor, StaffRow, Trx } from '../core/context';
import { enqueueOutbox } from '../core/outbox.repo';

/** Staff rows: Kysely queries only (the rules about PINs, locks and managers are in staff.service.ts). */

export async function staffById(ex: Executor, staffId: string): Promise<StaffRow | undefined> {
  return ex.selectFrom('staff').selectAll().where('id', '=', staffId).executeTakeFirst();
}

/** A synchronous primary-key read, for the session, which reads its staff member again on every call. */
export function staffLoader(raw: BetterSqlite3.Database): (staffId: string) => StaffRow | undefined {
  const byId = raw.prepare('SELECT * FROM staff WHERE id = ?');
  return (staffId) => byId.get(staffId) as StaffRow | undefined;
}

export async function activeStaff(ex: Executor): Promise<StaffRow[]> {
  return ex.selectFrom('staff').selectAll().where('active', '=', 1).orderBy('name').execute();
}

export async function insertStaff(trx: Trx, row: StaffRow): Promise<void> {
  await trx.insertInto('staff').values(row).execute();
}

export async function setPinHash(trx: Trx, staffId: string, pinHash: string): Promise<void> {
  await trx.updateTable('staff').set({ pin_hash: pinHash, failed_attempts: 0, locked_until: null }).where('id', '=', staffId).execute();
}

export async function setInactive(trx: Trx, staffId: string): Promise<void> {
  await trx.updateTable('staff').set({ active: 0 }).where('id', '=', staffId).execute();
}

/** Whether an active manager other than `staffId` exists. */
export async function anotherActiveManager(ex: Executor, staffId: string): Promise<boolean> {
  const row = await ex.selectFrom('staff').select('id').where('role', '=', 'manager').where('active', '=', 1).where('id', '!=', staffId).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function setPinAttempts(trx: Trx, staffId: string, failedAttempts: number, lockedUntil: string | null): Promise<void> {
  await trx.updateTable('staff').set({ failed_attempts: failedAttempts, locked_until: lockedUntil }).where('id', '=', staffId).execute();
}

/**
 * Queues a staff change for the other tills of the store (through the central server) and stamps
 * the registers it writes with one HLC, in the caller's transaction. The PIN travels only as its
 * scrypt hash; `fields` says which registers this change writes (last writer wins per register).
 */
export async function enqueueStaffWrite(trx: Trx, ctx: CoreContext, s: StaffRow, fields: readonly StaffField[]): Promise<void> {
  const hlc = ctx.hlc.send();
  const payload: StaffPayload = { id: s.id, name: s.name, role: s.role, active: s.active === 1, pinHash: s.pin_hash, fields: [...fields] };
  await enqueueOutbox(trx, ctx, 'staff', s.id, payload, hlc);
  for (const field of fields) {
    await trx
      .insertInto('staff_field_clock')
      .values({ staff_id: s.id, field, hlc, terminal_id: ctx.terminalId })
      .onConflict((oc) => oc.columns(['staff_id', 'field']).doUpdateSet({ hlc, terminal_id: ctx.terminalId }))
      .execute();
  }
}
