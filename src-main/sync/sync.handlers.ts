import type { syncContract } from '../../src-shared/api/contract-sync';
import type { CoreContext } from '../core/context';
import { appendAudit } from '../core/audit.repo';
import type { AreaHandlers } from '../core/handlers';
import type { SyncAgent } from './sync-agent';
import { latestSyncProblems } from './sync-state.repo';

/** The link with the central server: status, enrolment (a manager approves), a sync on demand, problems. */
export function createSyncHandlers({ ctx, agent }: { ctx: CoreContext; agent: SyncAgent }): AreaHandlers<keyof typeof syncContract> {
  return {
    'sync.status': () => agent.status(),
    'sync.enrol': async ({ serverUrl, code }, { staff, approver }) => {
      await agent.enrol(serverUrl, code);
      await appendAudit(ctx.db, ctx, { action: 'sync.enrol', staffId: staff.id, approvedBy: approver.id, details: { serverUrl } });
      return agent.status();
    },
    'sync.now': () => agent.syncNow(),
    'sync.problems': ({ limit }) => latestSyncProblems(ctx.db, limit),
  };
}
