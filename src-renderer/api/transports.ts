import { createEventStream } from './event-stream';
import type { Method } from '../../src-shared/api/contract';
import type { Result } from '../../src-shared/api/dto';
import type { PosBridge } from '../../src-main/preload/pos-bridge';
import { PosApiError } from './errors';

/**
 * How the renderer reaches the core. All three return the core's result envelope; a transport
 * only throws (a PosApiError) when the link itself fails.
 * Kept free of DOM globals (browser glue lives in select-transport.ts) so it runs in Node tests,
 * and free of zod at run time (see memory-transport.ts): zod's eval probe trips the page's CSP.
 */
export type TransportKind = 'ipc' | 'http' | 'memory';
export type Unsubscribe = () => void;

export interface Transport {
  readonly kind: TransportKind;
  invoke(method: Method, input: unknown): Promise<Result<unknown>>;
  on(event: string, callback: (payload: unknown) => void): Unsubscribe;
}

// ---------------------------------------------------------------- Electron IPC (window.pos)

export function ipcTransport(bridge: PosBridge): Transport {
  return {
    kind: 'ipc',
    invoke: (method, input) => bridge.invoke(method, input as never) as Promise<Result<unknown>>,
    on: (event, callback) => bridge.on(event, callback),
  };
}

// ---------------------------------------------------------------- HTTP bridge (browser mode)

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{
  status: number;
  json(): Promise<unknown>;
}>;

export interface HttpTransportOptions {
  /** Origin of the loopback bridge, e.g. `http://127.0.0.1:5199` (the page's own origin in browser mode). */
  baseUrl: string;
  /** Per-launch bearer token; null when the page was opened without one. */
  token: string | null;
  fetch?: FetchLike;
}

/** `POST <baseUrl>/api/<method>` with `Authorization: Bearer <token>`; the body is the input as JSON. */
export function httpTransport(opts: HttpTransportOptions): Transport {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  let stream: ReturnType<typeof createEventStream> | null = null;
  return {
    kind: 'http',
    async invoke(method, input) {
      if (!opts.token) {
        throw new PosApiError({
          code: 'BRIDGE_TOKEN_MISSING',
          message: 'This page was opened without its access key. Open the address printed by "npm start" (it ends with #token=...).',
        });
      }
      let res: Awaited<ReturnType<FetchLike>>;
      try {
        res = await doFetch(`${base}/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${opts.token}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch (e) {
        throw new PosApiError({
          code: 'BRIDGE_UNREACHABLE',
          message: 'The till core is not answering. Check that Tillsmith is still running, then try again.',
          details: { cause: e instanceof Error ? e.message : String(e) },
        });
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw badResponse(method, res.status);
      }
      if (!isResult(body)) throw badResponse(method, res.status);
      if (!body.ok && body.error.code === 'UNAUTHORIZED') {
        throw new PosApiError({
          code: 'BRIDGE_TOKEN_REJECTED',
          message: 'This page\'s access key is no longer valid (Tillsmith was restarted). Open the new address printed by "npm start".',
        });
      }
      return body;
    },
    on: (event, callback) => {
      if (!opts.token) return () => undefined;
      stream ??= createEventStream({ url: `${base}/api/events`, token: opts.token });
      return stream.on(event, callback);
    },
  };
}

function badResponse(method: string, status: number): PosApiError {
  return new PosApiError({
    code: 'BAD_RESPONSE',
    message: 'The till core sent an answer this screen does not understand. Reload the page; if it repeats, call support.',
    details: { method, status },
  });
}

function isResult(v: unknown): v is Result<unknown> {
  if (typeof v !== 'object' || v === null || !('ok' in v)) return false;
  const r = v as { ok: unknown; error?: unknown };
  if (r.ok === true) return 'value' in v;
  if (r.ok !== false || typeof r.error !== 'object' || r.error === null) return false;
  const e = r.error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'string';
}

// ---------------------------------------------------------------- bridge token (#token=...)

export const TOKEN_STORAGE_KEY = 'tillsmith.bridgeToken';

export interface TokenEnvironment {
  /** `location.hash`, `location.pathname`, `location.search`. */
  hash: string;
  pathname: string;
  search: string;
  /** sessionStorage (null when the browser refuses storage). */
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void } | null;
  /** Replaces the address bar without a reload (`history.replaceState`). */
  replaceUrl(url: string): void;
}

/**
 * The bearer token arrives once in the URL fragment (`#token=...`, never sent to the server);
 * it is kept in sessionStorage for reloads and removed from the address bar at once.
 */
export function takeBridgeToken(env: TokenEnvironment): string | null {
  const params = new URLSearchParams(env.hash.replace(/^#/, ''));
  const fromFragment = params.get('token');
  if (fromFragment) {
    try {
      env.storage?.setItem(TOKEN_STORAGE_KEY, fromFragment);
    } catch {
      // storage refused (private mode): the token still works until the page is reloaded
    }
    params.delete('token');
    const rest = params.toString();
    env.replaceUrl(`${env.pathname}${env.search}${rest ? `#${rest}` : ''}`);
    return fromFragment;
  }
  try {
    return env.storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}
