import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParsedInput } from '../../src-shared/api/contract';
import type { ReportsOutputs } from '../../src-shared/api/contract-reports';
import type { AuditVerifyDto, LedgerVerifyDto } from '../../src-shared/api/dto';
import { businessDateOf } from '../../src-shared/domain/dates';
import type { RuleSet } from '../../src-shared/domain/rules';
import { DomainError, type ErrorCode } from '../../src-shared/errors/domain-error';
import type { CoreContext } from '../core/context';
import { ReportsService } from './reports.service';

/**
 * Where the report queries run. A month or a year of sales at a few hundred thousand members
 * takes seconds of SQLite work, and better-sqlite3 is synchronous: run in the core's thread it
 * would freeze the checkout while a manager reads a report. So, when the source is available
 * (tsx, tests) or built (electron-vite), the queries run in a worker thread on its own read-only
 * connection (WAL lets it read while the till writes). Without the worker file they run in-process.
 * The ledger and audit-chain verifications (full scans) run there too.
 */
export type ReportQuery = 'sales' | 'points' | 'members' | 'churnRisk' | 'exceptions' | 'endOfDay' | 'ledgerVerify' | 'auditVerify';

export interface ReportRequest {
  id: number;
  query: ReportQuery;
  input: unknown;
  /** The core's clock and today's rules at the moment of the request. */
  nowMs: number;
  rules: RuleSet;
}

export type ReportReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { code: string; message: string; details: Record<string, unknown> } | { message: string } };

export interface WorkerSetup {
  file: string;
  timeZone: string;
  currency: string;
  storeName: string;
  terminalId: string;
}

type Outputs = {
  sales: ReportsOutputs['reports.sales'];
  points: ReportsOutputs['reports.points'];
  members: ReportsOutputs['reports.members'];
  churnRisk: ReportsOutputs['reports.churnRisk'];
  exceptions: ReportsOutputs['reports.exceptions'];
  endOfDay: ReportsOutputs['reports.endOfDay'];
  ledgerVerify: LedgerVerifyDto;
  auditVerify: AuditVerifyDto;
};
type Inputs = {
  sales: ParsedInput<'reports.sales'>;
  points: ParsedInput<'reports.points'>;
  members: ParsedInput<'reports.members'>;
  churnRisk: ParsedInput<'reports.churnRisk'>;
  exceptions: ParsedInput<'reports.exceptions'>;
  endOfDay: ParsedInput<'reports.endOfDay'>;
  ledgerVerify: Record<string, never>;
  auditVerify: Record<string, never>;
};

export interface ReportsRunner {
  readonly mode: 'worker' | 'in-process';
  run<Q extends ReportQuery>(query: Q, input: Inputs[Q]): Promise<Outputs[Q]>;
  close(): Promise<void>;
}

/** Runs one query on a ReportsService (in the worker or in-process). */
export function runQuery(service: ReportsService, query: ReportQuery, input: unknown): Promise<unknown> {
  switch (query) {
    case 'sales':
      return service.sales(input as Inputs['sales']);
    case 'points':
      return service.points(input as Inputs['points']);
    case 'members':
      return service.members(input as Inputs['members']);
    case 'churnRisk':
      return service.churnRisk(input as Inputs['churnRisk']);
    case 'exceptions':
      return service.exceptions(input as Inputs['exceptions']);
    case 'endOfDay':
      return service.endOfDay(input as Inputs['endOfDay']);
    case 'ledgerVerify':
      return service.ledgerBalances();
    case 'auditVerify':
      return service.auditChain();
  }
}

export function inProcessRunner(ctx: CoreContext): ReportsRunner {
  const service = new ReportsService(ctx);
  return {
    mode: 'in-process',
    run: (query, input) => runQuery(service, query, input) as never,
    close: async () => undefined,
  };
}

/**
 * The worker's entry: its source under tsx and vitest, or `reports-worker.js`, which
 * electron-vite builds next to the main bundle (see electron.vite.config.ts). Null when
 * neither is there; the reports then run in-process.
 */
export function reportsWorkerFile(): string | null {
  try {
    const here = fileURLToPath(import.meta.url);
    const dir = path.dirname(here);
    const candidates = here.endsWith('.ts')
      ? [path.join(dir, 'reports-worker.ts')]
      : // This module may sit in the entry or in a shared chunk one folder down.
        [path.join(dir, 'reports-worker.js'), path.join(dir, '..', 'reports-worker.js')];
    return candidates.find((f) => fs.existsSync(f)) ?? null;
  } catch {
    return null;
  }
}

export function workerRunner(ctx: CoreContext, workerFile: string, databaseFile: string): ReportsRunner {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const failAll = (e: unknown): void => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker = null;
  };
  const start = (): Worker => {
    const setup: WorkerSetup = { file: databaseFile, timeZone: ctx.timeZone, currency: ctx.currency, storeName: ctx.storeName, terminalId: ctx.terminalId };
    // From source (tsx) the worker needs tsx's loader registered in its own thread first.
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(workerFile).href)}); })`;
    const w = workerFile.endsWith('.ts') ? new Worker(boot, { eval: true, workerData: setup }) : new Worker(workerFile, { workerData: setup });
    // A report in progress must not keep a closing till alive.
    w.unref();
    w.on('message', (reply: ReportReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else if ('code' in reply.error) p.reject(new DomainError(reply.error.code as ErrorCode, reply.error.message, reply.error.details));
      else p.reject(new Error(reply.error.message));
    });
    w.on('error', failAll);
    w.on('exit', () => failAll(new DomainError('INTERNAL', 'The report could not be finished. Try again.')));
    return w;
  };
  return {
    mode: 'worker',
    run(query, input) {
      worker ??= start();
      const id = nextId++;
      const now = ctx.now();
      const request: ReportRequest = { id, query, input, nowMs: now.getTime(), rules: ctx.rulesOn(businessDateOf(now.toISOString(), ctx.timeZone)) };
      const w = worker;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        w.ref();
        w.postMessage(request);
      }).finally(() => {
        if (pending.size === 0) w.unref();
      }) as never;
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
