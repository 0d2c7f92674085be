import type { z } from 'zod';
import { TERMINAL_ENDPOINTS, syncErrorBody, type SyncErrorCode, type TerminalAnswer, type TerminalPath, type TerminalRequest } from '../../src-shared/sync/protocol';

/**
 * The server answered with an error body (4xx/5xx), or with something this till cannot use
 * (`BAD_RESPONSE`: not JSON, an HTML page from a proxy, or an answer that does not parse with the
 * protocol's schema or contradicts the request). A BAD_RESPONSE is refused whole: nothing of it
 * is applied, and the same request is made again in a later cycle.
 */
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

/** A 2xx answer that parsed but contradicts what was asked (an ack of ops never sent, a cursor going back...). */
export function badAnswer(path: TerminalPath, what: string): SyncHttpError {
  return new SyncHttpError(200, 'BAD_RESPONSE', `the server's answer to ${path} is not valid: ${what}`);
}

export interface SyncResponse<T> {
  body: T;
  /** The server's clock, and our clock before and after the call (for the offset estimate). */
  serverTime: string;
  sentAt: number;
  receivedAt: number;
}

/** The till's side of the protocol: every answer is parsed with the endpoint's schema before it is returned. */
export interface SyncClient {
  post<P extends TerminalPath>(path: P, body: TerminalRequest<P>, token: string | null): Promise<SyncResponse<TerminalAnswer<P>>>;
}

export type FetchFn = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

type Issue = z.ZodError['issues'][number];

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out === '' ? '' : '.'}${String(p)}`;
  return out === '' ? '(the whole answer)' : out;
}

function longestPath(issues: readonly Issue[]): number {
  return Math.max(-1, ...issues.map((i) => i.path.length));
}

function flatten(issue: Issue, prefix: readonly PropertyKey[]): { path: PropertyKey[]; message: string }[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // The alternative that got furthest into the value says best what is wrong (ties: the first,
    // which for a pulled change is the known kinds before the kept-aside unknown ones).
    let best = issue.errors[0]!;
    for (const alt of issue.errors) if (longestPath(alt) > longestPath(best)) best = alt;
    if (best.length > 0) return best.flatMap((i) => flatten(i, path));
  }
  return [{ path, message: issue.message }];
}

/** Which fields of an answer were wrong, in words: `changes[3].member.status: Invalid option: ...`. */
export function describeIssues(error: z.ZodError, max = 3): string {
  const all = error.issues.flatMap((i) => flatten(i, []));
  const shown = all.slice(0, max).map((i) => `${pathText(i.path)}: ${i.message}`);
  return all.length > max ? `${shown.join('; ')} (and ${all.length - max} more)` : shown.join('; ');
}

function notJson(status: number, text: string): string {
  const head = text.trimStart().slice(0, 100).toLowerCase();
  const what =
    head === '' ? 'an empty body' : head.startsWith('<') ? 'an HTML page (a proxy, gateway or captive portal between the till and the server?)' : 'text that is not JSON';
  return `the server answered HTTP ${status} with ${what}`;
}

/** The answer schema of each endpoint, typed per path (so the parsed answer has the endpoint's type). */
const ANSWERS: { [P in TerminalPath]: z.ZodType<TerminalAnswer<P>> } = {
  '/v1/enrol': TERMINAL_ENDPOINTS['/v1/enrol'].answer,
  '/v1/push': TERMINAL_ENDPOINTS['/v1/push'].answer,
  '/v1/pull': TERMINAL_ENDPOINTS['/v1/pull'].answer,
  '/v1/snapshot': TERMINAL_ENDPOINTS['/v1/snapshot'].answer,
  '/v1/holds': TERMINAL_ENDPOINTS['/v1/holds'].answer,
  '/v1/holds/release': TERMINAL_ENDPOINTS['/v1/holds/release'].answer,
};
function answerSchema<P extends TerminalPath>(path: P): z.ZodType<TerminalAnswer<P>> {
  return ANSWERS[path];
}

/**
 * JSON over HTTP with a timeout; every failure becomes a SyncNetworkError or a SyncHttpError. A
 * 2xx answer is returned only once it parses with the endpoint's answer schema, an error answer
 * only with a readable error body; anything else is a BAD_RESPONSE that says which field was wrong.
 */
export function createSyncClient(opts: { baseUrl: string; now: () => number; timeoutMs?: number; fetch?: FetchFn }): SyncClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch: FetchFn = opts.fetch ?? ((url, init) => fetch(url, init));
  return {
    async post<P extends TerminalPath>(path: P, body: TerminalRequest<P>, token: string | null): Promise<SyncResponse<TerminalAnswer<P>>> {
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
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new SyncHttpError(status, 'BAD_RESPONSE', notJson(status, text));
      }
      if (status < 200 || status >= 300) {
        const err = syncErrorBody.safeParse(json);
        if (!err.success) throw new SyncHttpError(status, 'BAD_RESPONSE', `the server answered HTTP ${status} with an error body this till cannot read (${describeIssues(err.error)})`);
        const { code, message, details } = err.data.error;
        throw new SyncHttpError(status, code, message, details ?? {}, err.data.serverTime);
      }
      const answer = answerSchema(path).safeParse(json);
      if (!answer.success) throw new SyncHttpError(status, 'BAD_RESPONSE', `the server's answer to ${path} is not valid: ${describeIssues(answer.error)}`);
      return { body: answer.data, serverTime: answer.data.serverTime, sentAt, receivedAt };
    },
  };
}
