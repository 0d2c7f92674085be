import type { PosApi } from '../../src-shared/api/contract';
import { isPosApiError } from '../api/errors';

/**
 * The API as the store uses it, watching for the core saying "nobody is signed in" on a call
 * made while someone was (their account was deactivated, perhaps on another till): `ended` is
 * told, with the core's reason, and the error still reaches the caller. session.* calls are
 * left alone (signing in and out is the session slice's own business).
 */
export function watchSessionEnd(api: PosApi, ended: (reason: 'staff_deactivated' | null) => void): PosApi {
  const wrapped = new Map<string, (input: unknown) => Promise<unknown>>();
  return new Proxy(api, {
    get(target, prop, receiver) {
      const fn: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof fn !== 'function' || prop.startsWith('session.')) return fn;
      let w = wrapped.get(prop);
      if (!w) {
        const call = fn as (input: unknown) => Promise<unknown>;
        w = async (input: unknown) => {
          try {
            return await call(input);
          } catch (e) {
            if (isPosApiError(e) && e.code === 'NOT_SIGNED_IN') ended(e.details.reason === 'staff_deactivated' ? 'staff_deactivated' : null);
            throw e;
          }
        };
        wrapped.set(prop, w);
      }
      return w;
    },
  });
}
