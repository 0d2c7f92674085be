import { inTransaction } from '../db/transaction';
import type { StaffDto } from '../../src-shared/api/dto';
import { DomainError } from '../../src-shared/errors/domain-error';
import type { CoreContext, StaffRow } from '../core/context';
import { appendAudit } from '../core/audit.repo';
import { hashPin, verifyPin } from './pin';
import { STAFF_FIELDS } from '../../src-shared/sync/protocol';
import { activeStaff, anotherActiveManager, enqueueStaffWrite, insertStaff, setInactive, setPinAttempts, setPinHash, staffById } from './staff.repo';

export const MAX_PIN_ATTEMPTS = 5;
export const PIN_LOCK_MINUTES = 5;

export function toStaffDto(s: StaffRow): StaffDto {
  return { id: s.id, name: s.name, role: s.role, active: s.active === 1 };
}

export class StaffService {
  constructor(private readonly ctx: CoreContext) {}

  async list(): Promise<StaffDto[]> {
    return (await activeStaff(this.ctx.db)).map(toStaffDto);
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
      await insertStaff(trx, row);
      await enqueueStaffWrite(trx, this.ctx, row, STAFF_FIELDS);
      await appendAudit(trx, this.ctx, { action: 'staff.create', staffId: createdBy, approvedBy, subjectType: 'staff', subjectId: row.id, details: { role: row.role } });
    });
    return toStaffDto(row);
  }

  async changePin(staffId: string, newPin: string, by: string | null, approvedBy: string): Promise<StaffDto> {
    const pinHash = await hashPin(newPin, this.ctx.pinKdfCost);
    return inTransaction(this.ctx.db, async (trx) => {
      const s = await staffById(trx, staffId);
      if (!s) throw new DomainError('STAFF_NOT_FOUND', 'There is no such staff member.', { staffId });
      await setPinHash(trx, staffId, pinHash);
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
      const s = await staffById(trx, staffId);
      if (!s) throw new DomainError('STAFF_NOT_FOUND', 'There is no such staff member.', { staffId });
      if (s.active === 0) return toStaffDto(s);
      if (s.role === 'manager') {
        if (!(await anotherActiveManager(trx, staffId))) throw new DomainError('FORBIDDEN', 'This is the only active manager of this till: add another manager first.', { staffId, reason: 'last_manager' });
      }
      await setInactive(trx, staffId);
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
    const found = await staffById(this.ctx.db, staffId);
    const s = found?.active === 1 ? found : undefined;
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
          await setPinAttempts(trx, s.id, 0, null);
        }
        return;
      }
      const attempts = s.failed_attempts + 1;
      const lock = attempts >= MAX_PIN_ATTEMPTS ? new Date(now.getTime() + PIN_LOCK_MINUTES * 60_000).toISOString() : null;
      await setPinAttempts(trx, s.id, lock ? 0 : attempts, lock);
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
