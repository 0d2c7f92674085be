import type { TerminalInfoDto } from '../../src-shared/api/dto';
import { describeError, type UiError } from '../api/error-messages';
import type { TransportKind } from '../api/transports';
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
  /** The screen opened: load terminal info, staff and the current session. */
  appStarted(): Promise<void>;
  /** Reload terminal info (member count, connectivity). */
  terminalInfoRefreshRequested(): Promise<void>;
}

export const createTerminalSlice: SliceCreator<TerminalSlice> = ({ api, transportKind }) => (set, get) => {
  const loadInfo = async (): Promise<boolean> => {
    try {
      const info = await api['terminal.info']({});
      set({ terminal: { ...get().terminal, status: 'ready', info, error: null } });
      return true;
    } catch (e) {
      set({ terminal: { ...get().terminal, status: 'unreachable', error: describeError(e) } });
      return false;
    }
  };
  return {
    terminal: { transport: transportKind, status: 'starting', info: null, error: null },
    async appStarted() {
      if (!(await loadInfo())) return;
      await get().staffListRequested();
    },
    async terminalInfoRefreshRequested() {
      await loadInfo();
    },
  };
};
