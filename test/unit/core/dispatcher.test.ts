import { describe, expect, it } from 'vitest';
import { contract, METHODS, type Method } from '../../../src-shared/api/contract';
import { DomainError } from '../../../src-shared/errors/domain-error';
import type { StaffRow } from '../../../src-main/core/context';
import { createDispatcher } from '../../../src-main/core/dispatcher';
import type { CoreHandlers } from '../../../src-main/core/handlers';
import type { StaffGate } from '../../../src-main/core/ports';

const staffRow = (id: string, role: 'cashier' | 'manager'): StaffRow => ({
  id, name: id, role, pin_hash: '', active: 1, failed_attempts: 0, locked_until: null, created_at: '2026-01-01T00:00:00.000Z',
});
const CASHIER = staffRow('cashier-1', 'cashier');
const MANAGER = staffRow('manager-1', 'manager');

/** A till where `signedIn` is at the counter and the manager's PIN is 9999. */
function gate(signedIn: StaffRow | null): StaffGate & { approvals: string[] } {
  const approvals: string[] = [];
  return {
    approvals,
    requireStaff: () => {
      if (!signedIn) throw new DomainError('NOT_SIGNED_IN', 'Nobody is signed in.');
      return signedIn;
    },
    approveAsManager: async ({ staffId, pin }) => {
      approvals.push(staffId);
      if (staffId !== MANAGER.id) throw new DomainError('MANAGER_PIN_REQUIRED', 'This needs a manager.');
      if (pin !== '9999') throw new DomainError('INVALID_PIN', 'Wrong PIN.');
      return MANAGER;
    },
  };
}

/** Handlers that only report what the dispatcher gave them. */
function recordingHandlers(seen: { method: string; call: Record<string, unknown> }[]): CoreHandlers {
  const record = (method: string) => async (_input: unknown, call: Record<string, unknown>) => {
    seen.push({ method, call });
    return null;
  };
  return Object.fromEntries(METHODS.map((m) => [m, record(m)])) as unknown as CoreHandlers;
}

const approval = { staffId: MANAGER.id, pin: '9999' };
const inputs: Partial<Record<Method, unknown>> = {
  'session.current': {},
  'members.get': { memberId: 'm-1' },
  'reports.endOfDay': {},
  'members.reveal': { memberId: 'm-1', approval },
  'checkout.preview': { memberId: 'm-1', lines: [{ lineNo: 1, category: 'grocery', quantity: 1, unitPriceMinor: 100 }], approval },
};

describe('the dispatcher checks each method’s declared access', () => {
  it('lets anyone call a `none` method', async () => {
    const seen: { method: string; call: Record<string, unknown> }[] = [];
    const dispatch = createDispatcher({ handlers: recordingHandlers(seen), gate: gate(null) });
    expect(await dispatch('session.current', inputs['session.current'])).toEqual({ ok: true, value: null });
    expect(seen[0]!.call).not.toHaveProperty('staff');
  });

  it('refuses a `staff` method when nobody is signed in, and passes the signed-in staff member otherwise', async () => {
    const seen: { method: string; call: Record<string, unknown> }[] = [];
    const out = await createDispatcher({ handlers: recordingHandlers(seen), gate: gate(null) })('members.get', inputs['members.get']);
    expect(out).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(seen).toEqual([]);
    await createDispatcher({ handlers: recordingHandlers(seen), gate: gate(CASHIER) })('members.get', inputs['members.get']);
    expect(seen[0]!.call.staff).toBe(CASHIER);
  });

  it('refuses a `manager` method to a cashier', async () => {
    const seen: { method: string; call: Record<string, unknown> }[] = [];
    const out = await createDispatcher({ handlers: recordingHandlers(seen), gate: gate(CASHIER) })('reports.endOfDay', inputs['reports.endOfDay']);
    expect(out).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { role: 'cashier' } } });
    expect(seen).toEqual([]);
    await createDispatcher({ handlers: recordingHandlers(seen), gate: gate(MANAGER) })('reports.endOfDay', inputs['reports.endOfDay']);
    expect(seen[0]!.call.staff).toBe(MANAGER);
  });

  it('checks the manager’s PIN of an `approval` method before the handler, and passes the approver', async () => {
    const seen: { method: string; call: Record<string, unknown> }[] = [];
    const g = gate(CASHIER);
    const dispatch = createDispatcher({ handlers: recordingHandlers(seen), gate: g });
    expect(await dispatch('members.reveal', { memberId: 'm-1', approval: { ...approval, pin: '0000' } })).toMatchObject({ ok: false, error: { code: 'INVALID_PIN' } });
    expect(await dispatch('members.reveal', { memberId: 'm-1', approval: { staffId: CASHIER.id, pin: '1111' } })).toMatchObject({ ok: false, error: { code: 'MANAGER_PIN_REQUIRED' } });
    expect(seen).toEqual([]);
    expect(await dispatch('members.reveal', inputs['members.reveal'])).toEqual({ ok: true, value: null });
    expect(seen[0]!.call).toMatchObject({ staff: CASHIER, approver: MANAGER });
    // Signed out: refused before any PIN is tried (a PIN guess counts towards the lock).
    const signedOut = gate(null);
    expect(await createDispatcher({ handlers: recordingHandlers(seen), gate: signedOut })('members.reveal', inputs['members.reveal'])).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(signedOut.approvals).toEqual([]);
  });

  it('leaves an optional approval to the handler, through call.approve', async () => {
    const seen: { method: string; call: Record<string, unknown> }[] = [];
    const g = gate(CASHIER);
    await createDispatcher({ handlers: recordingHandlers(seen), gate: g })('checkout.preview', inputs['checkout.preview']);
    expect(g.approvals).toEqual([]);
    const approve = seen[0]!.call.approve as (a: typeof approval | undefined) => Promise<StaffRow | null>;
    expect(await approve(undefined)).toBeNull();
    expect(await approve(approval)).toBe(MANAGER);
  });

  it('wakes the sync agent after a successful `writes` method only', async () => {
    const written: string[] = [];
    const handlers = recordingHandlers([]);
    const dispatch = createDispatcher({ handlers, gate: gate(MANAGER), onWrite: (m) => written.push(m) });
    await dispatch('members.get', inputs['members.get']);
    await dispatch('members.reveal', inputs['members.reveal']);
    await dispatch('members.reveal', { memberId: 'm-1', approval: { ...approval, pin: '0000' } });
    expect(written).toEqual(['members.reveal']);
  });
});

describe('the contract', () => {
  it('requires a manager’s approval in the input of every `approval` method', () => {
    const approvalMethods = METHODS.filter((m) => contract[m].access === 'approval');
    expect(approvalMethods.length).toBeGreaterThan(5);
    for (const m of approvalMethods) {
      const parsed = contract[m].input.safeParse({});
      expect(parsed.success, m).toBe(false);
      expect(parsed.error?.issues.some((i) => i.path[0] === 'approval'), m).toBe(true);
    }
  });

  it('declares every method that only reads as not writing', () => {
    const reads = METHODS.filter((m) => /\.(get|list|find|scan|current|status|history|recent|preview|verify|state|queue|problems|info)$/.test(m) || m.startsWith('reports.'));
    for (const m of reads) expect(contract[m].writes, m).toBe(false);
  });
});
