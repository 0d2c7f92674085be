import { contract, isMethod, type PosHandlers } from '../../src-shared/api/contract';
import type { Result } from '../../src-shared/api/dto';
import { DomainError, type ErrorPayload } from '../../src-shared/errors/domain-error';
import { toStorageError } from '../db/storage-errors';

export type Dispatch = (method: unknown, input: unknown) => Promise<Result<unknown>>;

/**
 * The single entry point for every transport (Electron IPC, HTTP bridge): checks the method
 * against the allowlist, parses the input with the shared schema, runs the handler and turns
 * every failure into `{ code, message, details }`. Unexpected errors are logged and reported
 * as INTERNAL without leaking internals to the caller.
 */
export function createDispatcher(handlers: PosHandlers, log: (msg: string, e: unknown) => void = defaultLog): Dispatch {
  return async (method, input) => {
    if (!isMethod(method)) {
      return fail({ code: 'UNKNOWN_METHOD', message: `There is no method "${String(method)}".`, details: {} });
    }
    const parsed = contract[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      return fail({
        code: 'INVALID_INPUT',
        message: parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
        details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
      });
    }
    try {
      const handler = handlers[method] as (i: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (e) {
      const mapped = toStorageError(e);
      if (mapped instanceof DomainError) return fail(mapped.toPayload());
      log(`unexpected error in ${method}`, e);
      return fail({ code: 'INTERNAL', message: 'Something went wrong inside the till. Nothing was saved. Try again; if it repeats, call support.', details: {} });
    }
  };
}

function fail(error: ErrorPayload): Result<never> {
  return { ok: false, error: { code: error.code, message: error.message, details: error.details ?? {} } };
}

function defaultLog(msg: string, e: unknown): void {
  console.error(`[tillsmith] ${msg}:`, e);
}
