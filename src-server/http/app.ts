import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import {
  MAX_BODY_BYTES,
  SUPPORTED_PROTOCOL_VERSIONS,
  SYNC_PROTOCOL_VERSION,
  enrolRequest,
  holdReleaseRequest,
  holdRequest,
  pullRequest,
  pushRequest,
  snapshotRequest,
  type SyncErrorBody,
  type SyncErrorCode,
} from '../../src-shared/sync/protocol';
import { createUuidV7 } from '../../src-shared/sync/ids';
import { secretsEqual } from '../crypto';
import type { ServerDb } from '../db/database';
import { ServerError } from '../errors';
import {
  createEnrolmentCode,
  createStore,
  enrolTerminal,
  listHeldOps,
  listRuleSets,
  listStores,
  listTerminals,
  publishRuleSet,
  revokeTerminal,
  terminalByToken,
} from '../services/admin';
import { exceptionReport, rankDiamonds, runExpiry } from '../services/central';
import { compactFeed, prunePushResults } from '../services/housekeeping';
import { handleSnapshot } from '../services/snapshot';
import { createStaff, listStaff, updateStaff } from '../services/staff';
import { handleHold, handleHoldRelease } from '../services/holds';
import type { TerminalIdentity } from '../services/outcome';
import { handlePull } from '../services/pull';
import { handlePush, type PushHooks } from '../services/push';
import { RateLimiter, type BucketSpec } from './rate-limit';
import { takeSharedToken } from './shared-rate-limit';

export interface RateLimits {
  /** Per authenticated terminal. */
  terminal: BucketSpec;
  /** Per client address, every request. */
  ip: BucketSpec;
  /** Per client address, enrolment attempts (guessing codes): one bucket in the database, shared by every process. */
  enrol: BucketSpec;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  terminal: { burst: 60, perSecond: 20 },
  ip: { burst: 600, perSecond: 200 },
  enrol: { burst: 10, perSecond: 0.2 },
};

export interface AppOptions {
  sdb: ServerDb;
  /** Server clock (ms since the epoch); injectable for tests. */
  now?: () => number;
  /** Bearer token of the admin endpoints; without it they answer 403. */
  adminToken?: string | null;
  /** false turns rate limiting off (benchmarks). */
  rateLimits?: RateLimits | false;
  /** Test seams in the push transaction. */
  hooks?: PushHooks;
  logger?: boolean | { level: string };
  /** Take the client address from X-Forwarded-For (behind a load balancer). */
  trustProxy?: boolean;
}

const gzipAsync = promisify(gzip);
/** Pull and snapshot pages above this size go gzip-compressed to a client that accepts it (Node's fetch does). */
const COMPRESS_ABOVE = 8 * 1024;

/** A JSON body, gzip-compressed (fast level, off the event loop) when large and the client accepts it. */
async function sendJson(req: FastifyRequest, reply: FastifyReply, json: string): Promise<FastifyReply> {
  reply.type('application/json');
  if (json.length < COMPRESS_ABOVE || !/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.send(json);
  return reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding').send(await gzipAsync(json, { level: 1 }));
}

const issuesOf = (e: z.ZodError) => e.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

/** A protocol version this server does not speak is refused before the schema, which may have changed. */
function checkVersion(body: unknown): void {
  if (body === null || typeof body !== 'object' || !('protocolVersion' in body)) return;
  const v = (body as { protocolVersion: unknown }).protocolVersion;
  if (typeof v === 'number' && Number.isInteger(v) && !SUPPORTED_PROTOCOL_VERSIONS.includes(v)) {
    throw new ServerError(400, 'PROTOCOL_VERSION_UNSUPPORTED', `protocol version ${v} is not supported by this server (it speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(' and ')})`, {
      requested: v,
      supported: [...SUPPORTED_PROTOCOL_VERSIONS],
    });
  }
}

function parse<T>(schema: ZodType<T>, body: unknown): T {
  checkVersion(body);
  const r = schema.safeParse(body);
  if (!r.success) throw new ServerError(400, 'INVALID_REQUEST', 'the request does not match the sync protocol', { issues: issuesOf(r.error) });
  return r.data;
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m ? m[1]! : null;
}

const storeBody = z.object({ name: z.string().min(1).max(100), timeZone: z.string().min(1).max(64) });
const codeBody = z.object({ ttlHours: z.number().positive().max(720).optional() }).default({});
const diamondBody = z.object({ shareBp: z.number().int().min(0).max(10000).optional() }).default({});
const staffBody = z.object({ name: z.string().min(1).max(60), role: z.enum(['cashier', 'manager']), pin: z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits') });
const staffUpdateBody = z.object({
  name: z.string().min(1).max(60).optional(),
  role: z.enum(['cashier', 'manager']).optional(),
  active: z.boolean().optional(),
  pin: z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits').optional(),
});
const daysBody = z.object({ olderThanDays: z.number().min(1).max(3650).optional() }).default({});
const exceptionQuery = z.object({ from: z.string().max(40).optional(), to: z.string().max(40).optional(), storeId: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(10000).optional() });

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const now = opts.now ?? Date.now;
  const serverTime = () => new Date(now()).toISOString();
  const sdb = opts.sdb;
  const limits = opts.rateLimits === false ? null : (opts.rateLimits ?? DEFAULT_RATE_LIMITS);
  const ipLimiter = limits ? new RateLimiter(limits.ip, now) : null;
  const terminalLimiter = limits ? new RateLimiter(limits.terminal, now) : null;
  const newId = createUuidV7({ now, randomBytes: (n) => new Uint8Array(randomBytes(n)) });

  const app = Fastify({ bodyLimit: MAX_BODY_BYTES, logger: opts.logger ?? false, trustProxy: opts.trustProxy ?? false, return503OnClosing: true });

  const sendError = (reply: FastifyReply, status: number, code: SyncErrorCode, message: string, details?: Record<string, unknown>) => {
    const body: SyncErrorBody = { error: { code, message, ...(details ? { details } : {}) }, serverTime: serverTime() };
    return reply.code(status).type('application/json').send(body);
  };

  const limited = (limiter: RateLimiter | null, key: string) => {
    const wait = limiter?.take(key) ?? 0;
    if (wait > 0) throw new ServerError(429, 'RATE_LIMITED', 'too many requests: slow down and retry later', { retryAfterMs: wait });
  };

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err instanceof ServerError) {
      if (err.status === 429) reply.header('retry-after', String(Math.max(1, Math.ceil(Number(err.details?.retryAfterMs ?? 1000) / 1000))));
      return sendError(reply, err.status, err.code, err.message, err.details);
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      return sendError(reply, 413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${MAX_BODY_BYTES} bytes: send smaller batches`, { maxBytes: MAX_BODY_BYTES });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 415, 'INVALID_REQUEST', 'send JSON (Content-Type: application/json)');
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return sendError(reply, err.statusCode, 'INVALID_REQUEST', err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'the request body is empty' : `malformed request: ${err.message}`);
    }
    req.log.error({ err }, 'request failed');
    return sendError(reply, 500, 'INTERNAL', 'the server could not complete the request; nothing was acknowledged, retry later');
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, 'INVALID_REQUEST', `no such endpoint: ${req.method} ${req.url.split('?')[0]}`));

  app.addHook('onRequest', async (req) => {
    limited(ipLimiter, `ip:${req.ip}`);
  });

  const authTerminal = async (req: FastifyRequest): Promise<TerminalIdentity> => {
    const token = bearer(req);
    if (!token) throw new ServerError(401, 'UNAUTHORIZED', 'missing bearer token');
    const t = await terminalByToken(sdb, token);
    if (!t) throw new ServerError(401, 'UNAUTHORIZED', 'unknown token');
    if (t.status === 'revoked') throw new ServerError(401, 'TOKEN_REVOKED', 'this terminal was revoked: enrol it again with a new code');
    limited(terminalLimiter, `terminal:${t.id}`);
    return { id: t.id, storeId: t.store_id, appVersion: t.app_version };
  };
  const actingFor = (terminal: TerminalIdentity, body: { terminalId?: string | undefined }) => {
    if (body.terminalId !== undefined && body.terminalId !== terminal.id) {
      throw new ServerError(403, 'FORBIDDEN', 'a terminal acts only for itself: the terminalId does not belong to this token');
    }
  };

  app.get('/v1/status', async () => ({
    ok: true,
    protocolVersion: SYNC_PROTOCOL_VERSION,
    supportedProtocolVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
    database: sdb.dialect,
    serverTime: serverTime(),
  }));

  app.post('/v1/enrol', async (req) => {
    if (limits) {
      const wait = await takeSharedToken(sdb, `enrol:${req.ip}`, limits.enrol, now());
      if (wait > 0) throw new ServerError(429, 'RATE_LIMITED', 'too many enrolment attempts: slow down and retry later', { retryAfterMs: wait });
    }
    const body = parse(enrolRequest, req.body);
    return enrolTerminal(sdb, now, body);
  });

  app.post('/v1/push', async (req) => {
    const terminal = await authTerminal(req);
    const body = parse(pushRequest, req.body);
    actingFor(terminal, body);
    return handlePush(sdb, now, { ...terminal, appVersion: body.appVersion }, body, opts.hooks);
  });

  app.post('/v1/pull', async (req, reply) => {
    const terminal = await authTerminal(req);
    const body = parse(pullRequest, req.body);
    actingFor(terminal, body);
    return sendJson(req, reply, await handlePull(sdb, now, terminal, body));
  });

  app.post('/v1/snapshot', async (req, reply) => {
    const terminal = await authTerminal(req);
    const body = parse(snapshotRequest, req.body);
    actingFor(terminal, body);
    return sendJson(req, reply, await handleSnapshot(sdb, now, terminal, body));
  });

  app.post('/v1/holds', async (req) => {
    const terminal = await authTerminal(req);
    const body = parse(holdRequest, req.body);
    actingFor(terminal, body);
    return handleHold(sdb, now, terminal, body);
  });

  app.post('/v1/holds/release', async (req) => {
    const terminal = await authTerminal(req);
    const body = parse(holdReleaseRequest, req.body);
    actingFor(terminal, body);
    return handleHoldRelease(sdb, now, terminal, body);
  });

  // ---------------------------------------------------------------- admin (head office)
  await app.register(async (admin) => {
    admin.addHook('onRequest', async (req) => {
      if (!opts.adminToken) throw new ServerError(403, 'FORBIDDEN', 'the admin endpoints are disabled: start the server with TILLSMITH_ADMIN_TOKEN set');
      const token = bearer(req);
      if (!token || !secretsEqual(token, opts.adminToken)) throw new ServerError(401, 'UNAUTHORIZED', 'admin token required');
    });
    const adminParse = <T>(schema: ZodType<T>, v: unknown): T => {
      const r = schema.safeParse(v ?? undefined);
      if (!r.success) throw new ServerError(400, 'INVALID_REQUEST', 'invalid admin request', { issues: issuesOf(r.error) });
      return r.data;
    };
    admin.get('/admin/stores', async () => ({ stores: await listStores(sdb), serverTime: serverTime() }));
    admin.post('/admin/stores', async (req, reply) => {
      const b = adminParse(storeBody, req.body);
      return reply.code(201).send({ store: await createStore(sdb, now, b), serverTime: serverTime() });
    });
    admin.post<{ Params: { storeId: string } }>('/admin/stores/:storeId/enrolment-codes', async (req, reply) => {
      const b = adminParse(codeBody, req.body);
      return reply.code(201).send({ ...(await createEnrolmentCode(sdb, now, { storeId: req.params.storeId, ttlHours: b.ttlHours })), serverTime: serverTime() });
    });
    admin.get<{ Querystring: { storeId?: string } }>('/admin/terminals', async (req) => ({ terminals: await listTerminals(sdb, req.query.storeId), serverTime: serverTime() }));
    admin.post<{ Params: { terminalId: string } }>('/admin/terminals/:terminalId/revoke', async (req) => ({ ...(await revokeTerminal(sdb, now, req.params.terminalId)), serverTime: serverTime() }));
    admin.get<{ Querystring: { terminalId?: string } }>('/admin/held-ops', async (req) => ({ heldOps: await listHeldOps(sdb, req.query.terminalId), serverTime: serverTime() }));
    admin.get('/admin/rule-sets', async () => ({ ruleSets: await listRuleSets(sdb), serverTime: serverTime() }));
    admin.post('/admin/rule-sets', async (req, reply) => reply.code(201).send({ ...(await publishRuleSet(sdb, now, req.body)), serverTime: serverTime() }));
    admin.post('/admin/diamond/run', async (req) => ({ ...(await rankDiamonds(sdb, now, adminParse(diamondBody, req.body))), serverTime: serverTime() }));
    admin.post('/admin/expiry/run', async () => ({ ...(await runExpiry(sdb, now)), serverTime: serverTime() }));
    admin.get('/admin/reports/exceptions', async (req) => ({ ...(await exceptionReport(sdb, adminParse(exceptionQuery, req.query))), serverTime: serverTime() }));
    admin.get<{ Querystring: { storeId?: string } }>('/admin/staff', async (req) => ({ staff: await listStaff(sdb, req.query.storeId), serverTime: serverTime() }));
    admin.post<{ Params: { storeId: string } }>('/admin/stores/:storeId/staff', async (req, reply) => {
      const b = adminParse(staffBody, req.body);
      return reply.code(201).send({ staff: await createStaff(sdb, now, { storeId: req.params.storeId, ...b, newId }), serverTime: serverTime() });
    });
    admin.post<{ Params: { staffId: string } }>('/admin/staff/:staffId', async (req) => ({
      staff: await updateStaff(sdb, now, { staffId: req.params.staffId, ...adminParse(staffUpdateBody, req.body) }),
      serverTime: serverTime(),
    }));
    admin.post('/admin/housekeeping/push-results', async (req) => ({ ...(await prunePushResults(sdb, now, adminParse(daysBody, req.body))), serverTime: serverTime() }));
    admin.post('/admin/housekeeping/compact-feed', async (req) => ({ ...(await compactFeed(sdb, now, adminParse(daysBody, req.body))), serverTime: serverTime() }));
  });

  return app;
}
