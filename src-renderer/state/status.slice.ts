import type { DevicesStatusDto } from '../../src-shared/api/contract-devices';
import type { SyncStatusDto } from '../../src-shared/api/contract-sync';
import type { TerminalInfoDto } from '../../src-shared/api/dto';
import type { DeviceStatusEvent } from '../../src-shared/api/events';
import { describeError, localError, type Params, type UiError } from '../i18n/errors';
import type { MessageKey } from '../i18n/messages/en';
import type { SliceCreator } from './types';

export type DeviceKind = DeviceStatusEvent['device'];
/** The device states of the devices area plus the event's; both arrive here. */
export type DeviceStateName = DeviceStatusEvent['state'] | DevicesStatusDto['scanners'][number]['state'];

export interface DeviceView {
  device: DeviceKind;
  id: string;
  state: DeviceStateName;
  message: string;
}

export interface Notice {
  key: MessageKey;
  params: Params;
  tone: 'info' | 'success' | 'warning';
  /** Increases with every notice so the same text shown twice is announced twice. */
  seq: number;
}

export interface StatusState {
  connectivity: TerminalInfoDto['connectivity'] | 'unknown';
  /** When the core last answered a status check (epoch ms). */
  lastCheckedAt: number | null;
  /** Set when the core stopped answering; cleared when it answers again. */
  coreError: UiError | null;
  devices: Record<string, DeviceView>;
  /** The devices area answered devices.status (false: not configured or not available yet). */
  devicesKnown: boolean;
  /** The sync agent's view (last sync, changes waiting), or null when the core has no sync area. */
  sync: SyncStatusDto | null;
  syncBusy: boolean;
  syncError: UiError | null;
  notice: Notice | null;
}

export interface StatusSlice {
  status: StatusState;
  connectivityObserved(c: TerminalInfoDto['connectivity']): void;
  coreUnreachable(error: UiError): void;
  /** A `devices.status` event from the core. */
  deviceStatusReceived(e: DeviceStatusEvent): void;
  /** Ask the devices area where printer and scanners stand. */
  deviceStatusRequested(): Promise<void>;
  /** Periodic check (and "check now"): connectivity, sync, and that the core still answers. */
  statusPollTicked(): Promise<void>;
  /** A manager enrols the till with head office (server address and one-time code). */
  syncEnrolSubmitted(serverUrl: string, code: string): Promise<boolean>;
  syncNowRequested(): Promise<void>;
  /** Print a receipt again (the print queue keeps every receipt). Throws when the printer area refuses. */
  reprintRequested(receiptNo: string): Promise<void>;
  noticeShown(key: MessageKey, params?: Params, tone?: Notice['tone']): void;
  noticeDismissed(): void;
}

export const initialStatus: StatusState = { connectivity: 'unknown', lastCheckedAt: null, coreError: null, devices: {}, devicesKnown: false, sync: null, syncBusy: false, syncError: null, notice: null };

export const createStatusSlice: SliceCreator<StatusSlice> = ({ api, now }) => (set, get) => {
  const patch = (p: Partial<StatusState>): void => set({ status: { ...get().status, ...p } });
  let noticeSeq = 0;
  return {
    status: initialStatus,
    connectivityObserved(connectivity) {
      patch({ connectivity, lastCheckedAt: now(), coreError: null });
    },
    coreUnreachable(error) {
      patch({ coreError: error });
    },
    deviceStatusReceived(e) {
      if (e.transient) {
        // A one-off problem (half a scan): say so, the device's state is unchanged.
        get().noticeShown(e.device === 'printer' ? 'notice.printerProblem' : 'notice.scannerProblem', { message: e.message }, 'warning');
        return;
      }
      const devices = { ...get().status.devices, [`${e.device}:${e.id}`]: { device: e.device, id: e.id, state: e.state, message: e.message } };
      patch({ devices });
    },
    async deviceStatusRequested() {
      try {
        const s = await api['devices.status']({});
        const devices: Record<string, DeviceView> = {};
        for (const sc of s.scanners) devices[`scanner:${sc.id}`] = { device: 'scanner', id: sc.id, state: sc.state, message: sc.message };
        if (s.printer) devices[`printer:${s.printer.target}`] = { device: 'printer', id: s.printer.target, state: s.printer.state, message: s.printer.message };
        patch({ devices, devicesKnown: true });
      } catch {
        // The devices area is not there (yet) or failed: the bar shows "no devices", trading goes on.
        patch({ devicesKnown: false });
      }
    },
    async statusPollTicked() {
      try {
        const info = await api['terminal.info']({});
        set({ terminal: { ...get().terminal, info, status: 'ready', error: null } });
        get().connectivityObserved(info.connectivity);
        // Still signed in? A manager may have deactivated this staff member on another till.
        const signedIn = get().session.current;
        if (signedIn) {
          const s = await api['session.current']({});
          if (s.staff === null && get().session.current === signedIn) await get().sessionEndedByCore(s.endedBecause);
          // The drawer may have been opened or closed in another window of this till.
          else void get().drawerStatusRefreshed();
        }
      } catch (e) {
        patch({ coreError: describeError(e) });
        return;
      }
      try {
        patch({ sync: await api['sync.status']({}) });
      } catch {
        patch({ sync: null });
      }
    },
    async syncEnrolSubmitted(serverUrl, code) {
      if (!/^https?:\/\/.+/.test(serverUrl.trim())) return (patch({ syncError: localError('sync.urlInvalid') }), false);
      if (code.trim().length < 6) return (patch({ syncError: localError('sync.codeInvalid') }), false);
      patch({ syncBusy: true, syncError: null });
      try {
        const sync = await get().approvalRequested('approval.purpose.enrol', (approval) => api['sync.enrol']({ serverUrl: serverUrl.trim(), code: code.trim(), approval }));
        patch({ syncBusy: false, ...(sync ? { sync } : {}) });
        if (!sync) return false;
        get().noticeShown('notice.enrolled', {}, 'success');
        await get().statusPollTicked();
        return true;
      } catch (e) {
        patch({ syncBusy: false, syncError: describeError(e) });
        return false;
      }
    },
    async syncNowRequested() {
      patch({ syncBusy: true, syncError: null });
      try {
        patch({ sync: await api['sync.now']({}), syncBusy: false });
        await get().statusPollTicked();
      } catch (e) {
        patch({ syncBusy: false, syncError: describeError(e) });
      }
    },
    async reprintRequested(receiptNo) {
      await api['printer.reprint']({ receiptNo });
      void get().deviceStatusRequested();
    },
    noticeShown(key, params = {}, tone = 'info') {
      patch({ notice: { key, params, tone, seq: ++noticeSeq } });
    },
    noticeDismissed() {
      patch({ notice: null });
    },
  };
};
