import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../src-shared/api/contract';
import type { DisplayStateDto } from '../../src-shared/api/contract-reports';

/**
 * The customer display's own small store: the state the core holds for the display, loaded once
 * and then followed through `display.changed` events (older states are ignored).
 */
export interface CustomerDisplayState {
  display: DisplayStateDto | null;
  connected: boolean;
  displayOpened(): Promise<void>;
  displayChanged(next: DisplayStateDto): void;
}

export type CustomerDisplayStore = StoreApi<CustomerDisplayState>;

export function createCustomerDisplayStore(api: PosApi): CustomerDisplayStore {
  return createStore<CustomerDisplayState>()((set, get) => ({
    display: null,
    connected: false,
    async displayOpened() {
      try {
        const state = await api['display.state']({});
        get().displayChanged(state);
      } catch {
        set({ connected: false });
      }
    },
    displayChanged(next) {
      const current = get().display;
      // Newer by number, or (after the core restarted and numbering began again) by time.
      if (current && next.seq <= current.seq && (next.updatedAt ?? '') <= (current.updatedAt ?? '')) {
        if (!get().connected) set({ connected: true });
        return;
      }
      set({ display: next, connected: true });
    },
  }));
}
