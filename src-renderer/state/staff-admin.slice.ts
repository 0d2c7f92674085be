import type { DeviceListDto, PrintJobDto, TestScanDto } from '../../src-shared/api/contract-devices';
import type { StaffDto } from '../../src-shared/api/dto';
import { describeError, localError, type UiError } from '../i18n/errors';
import type { SliceCreator } from './types';

export interface StaffAdminState {
  status: 'idle' | 'saving';
  error: UiError | null;
  /** The device tests' last outcomes. */
  testPrint: { status: 'idle' | 'running' | 'done' | 'error'; job: PrintJobDto | null; error: UiError | null };
  testScan: { status: 'idle' | 'waiting' | 'done' | 'error'; scan: TestScanDto | null; error: UiError | null };
  /** What is plugged in (serial ports, HID devices, USB printers), after "Find devices". */
  detected: { status: 'idle' | 'loading' | 'done' | 'error'; list: DeviceListDto | null; error: UiError | null };
}

export interface StaffAdminSlice {
  staffAdmin: StaffAdminState;
  /** A manager adds a cashier or manager (approval: a manager's PIN). */
  staffCreateSubmitted(form: { name: string; role: StaffDto['role']; pin: string }): Promise<boolean>;
  staffPinChangeSubmitted(staffId: string, newPin: string): Promise<boolean>;
  testPrintRequested(): Promise<void>;
  testScanRequested(): Promise<void>;
  devicesListRequested(): Promise<void>;
}

const idle: StaffAdminState = {
  status: 'idle',
  error: null,
  testPrint: { status: 'idle', job: null, error: null },
  testScan: { status: 'idle', scan: null, error: null },
  detected: { status: 'idle', list: null, error: null },
};

export const createStaffAdminSlice: SliceCreator<StaffAdminSlice> = ({ api }) => (set, get) => {
  const patch = (p: Partial<StaffAdminState>): void => set({ staffAdmin: { ...get().staffAdmin, ...p } });
  return {
    staffAdmin: idle,
    async staffCreateSubmitted(form) {
      const name = form.name.trim();
      if (!name) return (patch({ error: localError('staff.nameRequired') }), false);
      if (!/^\d{4,8}$/.test(form.pin)) return (patch({ error: localError('signin.pinFormat') }), false);
      patch({ status: 'saving', error: null });
      try {
        const created = await get().approvalRequested('approval.purpose.staffCreate', (approval) => api['staff.create']({ name, role: form.role, pin: form.pin, approval }), { name });
        patch({ status: 'idle' });
        if (!created) return false;
        get().noticeShown('notice.staffCreated', { name: created.name }, 'success');
        await get().staffListRequested();
        return true;
      } catch (e) {
        patch({ status: 'idle', error: describeError(e) });
        return false;
      }
    },
    async staffPinChangeSubmitted(staffId, newPin) {
      if (!staffId) return (patch({ error: localError('signin.chooseStaff') }), false);
      if (!/^\d{4,8}$/.test(newPin)) return (patch({ error: localError('signin.pinFormat') }), false);
      const who = get().session.staffList.find((s) => s.id === staffId)?.name ?? '';
      patch({ status: 'saving', error: null });
      try {
        const changed = await get().approvalRequested('approval.purpose.pinChange', (approval) => api['staff.changePin']({ staffId, newPin, approval }), { name: who });
        patch({ status: 'idle' });
        if (!changed) return false;
        get().noticeShown('notice.pinChanged', { name: changed.name }, 'success');
        return true;
      } catch (e) {
        patch({ status: 'idle', error: describeError(e) });
        return false;
      }
    },
    async testPrintRequested() {
      patch({ testPrint: { status: 'running', job: null, error: null } });
      try {
        const job = await api['devices.testPrint']({ waitMs: 10_000 });
        patch({ testPrint: { status: 'done', job, error: null } });
      } catch (e) {
        patch({ testPrint: { status: 'error', job: null, error: describeError(e) } });
      }
      void get().deviceStatusRequested();
    },
    async devicesListRequested() {
      patch({ detected: { status: 'loading', list: null, error: null } });
      try {
        patch({ detected: { status: 'done', list: await api['devices.list']({}), error: null } });
      } catch (e) {
        patch({ detected: { status: 'error', list: null, error: describeError(e) } });
      }
    },
    async testScanRequested() {
      patch({ testScan: { status: 'waiting', scan: null, error: null } });
      try {
        const scan = await api['devices.testScan']({ timeoutMs: 15_000 });
        patch({ testScan: { status: 'done', scan, error: null } });
      } catch (e) {
        patch({ testScan: { status: 'error', scan: null, error: describeError(e) } });
      }
    },
  };
};
