import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL } from './db/database';

export interface ServeConfig {
  host: string;
  port: number;
  databaseUrl: string;
  adminToken: string | null;
  trustProxy: boolean;
  poolSize: number;
  rateLimit: boolean;
  logLevel: string;
}

/** `host:port`, `:port` or `port`; IPv6 as `[::1]:8700`. */
export function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(s) ?? /^()()(\d+)$/.exec(s);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid listen address "${s}" (expected host:port, e.g. 127.0.0.1:8700)`);
  return { host: m[1] || m[2] || '127.0.0.1', port };
}

export const CONFIG_HELP = `Options (flags win over environment variables):
  --listen HOST:PORT       TILLSMITH_SERVER_LISTEN     default 127.0.0.1:8700
  --database URL           TILLSMITH_DATABASE_URL      default ${DEFAULT_DATABASE_URL}
                           (postgres://user:pass@host:5432/db[?schema=name] or sqlite:/path/file.sqlite)
  --admin-token TOKEN      TILLSMITH_ADMIN_TOKEN       admin endpoints are off without it
  --trust-proxy            TILLSMITH_TRUST_PROXY=1     client address from X-Forwarded-For (behind a load balancer)
  --pool-size N            TILLSMITH_DB_POOL_SIZE      PostgreSQL connections per process, default 10
  --no-rate-limit          TILLSMITH_RATE_LIMIT=0      turn the per-process rate limits off
  --log-level LEVEL        TILLSMITH_LOG_LEVEL         info (fatal, error, warn, info, debug, silent)`;

export function parseServeConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      listen: { type: 'string' },
      database: { type: 'string' },
      'admin-token': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      'pool-size': { type: 'string' },
      'no-rate-limit': { type: 'boolean' },
      'log-level': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const { host, port } = parseListen(values.listen ?? env.TILLSMITH_SERVER_LISTEN ?? '127.0.0.1:8700');
  const poolSize = Number(values['pool-size'] ?? env.TILLSMITH_DB_POOL_SIZE ?? 10);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 200) throw new Error('--pool-size must be 1 to 200');
  return {
    host,
    port,
    databaseUrl: databaseUrlFrom(values.database, env),
    adminToken: values['admin-token'] ?? env.TILLSMITH_ADMIN_TOKEN ?? null,
    trustProxy: values['trust-proxy'] ?? env.TILLSMITH_TRUST_PROXY === '1',
    poolSize,
    rateLimit: !(values['no-rate-limit'] ?? env.TILLSMITH_RATE_LIMIT === '0'),
    logLevel: values['log-level'] ?? env.TILLSMITH_LOG_LEVEL ?? 'info',
  };
}

export function databaseUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.TILLSMITH_DATABASE_URL ?? DEFAULT_DATABASE_URL;
}
