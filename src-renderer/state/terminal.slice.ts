import type { TerminalInfoDto } from '../../src-shared/api/dto';
import type { TransportKind } from '../api/transports';
import { describeError, type UiError } from '../i18n/errors';
import type { SliceCreator } from './types';

export interface TerminalState {
  /** How this screen reaches the core. */
  transport: TransportKind;
  /** starting: first load; ready: the core answered; unreachable: it did not. */
  status: 'starting' | 'ready' | 'unreachable';
  info: TerminalInfoDto | null;
  error: UiError | null;
}

export interface TerminalSlice {
  terminal: TerminalState;
  /** The screen opened: load terminal info, staff and the current session, restore a sale in progress. */
  appStarted(): Promise<void>;
  /** Reload terminal info (member count, connectivity). */
  terminalInfoRefreshRequested(): Promise<void>;
}

export const createTerminalSlice: SliceCreator<TerminalSlice> = ({ api, transportKind }) => (set, get) => {
  const loadInfo = async (): Promise<boolean> => {
    try {
      const info = await api['terminal.info']({});
      set({ terminal: { ...get().terminal, status: 'ready', info, error: null } });
      get().connectivityObserved(info.connectivity);
      return true;
    } catch (e) {
      set({ terminal: { ...get().terminal, status: 'unreachable', error: describeError(e) } });
      get().coreUnreachable(describeError(e));
      return false;
    }
  };
  return {
    terminal: { transport: transportKind, status: 'starting', info: null, error: null },
    async appStarted() {
      get().settingsRestored();
      if (!(await loadInfo())) return;
      await get().staffListRequested();
      await get().checkoutDraftRestored();
      void get().deviceStatusRequested();
    },
    async terminalInfoRefreshRequested() {
      await loadInfo();
    },
  };
};
