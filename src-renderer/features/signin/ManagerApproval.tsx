import { useState } from 'react';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorText } from '../../components/Messages';
import { PinPad } from '../../components/PinPad';
import { useI18n } from '../../i18n/use-i18n';
import { managersOf } from '../../state/approval.slice';
import { useAppStore } from '../../state/context';

/**
 * The manager PIN prompt used for every override: a manager picks themselves and types their
 * PIN; the approval `{ staffId, pin }` goes with the call that needs it (the core checks it and
 * audits the override). Wrong PINs keep the prompt open with the reason.
 */
export function ManagerApproval() {
  const prompt = useAppStore((s) => s.approval);
  if (!prompt) return null;
  return <ApprovalDialog />;
}

function ApprovalDialog() {
  const { t } = useI18n();
  const prompt = useAppStore((s) => s.approval)!;
  const staffList = useAppStore((s) => s.session.staffList);
  const submit = useAppStore((s) => s.approvalSubmitted);
  const cancel = useAppStore((s) => s.approvalCancelled);
  const managers = managersOf(staffList);
  const [staffId, setStaffId] = useState(managers.length === 1 ? managers[0]!.id : '');
  const [pin, setPin] = useState('');
  const go = (): void => {
    void submit(staffId, pin).then(() => setPin(''));
  };
  return (
    <Dialog title={t('approval.title')} onClose={cancel} className="approval-dialog">
      <p className="approval-purpose" data-testid="approval-purpose">
        {t(prompt.purpose, prompt.params)}
      </p>
      <label className="field">
        <span>{t('approval.manager')}</span>
        <select value={staffId} onChange={(e) => setStaffId(e.target.value)} disabled={prompt.busy} data-autofocus={managers.length !== 1 ? true : undefined}>
          <option value="">{t('approval.chooseManager')}</option>
          {managers.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <PinPad value={pin} onChange={setPin} onSubmit={go} autoFocus={managers.length === 1} label={t('approval.pin')} clearLabel={t('pinpad.clear')} backLabel={t('pinpad.back')} keypadLabel={t('pinpad.keypad')} disabled={prompt.busy} />
      {prompt.error && <ErrorText>{t(prompt.error.key, prompt.error.params)}</ErrorText>}
      <div className="button-row">
        <Button tone="primary" onClick={go} disabled={prompt.busy} shortcut="Enter">
          {t('approval.approve')}
        </Button>
        <Button onClick={cancel} shortcut="Esc">
          {t('common.cancel')}
        </Button>
      </div>
    </Dialog>
  );
}
