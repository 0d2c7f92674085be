import type { Method, PosApi } from '../../src-shared/api/contract';
import type { Result } from '../../src-shared/api/dto';
import { PosApiError } from './errors';
import type { Transport } from './transports';

export { PosApiError, isPosApiError } from './errors';
export type { PosApiErrorCode, TransportErrorCode } from './errors';

/** Method names are `area.verbNoun`; anything else (`then`, symbols, `toJSON`) is not a method. */
const METHOD_NAME = /^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/;

/**
 * The typed PosApi over any transport: `await api['members.find']({ query })` returns the
 * value or throws a PosApiError carrying `{ code, message, details }`.
 * The type allows only the contract's methods; at run time the core's allowlist answers
 * UNKNOWN_METHOD for anything else. A Proxy rather than a loop over the contract keeps zod
 * (and its `new Function` probe, a CSP violation) out of the renderer bundle.
 */
export function createPosClient(transport: Transport): PosApi {
  const call = async (method: Method, input: unknown): Promise<unknown> => {
    let result: Result<unknown>;
    try {
      result = await transport.invoke(method, input);
    } catch (e) {
      if (e instanceof PosApiError) throw e;
      throw new PosApiError({
        code: 'BRIDGE_UNREACHABLE',
        message: 'The till core is not answering. Check that Tillsmith is still running, then try again.',
        details: { method, cause: e instanceof Error ? e.message : String(e) },
      });
    }
    if (result.ok) return result.value;
    throw new PosApiError(result.error);
  };
  const methods = new Map<string, (input: unknown) => Promise<unknown>>();
  const readOnly = (): boolean => false;
  return new Proxy({}, {
    get(_target, prop) {
      if (typeof prop !== 'string' || !METHOD_NAME.test(prop)) return undefined;
      let fn = methods.get(prop);
      if (!fn) methods.set(prop, (fn = (input: unknown) => call(prop as Method, input)));
      return fn;
    },
    has: (_target, prop) => typeof prop === 'string' && METHOD_NAME.test(prop),
    set: readOnly,
    defineProperty: readOnly,
    deleteProperty: readOnly,
  }) as PosApi;
}
