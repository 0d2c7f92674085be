import type { SyncErrorBody, SyncErrorCode } from '../../src-shared/sync/protocol';

/** The server answered with an error body (4xx/5xx). */
export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: SyncErrorCode | 'BAD_RESPONSE',
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly serverTime: string | null = null,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
  /** Worth retrying later: the server or the way to it is in trouble, not our request. */
  get transient(): boolean {
    return this.status >= 500 || this.status === 429 || this.code === 'BAD_RESPONSE';
  }
}

/** The server could not be reached (connection refused, DNS, timeout): the outcome is unknown. */
export class SyncNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncNetworkError';
  }
}

export interface SyncResponse<T> {
  body: T;
  /** The server's clock, and our clock before and after the call (for the offset estimate). */
  serverTime: string;
  sentAt: number;
  receivedAt: number;
}

export interface SyncClient {
  post<T>(path: string, body: unknown, token: string | null): Promise<SyncResponse<T>>;
}

export type FetchFn = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

/** JSON over HTTP with a timeout; every failure becomes a SyncNetworkError or a SyncHttpError. */
export function createSyncClient(opts: { baseUrl: string; now: () => number; timeoutMs?: number; fetch?: FetchFn }): SyncClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch: FetchFn = opts.fetch ?? ((url, init) => fetch(url, init));
  return {
    async post<T>(path: string, body: unknown, token: string | null): Promise<SyncResponse<T>> {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 15_000);
      const sentAt = opts.now();
      let status: number;
      let text: string;
      try {
        const res = await doFetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
          signal: controller.signal,
        });
        status = res.status;
        text = await res.text();
      } catch (e) {
        throw new SyncNetworkError(controller.signal.aborted ? 'the server did not answer in time' : `cannot reach the server (${(e as Error).message})`);
      } finally {
        clearTimeout(timer);
      }
      const receivedAt = opts.now();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new SyncHttpError(status, 'BAD_RESPONSE', `the server answered ${status} with something that is not JSON`);
      }
      const serverTime = typeof (parsed as { serverTime?: unknown }).serverTime === 'string' ? (parsed as { serverTime: string }).serverTime : null;
      if (status < 200 || status >= 300) {
        const err = (parsed as Partial<SyncErrorBody>).error;
        throw new SyncHttpError(status, err?.code ?? 'BAD_RESPONSE', err?.message ?? `HTTP ${status}`, err?.details ?? {}, serverTime);
      }
      if (!serverTime) throw new SyncHttpError(status, 'BAD_RESPONSE', 'the server answer has no serverTime');
      return { body: parsed as T, serverTime, sentAt, receivedAt };
    },
  };
}
