import type { StaffDto } from '../../src-shared/api/dto';
import { DomainError } from '../../src-shared/errors/domain-error';
import type { StaffRow } from '../core/context';
import { toStaffDto } from './staff.service';

/**
 * Who is signed in at this till: one person at a time. Each time it is asked, the staff member is
 * read again (`load`, one primary-key read): a manager on another till may have deactivated them
 * or changed their role since they signed in, and sync brought that here. A deactivated staff
 * member is signed out at their next action, with a message that says why.
 */
export class Session {
  private staff: StaffRow | null = null;
  private endedBecauseDeactivated = false;
  constructor(private readonly load: (staffId: string) => StaffRow | undefined = () => undefined) {}
  current(): StaffRow | null {
    if (!this.staff) return null;
    const now = this.load(this.staff.id);
    if (!now || now.active !== 1) {
      this.staff = null;
      this.endedBecauseDeactivated = true;
      return null;
    }
    this.staff = now;
    return now;
  }
  set(s: StaffRow | null): void {
    this.staff = s;
    this.endedBecauseDeactivated = false;
  }
  /** The session as the API shows it. */
  dto(): { staff: StaffDto | null; endedBecause: 'staff_deactivated' | null } {
    const s = this.current();
    return { staff: s ? toStaffDto(s) : null, endedBecause: this.endedBecauseDeactivated ? 'staff_deactivated' : null };
  }
  /** The signed-in staff member, or NOT_SIGNED_IN with what to do. */
  require(): StaffRow {
    const s = this.current();
    if (s) return s;
    if (this.endedBecauseDeactivated) {
      throw new DomainError('NOT_SIGNED_IN', 'Your staff account was deactivated by a manager, so you are signed out. Ask a manager.', { reason: 'staff_deactivated' });
    }
    throw new DomainError('NOT_SIGNED_IN', 'Nobody is signed in. Sign in with your staff PIN first.');
  }
}
