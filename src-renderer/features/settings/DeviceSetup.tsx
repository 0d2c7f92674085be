import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type { DevicesStatusDto } from '../../../src-shared/api/contract-devices';
import { Button } from '../../components/Button';
import { ErrorText, StatusText } from '../../components/Messages';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../state/context';
import { BAUD_RATES, formFromConfig, type DeviceForm } from '../../state/device-setup';
import { printerStateKey } from './device-view';

/**
 * The manager's device set-up: the scanner source (keyboard only, USB HID POS, serial) and the
 * receipt printer (serial, network port 9100, USB line-printer file) with its paper, encoding and
 * Chinese font. Saved with a manager's PIN through devices.configure; the test buttons below
 * then say in words whether it works.
 */
export function DeviceSetup() {
  const { t } = useI18n();
  const setup = useAppStore((s) => s.staffAdmin.deviceSetup);
  const detected = useAppStore((s) => s.staffAdmin.detected.list);
  const opened = useAppStore((s) => s.deviceSetupOpened);
  const submit = useAppStore((s) => s.deviceSetupSubmitted);
  const [form, setForm] = useState<DeviceForm | null>(null);
  const [loaded, setLoaded] = useState(false);
  const ids = useId();

  // The form fills once, from the settings read when the screen opens.
  useEffect(() => {
    let live = true;
    void opened().then(() => live && setLoaded(true));
    return () => {
      live = false;
    };
  }, [opened]);
  useEffect(() => {
    if (loaded && setup.config && form === null) setForm(formFromConfig(setup.config));
  }, [loaded, setup.config, form]);

  if (!form) {
    return setup.error ? <ErrorText>{t(setup.error.key, setup.error.params)}</ErrorText> : <StatusText>{t('deviceSetup.loading')}</StatusText>;
  }
  const set = <K extends keyof DeviceForm>(k: K, v: DeviceForm[K]): void => setForm((f) => (f ? { ...f, [k]: v } : f));
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    void submit(form);
  };
  const invalid = (field: keyof DeviceForm): boolean => setup.field === field;
  const serialList = `${ids}-serial`;
  const hidList = `${ids}-hid`;
  const lpList = `${ids}-lp`;
  const kept = (setup.config?.scanners.length ?? 0) - 1;

  return (
    <form className="device-setup" onSubmit={onSubmit} aria-label={t('deviceSetup.title')}>
      <h3>{t('deviceSetup.title')}</h3>
      <datalist id={serialList}>
        {detected?.serialPorts.items.map((p) => (
          <option key={p.path} value={p.path}>
            {p.manufacturer ?? ''}
          </option>
        ))}
      </datalist>
      <datalist id={hidList}>
        {detected?.hidDevices.items.map((h) => (
          <option key={`${h.vendorId}:${h.productId}:${h.path ?? ''}`} value={`${h.vendorId.toString(16).padStart(4, '0')}:${h.productId.toString(16).padStart(4, '0')}`}>
            {`${h.product ?? ''}${h.hidPos ? ' (HID POS)' : ''}`}
          </option>
        ))}
      </datalist>
      <datalist id={lpList}>
        {detected?.usbPrinters.map((p) => <option key={p} value={p} />)}
      </datalist>

      <fieldset className="device-group">
        <legend>{t('deviceSetup.scanner')}</legend>
        <Choice name={`${ids}-scanner`} label={t('deviceSetup.scanner')} value={form.scanner} onChange={(v) => set('scanner', v)} options={[
          ['keyboard', t('deviceSetup.scannerKeyboard')],
          ['hid-pos', t('deviceSetup.scannerHid')],
          ['serial', t('deviceSetup.scannerSerial')],
        ]} />
        {form.scanner === 'hid-pos' && (
          <>
            <Field label={t('deviceSetup.hidIds')} invalid={invalid('hidIds')}>
              <input value={form.hidIds} onChange={(e) => set('hidIds', e.target.value)} list={hidList} autoComplete="off" placeholder="0c2e:0b6a" aria-invalid={invalid('hidIds')} />
            </Field>
            <p className="muted small">{detected && !detected.hidDevices.available ? t('settings.hidUnavailable', { reason: detected.hidDevices.reason }) : t('deviceSetup.hidHint')}</p>
          </>
        )}
        {form.scanner === 'serial' && (
          <div className="form-grid">
            <SerialPortFields
              labels={[t('deviceSetup.scannerPort'), t('deviceSetup.scannerBaud')]}
              path={form.scannerPath}
              baud={form.scannerBaud}
              onPath={(v) => set('scannerPath', v)}
              onBaud={(v) => set('scannerBaud', v)}
              invalid={invalid('scannerPath')}
              list={serialList}
              placeholder="/dev/ttyACM0"
            />
            <Field label={t('deviceSetup.terminator')}>
              <select value={form.scannerTerminator} onChange={(e) => set('scannerTerminator', e.target.value as DeviceForm['scannerTerminator'])}>
                <option value="CR">{t('deviceSetup.terminatorCR')}</option>
                <option value="LF">{t('deviceSetup.terminatorLF')}</option>
                <option value="CRLF">{t('deviceSetup.terminatorCRLF')}</option>
              </select>
            </Field>
          </div>
        )}
        {kept > 0 && <p className="muted small">{t('deviceSetup.keptScanners', { count: kept })}</p>}
      </fieldset>

      <fieldset className="device-group">
        <legend>{t('deviceSetup.printer')}</legend>
        <Choice name={`${ids}-printer`} label={t('deviceSetup.printer')} value={form.printer} onChange={(v) => set('printer', v)} options={[
          ['none', t('deviceSetup.printerNone')],
          ['serial', t('deviceSetup.printerSerial')],
          ['tcp', t('deviceSetup.printerTcp')],
          ['usb-lp', t('deviceSetup.printerUsb')],
        ]} />
        <div className="form-grid">
          {form.printer === 'serial' && (
            <>
              <SerialPortFields
                labels={[t('deviceSetup.printerPort'), t('deviceSetup.printerBaud')]}
                path={form.printerPath}
                baud={form.printerBaud}
                onPath={(v) => set('printerPath', v)}
                onBaud={(v) => set('printerBaud', v)}
                invalid={invalid('printerPath')}
                list={serialList}
                placeholder="/dev/ttyUSB0"
              />
            </>
          )}
          {form.printer === 'tcp' && (
            <>
              <Field label={t('deviceSetup.printerHost')} invalid={invalid('printerHost')}>
                <input value={form.printerHost} onChange={(e) => set('printerHost', e.target.value)} autoComplete="off" placeholder="192.168.1.50" aria-invalid={invalid('printerHost')} />
              </Field>
              <Field label={t('deviceSetup.printerTcpPort')} invalid={invalid('printerPort')}>
                <input value={form.printerPort} onChange={(e) => set('printerPort', e.target.value)} inputMode="numeric" autoComplete="off" aria-invalid={invalid('printerPort')} />
              </Field>
            </>
          )}
          {form.printer === 'usb-lp' && (
            <Field label={t('deviceSetup.usbPath')} invalid={invalid('usbPath')}>
              <input value={form.usbPath} onChange={(e) => set('usbPath', e.target.value)} list={lpList} autoComplete="off" placeholder="/dev/usb/lp0" aria-invalid={invalid('usbPath')} />
            </Field>
          )}
        </div>
        {form.printer !== 'none' && (
          <>
            <Choice
              name={`${ids}-paper`}
              legend={t('deviceSetup.paper')}
              value={String(form.paperWidth) as '80' | '58'}
              onChange={(v) => set('paperWidth', v === '58' ? 58 : 80)}
              options={[
                ['80', t('deviceSetup.paper80')],
                ['58', t('deviceSetup.paper58')],
              ]}
            />
            <div className="form-grid">
              <Field label={t('deviceSetup.encoding')}>
                <select value={form.encoding} onChange={(e) => set('encoding', e.target.value as DeviceForm['encoding'])}>
                  <option value="gb18030">{t('deviceSetup.encodingGb18030')}</option>
                  <option value="big5">{t('deviceSetup.encodingBig5')}</option>
                  {(form.encoding === 'gbk' || setup.config?.printer?.encoding === 'gbk') && <option value="gbk">{t('deviceSetup.encodingGbk')}</option>}
                </select>
              </Field>
              <Field label={t('deviceSetup.language')}>
                <select value={form.language} onChange={(e) => set('language', e.target.value as DeviceForm['language'])}>
                  <option value="zh-Hans">简体中文</option>
                  <option value="zh-Hant">繁體中文</option>
                  <option value="en">English</option>
                </select>
              </Field>
            </div>
            <label className="check">
              <input type="checkbox" checked={form.chineseMode} onChange={(e) => set('chineseMode', e.target.checked)} />
              <span>{t('deviceSetup.chineseMode')}</span>
            </label>
            <p className="muted small">{t('deviceSetup.chineseModeHint')}</p>
          </>
        )}
      </fieldset>

      {setup.error && <ErrorText testId="device-setup-error">{t(setup.error.key, setup.error.params)}</ErrorText>}
      {setup.saved && <SavedLine saved={setup.saved} />}
      <div className="button-row">
        <Button type="submit" tone="primary" disabled={setup.status === 'saving'}>
          {setup.status === 'saving' ? t('deviceSetup.saving') : t('deviceSetup.save')}
        </Button>
      </div>
    </form>
  );
}

function SavedLine({ saved }: { saved: DevicesStatusDto }) {
  const { t } = useI18n();
  const key = printerStateKey(saved.printer);
  return (
    <StatusText tone="success" testId="device-setup-saved">
      {key ? t('deviceSetup.savedPrinter', { printer: t(key) }) : t('deviceSetup.savedNoPrinter')}
    </StatusText>
  );
}

/** A serial port (typed, or picked from the ports found) and its baud rate: for a scanner or a printer. */
function SerialPortFields(p: {
  labels: [port: string, baud: string];
  path: string;
  baud: number;
  onPath: (path: string) => void;
  onBaud: (baud: number) => void;
  invalid: boolean;
  list: string | undefined;
  placeholder: string;
}) {
  return (
    <>
      <Field label={p.labels[0]} invalid={p.invalid}>
        <input value={p.path} onChange={(e) => p.onPath(e.target.value)} list={p.list} autoComplete="off" placeholder={p.placeholder} aria-invalid={p.invalid} />
      </Field>
      <Field label={p.labels[1]}>
        <select value={p.baud} onChange={(e) => p.onBaud(Number(e.target.value))}>
          {BAUD_RATES.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}

function Field({ label, invalid, children }: { label: string; invalid?: boolean; children: ReactNode }) {
  return (
    <label className={`field${invalid ? ' invalid' : ''}`}>
      <span>{label}</span>
      {children}
    </label>
  );
}

/** Radio buttons in a group (arrow keys move between them, as the platform does). */
function Choice<V extends string>({ name, label, value, onChange, options, legend }: { name: string; label?: string; value: V; onChange: (v: V) => void; options: [V, string][]; legend?: string }) {
  const radios = options.map(([v, label]) => (
    <label key={v} className="check">
      <input type="radio" name={name} value={v} checked={value === v} onChange={() => onChange(v)} />
      <span>{label}</span>
    </label>
  ));
  if (!legend) {
    return (
      <div className="choice-list" role="radiogroup" aria-label={label}>
        {radios}
      </div>
    );
  }
  return (
    <fieldset className="choice-list">
      <legend>{legend}</legend>
      {radios}
    </fieldset>
  );
}
