import type { DeviceConfig, DeviceListDto, DevicesStatusDto, PrintJobDto, PrinterStatusDto } from '../../src-shared/api/contract-devices';
import type { StaffDto } from '../../src-shared/api/dto';
import { describeError, localError, type UiError } from '../i18n/errors';
import { configFromForm, type DeviceForm } from './device-setup';
import type { SliceCreator } from './types';

/** A scan seen by the scanner test: from the core's serial / HID POS scanner, or typed by a keyboard scanner into this window. */
export interface TestScanResult {
  raw: string;
  source: 'keyboard' | 'serial' | 'hid-pos';
}

export interface StaffAdminState {
  status: 'idle' | 'saving';
  error: UiError | null;
  /** The device tests' last outcomes. */
  /** The test page's job as it stood when the answer came, and the printer's state then (why it waits). */
  testPrint: { status: 'idle' | 'running' | 'done' | 'error'; job: PrintJobDto | null; printer: PrinterStatusDto | null; error: UiError | null };
  /** keyboard: no USB or serial scanner is set up, so the next keyboard scan in this window is the test. */
  testScan: { status: 'idle' | 'waiting' | 'done' | 'error'; mode: 'keyboard' | 'device'; scan: TestScanResult | null; error: UiError | null };
  /** What is plugged in (serial ports, HID devices, USB printers), after "Find devices". */
  detected: { status: 'idle' | 'loading' | 'done' | 'error'; list: DeviceListDto | null; error: UiError | null };
  /** The device set-up form (managers): the settings in force, and the outcome of saving. */
  deviceSetup: {
    status: 'idle' | 'loading' | 'ready' | 'saving' | 'error';
    config: DeviceConfig | null;
    error: UiError | null;
    /** The form field the error is about. */
    field: keyof DeviceForm | null;
    /** The devices' state right after the last save. */
    saved: DevicesStatusDto | null;
  };
}

export interface StaffAdminSlice {
  staffAdmin: StaffAdminState;
  /** A manager adds a cashier or manager (approval: a manager's PIN). */
  staffCreateSubmitted(form: { name: string; role: StaffDto['role']; pin: string }): Promise<boolean>;
  staffPinChangeSubmitted(staffId: string, newPin: string): Promise<boolean>;
  /** Stops a staff member signing in on every till of the store (manager PIN); the core keeps the last manager. */
  staffDeactivateSubmitted(staffId: string): Promise<boolean>;
  testPrintRequested(): Promise<void>;
  testScanRequested(): Promise<void>;
  /** A scan arrived while the scanner test waits (routed here by scanReceived). */
  testScanReceived(raw: string): void;
  testScanCancelled(): void;
  devicesListRequested(): Promise<void>;
  /** The set-up form opens: the settings in force and what is plugged in. */
  deviceSetupOpened(): Promise<void>;
  /** A manager saves the form (approval: a manager's PIN); the devices restart with it. */
  deviceSetupSubmitted(form: DeviceForm): Promise<boolean>;
}

const idle: StaffAdminState = {
  status: 'idle',
  error: null,
  testPrint: { status: 'idle', job: null, printer: null, error: null },
  testScan: { status: 'idle', mode: 'device', scan: null, error: null },
  detected: { status: 'idle', list: null, error: null },
  deviceSetup: { status: 'idle', config: null, error: null, field: null, saved: null },
};

export const createStaffAdminSlice: SliceCreator<StaffAdminSlice> = ({ api }) => (set, get) => {
  const patch = (p: Partial<StaffAdminState>): void => set({ staffAdmin: { ...get().staffAdmin, ...p } });
  const patchSetup = (p: Partial<StaffAdminState['deviceSetup']>): void => patch({ deviceSetup: { ...get().staffAdmin.deviceSetup, ...p } });
  // Only the newest scanner test may write its outcome.
  let scanTicket = 0;
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
    async staffDeactivateSubmitted(staffId) {
      if (!staffId) return (patch({ error: localError('signin.chooseStaff') }), false);
      const who = get().session.staffList.find((s) => s.id === staffId)?.name ?? '';
      patch({ status: 'saving', error: null });
      try {
        const done = await get().approvalRequested('approval.purpose.staffDeactivate', (approval) => api['staff.deactivate']({ staffId, approval }), { name: who });
        patch({ status: 'idle' });
        if (!done) return false;
        get().noticeShown('notice.staffDeactivated', { name: done.name }, 'success');
        await get().staffListRequested();
        return true;
      } catch (e) {
        patch({ status: 'idle', error: describeError(e) });
        return false;
      }
    },
    async testPrintRequested() {
      patch({ testPrint: { status: 'running', job: null, printer: null, error: null } });
      try {
        const job = await api['devices.testPrint']({ waitMs: 10_000 });
        let printer: PrinterStatusDto | null = null;
        if (job.state !== 'printed') printer = await api['devices.status']({}).then((s) => s.printer, () => null);
        patch({ testPrint: { status: 'done', job, printer, error: null } });
      } catch (e) {
        patch({ testPrint: { status: 'error', job: null, printer: null, error: describeError(e) } });
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
      const ticket = ++scanTicket;
      patch({ testScan: { status: 'waiting', mode: 'device', scan: null, error: null } });
      let scanners = 0;
      try {
        scanners = (await api['devices.status']({})).scanners.length;
      } catch {
        scanners = 0;
      }
      if (ticket !== scanTicket) return;
      if (scanners === 0) {
        // Keyboard scanners type into this window: the next scan here is the test (see scanReceived).
        patch({ testScan: { status: 'waiting', mode: 'keyboard', scan: null, error: null } });
        return;
      }
      try {
        const scan = await api['devices.testScan']({ timeoutMs: 15_000 });
        if (ticket === scanTicket) patch({ testScan: { status: 'done', mode: 'device', scan: { raw: scan.raw, source: scan.source }, error: null } });
      } catch (e) {
        if (ticket === scanTicket && get().staffAdmin.testScan.status === 'waiting') patch({ testScan: { status: 'error', mode: 'device', scan: null, error: describeError(e) } });
      }
    },
    testScanReceived(raw) {
      const t = get().staffAdmin.testScan;
      if (t.status !== 'waiting') return;
      patch({ testScan: { ...t, status: 'done', scan: { raw, source: t.mode === 'keyboard' ? 'keyboard' : 'serial' }, error: null } });
    },
    testScanCancelled() {
      scanTicket++;
      patch({ testScan: { status: 'idle', mode: 'device', scan: null, error: null } });
    },
    async deviceSetupOpened() {
      // The form fills from fresh settings (a technician may have changed them through the API).
      patchSetup({ status: 'loading', config: null, error: null, field: null, saved: null });
      void get().devicesListRequested();
      try {
        const s = await api['devices.status']({});
        patchSetup({ status: 'ready', config: s.config });
      } catch (e) {
        patchSetup({ status: 'error', error: describeError(e) });
      }
    },
    async deviceSetupSubmitted(form) {
      let current = get().staffAdmin.deviceSetup.config;
      if (!current) {
        // What the form does not show is kept from the settings in force: read them first.
        try {
          current = (await api['devices.status']({})).config;
        } catch (e) {
          return (patchSetup({ error: describeError(e), field: null }), false);
        }
      }
      const built = configFromForm(form, current);
      if (!built.ok) return (patchSetup({ error: built.error, field: built.field }), false);
      patchSetup({ status: 'saving', error: null, field: null, saved: null });
      try {
        const saved = await get().approvalRequested('approval.purpose.devices', (approval) => api['devices.configure']({ config: built.config, approval }));
        if (!saved) return (patchSetup({ status: 'ready' }), false);
        patchSetup({ status: 'ready', config: saved.config, saved });
        get().noticeShown('notice.devicesSaved', {}, 'success');
        void get().deviceStatusRequested();
        return true;
      } catch (e) {
        patchSetup({ status: 'ready', error: describeError(e) });
        return false;
      }
    },
  };
};
