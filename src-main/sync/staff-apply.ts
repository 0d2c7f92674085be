import { STAFF_FIELDS, type ServerStaff, type StaffField } from '../../src-shared/sync/protocol';
import type { CoreContext, Trx } from '../core/context';

const COLUMN = { name: 'name', role: 'role', active: 'active', pin: 'pin_hash' } as const satisfies Record<StaffField, string>;

/**
 * A staff member as the server resolved it (another till of this store or head office changed
 * them). Registers this till wrote later (by HLC) and has not had acknowledged yet are kept, as
 * for member profiles; everything else takes the server's value. A new PIN clears a PIN lock.
 */
export async function applyServerStaff(trx: Trx, ctx: CoreContext, s: ServerStaff): Promise<void> {
  const newest = Object.values(s.fieldHlc).sort().pop();
  if (newest) ctx.hlc.receive(newest);
  const values = { name: s.name, role: s.role, active: s.active ? 1 : 0, pin_hash: s.pinHash };
  const existing = await trx.selectFrom('staff').selectAll().where('id', '=', s.id).executeTakeFirst();
  const take: StaffField[] = [];
  if (!existing) {
    await trx
      .insertInto('staff')
      .values({ id: s.id, ...values, failed_attempts: 0, locked_until: null, created_at: ctx.now().toISOString() })
      .execute();
    take.push(...STAFF_FIELDS);
  } else {
    const pending = await trx.selectFrom('outbox').select('seq').where('kind', '=', 'staff').where('entity_id', '=', s.id).limit(1).executeTakeFirst();
    const local = pending ? new Map((await trx.selectFrom('staff_field_clock').select(['field', 'hlc']).where('staff_id', '=', s.id).execute()).map((c) => [c.field, c.hlc])) : new Map<string, string>();
    const update: Partial<typeof values> & { failed_attempts?: number; locked_until?: null } = {};
    for (const f of STAFF_FIELDS) {
      const mine = local.get(f);
      const theirs = s.fieldHlc[f];
      if (mine && (!theirs || mine > theirs)) continue; // our later write is still on its way
      const col = COLUMN[f];
      (update as Record<string, unknown>)[col] = values[col];
      take.push(f);
    }
    if (update.pin_hash !== undefined && update.pin_hash !== existing.pin_hash) {
      update.failed_attempts = 0;
      update.locked_until = null;
    }
    if (Object.keys(update).length > 0) await trx.updateTable('staff').set(update).where('id', '=', s.id).execute();
  }
  for (const f of take) {
    const hlc = s.fieldHlc[f];
    if (!hlc) continue;
    await trx
      .insertInto('staff_field_clock')
      .values({ staff_id: s.id, field: f, hlc, terminal_id: 'server' })
      .onConflict((oc) => oc.columns(['staff_id', 'field']).doUpdateSet({ hlc, terminal_id: 'server' }))
      .execute();
  }
}
