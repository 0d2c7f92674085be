import { useState } from 'react';
import { Button } from '../../components/Button';
import { ErrorText, StatusText, TierBadge } from '../../components/Messages';
import { describeError, type UiError } from '../../i18n/errors';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore, useAppStoreApi } from '../../state/context';
import { tenderName } from '../../state/money.slice';
import { categoryKey } from './categories';
import { bonusKey } from './checkout-view';
import { TIER_KEYS } from './MemberPanel';

/** The sale just completed, as the core recorded it: receipt number, lines, money and points. */
export function ReceiptSummary() {
  const { t, fmt, locale } = useI18n();
  const sale = useAppStore((s) => s.checkout.sale);
  const config = useAppStore((s) => s.money.config);
  // The sale keeps one cash line (what was handed over, less the change): settleSale merges handovers.
  const cash = sale?.tenders.find((x) => x.kind === 'cash') ?? null;
  const store = useAppStoreApi();
  const [reprint, setReprint] = useState<{ status: 'idle' | 'sent' | 'error'; error: UiError | null }>({ status: 'idle', error: null });
  if (!sale) return null;
  const label = (c: string): string => {
    const k = categoryKey(c);
    return k ? t(k) : c;
  };
  const doReprint = async (): Promise<void> => {
    try {
      await store.getState().reprintRequested(sale.receiptNo);
      setReprint({ status: 'sent', error: null });
    } catch (e) {
      setReprint({ status: 'error', error: describeError(e) });
    }
  };
  return (
    <section className="panel receipt" aria-label={t('receipt.title')} data-testid="receipt">
      <h2>
        {t('receipt.title')} <span data-testid="receipt-no">{sale.receiptNo}</span>
      </h2>
      <p className="muted">
        {fmt.dateTime(sale.createdAt)}
        {sale.offline && ` · ${t('receipt.offline')}`}
        {sale.replayed && ` · ${t('receipt.replayed')}`}
      </p>
      <table className="lines">
        <tbody>
          {sale.lines.map((l) => (
            <tr key={l.lineNo}>
              <td>{l.description || label(l.category)}</td>
              <td className="num">×{l.quantity}</td>
              <td className="num">{fmt.amount(l.grossMinor)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="total-rows">
        <div>
          <dt>{t('checkout.gross')}</dt>
          <dd>{fmt.money(sale.grossMinor)}</dd>
        </div>
        {sale.redeemedPoints > 0 && (
          <div>
            <dt>{t('checkout.pointsUsed', { points: sale.redeemedPoints })}</dt>
            <dd data-testid="receipt-redeemed">−{fmt.money(sale.redeemedValueMinor)}</dd>
          </div>
        )}
        <div className="total-pay">
          <dt>{t('receipt.paid')}</dt>
          <dd data-testid="receipt-paid">{fmt.money(sale.paidMinor)}</dd>
        </div>
      </dl>
      {sale.tenders.length > 0 && (
        <table className="lines receipt-tenders" aria-label={t('receipt.tenders')} data-testid="receipt-tenders">
          <caption className="visually-hidden">{t('receipt.tenders')}</caption>
          <tbody>
            {sale.tenders.map((tender) => (
              <tr key={tender.tenderNo} data-testid={`receipt-tender-${tender.code}`}>
                <td>
                  {tenderName(config, tender.code, locale)}
                  {tender.reference && <span className="muted small"> {tender.reference}</span>}
                </td>
                <td className="num">{fmt.money(tender.amountMinor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cash && (
        <dl className="total-rows">
          <div>
            <dt>{t('receipt.cashTendered')}</dt>
            <dd data-testid="receipt-cash-tendered">{fmt.money(cash.tenderedMinor)}</dd>
          </div>
          <div>
            <dt>{t('receipt.change')}</dt>
            <dd data-testid="receipt-change">{fmt.money(sale.changeMinor)}</dd>
          </div>
          {sale.roundingMinor !== 0 && (
            <div>
              <dt>{t('payment.rounding')}</dt>
              <dd data-testid="receipt-rounding">{fmt.money(sale.roundingMinor)}</dd>
            </div>
          )}
        </dl>
      )}
      {sale.member ? (
        <div className="receipt-points">
          <p>
            {sale.tierAtSale && <TierBadge tier={sale.tierAtSale} label={t(TIER_KEYS[sale.tierAtSale])} />}{' '}
            <span data-testid="receipt-earned">{t('receipt.earned', { points: sale.earnedPoints })}</span>
          </p>
          <ul>
            {sale.bonuses.map((b, i) => (
              <li key={`${b.reason}-${i}`} className="note note-success">
                {t(bonusKey(b.reason), { points: b.points, name: '' })}
              </li>
            ))}
            {sale.cappedPoints > 0 && <li className="note note-warning">{t('earn.capped', { points: sale.cappedPoints })}</li>}
          </ul>
          {sale.balanceAfter !== null && (
            <p className="balance-after" data-testid="receipt-balance">
              {t('receipt.balanceAfter', { points: sale.balanceAfter })}
            </p>
          )}
        </div>
      ) : (
        <p className="muted">{t('receipt.guest')}</p>
      )}
      <div className="button-row">
        <Button onClick={() => void doReprint()}>{t('receipt.reprint')}</Button>
      </div>
      {reprint.status === 'sent' && <StatusText tone="success">{t('receipt.reprintSent')}</StatusText>}
      {reprint.error && <ErrorText>{t(reprint.error.key, reprint.error.params)}</ErrorText>}
    </section>
  );
}
