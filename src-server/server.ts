import type { FastifyInstance } from 'fastify';
import { openServerDatabase, type ServerDb } from './db/database';
import { buildApp, type AppOptions } from './http/app';

export interface RunningServer {
  app: FastifyInstance;
  sdb: ServerDb;
  /** e.g. http://127.0.0.1:8700 */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the central server: opens (and migrates) the database, then listens. The process keeps no
 * state between requests apart from the rate-limit buckets, so several processes can serve one
 * PostgreSQL database behind a load balancer.
 */
export async function startServer(
  opts: Omit<AppOptions, 'sdb'> & { databaseUrl: string; host?: string; port?: number; poolSize?: number; sdb?: ServerDb },
): Promise<RunningServer> {
  const sdb = opts.sdb ?? (await openServerDatabase(opts.databaseUrl, { poolSize: opts.poolSize }));
  const app = await buildApp({ ...opts, sdb });
  try {
    await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  } catch (e) {
    await app.close();
    if (!opts.sdb) await sdb.close();
    throw e;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const host = (opts.host ?? '127.0.0.1').includes(':') ? `[${opts.host}]` : (opts.host ?? '127.0.0.1');
  return {
    app,
    sdb,
    url: `http://${host}:${port}`,
    close: async () => {
      await app.close();
      if (!opts.sdb) await sdb.close();
    },
  };
}
