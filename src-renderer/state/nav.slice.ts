import { classifyScan } from '../../src-shared/cards/classify';
import type { SliceCreator } from './types';

export const SCREENS = ['checkout', 'drawer', 'refund', 'members', 'reports', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

export interface NavSlice {
  screen: Screen;
  /** The cashier chose a screen (a tab, or its function key). Reports are for managers. */
  screenChosen(screen: Screen): void;
  /** A scanner sent a code (HID POS or serial through the core, or a keyboard-wedge burst). */
  scanReceived(raw: string): void;
  /** The app has loaded (session known): scans that arrived while it was starting are handled now. */
  startupScansDrained(): void;
}

export const createNavSlice: SliceCreator<NavSlice> = () => (set, get) => {
  // Scans that arrive before the app knows who is signed in wait here (a scanner may fire at start-up).
  let started = false;
  const early: string[] = [];
  return {
  screen: 'checkout',
  screenChosen(screen) {
    if (screen === 'reports' && get().session.current?.role !== 'manager') {
      get().noticeShown('notice.reportsManagerOnly');
      return;
    }
    set({ screen });
    if (screen === 'reports') void get().reportRequested();
    if (screen === 'refund') void get().recentSalesRequested();
    if (screen === 'drawer') void get().drawerScreenOpened();
  },
  scanReceived(raw) {
    if (!started) {
      if (early.length < 10) early.push(raw);
      return;
    }
    get().activityNoted();
    if (!get().session.current) {
      get().noticeShown('notice.signInToScan', {}, 'warning');
      return;
    }
    const screen = get().screen;
    // The payment step's reference field (a wallet's transaction number, a voucher) takes the scan while it is shown.
    if (screen === 'checkout' && get().paymentReferenceScanned(raw)) return;
    // A dialog or a test waiting for a scan takes it: the new card to give, the scanner test.
    if (screen === 'members' && get().members.cardDialog.open) {
      get().newCardScanned(raw);
      return;
    }
    if (screen === 'settings' && get().staffAdmin.testScan.status === 'waiting') {
      get().testScanReceived(raw);
      return;
    }
    if (screen === 'members') {
      void get().memberCodeScanned(raw);
      return;
    }
    if (screen === 'refund' && classifyScan(raw).kind !== 'member_card') {
      void get().refundReceiptLookedUp(raw);
      return;
    }
    if (screen !== 'checkout') set({ screen: 'checkout' });
    void get().checkoutCodeScanned(raw);
  },
  startupScansDrained() {
    started = true;
    for (const raw of early.splice(0)) get().scanReceived(raw);
  },
  };
};
