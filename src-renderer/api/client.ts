import { METHODS, type Method, type PosApi } from '../../src-shared/api/contract';
import type { Result } from '../../src-shared/api/dto';
import { PosApiError } from './errors';
import type { Transport } from './transports';

export { PosApiError, isPosApiError } from './errors';
export type { PosApiErrorCode, TransportErrorCode } from './errors';

/**
 * The typed PosApi over any transport: `await api['members.find']({ query })` returns the
 * value or throws a PosApiError carrying `{ code, message, details }`.
 * Only the contract's methods exist on the client.
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
  const api: Partial<Record<Method, (input: unknown) => Promise<unknown>>> = {};
  for (const method of METHODS) api[method] = (input) => call(method, input);
  return Object.freeze(api) as unknown as PosApi;
}
