import path from 'node:path';
import type { PosHandlers } from '../../src-shared/api/contract';
import type { ReportsOutputs } from '../../src-shared/api/contract-reports';
import { DomainError } from '../../src-shared/errors/domain-error';
import type { StaffRow } from '../staff/staff.service';
import type { CoreContext } from '../terminal/context';
import type { EventBus } from '../terminal/event-bus';
import { enqueueReport, type PrintQueue } from '../devices/print-queue';
import { formatLocalTime, terminalLabel } from '../devices/print-queue/receipt-builder';
import { DisplayState } from './display-state';
import { endOfDayDoc } from './end-of-day-doc';
import { inProcessRunner, reportsWorkerFile, workerRunner, type ReportsRunner } from './reports-runner';
import { DATABASE_FILE } from '../terminal/config';

type ReportsHandlers = Pick<PosHandlers, keyof ReportsOutputs | 'ledger.verify' | 'audit.verify'>;

export interface ReportsDeps {
  ctx: CoreContext;
  /** The signed-in staff member (throws NOT_SIGNED_IN). */
  requireStaff: () => StaffRow;
  events: EventBus;
  /** The receipt printer's queue (the devices area), for the printed end-of-day summary. */
  printQueue?: PrintQueue | null;
}

/**
 * The reports area's handlers: manager reports (a manager must be signed in) and the customer
 * display's state (no session needed: it carries nothing personal, and the display page has no
 * staff member of its own). Spread into the terminal's handlers by create-terminal.ts.
 */
export function createReportsHandlers({ ctx, requireStaff, events, printQueue = null }: ReportsDeps): ReportsHandlers {
  const workerFile = process.env.TILLSMITH_REPORTS_IN_PROCESS === '1' ? null : reportsWorkerFile();
  const reports: ReportsRunner = workerFile ? workerRunner(ctx, workerFile, path.join(ctx.dataDir, DATABASE_FILE)) : inProcessRunner(ctx);
  const display = new DisplayState(ctx.currency, ctx.now);
  const manager = (): StaffRow => {
    const s = requireStaff();
    if (s.role !== 'manager') {
      throw new DomainError('FORBIDDEN', 'Reports are for managers. Ask a manager to sign in.', { role: s.role });
    }
    return s;
  };
  return {
    'reports.sales': async (input) => (manager(), reports.run('sales', input)),
    'reports.points': async (input) => (manager(), reports.run('points', input)),
    'reports.members': async (input) => (manager(), reports.run('members', input)),
    'reports.churnRisk': async (input) => (manager(), reports.run('churnRisk', input)),
    'reports.exceptions': async (input) => (manager(), reports.run('exceptions', input)),
    'reports.endOfDay': async (input) => (manager(), reports.run('endOfDay', input)),
    // Full scans of the ledger and the audit log: in the worker, so the till keeps trading meanwhile.
    'ledger.verify': () => reports.run('ledgerVerify', {}),
    'audit.verify': () => reports.run('auditVerify', {}),
    'reports.printEndOfDay': async (input) => {
      const by = manager();
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
