import type { PosHandlers } from '../../src-shared/api/contract';
import type { ReportsOutputs } from '../../src-shared/api/contract-reports';
import { DomainError } from '../../src-shared/errors/domain-error';
import type { StaffRow } from '../staff/staff.service';
import type { CoreContext } from '../terminal/context';
import type { EventBus } from '../terminal/event-bus';
import { DisplayState } from './display-state';
import { ReportsService } from './reports.service';

type ReportsHandlers = Pick<PosHandlers, keyof ReportsOutputs>;

export interface ReportsDeps {
  ctx: CoreContext;
  /** The signed-in staff member (throws NOT_SIGNED_IN). */
  requireStaff: () => StaffRow;
  events: EventBus;
}

/**
 * The reports area's handlers: manager reports (a manager must be signed in) and the customer
 * display's state (no session needed: it carries nothing personal, and the display page has no
 * staff member of its own). Spread into the terminal's handlers by create-terminal.ts.
 */
export function createReportsHandlers({ ctx, requireStaff, events }: ReportsDeps): ReportsHandlers {
  const reports = new ReportsService(ctx);
  const display = new DisplayState(ctx.currency, ctx.now);
  const manager = (): void => {
    const s = requireStaff();
    if (s.role !== 'manager') {
      throw new DomainError('FORBIDDEN', 'Reports are for managers. Ask a manager to sign in.', { role: s.role });
    }
  };
  return {
    'reports.sales': async (input) => (manager(), reports.sales(input)),
    'reports.points': async (input) => (manager(), reports.points(input)),
    'reports.members': async (input) => (manager(), reports.members(input)),
    'reports.churnRisk': async (input) => (manager(), reports.churnRisk(input)),
    'reports.exceptions': async (input) => (manager(), reports.exceptions(input)),
    'reports.endOfDay': async (input) => (manager(), reports.endOfDay(input)),
    'display.state': async () => display.current(),
    'display.update': async (input) => {
      const state = display.update(input);
      events.emit('display.changed', state);
      return state;
    },
  };
}
