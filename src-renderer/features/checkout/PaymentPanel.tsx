import { useCallback, useEffect, useMemo, useRef, type FormEvent } from 'react';
import { useCommand } from '../../app/command-bus';
import { QUICK_CASH_LABELS, SHORTCUT_LABELS } from '../../app/shortcuts';
import { Button } from '../../components/Button';
import { ErrorText } from '../../components/Messages';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../state/context';
import { activeTenders, takesReference, tenderName } from '../../state/money.slice';
import { isCash, paymentView } from '../../state/payment-view';

/**
 * The payment step, in place of the basket: tender keys (Alt+1…), the amount (it starts at what
 * is left for the chosen tender), the reference when the tender needs one (typed, or scanned:
 * a keyboard-wedge scan lands in it), quick-cash keys for the notes a customer hands over, and
 * the tenders taken so far. Every figure comes from the shared payment rules (payment-view.ts).
 */
export function PaymentPanel() {
  const { t, fmt, locale } = useI18n();
  const pay = useAppStore((s) => s.checkout.payment);
  const config = useAppStore((s) => s.money.config);
  const due = useAppStore((s) => s.checkout.preview?.paidMinor ?? 0);
  const busy = useAppStore((s) => s.checkout.submit.status === 'sending' || s.checkout.submit.status === 'unknown');
  const choose = useAppStore((s) => s.paymentTenderChosen);
  const changeAmount = useAppStore((s) => s.paymentAmountChanged);
  const changeReference = useAppStore((s) => s.paymentReferenceChanged);
  const add = useAppStore((s) => s.paymentLineAdded);
  const quickCash = useAppStore((s) => s.paymentQuickCashChosen);
  const remove = useAppStore((s) => s.paymentLineRemoved);
  const close = useAppStore((s) => s.paymentClosed);
  const amountRef = useRef<HTMLInputElement>(null);
  const referenceRef = useRef<HTMLInputElement>(null);
  const tenders = useMemo(() => activeTenders(config), [config]);
  const view = useMemo(() => (config ? paymentView(due, pay.lines, config) : null), [config, due, pay.lines]);
  const chosen = tenders.find((x) => x.code === pay.code);
  const wantsReference = takesReference(chosen);
  const cashChosen = config !== null && isCash(config, pay.code);
  const quick = cashChosen && view ? view.quickCash.slice(0, QUICK_CASH_LABELS.length) : [];

  // A tender chosen (or a line added): the reference field first when the tender needs one, else the amount.
  useEffect(() => {
    const el = wantsReference ? referenceRef.current : amountRef.current;
    el?.focus();
    if (!wantsReference) el?.select();
  }, [pay.code, pay.lines.length, wantsReference]);

  useCommand(
    useCallback(
      (c) => {
        if (c.kind === 'quickCategory') {
          const tender = tenders[c.index];
          if (tender) choose(tender.code);
        } else if (c.kind === 'quickCash') {
          const amount = quick[c.index];
          if (amount !== undefined) quickCash(amount);
        } else if (c.kind === 'escape') {
          close();
        }
      },
      [tenders, quick, choose, quickCash, close],
    ),
  );

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    add();
  };

  return (
    <section className="panel payment" aria-label={t('payment.title')} data-testid="payment-panel">
      <div className="payment-head">
        <h2>{t('payment.title')}</h2>
        <Button tone="quiet" shortcut={SHORTCUT_LABELS.escape} onClick={close} disabled={busy}>
          {t('payment.back')}
        </Button>
      </div>
      <div className="tender-keys" role="group" aria-label={t('payment.tenders')}>
        {tenders.map((tender, i) => (
          <button
            key={tender.code}
            type="button"
            className={`tender-key${pay.code === tender.code ? ' selected' : ''}`}
            aria-pressed={pay.code === tender.code}
            aria-keyshortcuts={i < 9 ? `Alt+${i + 1}` : undefined}
            disabled={busy}
            onClick={() => choose(tender.code)}
            data-testid={`tender-${tender.code}`}
          >
            <span>{tender.names[locale]}</span>
            {i < 9 && <kbd className="kbd">Alt+{i + 1}</kbd>}
          </button>
        ))}
      </div>

      {chosen ? (
        <form className="payment-entry" onSubmit={onSubmit} aria-label={t('payment.entry', { tender: chosen.names[locale] })}>
          <label className="field amount-field">
            <span>{t(cashChosen ? 'payment.cashHanded' : 'payment.amountFor', { tender: chosen.names[locale] })}</span>
            <input id="payment-amount" ref={amountRef} inputMode="decimal" autoComplete="off" value={pay.amount} onChange={(e) => changeAmount(e.target.value)} disabled={busy} />
          </label>
          {wantsReference && (
            <label className="field grow">
              <span>
                {chosen.referenceLabel?.[locale] ?? t('payment.reference')}
                {chosen.referenceRequired ? ' *' : ''}
              </span>
              <input
                id="payment-reference"
                ref={referenceRef}
                autoComplete="off"
                maxLength={64}
                value={pay.reference}
                onChange={(e) => changeReference(e.target.value)}
                disabled={busy}
                placeholder={t('payment.referencePlaceholder')}
              />
            </label>
          )}
          <Button type="submit" tone="primary" shortcut="Enter" disabled={busy} data-testid="payment-add">
            {t('payment.add')}
          </Button>
        </form>
      ) : (
        <p className="muted hint">{t(view?.settled ? 'payment.settledHint' : 'payment.chooseHint')}</p>
      )}

      {quick.length > 0 && (
        <div className="quick-cash" role="group" aria-label={t('payment.quickCash')}>
          {quick.map((amount, i) => (
            <button key={amount} type="button" className="quick-cash-key" aria-keyshortcuts={QUICK_CASH_LABELS[i]} disabled={busy} onClick={() => quickCash(amount)} data-testid={`quick-cash-${i}`}>
              <span>{fmt.money(amount)}</span>
              <kbd className="kbd">{QUICK_CASH_LABELS[i]}</kbd>
            </button>
          ))}
        </div>
      )}

      {pay.error && <ErrorText testId="payment-error">{t(pay.error.key, pay.error.params)}</ErrorText>}
      {view?.error && !pay.error && <ErrorText testId="payment-error">{t(view.error.key, view.error.params)}</ErrorText>}

      {pay.lines.length > 0 && (
        <table className="lines payment-lines" aria-label={t('payment.taken')} data-testid="payment-lines">
          <tbody>
            {pay.lines.map((l, i) => {
              const name = tenderName(config, l.code, locale);
              return (
                <tr key={`${l.code}-${i}`}>
                  <td>
                    {name}
                    {l.reference && <div className="muted small">{l.reference}</div>}
                  </td>
                  <td className="num">{fmt.money(l.amountMinor)}</td>
                  <td>
                    <button type="button" className="remove-btn" aria-label={t('payment.remove', { tender: name, amount: fmt.money(l.amountMinor) })} disabled={busy} onClick={() => remove(i)}>
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
