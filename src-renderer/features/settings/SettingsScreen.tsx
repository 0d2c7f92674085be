import { useState, type FormEvent } from 'react';
import type { StaffDto } from '../../../src-shared/api/dto';
import { Button } from '../../components/Button';
import { ErrorText, Facts, StatusText } from '../../components/Messages';
import { LANGUAGE_NAMES } from '../../i18n';
import type { Locale } from '../../i18n/format';
import type { MessageKey } from '../../i18n/messages/en';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../state/context';
import { IDLE_LOCK_CHOICES, LOCALES } from '../../state/settings.slice';
import { deviceSummary } from '../status/status-view';
import { DeviceSetup } from './DeviceSetup';
import { testPrintWords, testScanWords } from './device-view';

const LINK_KEYS: Record<string, MessageKey> = { ipc: 'about.linkIpc', http: 'about.linkHttp', memory: 'about.linkMemory' };

/** Language, lock, devices, sync, staff (managers), about. */
export function SettingsScreen() {
  const { t } = useI18n();
  const isManager = useAppStore((s) => s.session.current?.role === 'manager');
  return (
    <div className="settings">
      <LanguageSection />
      <DevicesSection />
      <SyncSection />
      {isManager ? (
        <StaffSection />
      ) : (
        <section className="panel" aria-label={t('settings.staff')}>
          <h2>{t('settings.staff')}</h2>
          <p className="muted">{t('settings.staffManagerOnly')}</p>
        </section>
      )}
      <AboutSection />
    </div>
  );
}

function LanguageSection() {
  const { t } = useI18n();
  const settings = useAppStore((s) => s.settings);
  const chooseLanguage = useAppStore((s) => s.languageChosen);
  const chooseCustomer = useAppStore((s) => s.customerLanguageChosen);
  const chooseIdle = useAppStore((s) => s.idleLockMinutesChosen);
  return (
    <section className="panel" aria-label={t('settings.general')}>
      <h2>{t('settings.general')}</h2>
      <fieldset className="choice-row">
        <legend>{t('settings.language')}</legend>
        {LOCALES.map((l) => (
          <button key={l} type="button" aria-pressed={settings.language === l} onClick={() => chooseLanguage(l)} lang={l}>
            {LANGUAGE_NAMES[l]}
          </button>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('settings.customerLanguage')}</span>
        <select value={settings.customerLanguage} onChange={(e) => chooseCustomer(e.target.value as Locale | 'same')}>
          <option value="same">{t('settings.sameLanguage')}</option>
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('settings.idleLock')}</span>
        <select value={settings.idleLockMinutes} onChange={(e) => chooseIdle(Number(e.target.value))} data-testid="idle-lock">
          {IDLE_LOCK_CHOICES.map((m) => (
            <option key={m} value={m}>
              {m === 0 ? t('settings.idleNever') : t('settings.idleMinutes', { minutes: m })}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}

function DevicesSection() {
  const { t } = useI18n();
  const status = useAppStore((s) => s.status);
  const admin = useAppStore((s) => s.staffAdmin);
  const isManager = useAppStore((s) => s.session.current?.role === 'manager');
  const refresh = useAppStore((s) => s.deviceStatusRequested);
  const testPrint = useAppStore((s) => s.testPrintRequested);
  const testScan = useAppStore((s) => s.testScanRequested);
  const cancelTestScan = useAppStore((s) => s.testScanCancelled);
  const findDevices = useAppStore((s) => s.devicesListRequested);
  const detected = admin.detected;
  const summary = deviceSummary(status.devices, status.devicesKnown);
  const list = Object.values(status.devices);
  const printWords = admin.testPrint.job ? testPrintWords(admin.testPrint.job, admin.testPrint.printer, t) : null;
  const scanWords = admin.testScan.scan ? testScanWords(admin.testScan.scan, t) : null;
  return (
    <section className="panel" aria-label={t('settings.devices')}>
      <h2>{t('settings.devices')}</h2>
      <Facts
        items={[
          { label: t('settings.printer'), value: t(summary.printer.key), testId: 'settings-printer' },
          { label: t('settings.scanner'), value: t(summary.scanner.key), testId: 'settings-scanner' },
        ]}
      />
      {list.length > 0 && (
        <ul className="device-list">
          {list.map((d) => (
            <li key={`${d.device}:${d.id}`}>
              <strong>{d.id}</strong> · {d.state} · <span className="muted">{d.message}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">{t('settings.wedgeNote')}</p>
      {isManager ? <DeviceSetup /> : <p className="muted small">{t('settings.devicesSetup')}</p>}
      <div className="button-row">
        <Button onClick={() => void refresh()}>{t('settings.devicesRefresh')}</Button>
        <Button onClick={() => void testPrint()} disabled={admin.testPrint.status === 'running'}>
          {t('settings.testPrint')}
        </Button>
        <Button onClick={() => void testScan()} disabled={admin.testScan.status === 'waiting'}>
          {t('settings.testScan')}
        </Button>
        <Button onClick={() => void findDevices()} disabled={detected.status === 'loading'}>
          {t('settings.findDevices')}
        </Button>
      </div>
      {detected.list && (
        <div className="detected" data-testid="detected-devices">
          <h3>{t('settings.detected')}</h3>
          <ul className="device-list">
            {detected.list.serialPorts.available ? (
              detected.list.serialPorts.items.map((p) => (
                <li key={p.path}>
                  {t('settings.serialPort')}: <span className="path">{p.path}</span> {p.manufacturer ?? ''}
                </li>
              ))
            ) : (
              <li className="muted">{t('settings.serialUnavailable', { reason: detected.list.serialPorts.reason })}</li>
            )}
            {detected.list.hidDevices.available ? (
              detected.list.hidDevices.items.map((h) => (
                <li key={`${h.vendorId}:${h.productId}:${h.path ?? ''}`}>
                  {h.hidPos ? t('settings.hidPos') : t('settings.hidDevice')}: {h.product ?? `${h.vendorId.toString(16)}:${h.productId.toString(16)}`}
                </li>
              ))
            ) : (
              <li className="muted">{t('settings.hidUnavailable', { reason: detected.list.hidDevices.reason })}</li>
            )}
            {detected.list.usbPrinters.map((p) => (
              <li key={p}>
                {t('settings.usbPrinter')}: <span className="path">{p}</span>
              </li>
            ))}
            {detected.list.serialPorts.items.length + detected.list.hidDevices.items.length + detected.list.usbPrinters.length === 0 && <li>{t('settings.nothingFound')}</li>}
          </ul>
        </div>
      )}
      {detected.error && <ErrorText>{t(detected.error.key, detected.error.params)}</ErrorText>}
      {admin.testPrint.status === 'running' && <StatusText>{t('settings.testPrintRunning')}</StatusText>}
      {printWords && (
        <StatusText tone={printWords.tone} testId="test-print-result">
          {t(printWords.key, printWords.params)}
        </StatusText>
      )}
      {admin.testPrint.error && <ErrorText>{t(admin.testPrint.error.key, admin.testPrint.error.params)}</ErrorText>}
      {admin.testScan.status === 'waiting' && (
        <div className="button-row">
          <StatusText>{t(admin.testScan.mode === 'keyboard' ? 'deviceSetup.scanWaitingKeyboard' : 'settings.testScanWaiting')}</StatusText>
          <Button onClick={cancelTestScan}>{t('common.cancel')}</Button>
        </div>
      )}
      {scanWords && (
        <StatusText tone={scanWords.tone} testId="test-scan-result">
          {t(scanWords.key, scanWords.params)}
        </StatusText>
      )}
      {admin.testScan.error && <ErrorText>{t(admin.testScan.error.key, admin.testScan.error.params)}</ErrorText>}
    </section>
  );
}

/** Sync with head office: enrol (manager), sync now, and where it stands. */
function SyncSection() {
  const { t, fmt } = useI18n();
  const status = useAppStore((s) => s.status);
  const isManager = useAppStore((s) => s.session.current?.role === 'manager');
  const enrol = useAppStore((s) => s.syncEnrolSubmitted);
  const syncNow = useAppStore((s) => s.syncNowRequested);
  const [url, setUrl] = useState('');
  const [code, setCode] = useState('');
  const sync = status.sync;
  const standalone = !sync || sync.state === 'standalone';
  return (
    <section className="panel" aria-label={t('settings.sync')}>
      <h2>{t('settings.sync')}</h2>
      <p data-testid="sync-mode">{standalone ? t('settings.syncStandalone') : t('settings.syncConnected', { server: sync?.serverUrl ?? '' })}</p>
      {sync && !standalone && (
        <Facts
          items={[
            { label: t('settings.syncLast'), value: sync.lastSuccessAt ? fmt.dateTime(sync.lastSuccessAt) : '—' },
            { label: t('settings.syncPending'), value: fmt.number(sync.pending), testId: 'sync-pending' },
            { label: t('settings.syncProblems'), value: fmt.number(sync.problems) },
            { label: t('settings.syncLastError'), value: sync.lastError ?? '—' },
          ]}
        />
      )}
      {sync?.clockWarning && <StatusText tone="warning">{t('status.clockWarning')}</StatusText>}
      {standalone ? (
        isManager ? (
          <form
            className="form-grid"
            onSubmit={(e) => {
              e.preventDefault();
              void enrol(url, code).then((ok) => ok && setCode(''));
            }}
          >
            <label className="field">
              <span>{t('settings.serverUrl')}</span>
              <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" autoComplete="off" inputMode="url" />
            </label>
            <label className="field">
              <span>{t('settings.enrolmentCode')}</span>
              <input value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" />
            </label>
            <Button type="submit" tone="primary" disabled={status.syncBusy}>
              {t('settings.syncEnrol')}
            </Button>
          </form>
        ) : (
          <p className="muted">{t('settings.syncManagerOnly')}</p>
        )
      ) : (
        <Button onClick={() => void syncNow()} disabled={status.syncBusy}>
          {status.syncBusy ? t('settings.syncing') : t('settings.syncNow')}
        </Button>
      )}
      {status.syncError && <ErrorText>{t(status.syncError.key, status.syncError.params)}</ErrorText>}
    </section>
  );
}

function StaffSection() {
  const { t } = useI18n();
  const staff = useAppStore((s) => s.session.staffList);
  const admin = useAppStore((s) => s.staffAdmin);
  const create = useAppStore((s) => s.staffCreateSubmitted);
  const changePin = useAppStore((s) => s.staffPinChangeSubmitted);
  const deactivate = useAppStore((s) => s.staffDeactivateSubmitted);
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffDto['role']>('cashier');
  const [pin, setPin] = useState('');
  const [who, setWho] = useState('');
  const [newPin, setNewPin] = useState('');
  const onCreate = (e: FormEvent): void => {
    e.preventDefault();
    void create({ name, role, pin }).then((ok) => {
      if (ok) {
        setName('');
        setPin('');
      }
    });
  };
  const onChange = (e: FormEvent): void => {
    e.preventDefault();
    void changePin(who, newPin).then((ok) => ok && setNewPin(''));
  };
  return (
    <section className="panel" aria-label={t('settings.staff')}>
      <h2>{t('settings.staff')}</h2>
      <ul className="staff-list">
        {staff.map((s) => (
          <li key={s.id}>
            {s.name} <span className="muted">({t(s.role === 'manager' ? 'role.manager' : 'role.cashier')})</span>
          </li>
        ))}
      </ul>
      <form className="form-grid" onSubmit={onCreate} aria-label={t('staff.add')}>
        <h3>{t('staff.add')}</h3>
        <label className="field">
          <span>{t('staff.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} autoComplete="off" />
        </label>
        <label className="field">
          <span>{t('staff.role')}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as StaffDto['role'])}>
            <option value="cashier">{t('role.cashier')}</option>
            <option value="manager">{t('role.manager')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('staff.pin')}</span>
          <input type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} maxLength={8} autoComplete="new-password" />
        </label>
        <Button type="submit" tone="primary" disabled={admin.status === 'saving'}>
          {t('staff.create')}
        </Button>
      </form>
      <form className="form-grid" onSubmit={onChange} aria-label={t('staff.changePin')}>
        <h3>{t('staff.changePin')}</h3>
        <label className="field">
          <span>{t('staff.who')}</span>
          <select value={who} onChange={(e) => setWho(e.target.value)}>
            <option value="">{t('signin.who')}</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('staff.newPin')}</span>
          <input type="password" inputMode="numeric" value={newPin} onChange={(e) => setNewPin(e.target.value.replace(/\D/g, ''))} maxLength={8} autoComplete="new-password" />
        </label>
        <Button type="submit" disabled={admin.status === 'saving'}>
          {t('staff.changePinSubmit')}
        </Button>
        <Button type="button" tone="danger" disabled={admin.status === 'saving' || !who} onClick={() => void deactivate(who).then((ok) => ok && setWho(''))}>
          {t('staff.deactivate')}
        </Button>
      </form>
      {admin.error && <ErrorText>{t(admin.error.key, admin.error.params)}</ErrorText>}
    </section>
  );
}

function AboutSection() {
  const { t, fmt } = useI18n();
  const info = useAppStore((s) => s.terminal.info);
  const transport = useAppStore((s) => s.terminal.transport);
  if (!info) return null;
  return (
    <section className="panel" aria-label={t('settings.about')}>
      <h2>{t('settings.about')}</h2>
      <Facts
        label={t('settings.about')}
        items={[
          { label: t('about.store'), value: `${info.storeName} (${info.storeId})` },
          { label: t('about.terminal'), value: info.terminalId, testId: 'about-terminal' },
          { label: t('about.version'), value: t('about.versionValue', { app: info.appVersion, schema: info.schemaVersion, rules: info.ruleSetVersion }) },
          { label: t('about.dataFolder'), value: <span className="path">{info.dataDir}</span>, testId: 'about-data-dir' },
          { label: t('about.timeZone'), value: `${info.timeZone} · ${info.currency}` },
          { label: t('about.members'), value: fmt.number(info.memberCount) },
          { label: t('about.link'), value: t(LINK_KEYS[transport] ?? 'about.linkHttp'), testId: 'about-link' },
        ]}
      />
    </section>
  );
}
