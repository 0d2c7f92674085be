import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { formatHlc, nodeIdOf } from '../../../src-shared/sync/hlc';
import type { PullChange, ServerStaff, StaffPayload } from '../../../src-shared/sync/protocol';
import { hashPin } from '../../../src-server/crypto';
import { verifyPin } from '../../../src-main/staff/pin';
import { describeServer, runCli, T0, type FakeTerminal } from './harness';

const staffChanges = (changes: PullChange[]): ServerStaff[] => changes.flatMap((c) => (c.kind === 'staff' ? [c.staff] : []));

describeServer('staff between the tills of a store', (ctx) => {
  /** A version-2 staff op as src-main writes it: the registers it writes, the PIN as its scrypt hash. */
  async function staffOp(t: FakeTerminal, s: Omit<StaffPayload, 'pinHash'> & { pin?: string }, hlc?: string) {
    const { pin, ...rest } = s;
    const payload: StaffPayload = { ...rest, ...(pin ? { pinHash: await hashPin(pin, 1024) } : {}) };
    return t.op('staff', s.id, payload, hlc);
  }

  it('sends a staff member created on one till to every till of its store, its maker included, never to another store', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal(a.storeId);
    const other = await h.terminal();
    const id = a.newId();
    const res = await a.pushOk([await staffOp(a, { id, name: 'Zhao Lei', role: 'cashier', active: true, fields: ['name', 'role', 'active', 'pin'], pin: '4321' })]);
    expect(res.results).toEqual([{ seq: 1, status: 'applied' }]);
    const seen = staffChanges(await b.pullAll());
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id, name: 'Zhao Lei', role: 'cashier', active: true });
    expect(Object.keys(seen[0]!.fieldHlc).sort()).toEqual(['active', 'name', 'pin', 'role']);
    expect(await verifyPin('4321', seen[0]!.pinHash)).toBe(true); // the hash, never the PIN
    // HLCs are left out of the search: their random node id is hex and may hold any four digits.
    expect(withoutHlcs(JSON.stringify(await h.sdb.db.selectFrom('change_feed').select('payload').execute()))).not.toContain('4321');
    expect(staffChanges(await a.pullAll())).toEqual(seen);
    expect(staffChanges(await other.pullAll())).toEqual([]);
    // a version-1 till does not know staff changes: it never gets them
    const v1 = await b.pull('0', 500, { protocolVersion: 1 });
    expect(v1.body.changes.filter((c) => c.kind === 'staff')).toEqual([]);
    // a new till of the store gets the staff with its snapshot; another store's does not
    expect((await b.snapshot({})).body.staff).toEqual(seen);
    expect((await other.snapshot({})).body.staff).toEqual([]);
  });

  it('merges concurrent changes register by register, the later HLC winning whatever arrives first', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal(a.storeId);
    const id = a.newId();
    await a.pushOk([await staffOp(a, { id, name: 'Sun Li', role: 'cashier', active: true, pin: '1111' })]);
    await b.pullAll();
    const at = (ms: number, t: FakeTerminal) => formatHlc({ millis: T0 + ms, counter: 0, node: nodeIdOf(t.id) });
    // Offline at the same time: A renames (10 s) and later sets a PIN (30 s); B renames at 20 s and deactivates.
    const bOps = [await staffOp(b, { id, name: 'Sun Li (B)', role: 'cashier', active: true, fields: ['name'] }, at(20_000, b)), await staffOp(b, { id, name: 'Sun Li (B)', role: 'cashier', active: false, fields: ['active'] }, at(21_000, b))];
    const aOps = [await staffOp(a, { id, name: 'Sun Li (A)', role: 'cashier', active: true, fields: ['name'] }, at(10_000, a)), await staffOp(a, { id, name: 'Sun Li (A)', role: 'cashier', active: true, pin: '2222', fields: ['pin'] }, at(30_000, a))];
    h.clock.advance(60_000);
    await b.pushOk(bOps);
    const ra = await a.pushOk(aOps); // arrives last, but its name is older
    expect(ra.results.map((r) => [r.status, r.reason])).toEqual([
      ['applied', 'older:name'],
      ['applied', undefined],
    ]);
    const row = await h.sdb.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect([row.name, Number(row.active)]).toEqual(['Sun Li (B)', 0]);
    expect(await verifyPin('2222', row.pin_hash!)).toBe(true);
    // both tills end with the same resolved state (the maker of the losing write included)
    const lastA = staffChanges(await a.pullAll()).at(-1)!;
    const lastB = staffChanges(await b.pullAll()).at(-1)!;
    expect(lastA).toEqual(lastB);
    expect(lastA).toMatchObject({ name: 'Sun Li (B)', active: false, pinHash: row.pin_hash });
    // a till whose clock runs a day fast is clamped to the server clock: it does not win for a day
    const fast = await staffOp(a, { id, name: 'Fast Clock', role: 'cashier', active: true, fields: ['name'] }, formatHlc({ millis: h.clock.ms + 86_400_000, counter: 0, node: nodeIdOf(a.id) }));
    expect((await a.pushOk([fast])).results[0]).toMatchObject({ status: 'applied', reason: 'hlc_clamped' });
    h.clock.advance(1000);
    await b.pushOk([await staffOp(b, { id, name: 'Sun Li', role: 'cashier', active: false, fields: ['name'] }, formatHlc({ millis: h.clock.ms, counter: 0, node: nodeIdOf(b.id) }))]);
    expect((await h.sdb.db.selectFrom('staff').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name).toBe('Sun Li');
  });

  it('refuses changes to another store\'s staff, and keeps a version-1 staff op without sending it to anyone', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal(a.storeId);
    const other = await h.terminal();
    const id = a.newId();
    await a.pushOk([await staffOp(a, { id, name: 'Wu Gang', role: 'manager', active: true, pin: '9999' })]);
    const r = await other.pushOk([await staffOp(other, { id, name: 'Taken Over', role: 'manager', active: true, pin: '0000' })]);
    expect(r.results[0]).toMatchObject({ status: 'rejected', reason: 'forbidden: the staff member belongs to another store' });
    const v1Id = a.newId();
    await a.pushOk([a.op('staff', v1Id, { id: v1Id, name: 'Old Till', role: 'cashier', active: true })]);
    expect((await h.sdb.db.selectFrom('staff').select(['name', 'pin_hash']).where('id', '=', v1Id).executeTakeFirstOrThrow())).toEqual({ name: 'Old Till', pin_hash: null });
    expect(staffChanges(await b.pullAll()).map((s) => s.name)).toEqual(['Wu Gang']);
    // a PIN hash outside the bounds a till accepts is refused as a payload
    const bad = await a.pushOk([a.op('staff', id, { id, name: 'Wu Gang', role: 'manager', active: true, pinHash: 'scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=', fields: ['pin'] })]);
    expect(bad.results[0]!.status).toBe('rejected');
  });

  it('head office creates, re-PINs and deactivates staff from the CLI and the admin API; the store\'s tills follow', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal(a.storeId);
    const other = await h.terminal();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pin-'));
    const pinFile = path.join(dir, 'pin');
    try {
      fs.writeFileSync(pinFile, '2468\n');
      const created = await runCli(h.url, ['create-staff', '--store', a.storeId, '--name', 'Ma Lin 马琳', '--role', 'manager', '--pin-file', pinFile, '--json']);
      expect(created.code).toBe(0);
      const staff = JSON.parse(created.out) as { id: string; storeId: string; active: boolean; hasPin: boolean };
      expect(staff).toMatchObject({ storeId: a.storeId, active: true, hasPin: true });
      const first = staffChanges(await b.pullAll());
      expect(first.map((s) => [s.id, s.name, s.role, s.active])).toEqual([[staff.id, 'Ma Lin 马琳', 'manager', true]]);
      expect(await verifyPin('2468', first[0]!.pinHash)).toBe(true);
      // A till changed the name a moment ago (the CLI runs on the real clock; the till's is a second
      // later); head office's later PIN write wins the PIN register and leaves the name alone.
      h.clock.ms = Date.now() + 1000;
      await a.pushOk([await staffOp(a, { id: staff.id, name: 'Ma Lin', role: 'manager', active: true, fields: ['name'] })]);
      fs.writeFileSync(pinFile, '1357');
      expect((await runCli(h.url, ['set-staff-pin', '--staff', staff.id, '--pin-file', pinFile])).out).toMatch(/new PIN set/);
      expect((await runCli(h.url, ['deactivate-staff', '--staff', staff.id])).out).toMatch(/inactive/);
      const last = staffChanges(await b.pullAll()).at(-1)!;
      expect(last).toMatchObject({ name: 'Ma Lin', active: false });
      expect(await verifyPin('1357', last.pinHash)).toBe(true);
      expect(staffChanges(await other.pullAll())).toEqual([]);
      const listed = await runCli(h.url, ['list-staff', '--store', a.storeId]);
      expect(listed.out).toMatch(/Ma Lin\s+manager\s+false\s+set/);
      expect(listed.out).not.toMatch(/scrypt/);
      fs.writeFileSync(pinFile, '12');
      expect((await runCli(h.url, ['set-staff-pin', '--staff', staff.id, '--pin-file', pinFile])).err).toMatch(/a PIN is 4 to 8 digits/);
      // The admin API does the same over HTTP (behind the admin token).
      const made = await h.admin<{ staff: { id: string } }>('POST', `/admin/stores/${a.storeId}/staff`, { name: 'Li Qiang', role: 'cashier', pin: '8080' });
      expect(made.status).toBe(201);
      const upd = await h.admin<{ staff: { active: boolean } }>('POST', `/admin/staff/${made.body.staff.id}`, { active: false });
      expect(upd.body.staff.active).toBe(false);
      expect((await h.admin('POST', `/admin/staff/${made.body.staff.id}`, {})).status).toBe(400);
      const seen = staffChanges(await a.pullAll()).filter((s) => s.id === made.body.staff.id);
      expect(seen.map((s) => s.active)).toEqual([true, false]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A text without the HLCs in it (`2026-…Z-0000-<hex node>`). */
function withoutHlcs(text: string): string {
  return text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-[0-9a-f]{4}-[0-9a-f]{16}/g, '');
}
