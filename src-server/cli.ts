import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { CONFIG_HELP, databaseUrlFrom, parseServeConfig } from './config';
import { openServerDatabase, type ServerDb } from './db/database';
import { ServerError } from './errors';
import { DEFAULT_RATE_LIMITS } from './http/app';
import { startServer } from './server';
import {
  DEFAULT_CODE_TTL_HOURS,
  createEnrolmentCode,
  createStore,
  listHeldOps,
  listRuleSets,
  listStores,
  listTerminals,
  publishRuleSet,
  revokeTerminal,
} from './services/admin';
import { exceptionReport, rankDiamonds, runExpiry } from './services/central';
import { FEED_RETENTION_DAYS, PUSH_RESULT_MIN_AGE_DAYS, compactFeed, prunePushResults, pruneRateBuckets } from './services/housekeeping';
import { createStaff, listStaff, updateStaff } from './services/staff';
import { createUuidV7 } from '../src-shared/sync/ids';

const HELP = `Tillsmith central server

  npm run server -- [options]                      serve the sync protocol (same as: serve)
  npm run server:admin -- COMMAND [options]        operator commands, straight on the database

Commands:
  serve                                            run the HTTP server
  migrate                                          apply pending database migrations and exit
  create-store --name NAME --time-zone ZONE        a new store (IANA zone, e.g. Asia/Shanghai)
  list-stores
  create-enrolment-code --store ID [--ttl-hours H] a one-time code for a till of that store
                                                   (printed once, stored only as a hash; default ${DEFAULT_CODE_TTL_HOURS} h)
  list-terminals [--store ID]                      last seen, clock offset, acknowledged seq, pull cursor
  revoke-terminal --terminal ID                    its token stops working at once
  publish-rule-set --file FILE.json                validate and publish a new rule-set version ("-" = stdin)
  list-rule-sets
  run-diamond [--share-bp N]                       recompute Diamond (top share by avg monthly spend)
  run-expiry                                       expire lots past their date (server-made entries)
  report-exceptions [--from ISO] [--to ISO] [--store ID]
                                                   overdraft exceptions and their total exposure
  held-ops [--terminal ID]                         ops from newer terminals kept aside
  list-staff [--store ID]                          staff of every store (or one), never their PINs
  create-staff --store ID --name NAME --role cashier|manager --pin-file FILE
                                                   a staff member for every till of the store; the PIN is
                                                   read from FILE ("-" = stdin), hashed with scrypt, forgotten
  set-staff-pin --staff ID --pin-file FILE         a new PIN, on every till of the store
  deactivate-staff --staff ID                      they can no longer sign in or approve, on every till
  activate-staff --staff ID
  prune-push-results [--older-than-days ${PUSH_RESULT_MIN_AGE_DAYS}]     stored push answers no till can ask for again
  compact-feed [--older-than-days ${FEED_RETENTION_DAYS}]          delete older change-feed rows; tills behind
                                                   the horizon load a snapshot (docs/operations.md)

Every command takes --database URL (or TILLSMITH_DATABASE_URL) and --json for machine-readable output.

${CONFIG_HELP}`;

const out = (json: boolean, value: unknown, text: () => string): void => {
  process.stdout.write(`${json ? JSON.stringify(value, null, 2) : text()}\n`);
};

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)';
  const cols = Object.keys(rows[0]!);
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : String(v));
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(width[i]!)).join('  ').trimEnd();
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

async function serve(argv: string[]): Promise<void> {
  const cfg = parseServeConfig(argv);
  const server = await startServer({
    databaseUrl: cfg.databaseUrl,
    host: cfg.host,
    port: cfg.port,
    poolSize: cfg.poolSize,
    adminToken: cfg.adminToken,
    trustProxy: cfg.trustProxy,
    rateLimits: cfg.rateLimit ? DEFAULT_RATE_LIMITS : false,
    logger: { level: cfg.logLevel },
  });
  process.stdout.write(
    `Tillsmith server on ${server.url} (database ${server.sdb.describe}; admin endpoints ${cfg.adminToken ? 'on' : 'off: set TILLSMITH_ADMIN_TOKEN'})\n`,
  );
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`${signal}: closing\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function admin(command: string, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      database: { type: 'string' },
      json: { type: 'boolean' },
      name: { type: 'string' },
      'time-zone': { type: 'string' },
      store: { type: 'string' },
      'ttl-hours': { type: 'string' },
      terminal: { type: 'string' },
      file: { type: 'string' },
      'share-bp': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      role: { type: 'string' },
      staff: { type: 'string' },
      'pin-file': { type: 'string' },
      'older-than-days': { type: 'string' },
    },
    strict: true,
  });
  const json = values.json ?? false;
  const need = (k: keyof typeof values): string => {
    const v = values[k];
    if (typeof v !== 'string' || v === '') throw new Error(`${command} needs --${k}`);
    return v;
  };
  const now = Date.now;
  const readPin = (): string => {
    const file = need('pin-file');
    return (file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8')).trim();
  };
  const days = (): number | undefined => (values['older-than-days'] === undefined ? undefined : Number(values['older-than-days']));
  const staffLine = (x: { id: string; name: string; role: string; active: boolean }) => `staff ${x.id}  ${x.name}  ${x.role}  ${x.active ? 'active' : 'inactive'}`;
  let sdb: ServerDb | null = null;
  try {
    sdb = await openServerDatabase(databaseUrlFrom(values.database));
    switch (command) {
      case 'migrate':
        return out(json, { ok: true }, () => `database ${sdb!.describe} is up to date`);
      case 'create-store': {
        const s = await createStore(sdb, now, { name: need('name'), timeZone: need('time-zone') });
        return out(json, s, () => `store ${s.id}  ${s.name}  (${s.timeZone})`);
      }
      case 'list-stores': {
        const s = await listStores(sdb);
        return out(json, s, () => table(s.map((x) => ({ id: x.id, name: x.name, timeZone: x.timeZone, created: x.createdAt }))));
      }
      case 'create-enrolment-code': {
        const ttl = values['ttl-hours'] === undefined ? undefined : Number(values['ttl-hours']);
        const c = await createEnrolmentCode(sdb, now, { storeId: need('store'), ttlHours: ttl });
        return out(json, c, () => `Enrolment code for "${c.storeName}": ${c.code}\nValid once, until ${c.expiresAt}. It is not stored and cannot be shown again.`);
      }
      case 'list-terminals': {
        const t = await listTerminals(sdb, values.store);
        return out(json, t, () =>
          table(t.map((x) => ({ id: x.id, name: x.name, store: x.storeName, status: x.status, lastSeen: x.lastSeenAt, clockOffsetMs: x.clockOffsetMs, ackedSeq: x.lastAckedSeq, pullCursor: x.lastPullCursor, heldOps: x.heldOps, app: x.appVersion }))),
        );
      }
      case 'revoke-terminal': {
        const r = await revokeTerminal(sdb, now, need('terminal'));
        return out(json, r, () => `terminal ${r.terminalId} revoked at ${r.revokedAt}`);
      }
      case 'publish-rule-set': {
        const file = need('file');
        const text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (e) {
          throw new Error(`${file} is not JSON: ${(e as Error).message}`);
        }
        const r = await publishRuleSet(sdb, now, body);
        return out(json, r, () => `rule set version ${r.version} published (effective from ${r.effectiveFrom}, feed seq ${r.serverSeq})`);
      }
      case 'list-rule-sets': {
        const r = await listRuleSets(sdb);
        return out(json, r, () => table(r));
      }
      case 'run-diamond': {
        const r = await rankDiamonds(sdb, now, values['share-bp'] === undefined ? {} : { shareBp: Number(values['share-bp']) });
        return out(json, r, () => `Diamond ${r.from}..${r.to}: ${r.diamonds} of ${r.eligibleMembers} members (+${r.promoted} / -${r.demoted}); threshold ${r.thresholdAvgMonthlyMinor ?? '-'} minor units per month`);
      }
      case 'run-expiry': {
        const r = await runExpiry(sdb, now);
        return out(json, r, () => `expired ${r.points} points in ${r.entries} entries for ${r.members} members`);
      }
      case 'report-exceptions': {
        const r = await exceptionReport(sdb, { from: values.from, to: values.to, storeId: values.store });
        return out(json, r, () => `${table(r.exceptions.map((x) => ({ at: x.createdAt, member: x.memberId, entry: x.entryId, terminal: x.terminalId, shortfall: x.shortfall, exposureMinor: x.exposureMinor })))}\n${r.count} exceptions, ${r.totalShortfall} points, exposure ${r.totalExposureMinor} minor units`);
      }
      case 'held-ops': {
        const r = await listHeldOps(sdb, values.terminal);
        return out(json, r, () => table(r));
      }
      case 'list-staff': {
        const r = await listStaff(sdb, values.store);
        return out(json, r, () => table(r.map((x) => ({ id: x.id, store: x.storeId, name: x.name, role: x.role, active: x.active, pin: x.hasPin ? 'set' : 'none', updated: x.updatedAt }))));
      }
      case 'create-staff': {
        const newId = createUuidV7({ now, randomBytes: (n) => new Uint8Array(randomBytes(n)) });
        const r = await createStaff(sdb, now, { storeId: need('store'), name: need('name'), role: need('role'), pin: readPin(), newId });
        return out(json, r, () => `${staffLine(r)}: created; every till of the store receives them on its next sync`);
      }
      case 'set-staff-pin': {
        const r = await updateStaff(sdb, now, { staffId: need('staff'), pin: readPin() });
        return out(json, r, () => `${staffLine(r)}: new PIN set; every till of the store receives it on its next sync`);
      }
      case 'deactivate-staff':
      case 'activate-staff': {
        const r = await updateStaff(sdb, now, { staffId: need('staff'), active: command === 'activate-staff' });
        return out(json, r, () => `${staffLine(r)}: every till of the store receives it on its next sync`);
      }
      case 'prune-push-results': {
        const r = await prunePushResults(sdb, now, { olderThanDays: days() });
        const buckets = await pruneRateBuckets(sdb, now);
        return out(json, { ...r, rateBuckets: buckets }, () => `deleted ${r.deleted} stored push results of ${r.terminals} terminals (older than ${r.cutoff}, none a till may still resend)`);
      }
      case 'compact-feed': {
        const r = await compactFeed(sdb, now, { olderThanDays: days() });
        return out(json, r, () => `change feed compacted through seq ${r.compactedThrough} (rows older than ${r.cutoff}; ${r.deleted} deleted); ${r.terminalsBehind} active terminals are behind and will load a snapshot`);
      }
      default:
        throw new Error(`unknown command "${command}"\n\n${HELP}`);
    }
  } finally {
    await sdb?.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  try {
    if (command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (command === 'serve') {
      await serve(rest);
      return -1; // keeps running
    }
    await admin(command, rest);
    return 0;
  } catch (e) {
    const msg = e instanceof ServerError ? `${e.code}: ${e.message}${e.details ? ` ${JSON.stringify(e.details)}` : ''}` : (e as Error).message;
    process.stderr.write(`error: ${msg}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  void main(process.argv.slice(2)).then((code) => {
    if (code >= 0) process.exit(code);
  });
}
