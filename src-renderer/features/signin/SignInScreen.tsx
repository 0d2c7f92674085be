import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button } from '../../components/Button';
import { ErrorText, StatusText } from '../../components/Messages';
import { PinPad } from '../../components/PinPad';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../state/context';

/** Pick yourself, type your PIN. After an idle lock, the person who was signed in is picked already. */
export function SignInScreen() {
  const { t } = useI18n();
  const staffList = useAppStore((s) => s.session.staffList);
  const status = useAppStore((s) => s.session.status);
  const error = useAppStore((s) => s.session.error);
  const lockedFor = useAppStore((s) => s.session.lockedFor);
  const hasSale = useAppStore((s) => s.checkout.lines.length > 0);
  const signIn = useAppStore((s) => s.staffSignInSubmitted);
  const [staffId, setStaffId] = useState(lockedFor?.id ?? '');
  const [pin, setPin] = useState('');
  const pinRef = useRef<HTMLInputElement>(null);
  const busy = status === 'signingIn' || status === 'loading';

  useEffect(() => {
    if (lockedFor) setStaffId(lockedFor.id);
  }, [lockedFor]);
  useEffect(() => {
    if (staffId) pinRef.current?.focus();
  }, [staffId]);

  const submit = (e?: FormEvent): void => {
    e?.preventDefault();
    void signIn(staffId, pin).then(() => setPin(''));
  };

  return (
    <form className="panel signin" onSubmit={submit} aria-label={t('signin.title')}>
      <h1>{t('signin.title')}</h1>
      {lockedFor && <StatusText tone="warning">{t('signin.locked', { name: lockedFor.name })}</StatusText>}
      {hasSale && <StatusText>{t('signin.saleKept')}</StatusText>}
      <fieldset className="staff-pick">
        <legend>{t('signin.who')}</legend>
        <div className="staff-grid">
          {staffList.map((s) => (
            <button
              key={s.id}
              type="button"
              className={`staff-button${staffId === s.id ? ' selected' : ''}`}
              aria-pressed={staffId === s.id}
              onClick={() => setStaffId(s.id)}
              disabled={busy}
            >
              <span className="staff-name">{s.name}</span>
              <span className="muted">{t(s.role === 'manager' ? 'role.manager' : 'role.cashier')}</span>
            </button>
          ))}
        </div>
      </fieldset>
      <PinPad
        ref={pinRef}
        value={pin}
        onChange={setPin}
        onSubmit={() => submit()}
        label={t('signin.pin')}
        clearLabel={t('pinpad.clear')}
        backLabel={t('pinpad.back')}
        keypadLabel={t('pinpad.keypad')}
        disabled={busy}
      />
      <Button type="submit" tone="primary" size="large" disabled={busy} shortcut="Enter">
        {status === 'signingIn' ? t('signin.signingIn') : t('signin.submit')}
      </Button>
      {error && <ErrorText>{t(error.key, error.params)}</ErrorText>}
    </form>
  );
}
