/**
 * Browser-mode events: reads the bridge's `GET /api/events` server-sent-event stream with fetch
 * (EventSource cannot send the bearer header), parses `event:`/`data:` frames and hands them to
 * subscribers. One stream per page, opened with the first subscriber, reconnected with backoff.
 */
export type StreamFetch = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<{
  ok: boolean;
  body: ReadableStream<Uint8Array> | null;
}>;

export interface EventStreamOptions {
  url: string;
  token: string;
  fetch?: StreamFetch;
  /** Waits before reconnecting; injectable so tests control time. */
  wait?: (ms: number) => Promise<void>;
}

export function createEventStream(opts: EventStreamOptions) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const doFetch: StreamFetch = opts.fetch ?? ((url, init) => fetch(url, init));
  const wait = opts.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let controller: AbortController | null = null;

  function dispatch(event: string, data: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const l of listeners.get(event) ?? []) l(payload);
  }

  async function run(signal: AbortSignal): Promise<void> {
    let delay = 500;
    while (!signal.aborted) {
      try {
        const res = await doFetch(opts.url, { headers: { Authorization: `Bearer ${opts.token}` }, signal });
        if (!res.ok || !res.body) throw new Error('event stream refused');
        delay = 500;
        await readFrames(res.body, dispatch);
      } catch {
        if (signal.aborted) return;
      }
      await wait(delay);
      delay = Math.min(delay * 2, 10_000);
    }
  }

  return {
    on(event: string, callback: (payload: unknown) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      set.add(callback);
      listeners.set(event, set);
      if (!controller) {
        controller = new AbortController();
        void run(controller.signal);
      }
      return () => {
        set.delete(callback);
        if ([...listeners.values()].every((s) => s.size === 0)) {
          controller?.abort();
          controller = null;
        }
      };
    },
  };
}

/** Parses an SSE byte stream into (event, data) frames. Comment lines (`:`) are ignored. */
export async function readFrames(body: ReadableStream<Uint8Array>, onFrame: (event: string, data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) onFrame(event, data.join('\n'));
    }
  }
}
