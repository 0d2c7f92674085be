import { contract, isMethod, parseInput, type Method } from '../../src-shared/api/contract';
import type { Result } from '../../src-shared/api/dto';
import { DomainError, type ErrorPayload } from '../../src-shared/errors/domain-error';
import { toStorageError } from '../db/storage-errors';
import type { Access } from '../../src-shared/api/access';
import type { ApprovedCall, Call, CoreHandlers, StaffCall } from './handlers';
import { consoleLog, type Log } from './log';
import type { Approval, StaffGate } from './ports';

export type Dispatch = (method: unknown, input: unknown) => Promise<Result<unknown>>;

export interface DispatcherOptions {
  handlers: CoreHandlers;
  /** Who is at the till: every method's declared access is checked through it. */
  gate: StaffGate;
  /** Called after every successful method that declares `writes` (the sync agent looks for changes). */
  onWrite?: (method: Method) => void;
  log?: Log;
}

/**
 * The single entry point for every transport (Electron IPC, HTTP bridge): checks the method
 * against the allowlist, parses the input with the shared schema, checks the caller against the
 * method's declared access, runs the handler and turns every failure into `{ code, message,
 * details }`. Unexpected errors are logged and reported as INTERNAL without leaking internals.
 */
export function createDispatcher({ handlers, gate, onWrite, log = consoleLog }: DispatcherOptions): Dispatch {
  const approve = (a: Approval | undefined) => (a ? gate.approveAsManager(a) : Promise.resolve(null));
  return async (method, input) => {
    if (!isMethod(method)) {
      return fail({ code: 'UNKNOWN_METHOD', message: `There is no method "${String(method)}".`, details: {} });
    }
    const spec = contract[method];
    const parsed = parseInput(method, input);
    if (!parsed.ok) return fail(parsed.error);
    try {
      const call = await checkAccess(spec.access, parsed.data, gate, approve);
      const handler = handlers[method] as (i: unknown, c: Call) => Promise<unknown>;
      const value = await handler(parsed.data, call);
      if (spec.writes) onWrite?.(method);
      return { ok: true, value };
    } catch (e) {
      const mapped = toStorageError(e);
      if (mapped instanceof DomainError) return fail(mapped.toPayload());
      log.error({ err: e, method }, 'unexpected error in a method');
      return fail({ code: 'INTERNAL', message: 'Something went wrong inside the till. Nothing was saved. Try again; if it repeats, call support.', details: {} });
    }
  };
}

/** The caller as the method's access requires it, or the refusal (NOT_SIGNED_IN, FORBIDDEN, a failed approval). */
async function checkAccess(access: Access, input: unknown, gate: StaffGate, approve: Call['approve']): Promise<Call | StaffCall | ApprovedCall> {
  if (access === 'none') return { approve };
  const staff = gate.requireStaff();
  if (access === 'staff') return { staff, approve } satisfies StaffCall;
  if (access === 'manager') {
    if (staff.role !== 'manager') throw new DomainError('FORBIDDEN', 'This is for managers. Ask a manager to sign in.', { role: staff.role });
    return { staff, approve } satisfies StaffCall;
  }
  // The schema of every `approval` method requires it (test/unit/core/dispatcher.test.ts).
  const approver = await gate.approveAsManager((input as { approval: Approval }).approval);
  return { staff, approver, approve } satisfies ApprovedCall;
}

function fail(error: ErrorPayload): Result<never> {
  return { ok: false, error: { code: error.code, message: error.message, details: error.details ?? {} } };
}
