import { useEffect, useState, type FormEvent } from 'react';
import type { MemberDto } from '../../../src-shared/api/dto';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/Messages';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../state/context';
import { EMPTY_REGISTER_FORM, type RegisterForm as Form } from '../../state/members.slice';

/**
 * Register in seconds: the phone number and the terms consent are all that is needed; name,
 * birthday, referrer and a card are optional. Marketing consent is a separate box.
 */
export function RegisterForm({ prefill, onDone, onCancel }: { prefill?: Partial<Form> | null; onDone?: (m: MemberDto) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const reg = useAppStore((s) => s.members.register);
  const submit = useAppStore((s) => s.registrationSubmitted);
  const [form, setForm] = useState<Form>({ ...EMPTY_REGISTER_FORM, ...(prefill ?? {}) });
  const set = <K extends keyof Form>(k: K, v: Form[K]): void => setForm((f) => ({ ...f, [k]: v }));
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    void submit(form).then((m) => {
      if (m) onDone?.(m);
    });
  };
  const saving = reg.status === 'saving';
  return (
    <form className="register-form" onSubmit={onSubmit} aria-label={t('register.title')}>
      <div className="form-grid">
        <label className="field">
          <span>{t('register.phone')} *</span>
          <input value={form.phone} onChange={(e) => set('phone', e.target.value)} inputMode="tel" autoComplete="off" required data-autofocus autoFocus />
        </label>
        <label className="field">
          <span>{t('register.name')}</span>
          <input value={form.name} onChange={(e) => set('name', e.target.value)} autoComplete="off" maxLength={60} />
        </label>
        <label className="field">
          <span>{t('register.birthday')}</span>
          <input value={form.birthday} onChange={(e) => set('birthday', e.target.value)} placeholder={t('register.birthdayPlaceholder')} autoComplete="off" />
        </label>
        <label className="field">
          <span>{t('register.referrer')}</span>
          <input value={form.referrer} onChange={(e) => set('referrer', e.target.value)} placeholder={t('register.referrerPlaceholder')} autoComplete="off" />
        </label>
        <label className="field">
          <span>{t('register.card')}</span>
          <input value={form.cardCode} onChange={(e) => set('cardCode', e.target.value)} placeholder={t('register.cardPlaceholder')} autoComplete="off" />
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={form.consentTerms} onChange={(e) => set('consentTerms', e.target.checked)} />
        <span>{t('register.consentTerms')} *</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={form.consentMarketing} onChange={(e) => set('consentMarketing', e.target.checked)} />
        <span>{t('register.consentMarketing')}</span>
      </label>
      {reg.error && <ErrorText testId="register-error">{t(reg.error.key, reg.error.params)}</ErrorText>}
      <div className="button-row">
        <Button type="submit" tone="primary" disabled={saving} shortcut="Enter">
          {saving ? t('register.saving') : t('register.submit')}
        </Button>
        <Button onClick={onCancel} shortcut="Esc">
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}

/** Registration over the checkout screen: the new member joins the sale at once. */
export function RegisterDialog({ prefill, onClose, onRegistered }: { prefill?: Partial<Form>; onClose: () => void; onRegistered: (m: MemberDto) => void }) {
  const { t } = useI18n();
  const open = useAppStore((s) => s.registrationOpened);
  const cancel = useAppStore((s) => s.registrationCancelled);
  useEffect(() => {
    open(prefill); // once, when the dialog opens
  }, []);
  return (
    <Dialog
      title={t('register.title')}
      onClose={() => {
        cancel();
        onClose();
      }}
    >
      <RegisterForm
        prefill={prefill}
        onDone={onRegistered}
        onCancel={() => {
          cancel();
          onClose();
        }}
      />
    </Dialog>
  );
}
