import path from 'node:path';
import type { ReportsOutputs } from '../../src-shared/api/contract-reports';
import { DomainError } from '../../src-shared/errors/domain-error';
import type { CoreContext } from '../core/context';
import type { AreaHandlers } from '../core/handlers';
import type { EventBus } from '../core/events';
import { enqueueReport, type PrintQueue } from '../devices/print-queue';
import { formatLocalTime, terminalLabel } from '../devices/print-queue/receipt-builder';
import { DisplayState } from './display-state';
import { endOfDayDoc } from './end-of-day-doc';
import { inProcessRunner, reportsWorkerFile, workerRunner, type ReportsRunner } from './reports-runner';
import { DATABASE_FILE } from '../db/connection';

type ReportsHandlers = AreaHandlers<keyof ReportsOutputs | 'ledger.verify' | 'audit.verify'>;

export interface ReportsDeps {
  ctx: CoreContext;
  events: EventBus;
  /** The receipt printer's queue (the devices area), for the printed end-of-day summary. */
  printQueue?: PrintQueue | null;
}

/**
 * The reports area's handlers: manager reports (the contract declares them for a signed-in
 * manager) and the customer display's state (no session needed: it carries nothing personal, and
 * the display page has no staff member of its own). Joined into the terminal's handlers by
 * create-terminal.ts.
 */
export function createReportsHandlers({ ctx, events, printQueue = null }: ReportsDeps): ReportsHandlers {
  const workerFile = process.env.TILLSMITH_REPORTS_IN_PROCESS === '1' ? null : reportsWorkerFile();
  const reports: ReportsRunner = workerFile ? workerRunner(ctx, workerFile, path.join(ctx.dataDir, DATABASE_FILE)) : inProcessRunner(ctx);
  const display = new DisplayState(ctx.currency, ctx.now);
  return {
    'reports.sales': (input) => reports.run('sales', input),
    'reports.points': (input) => reports.run('points', input),
    'reports.members': (input) => reports.run('members', input),
    'reports.churnRisk': (input) => reports.run('churnRisk', input),
    'reports.exceptions': (input) => reports.run('exceptions', input),
    'reports.endOfDay': (input) => reports.run('endOfDay', input),
    // Full scans of the ledger and the audit log: in the worker, so the till keeps trading meanwhile.
    'ledger.verify': () => reports.run('ledgerVerify', {}),
    'audit.verify': () => reports.run('auditVerify', {}),
    'reports.printEndOfDay': async (input, { staff: by }) => {
      if (!printQueue) throw new DomainError('DEVICE_NOT_CONFIGURED', 'No receipt printer is set up on this till. Set one up in Settings, or print the page instead.');
      const summary = await reports.run('endOfDay', input);
      const printer = printQueue.printerSettings;
      const doc = endOfDayDoc(summary, {
        language: printer?.language ?? 'zh-Hans',
        time: formatLocalTime(ctx.now().toISOString(), ctx.timeZone),
        terminal: printer ? terminalLabel(ctx, printer) : ctx.terminalId.slice(-6).toUpperCase(),
        printedBy: by.name,
        headerLines: printer?.headerLines ?? [],
      });
      return enqueueReport(printQueue, doc, by.id);
    },
    'display.state': async () => display.current(),
    'display.update': async (input) => {
      const state = display.update(input);
      events.emit('display.changed', state);
      return state;
    },
  };
}
