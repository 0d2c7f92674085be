import { isMethod, parseInput, type PosHandlers } from '../../src-shared/api/contract';
import type { Result } from '../../src-shared/api/dto';
import { isDomainError, type ErrorPayload } from '../../src-shared/errors/domain-error';
import type { Transport } from './transports';

/*
 * Tests and tools only: this module imports the zod contract, which the production renderer
 * never loads (zod probes `new Function` at schema creation, a CSP violation in the page).
 */

export interface MemoryTransport extends Transport {
  /** Delivers an event to subscribers, as main would. */
  emit(event: string, payload: unknown): void;
  /** Every call made, in order (method and raw input). */
  readonly calls: { method: string; input: unknown }[];
}

/**
 * Runs handlers in the same process with the same contract checks as the real dispatcher:
 * allowlisted method, input parsed with the shared schema, DomainError turned into the
 * error envelope, and values cloned as they would be over IPC or HTTP.
 */
export function memoryTransport(handlers: Partial<PosHandlers>): MemoryTransport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: { method: string; input: unknown }[] = [];
  return {
    kind: 'memory',
    calls,
    async invoke(method, input) {
      calls.push({ method, input });
      if (!isMethod(method)) return fail({ code: 'UNKNOWN_METHOD', message: `There is no method "${String(method)}".` });
      const handler = handlers[method] as ((i: unknown) => Promise<unknown>) | undefined;
      if (!handler) return fail({ code: 'UNKNOWN_METHOD', message: `The in-memory transport has no handler for "${method}".` });
      const parsed = parseInput(method, input);
      if (!parsed.ok) return fail(parsed.error);
      try {
        const value = await handler(parsed.data);
        return { ok: true, value: value === undefined ? undefined : structuredClone(value) };
      } catch (e) {
        if (isDomainError(e)) return fail(e.toPayload());
        return fail({ code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
      }
    },
    on(event, callback) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(callback);
      return () => {
        set.delete(callback);
      };
    },
    emit(event, payload) {
      for (const cb of listeners.get(event) ?? []) cb(payload);
    },
  };
}

function fail(error: ErrorPayload): Result<never> {
  return { ok: false, error: { code: error.code, message: error.message, details: error.details ?? {} } };
}
