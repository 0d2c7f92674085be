import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy answers instead of the server on one path. */
export interface CraftedAnswer {
  status?: number;
  contentType?: string;
  /**
   * Text sent as it is (the server never sees the request), or a function of the server's real
   * answer (the request is forwarded, the server does its work; the function's result is sent as
   * JSON: an answer mangled on its way back).
   */
  body: string | ((real: unknown) => unknown);
}

/**
 * A tiny HTTP server between a till and the test server. It forwards every request, except on
 * the paths it was told to answer itself with crafted bodies (malformed answers, proxy error
 * pages). Loopback only.
 */
export class AnswerProxy {
  private readonly crafted = new Map<string, CraftedAnswer>();
  private server: http.Server | null = null;
  private port = 0;
  /** How many answers were crafted, per path. */
  readonly craftedCount = new Map<string, number>();

  private constructor(private readonly target: string) {}

  static async start(target: string): Promise<AnswerProxy> {
    const p = new AnswerProxy(target.replace(/\/+$/, ''));
    p.server = http.createServer((req, res) => {
      p.handle(req, res).catch((e: unknown) => {
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`proxy failure: ${(e as Error).message}`);
      });
    });
    await new Promise<void>((resolve) => p.server!.listen(0, '127.0.0.1', resolve));
    p.port = (p.server.address() as AddressInfo).port;
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Answers `crafted` on `path` from now on (until `forward`). */
  answer(path: string, crafted: CraftedAnswer): void {
    this.crafted.set(path, crafted);
  }

  /** Forwards `path` (every path when none is given) to the server again. */
  forward(path?: string): void {
    if (path) this.crafted.delete(path);
    else this.crafted.clear();
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? '/').split('?')[0]!;
    const crafted = this.crafted.get(path);
    const send = (status: number, contentType: string, text: string) => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(text);
    };
    if (crafted && typeof crafted.body === 'string') {
      this.craftedCount.set(path, (this.craftedCount.get(path) ?? 0) + 1);
      return send(crafted.status ?? 200, crafted.contentType ?? 'application/json', crafted.body);
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    const real = await fetch(`${this.target}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body: Buffer.concat(chunks).toString('utf8') });
    const text = await real.text();
    if (!crafted) return send(real.status, 'application/json', text);
    this.craftedCount.set(path, (this.craftedCount.get(path) ?? 0) + 1);
    const mangled = (crafted.body as (real: unknown) => unknown)(JSON.parse(text));
    return send(crafted.status ?? real.status, crafted.contentType ?? 'application/json', mangled === undefined ? '' : JSON.stringify(mangled));
  }
}
