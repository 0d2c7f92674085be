import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { httpStatusOf, type ErrorCode } from '../../src-shared/errors/domain-error';
import type { Dispatch } from '../core/dispatcher';
import { consoleLog, type Log } from '../core/log';

export interface HttpBridgeOptions {
  dispatch: Dispatch;
  /** Core events to stream at `GET /api/events` (server-sent events); none when omitted. */
  events?: { onAny(listener: (event: string, payload: unknown) => void): () => void };
  /** Bearer token every API call must carry. */
  token: string;
  /** 127.0.0.1 only, unless a test names another loopback address. */
  host?: string;
  port?: number;
  /** Folder of the built renderer to serve at `/` (browser mode), if any. */
  staticDir?: string | null;
  maxBodyBytes?: number;
  /** Where failures of the bridge itself go (the till's log). */
  log?: Log;
}

export interface HttpBridge {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The loopback HTTP bridge: `POST /api/<method>` with a JSON body and `Authorization: Bearer
 * <token>`; answers `{ ok: true, value }` or `{ ok: false, error: { code, message, details } }`
 * with a 4xx/5xx status for errors. Binds to loopback only.
 */
export async function startHttpBridge(opts: HttpBridgeOptions): Promise<HttpBridge> {
  const host = opts.host ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host)) throw new Error(`the bridge only binds to loopback, not ${host}`);
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  const expected = Buffer.from(`Bearer ${opts.token}`);

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      (opts.log ?? consoleLog).error({ err: e, url: req.url }, 'bridge failure');
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'bridge failure', details: {} } });
    });
  });

  function authorised(req: http.IncomingMessage): boolean {
    const auth = Buffer.from(req.headers.authorization ?? '');
    return auth.length === expected.length && timingSafeEqual(auth, expected);
  }

  /**
   * Server-sent events: `event: <name>` / `data: <json>` per core event, a comment line every
   * 15 s so proxies and the browser keep the stream open. The renderer reads it with fetch
   * (EventSource cannot send the bearer header).
   */
  function streamEvents(res: http.ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const unsubscribe = opts.events?.onAny((event, payload) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    keepAlive.unref();
    res.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe?.();
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (url.pathname === '/api/events' && req.method === 'GET') {
      if (!authorised(req)) return sendError(res, 'UNAUTHORIZED', 'Missing or wrong bearer token.');
      return streamEvents(res);
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return sendError(res, 'INVALID_INPUT', 'Use POST for API calls.', 405);
      }
      if (!authorised(req)) return sendError(res, 'UNAUTHORIZED', 'Missing or wrong bearer token.');
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      let body: unknown;
      try {
        body = await readJson(req, maxBody);
      } catch (e) {
        const status = (e as { status?: number }).status ?? 400;
        // The rest of an oversized body is drained, not read; the connection closes after the answer.
        if (status === 413) res.setHeader('Connection', 'close');
        return sendError(res, 'INVALID_INPUT', (e as Error).message, status);
      }
      const result = await opts.dispatch(method, body);
      return sendJson(res, result.ok ? 200 : httpStatusOf(result.error.code), result);
    }
    if (req.method === 'GET' && opts.staticDir) return serveStatic(opts.staticDir, url.pathname, res);
    return sendError(res, 'NOT_FOUND', 'Not found.');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host === '::1' ? '[::1]' : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendError(res: http.ServerResponse, code: ErrorCode, message: string, status?: number): void {
  sendJson(res, status ?? httpStatusOf(code), { ok: false, error: { code, message, details: {} } });
}

function readJson(req: http.IncomingMessage, max: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => Object.assign(new Error(`The request body is larger than ${max} bytes.`), { status: 413 });
    // Reject on the declared length or once the streamed body passes the limit, but keep the
    // socket: destroying the request here would kill the connection before the 413 is sent.
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (over) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error('The request body is not valid JSON.'));
      }
    });
    req.on('error', reject);
  });
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse): void {
  const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = path.resolve(root, rel);
  if (!file.startsWith(path.resolve(root) + path.sep)) return sendError(res, 'NOT_FOUND', 'Not found.');
  const target = fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(root, 'index.html');
  if (!fs.existsSync(target)) return sendError(res, 'NOT_FOUND', 'The user interface has not been built (npm run build).');
  res.writeHead(200, {
    'Content-Type': MIME[path.extname(target)] ?? 'application/octet-stream',
    'Content-Security-Policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
  });
  fs.createReadStream(target).pipe(res);
}
