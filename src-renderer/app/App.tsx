import { useCallback, useEffect } from 'react';
import { CheckoutScreen } from '../features/checkout/CheckoutScreen';
import { RefundScreen } from '../features/checkout/RefundScreen';
import { DrawerScreen } from '../features/drawer/DrawerScreen';
import { MembersScreen } from '../features/members/MembersScreen';
import { ReportsScreen } from '../features/reports/ReportsScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { ManagerApproval } from '../features/signin/ManagerApproval';
import { SignInScreen } from '../features/signin/SignInScreen';
import { NavTabs, NoticeToast, StatusBar } from '../features/status/StatusBar';
import { useI18n } from '../i18n/use-i18n';
import { useScanner } from '../scan';
import { useAppStore, useAppStoreApi } from '../state/context';
import { dispatchCommand } from './command-bus';
import { FOCUS_IDS, shortcutOf, type Command } from './shortcuts';

/** Opens the customer display page (same origin; in browser mode the access key travels in sessionStorage). */
export function openCustomerDisplay(): void {
  const url = new URL(window.location.href);
  url.hash = '';
  url.searchParams.set('view', 'customer');
  window.open(url.href, 'tillsmith-customer-display', 'popup,width=1024,height=768');
}

export function App() {
  const store = useAppStoreApi();
  // Every scan (keyboard wedge in this window, the core's serial and HID POS scanners) lands here.
  // useScanner opens its own event stream when it mounts, so a scan the core sends as the stream
  // connects reaches this handler (the store queues scans that come before the session is known).
  useScanner({ onScan: (raw) => store.getState().scanReceived(raw) });
  const { t, locale } = useI18n();
  const reachable = useAppStore((s) => s.terminal.status);
  const signedIn = useAppStore((s) => s.session.current !== null);
  const screen = useAppStore((s) => s.screen);
  const coreError = useAppStore((s) => s.terminal.error);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('app.title');
  }, [locale, t]);

  const run = useCallback(
    (c: Command): void => {
      const s = store.getState();
      switch (c.kind) {
        case 'screen':
          s.screenChosen(c.screen);
          return;
        case 'focus':
          if (s.screen !== 'checkout') s.screenChosen('checkout');
          requestAnimationFrame(() => {
            // F3 at the payment step: the payment's amount field (the basket's is not shown).
            const el = (document.getElementById(FOCUS_IDS[c.target]) ?? (c.target === 'amount' ? document.getElementById('payment-amount') : null)) as HTMLInputElement | null;
            el?.focus();
            el?.select?.();
          });
          return;
        case 'complete':
          if (s.screen === 'checkout') void s.saleCompleted();
          return;
        case 'nextCustomer':
          if (s.screen === 'checkout') {
            s.nextCustomerRequested();
            requestAnimationFrame(() => document.getElementById(FOCUS_IDS.member)?.focus());
          }
          return;
        case 'redeemMax':
          if (s.screen === 'checkout') s.redeemMaxChosen();
          return;
        case 'lock':
          void s.lockRequested();
          return;
        case 'customerDisplay':
          openCustomerDisplay();
          return;
        case 'quickCategory':
        case 'quickCash':
        case 'escape':
          dispatchCommand(c);
          return;
      }
    },
    [store],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      store.getState().activityNoted();
      if (store.getState().approval) return; // the manager prompt handles its own keys
      if (!store.getState().session.current) return;
      const c = shortcutOf(e);
      if (!c) return;
      e.preventDefault();
      run(c);
    };
    const onPointer = (): void => store.getState().activityNoted();
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onPointer);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onPointer);
    };
  }, [store, run]);

  if (reachable === 'starting') {
    return (
      <main className="splash" aria-busy="true">
        <p>{t('app.connecting')}</p>
      </main>
    );
  }
  if (reachable === 'unreachable') {
    return (
      <main className="splash">
        <h1>{t('app.title')}</h1>
        <p role="alert" className="error">
          {coreError ? t(coreError.key, coreError.params) : t('error.BRIDGE_UNREACHABLE')}
        </p>
      </main>
    );
  }
  return (
    <div className="app">
      <StatusBar onCommand={run} />
      {signedIn ? (
        <>
          <NavTabs />
          <main className="app-main" id="main">
            {screen === 'checkout' && <CheckoutScreen />}
            {screen === 'drawer' && <DrawerScreen />}
            {screen === 'refund' && <RefundScreen />}
            {screen === 'members' && <MembersScreen />}
            {screen === 'reports' && <ReportsScreen />}
            {screen === 'settings' && <SettingsScreen />}
          </main>
        </>
      ) : (
        <main className="app-main" id="main">
          <SignInScreen />
        </main>
      )}
      <ManagerApproval />
      <NoticeToast />
    </div>
  );
}
