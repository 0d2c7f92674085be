import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button } from '../../components/Button';
import { ErrorText, StatusText } from '../../components/Messages';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../state/context';
import { tenderName } from '../../state/money.slice';
import { hasNonCashTender, refundableQuantity, refundLinesOf } from '../../state/refund.slice';
import { categoryKey } from './categories';

/** Refund a past receipt by line: find it by number (or pick a recent one), choose quantities, refund. */
export function RefundScreen() {
  const { t, fmt, locale } = useI18n();
  const r = useAppStore((s) => s.refund);
  const config = useAppStore((s) => s.money.config);
  const changeToCash = useAppStore((s) => s.refundToCashChanged);
  const changeReason = useAppStore((s) => s.refundReasonChanged);
  const reasonRef = useRef<HTMLInputElement>(null);
  const askReason = (r.needs.reason || r.needs.approval) && r.reason.trim() === '';
  // The core asked for a reason (or a manager): the reason field takes the focus.
  useEffect(() => {
    if (askReason) reasonRef.current?.focus();
  }, [askReason]);
  const lookUp = useAppStore((s) => s.refundReceiptLookedUp);
  const changeQty = useAppStore((s) => s.refundQuantityChanged);
  const all = useAppStore((s) => s.refundAllChosen);
  const submit = useAppStore((s) => s.refundSubmitted);
  const clear = useAppStore((s) => s.refundCleared);
  const [receipt, setReceipt] = useState('');
  const label = (c: string): string => {
    const k = categoryKey(c);
    return k ? t(k) : c;
  };
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    void lookUp(receipt);
  };
  const chosen = refundLinesOf(r.quantities);
  return (
    <div className="refund">
      <section className="panel" aria-label={t('refund.find')}>
        <form className="lookup-form" onSubmit={onSubmit}>
          <label className="field grow">
            <span>{t('refund.receiptNo')}</span>
            <input id="refund-receipt" value={receipt} onChange={(e) => setReceipt(e.target.value)} autoComplete="off" autoFocus />
          </label>
          <Button type="submit" tone="primary" shortcut="Enter">
            {t('refund.lookUp')}
          </Button>
        </form>
        {r.recent.length > 0 && (
          <div className="recent">
            <h3>{t('refund.recent')}</h3>
            <ul className="chips">
              {r.recent.map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    className="chip"
                    onClick={() => {
                      setReceipt(s.receiptNo);
                      void lookUp(s.receiptNo);
                    }}
                  >
                    {s.receiptNo} · {fmt.money(s.paidMinor)}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        {r.status === 'loading' && <StatusText>{t('refund.loading')}</StatusText>}
        {r.error && <ErrorText testId="refund-error">{t(r.error.key, r.error.params)}</ErrorText>}
      </section>

      {r.sale && (
        <section className="panel" aria-label={t('refund.sale', { receipt: r.sale.receiptNo })}>
          <h2>{t('refund.sale', { receipt: r.sale.receiptNo })}</h2>
          <p className="muted">
            {fmt.dateTime(r.sale.createdAt)} · {r.sale.member ? `${r.sale.member.maskedName ?? ''} ${r.sale.member.maskedPhone ?? ''}` : t('receipt.guest')} ·{' '}
            {t('refund.paid', { amount: fmt.money(r.sale.paidMinor) })}
            {r.sale.tenders.length > 0 && (
              <span data-testid="refund-sale-tenders">
                {' · '}
                {t('refund.paidWith', { tenders: r.sale.tenders.map((x) => `${tenderName(config, x.code, locale)} ${fmt.money(x.amountMinor)}`).join(', ') })}
              </span>
            )}
          </p>
          <table className="lines" aria-label={t('refund.lines')}>
            <thead>
              <tr>
                <th scope="col">{t('checkout.item')}</th>
                <th scope="col" className="num">
                  {t('refund.sold')}
                </th>
                <th scope="col" className="num">
                  {t('refund.alreadyRefunded')}
                </th>
                <th scope="col" className="num">
                  {t('refund.paidLine')}
                </th>
                <th scope="col" className="num">
                  {t('refund.toRefund')}
                </th>
              </tr>
            </thead>
            <tbody>
              {r.sale.lines.map((l) => {
                const left = refundableQuantity(l);
                const name = l.description || label(l.category);
                return (
                  <tr key={l.lineNo}>
                    <td>{name}</td>
                    <td className="num">{l.quantity}</td>
                    <td className="num">{l.refundedQuantity}</td>
                    <td className="num">{fmt.amount(l.paidMinor)}</td>
                    <td className="num">
                      <input
                        className="qty-input"
                        type="number"
                        min={0}
                        max={left}
                        value={r.quantities[l.lineNo] ?? 0}
                        disabled={left === 0 || r.status === 'done' || r.status === 'sending'}
                        onChange={(e) => changeQty(l.lineNo, Number(e.target.value))}
                        aria-label={t('refund.qtyFor', { item: name })}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {r.status !== 'done' ? (
            <form
              className="refund-options"
              onSubmit={(e) => {
                e.preventDefault();
                void submit();
              }}
            >
              {hasNonCashTender(r.sale) && (
                <label className="check">
                  <input type="checkbox" checked={r.toCash} onChange={(e) => changeToCash(e.target.checked)} disabled={r.status === 'sending'} data-testid="refund-to-cash" />
                  <span>{t('refund.toCash')}</span>
                </label>
              )}
              <label className={`field${askReason ? ' invalid' : ''}`}>
                <span>
                  {t('refund.reason')}
                  {r.needs.reason || r.needs.approval ? ' *' : ''}
                </span>
                <input ref={reasonRef} value={r.reason} maxLength={200} autoComplete="off" onChange={(e) => changeReason(e.target.value)} disabled={r.status === 'sending'} data-testid="refund-reason" />
              </label>
              {r.needs.approval && <StatusText tone="warning" testId="refund-needs-approval">{t('refund.needsApproval')}</StatusText>}
              <div className="button-row">
                <Button onClick={all}>{t('refund.all')}</Button>
                <Button type="submit" tone="danger" size="large" shortcut="Enter" disabled={chosen.length === 0 || r.status === 'sending'} data-testid="refund-submit">
                  {r.status === 'sending' ? t('refund.sending') : r.needs.approval ? t('refund.askManager') : t('refund.submit', { lines: chosen.length })}
                </Button>
              </div>
            </form>
          ) : (
            r.result && (
              <div className="refund-result" data-testid="refund-result">
                <StatusText tone="success">
                  {t('refund.done', { amount: fmt.money(r.result.refundMinor) })}
                </StatusText>
                {r.result.tenders.length > 0 && (
                  <table className="lines refund-tenders" aria-label={t('refund.moneyBack')} data-testid="refund-tenders">
                    <caption className="visually-hidden">{t('refund.moneyBack')}</caption>
                    <tbody>
                      {r.result.tenders.map((x, i) => (
                        <tr key={`${x.tenderNo}-${i}`} data-testid={`refund-tender-${x.code}`}>
                          <td>
                            {x.kind === 'cash' ? t('refund.cashOut') : t('refund.backTo', { tender: tenderName(config, x.code, locale) })}
                            {x.reference && <span className="muted small"> {x.reference}</span>}
                          </td>
                          <td className="num">{fmt.money(x.amountMinor)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                {r.result.approvedBy && <p className="muted">{t('refund.approvedReason', { reason: r.result.reason ?? '' })}</p>}
                <ul>
                  {r.result.reverseEarnedPoints > 0 && <li>{t('refund.pointsTaken', { points: r.result.reverseEarnedPoints })}</li>}
                  {r.result.returnRedeemedPoints > 0 && <li>{t('refund.pointsReturned', { points: r.result.returnRedeemedPoints })}</li>}
                  {r.result.balanceAfter !== null && <li data-testid="refund-balance">{t('receipt.balanceAfter', { points: r.result.balanceAfter })}</li>}
                  {r.result.balanceAfter !== null && r.result.balanceAfter < 0 && <li className="note note-warning">{t('refund.negative')}</li>}
                </ul>
                <Button
                  onClick={() => {
                    setReceipt('');
                    clear();
                  }}
                >
                  {t('refund.another')}
                </Button>
              </div>
            )
          )}
        </section>
      )}
    </div>
  );
}
