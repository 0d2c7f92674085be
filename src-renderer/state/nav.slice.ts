import type { SliceCreator } from './types';

export const SCREENS = ['checkout', 'refund', 'members', 'reports', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

export interface NavSlice {
  screen: Screen;
  /** The cashier chose a screen (a tab, or its function key). Reports are for managers. */
  screenChosen(screen: Screen): void;
}

export const createNavSlice: SliceCreator<NavSlice> = () => (set, get) => ({
  screen: 'checkout',
  screenChosen(screen) {
    if (screen === 'reports' && get().session.current?.role !== 'manager') {
      get().noticeShown('notice.reportsManagerOnly');
      return;
    }
    set({ screen });
    if (screen === 'reports') void get().reportRequested();
    if (screen === 'refund') void get().recentSalesRequested();
  },
});
