import { SERVER_TERMINAL_ID, STAFF_FIELDS, type ServerStaff, type StaffField, type StaffPayload } from '../../src-shared/sync/protocol';
import { hashPin } from '../crypto';
import { inTransaction, type Executor, type ServerDb } from '../db/database';
import type { StaffRow } from '../db/schema';
import { ServerError } from '../errors';
import { ApplyContext, clampHlc } from './apply-context';
import { appendToFeed } from './feed';
import { applied, rejected, type OpOutcome, type TerminalIdentity } from './outcome';

/**
 * Staff belong to a store and travel between its tills: name, role, active and the PIN's scrypt
 * hash are last-writer-wins registers ordered by HLC (the writer's terminal id breaks an exact
 * tie). The resolved staff member goes on the feed for the tills of that store only, its maker
 * included (so a till whose write lost learns the winner). A PIN never reaches the server; head
 * office's CLI hashes the one its operator types and forgets it.
 */

interface StaffWrite {
  name: string;
  role: 'cashier' | 'manager';
  active: boolean;
  pinHash?: string | undefined;
  fields: readonly StaffField[];
}

async function lockStaff(ctx: ApplyContext, id: string): Promise<StaffRow | undefined> {
  let q = ctx.trx.selectFrom('staff').selectAll().where('id', '=', id);
  if (ctx.dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

async function clocksOf(ex: Executor, staffId: string): Promise<Map<string, { hlc: string; terminal_id: string }>> {
  const rows = await ex.selectFrom('staff_field_clock').select(['field', 'hlc', 'terminal_id']).where('staff_id', '=', staffId).execute();
  return new Map(rows.map((r) => [r.field, { hlc: r.hlc, terminal_id: r.terminal_id }]));
}

async function setClock(ctx: ApplyContext, staffId: string, field: StaffField, hlc: string, terminalId: string): Promise<void> {
  await ctx.trx
    .insertInto('staff_field_clock')
    .values({ staff_id: staffId, field, hlc, terminal_id: terminalId })
    .onConflict((oc) => oc.columns(['staff_id', 'field']).doUpdateSet({ hlc, terminal_id: terminalId }))
    .execute();
}

function toServerStaff(r: StaffRow, clocks: Map<string, { hlc: string }>): ServerStaff | null {
  if (!r.pin_hash) return null; // a version-1 till sent it without a PIN hash: nobody could sign in with it
  const fieldHlc: Record<string, string> = {};
  for (const f of STAFF_FIELDS) {
    const c = clocks.get(f);
    if (c) fieldHlc[f] = c.hlc;
  }
  return { id: r.id, name: r.name, role: r.role, active: Number(r.active) === 1, pinHash: r.pin_hash, fieldHlc };
}

/** The resolved staff member, for its store's tills (null when it has no PIN hash). */
export async function readServerStaff(ex: Executor, id: string): Promise<ServerStaff | null> {
  const r = await ex.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toServerStaff(r, await clocksOf(ex, id)) : null;
}

/** Every staff member of a store that a till can use (with a PIN hash), for a snapshot. */
export async function storeStaff(ex: Executor, storeId: string): Promise<ServerStaff[]> {
  const rows = await ex.selectFrom('staff').selectAll().where('store_id', '=', storeId).where('pin_hash', 'is not', null).orderBy('id').execute();
  if (rows.length === 0) return [];
  const clocks = await ex.selectFrom('staff_field_clock').select(['staff_id', 'field', 'hlc']).where('staff_id', 'in', rows.map((r) => r.id)).execute();
  const byStaff = new Map<string, Map<string, { hlc: string }>>();
  for (const c of clocks) {
    if (!byStaff.has(c.staff_id)) byStaff.set(c.staff_id, new Map());
    byStaff.get(c.staff_id)!.set(c.field, { hlc: c.hlc });
  }
  return rows.map((r) => toServerStaff(r, byStaff.get(r.id) ?? new Map())).filter((s): s is ServerStaff => s !== null);
}

/**
 * Writes the registers of `w` that win against their clocks (a new staff member takes every
 * register), then puts the resolved state on the feed for the store. Returns `older:<field>` for
 * each register that lost.
 */
async function writeStaff(ctx: ApplyContext, storeId: string, id: string, w: StaffWrite, hlc: string, writer: string, existing: StaffRow | undefined): Promise<string[]> {
  const reasons: string[] = [];
  let current = existing;
  if (!current) {
    const row = { id, store_id: storeId, terminal_id: writer, name: w.name, role: w.role, active: w.active ? 1 : 0, pin_hash: w.pinHash ?? null, updated_at: ctx.nowIso };
    const ins = await ctx.trx.insertInto('staff').values(row).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    if (Number(ins.numInsertedOrUpdatedRows ?? 0n) > 0) {
      for (const f of STAFF_FIELDS) if (f !== 'pin' || w.pinHash) await setClock(ctx, id, f, hlc, writer);
    } else {
      current = await lockStaff(ctx, id); // created meanwhile by another transaction: merge as an edit
      if (current && current.store_id !== storeId) return ['forbidden'];
    }
  }
  if (current) {
    const clocks = await clocksOf(ctx.trx, id);
    const update: { name?: string; role?: 'cashier' | 'manager'; active?: number; pin_hash?: string } = {};
    const won: StaffField[] = [];
    for (const f of w.fields) {
      if (f === 'pin' && !w.pinHash) continue;
      const cur = clocks.get(f);
      if (cur && !(hlc > cur.hlc || (hlc === cur.hlc && writer > cur.terminal_id))) {
        reasons.push(`older:${f}`);
        continue;
      }
      if (f === 'name') update.name = w.name;
      else if (f === 'role') update.role = w.role;
      else if (f === 'active') update.active = w.active ? 1 : 0;
      else update.pin_hash = w.pinHash!;
      won.push(f);
    }
    if (won.length > 0) {
      await ctx.trx.updateTable('staff').set({ ...update, terminal_id: writer, updated_at: ctx.nowIso }).where('id', '=', id).execute();
      for (const f of won) await setClock(ctx, id, f, hlc, writer);
    }
  }
  const resolved = await readServerStaff(ctx.trx, id);
  if (resolved) ctx.emit({ kind: 'staff', staff: resolved }, id, null, storeId);
  return reasons;
}

/** A `staff` op from a till: applied within the till's store only. */
export async function applyStaff(ctx: ApplyContext, terminal: TerminalIdentity, p: StaffPayload, opHlc: string): Promise<OpOutcome> {
  const existing = await lockStaff(ctx, p.id);
  if (existing && existing.store_id !== terminal.storeId) return rejected('forbidden: the staff member belongs to another store');
  const { hlc, clamped } = clampHlc(opHlc, ctx.nowMs);
  // A version-1 op (no `fields`) writes name, role and active; the first write of a staff member
  // takes every register (a PIN change of a staff member the server never saw creates it).
  const fields: readonly StaffField[] = !existing ? STAFF_FIELDS : (p.fields ?? (p.pinHash ? STAFF_FIELDS : ['name', 'role', 'active']));
  const reasons = await writeStaff(ctx, terminal.storeId, p.id, { ...p, fields }, hlc, terminal.id, existing);
  if (reasons.includes('forbidden')) return rejected('forbidden: the staff member belongs to another store');
  return applied([...(clamped ? ['hlc_clamped'] : []), ...reasons]);
}

// ------------------------------------------------------------------ head office (CLI and admin API)

export interface StaffAdminDto {
  id: string;
  storeId: string;
  name: string;
  role: 'cashier' | 'manager';
  active: boolean;
  /** Whether a PIN hash is known (staff from version-1 tills have none and cannot travel). */
  hasPin: boolean;
  updatedAt: string;
}

const toDto = (r: StaffRow): StaffAdminDto => ({ id: r.id, storeId: r.store_id, name: r.name, role: r.role, active: Number(r.active) === 1, hasPin: r.pin_hash !== null, updatedAt: r.updated_at });

const PIN_RE = /^\d{4,8}$/;
function checkPin(pin: string): void {
  if (!PIN_RE.test(pin)) throw new ServerError(400, 'INVALID_REQUEST', 'a PIN is 4 to 8 digits');
}
function checkName(name: string): string {
  const n = name.trim();
  if (n.length === 0 || n.length > 60) throw new ServerError(400, 'INVALID_REQUEST', 'a staff name has 1 to 60 characters');
  return n;
}
function checkRole(role: string): 'cashier' | 'manager' {
  if (role !== 'cashier' && role !== 'manager') throw new ServerError(400, 'INVALID_REQUEST', 'the role is cashier or manager');
  return role;
}

export async function listStaff(sdb: ServerDb, storeId?: string): Promise<StaffAdminDto[]> {
  let q = sdb.db.selectFrom('staff').selectAll();
  if (storeId) q = q.where('store_id', '=', storeId);
  return (await q.orderBy('store_id').orderBy('name').orderBy('id').execute()).map(toDto);
}

/** Head office adds a staff member to a store; every till of the store receives them on its next pull. */
export async function createStaff(
  sdb: ServerDb,
  now: () => number,
  input: { storeId: string; name: string; role: string; pin: string; newId: () => string; pinCost?: number },
): Promise<StaffAdminDto> {
  const name = checkName(input.name);
  const role = checkRole(input.role);
  checkPin(input.pin);
  const store = await sdb.db.selectFrom('store').select('id').where('id', '=', input.storeId).executeTakeFirst();
  if (!store) throw new ServerError(404, 'INVALID_REQUEST', 'no such store', { storeId: input.storeId });
  const pinHash = await hashPin(input.pin, input.pinCost);
  const id = input.newId();
  return inTransaction(sdb, async (trx) => {
    const ctx = new ApplyContext(trx, sdb.dialect, now());
    await writeStaff(ctx, store.id, id, { name, role, active: true, pinHash, fields: STAFF_FIELDS }, ctx.serverHlc(), SERVER_TERMINAL_ID, undefined);
    await appendToFeed(trx, ctx.dialect, ctx.changes, ctx.nowIso);
    return toDto((await trx.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
  });
}

/**
 * Head office changes a staff member: a new PIN, (de)activation, name or role. The server's write
 * is stamped after the registers it replaces, so it wins over what the operator saw.
 */
export async function updateStaff(
  sdb: ServerDb,
  now: () => number,
  input: { staffId: string; pin?: string; active?: boolean; name?: string; role?: string; pinCost?: number },
): Promise<StaffAdminDto> {
  if (input.pin !== undefined) checkPin(input.pin);
  const name = input.name === undefined ? undefined : checkName(input.name);
  const role = input.role === undefined ? undefined : checkRole(input.role);
  const fields: StaffField[] = [];
  if (name !== undefined) fields.push('name');
  if (role !== undefined) fields.push('role');
  if (input.active !== undefined) fields.push('active');
  if (input.pin !== undefined) fields.push('pin');
  if (fields.length === 0) throw new ServerError(400, 'INVALID_REQUEST', 'nothing to change: give a PIN, active, name or role');
  const pinHash = input.pin === undefined ? undefined : await hashPin(input.pin, input.pinCost);
  return inTransaction(sdb, async (trx) => {
    const ctx = new ApplyContext(trx, sdb.dialect, now());
    const existing = await lockStaff(ctx, input.staffId);
    if (!existing) throw new ServerError(404, 'INVALID_REQUEST', 'no such staff member', { staffId: input.staffId });
    const clocks = await clocksOf(trx, existing.id);
    const newest = fields.map((f) => clocks.get(f)?.hlc ?? '').sort().pop() || null;
    const w: StaffWrite = { name: name ?? existing.name, role: role ?? existing.role, active: input.active ?? Number(existing.active) === 1, pinHash, fields };
    await writeStaff(ctx, existing.store_id, existing.id, w, ctx.serverHlc(newest), SERVER_TERMINAL_ID, existing);
    await appendToFeed(trx, ctx.dialect, ctx.changes, ctx.nowIso);
    return toDto((await trx.selectFrom('staff').selectAll().where('id', '=', existing.id).executeTakeFirstOrThrow()));
  });
}
