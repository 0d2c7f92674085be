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
  /** Campaign id -> name, from the rule set in force (for the earn preview). */
  campaignNames: Record<string, string>;
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
  const loadCampaigns = async (): Promise<void> => {
    try {
      const rules = await api['rules.current']({});
      set({ terminal: { ...get().terminal, campaignNames: Object.fromEntries(rules.campaigns.map((c) => [c.id, c.name])) } });
    } catch {
      // names are a nicety: the preview shows campaign ids instead
    }
  };
  return {
    terminal: { transport: transportKind, status: 'starting', info: null, error: null, campaignNames: {} },
    async appStarted() {
      get().settingsRestored();
      if (!(await loadInfo())) return;
      await Promise.all([get().staffListRequested(), loadCampaigns()]);
      await get().moneyRefreshRequested();
      await get().checkoutDraftRestored();
      get().startupScansDrained();
      void get().deviceStatusRequested();
      void get().statusPollTicked();
    },
    async terminalInfoRefreshRequested() {
      await loadInfo();
    },
  };
};
