import type { StaffField, StaffPayload } from '../../src-shared/sync/protocol';
import { enqueueOutbox } from '../ledger/outbox.repo';
import type { CoreContext, Trx } from '../terminal/context';
import type { StaffRow } from './staff.service';

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
