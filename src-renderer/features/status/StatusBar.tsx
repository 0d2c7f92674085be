import { useEffect } from 'react';
import { SCREEN_SHORTCUTS, SHORTCUT_LABELS, type Command } from '../../app/shortcuts';
import { Button } from '../../components/Button';
import { LANGUAGE_NAMES } from '../../i18n';
import type { Locale } from '../../i18n/format';
import type { MessageKey } from '../../i18n/messages/en';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../state/context';
import { SCREENS, type Screen } from '../../state/nav.slice';
import { LOCALES } from '../../state/settings.slice';
import { paymentsAtTill } from '../../state/money.slice';
import { connectivityKey, deviceSummary, syncSummary } from './status-view';

export const SCREEN_LABELS: Record<Screen, MessageKey> = {
  checkout: 'nav.checkout',
  drawer: 'nav.drawer',
  refund: 'nav.refund',
  members: 'nav.members',
  reports: 'nav.reports',
  settings: 'nav.settings',
};

/** Always on top: where the till stands (link, sync, printer, scanner), who is signed in, the language. */
export function StatusBar({ onCommand }: { onCommand: (c: Command) => void }) {
  const { t, fmt } = useI18n();
  const info = useAppStore((s) => s.terminal.info);
  const status = useAppStore((s) => s.status);
  const staff = useAppStore((s) => s.session.current);
  const language = useAppStore((s) => s.settings.language);
  const chooseLanguage = useAppStore((s) => s.languageChosen);
  const signOut = useAppStore((s) => s.signOutRequested);
  const devices = deviceSummary(status.devices, status.devicesKnown);
  const link = connectivityKey(status.connectivity);
  const checkNow = useAppStore((s) => s.statusPollTicked);
  const syncLine = syncSummary(status, (iso) => fmt.time(iso));
  const money = useAppStore((s) => s.money);
  const chooseScreen = useAppStore((s) => s.screenChosen);
  // The drawer matters on a till that takes the money (or while a session is still open on it).
  const showDrawer = staff !== null && money.drawer !== null && (paymentsAtTill(money) || money.drawer.status === 'open');
  const drawerOpen = money.drawer?.status === 'open';
  return (
    <header className="statusbar" aria-label={t('status.region')}>
      <div className="statusbar-store">
        <strong>{info?.storeName ?? t('app.title')}</strong>
        <span className="muted">{t('status.terminal', { id: info?.terminalId.slice(-6) ?? '' })}</span>
      </div>
      <ul className="statusbar-items">
        <li>
          <button type="button" className={`pill pill-${link.tone}`} data-testid="connectivity" title={t(link.hint)} onClick={() => void checkNow()} aria-label={`${t(link.label)}. ${t('status.checkNow')}`}>
            {t(link.label)}
          </button>
        </li>
        <li className={`pill pill-${syncLine.tone}`} data-testid="sync-status" title={status.sync?.lastError ?? ''}>
          {t(syncLine.key, syncLine.params)}
        </li>
        <li className={`pill pill-${devices.printer.tone}`} data-testid="printer-status" title={devices.printer.message}>
          {t(devices.printer.key)}
        </li>
        <li className={`pill pill-${devices.scanner.tone}`} data-testid="scanner-status" title={devices.scanner.message}>
          {t(devices.scanner.key)}
        </li>
        {showDrawer && (
          <li>
            <button
              type="button"
              className={`pill pill-${drawerOpen ? 'good' : 'warn'}`}
              data-testid="drawer-status"
              title={t('status.drawerHint')}
              aria-keyshortcuts={SHORTCUT_LABELS.drawer}
              onClick={() => chooseScreen('drawer')}
            >
              {t(drawerOpen ? 'status.drawerOpen' : 'status.drawerNotOpen')}
            </button>
          </li>
        )}
        {status.coreError && (
          <li className="pill pill-bad" role="alert" data-testid="core-error">
            {t(status.coreError.key, status.coreError.params)}
          </li>
        )}
      </ul>
      <div className="statusbar-actions">
        <label className="compact">
          <span className="visually-hidden">{t('settings.language')}</span>
          <select value={language} onChange={(e) => chooseLanguage(e.target.value as Locale)} data-testid="language-switch" aria-label={t('settings.language')}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        {staff && (
          <>
            <span data-testid="signed-in-as" className="who">
              {t('status.signedInAs', { name: staff.name, role: t(staff.role === 'manager' ? 'role.manager' : 'role.cashier') })}
            </span>
            <Button tone="quiet" shortcut={SHORTCUT_LABELS.customerDisplay} onClick={() => onCommand({ kind: 'customerDisplay' })}>
              {t('status.customerDisplay')}
            </Button>
            <Button tone="quiet" shortcut={SHORTCUT_LABELS.lock} onClick={() => onCommand({ kind: 'lock' })}>
              {t('status.lock')}
            </Button>
            <Button tone="quiet" onClick={() => void signOut()}>
              {t('status.signOut')}
            </Button>
          </>
        )}
      </div>
    </header>
  );
}

export function NavTabs() {
  const { t } = useI18n();
  const screen = useAppStore((s) => s.screen);
  const role = useAppStore((s) => s.session.current?.role);
  const choose = useAppStore((s) => s.screenChosen);
  const drawerTab = useAppStore((s) => paymentsAtTill(s.money) || s.money.drawer?.status === 'open');
  return (
    <nav className="navtabs" aria-label={t('nav.label')}>
      {SCREENS.filter((s) => (s !== 'reports' || role === 'manager') && (s !== 'drawer' || drawerTab)).map((s) => (
        <button key={s} type="button" aria-current={screen === s ? 'page' : undefined} onClick={() => choose(s)} aria-keyshortcuts={SCREEN_SHORTCUTS[s]}>
          <span>{t(SCREEN_LABELS[s])}</span>
          <kbd className="kbd">{SCREEN_SHORTCUTS[s]}</kbd>
        </button>
      ))}
    </nav>
  );
}

/** Short confirmations and warnings; they fade after a few seconds and can be dismissed. */
export function NoticeToast() {
  const { t } = useI18n();
  const notice = useAppStore((s) => s.status.notice);
  const dismiss = useAppStore((s) => s.noticeDismissed);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(dismiss, 6000);
    return () => clearTimeout(timer);
  }, [notice, dismiss]);
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {notice && (
        <div className={`toast toast-${notice.tone}`} data-testid="notice" key={notice.seq}>
          <span data-testid="notice-text">{t(notice.key, notice.params)}</span>
          <button type="button" className="toast-close" onClick={dismiss} aria-label={t('common.dismiss')}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
