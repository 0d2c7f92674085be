import { inTransaction } from '../db/transaction';
import type { Selectable } from 'kysely';
import type { StaffDto } from '../../src-shared/api/dto';
import { DomainError } from '../../src-shared/errors/domain-error';
import type { TerminalDatabase } from '../db/schema';
import type { CoreContext } from '../terminal/context';
import { appendAudit } from './audit.repo';
import { hashPin, verifyPin } from './pin';
import { STAFF_FIELDS } from '../../src-shared/sync/protocol';
import { enqueueStaffWrite } from './staff-sync';

export type StaffRow = Selectable<TerminalDatabase['staff']>;

export const MAX_PIN_ATTEMPTS = 5;
export const PIN_LOCK_MINUTES = 5;

export function toStaffDto(s: StaffRow): StaffDto {
  return { id: s.id, name: s.name, role: s.role, active: s.active === 1 };
}

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

export class StaffService {
  constructor(private readonly ctx: CoreContext) {}

  async list(): Promise<StaffDto[]> {
    const rows = await this.ctx.db.selectFrom('staff').selectAll().where('active', '=', 1).orderBy('name').execute();
    return rows.map(toStaffDto);
  }

  async create(input: { name: string; role: 'cashier' | 'manager'; pin: string }, createdBy: string | null, approvedBy: string | null): Promise<StaffDto> {
    const pinHash = await hashPin(input.pin, this.ctx.pinKdfCost);
    const row: StaffRow = {
      id: this.ctx.newId(),
      name: input.name,
      role: input.role,
      pin_hash: pinHash,
      active: 1,
      failed_attempts: 0,
      locked_until: null,
      created_at: this.ctx.now().toISOString(),
    };
    await inTransaction(this.ctx.db, async (trx) => {
      await trx.insertInto('staff').values(row).execute();
      await enqueueStaffWrite(trx, this.ctx, row, STAFF_FIELDS);
      await appendAudit(trx, this.ctx, { action: 'staff.create', staffId: createdBy, approvedBy, subjectType: 'staff', subjectId: row.id, details: { role: row.role } });
    });
    return toStaffDto(row);
  }

  async changePin(staffId: string, newPin: string, by: string | null, approvedBy: string): Promise<StaffDto> {
    const pinHash = await hashPin(newPin, this.ctx.pinKdfCost);
    return inTransaction(this.ctx.db, async (trx) => {
      const s = await trx.selectFrom('staff').selectAll().where('id', '=', staffId).executeTakeFirst();
      if (!s) throw new DomainError('STAFF_NOT_FOUND', 'There is no such staff member.', { staffId });
      await trx.updateTable('staff').set({ pin_hash: pinHash, failed_attempts: 0, locked_until: null }).where('id', '=', staffId).execute();
      await enqueueStaffWrite(trx, this.ctx, { ...s, pin_hash: pinHash }, ['pin']);
      await appendAudit(trx, this.ctx, { action: 'staff.changePin', staffId: by, approvedBy, subjectType: 'staff', subjectId: staffId });
      return toStaffDto(s);
    });
  }

  /**
   * Stops a staff member from signing in and approving, on every till of the store once synced.
   * The last active manager of the till cannot be deactivated (nobody could approve anything).
   */
  async deactivate(staffId: string, by: string | null, approvedBy: string): Promise<StaffDto> {
    return inTransaction(this.ctx.db, async (trx) => {
      const s = await trx.selectFrom('staff').selectAll().where('id', '=', staffId).executeTakeFirst();
      if (!s) throw new DomainError('STAFF_NOT_FOUND', 'There is no such staff member.', { staffId });
      if (s.active === 0) return toStaffDto(s);
      if (s.role === 'manager') {
        const others = await trx.selectFrom('staff').select('id').where('role', '=', 'manager').where('active', '=', 1).where('id', '!=', staffId).limit(1).executeTakeFirst();
        if (!others) throw new DomainError('FORBIDDEN', 'This is the only active manager of this till: add another manager first.', { staffId, reason: 'last_manager' });
      }
      await trx.updateTable('staff').set({ active: 0 }).where('id', '=', staffId).execute();
      const row = { ...s, active: 0 };
      await enqueueStaffWrite(trx, this.ctx, row, ['active']);
      await appendAudit(trx, this.ctx, { action: 'staff.deactivate', staffId: by, approvedBy, subjectType: 'staff', subjectId: staffId });
      return toStaffDto(row);
    });
  }

  /**
   * Checks a staff member's PIN. Five wrong PINs in a row lock that staff member for five
   * minutes (STAFF_LOCKED); every failure is audited.
   */
  async authenticate(staffId: string, pin: string): Promise<StaffRow> {
    const s = await this.ctx.db.selectFrom('staff').selectAll().where('id', '=', staffId).where('active', '=', 1).executeTakeFirst();
    if (!s) throw new DomainError('STAFF_NOT_FOUND', 'There is no such staff member on this till.', { staffId });
    const now = this.ctx.now();
    if (s.locked_until && new Date(s.locked_until) > now) {
      throw new DomainError('STAFF_LOCKED', `Too many wrong PINs. ${s.name} can try again after ${s.locked_until.slice(11, 16)} UTC, or a manager can reset the PIN.`, {
        lockedUntil: s.locked_until,
      });
    }
    const ok = await verifyPin(pin, s.pin_hash);
    await inTransaction(this.ctx.db, async (trx) => {
      if (ok) {
        if (s.failed_attempts > 0 || s.locked_until) {
          await trx.updateTable('staff').set({ failed_attempts: 0, locked_until: null }).where('id', '=', s.id).execute();
        }
        return;
      }
      const attempts = s.failed_attempts + 1;
      const lock = attempts >= MAX_PIN_ATTEMPTS ? new Date(now.getTime() + PIN_LOCK_MINUTES * 60_000).toISOString() : null;
      await trx
        .updateTable('staff')
        .set({ failed_attempts: lock ? 0 : attempts, locked_until: lock })
        .where('id', '=', s.id)
        .execute();
      await appendAudit(trx, this.ctx, { action: 'staff.pinFailed', staffId: s.id, subjectType: 'staff', subjectId: s.id, details: { attempts, locked: lock !== null } });
    });
    if (!ok) throw new DomainError('INVALID_PIN', 'Wrong PIN. Try again.', { staffId });
    return s;
  }

  /** A manager's approval for an override: the PIN must be right and the person a manager. */
  async approveAsManager(approval: { staffId: string; pin: string }): Promise<StaffRow> {
    const s = await this.authenticate(approval.staffId, approval.pin);
    if (s.role !== 'manager') {
      throw new DomainError('MANAGER_PIN_REQUIRED', 'This needs a manager. Ask a manager to enter their PIN.', { staffId: s.id });
    }
    return s;
  }
}
