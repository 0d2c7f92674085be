import type { CoreContext } from '../core/context';
import { appendAudit } from '../core/audit.repo';
import type { AreaHandlers } from '../core/handlers';
import type { Session } from './session';
import type { StaffService } from './staff.service';

type StaffMethods = 'staff.list' | 'session.signIn' | 'session.signOut' | 'session.current' | 'staff.create' | 'staff.changePin' | 'staff.deactivate';

/** Signing in and out, and the till's staff (a manager approves every change of staff). */
export function createStaffHandlers({ ctx, staff, session }: { ctx: CoreContext; staff: StaffService; session: Session }): AreaHandlers<StaffMethods> {
  return {
    'staff.list': () => staff.list(),
    'session.signIn': async ({ staffId, pin }) => {
      const s = await staff.authenticate(staffId, pin);
      session.set(s);
      await appendAudit(ctx.db, ctx, { action: 'session.signIn', staffId: s.id });
      return session.dto();
    },
    'session.signOut': async () => {
      const s = session.current();
      session.set(null);
      if (s) await appendAudit(ctx.db, ctx, { action: 'session.signOut', staffId: s.id });
      return session.dto();
    },
    'session.current': async () => session.dto(),
    'staff.create': ({ approval: _approval, ...input }, call) => staff.create(input, call.staff.id, call.approver.id),
    'staff.changePin': ({ staffId, newPin }, call) => staff.changePin(staffId, newPin, call.staff.id, call.approver.id),
    'staff.deactivate': ({ staffId }, call) => staff.deactivate(staffId, call.staff.id, call.approver.id),
  };
}
