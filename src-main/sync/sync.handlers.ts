import type { PosHandlers } from '../../src-shared/api/contract';
import type { syncContract } from '../../src-shared/api/contract-sync';
import type { StaffRow } from '../staff/staff.service';
import type { CoreContext } from '../terminal/context';
import type { SyncAgent } from './sync-agent';

type SyncHandlers = Pick<PosHandlers, keyof typeof syncContract>;

export function createSyncHandlers(deps: {
  ctx: CoreContext;
  agent: SyncAgent;
  requireStaff: () => StaffRow;
  approveAsManager: (a: { staffId: string; pin: string }) => Promise<StaffRow>;
  audit: (action: string, staffId: string, approvedBy: string | null, details: Record<string, unknown>) => Promise<void>;
}): SyncHandlers {
  const { agent } = deps;
  return {
    'sync.status': () => agent.status(),
    'sync.enrol': async ({ serverUrl, code, approval }) => {
      const by = deps.requireStaff();
      const approver = await deps.approveAsManager(approval);
      await agent.enrol(serverUrl, code);
      await deps.audit('sync.enrol', by.id, approver.id, { serverUrl });
      return agent.status();
    },
    'sync.now': () => (deps.requireStaff(), agent.syncNow()),
    'sync.problems': async ({ limit }) => {
      deps.requireStaff();
      const rows = await deps.ctx.db.selectFrom('sync_problem').selectAll().orderBy('seq', 'desc').limit(limit).execute();
      return rows.map((r) => ({ seq: r.seq, kind: r.kind, entityId: r.entity_id, status: r.status, reason: r.reason, at: r.at }));
    },
  };
}
