import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { isDomainError } from '../../src-shared/errors/domain-error';
import type { RuleSet } from '../../src-shared/domain/rules';
import type { TerminalDatabase } from '../db/schema';
import { withStatementCache } from '../db/statement-cache';
import { runQuery, type ReportReply, type ReportRequest, type WorkerSetup } from './reports-runner';
import { ReportsService } from './reports.service';

/**
 * The reports' worker thread: a read-only connection to the terminal database (WAL: it reads
 * a consistent snapshot while the till keeps writing) and the same ReportsService as in-process.
 */
const setup = workerData as WorkerSetup;
const raw = new BetterSqlite3(setup.file, { readonly: true, fileMustExist: true });
raw.pragma('busy_timeout = 5000');
const db = new Kysely<TerminalDatabase>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
let nowMs = Date.now();
let rules: RuleSet | null = null;
const service = new ReportsService({
  db,
  timeZone: setup.timeZone,
  currency: setup.currency,
  storeName: setup.storeName,
  terminalId: setup.terminalId,
  now: () => new Date(nowMs),
  rulesOn: () => {
    if (!rules) throw new Error('reports worker: no rule set');
    return rules;
  },
});

// One request at a time, in order (the clock and rules belong to the request being answered).
let queue = Promise.resolve();
parentPort!.on('message', (req: ReportRequest) => {
  queue = queue.then(async () => {
    nowMs = req.nowMs;
    rules = req.rules;
    let reply: ReportReply;
    try {
      reply = { id: req.id, ok: true, value: await runQuery(service, req.query, req.input) };
    } catch (e) {
      reply = isDomainError(e)
        ? { id: req.id, ok: false, error: { code: e.code, message: e.message, details: e.details } }
        : { id: req.id, ok: false, error: { message: e instanceof Error ? e.message : String(e) } };
    }
    parentPort!.postMessage(reply);
  });
});
