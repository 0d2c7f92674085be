import { useStore } from 'zustand';
import { createFormatter } from '../../i18n/format';
import { translator } from '../../i18n';
import type { CustomerDisplayStore } from '../../state/customer-display.store';
import { categoryKey } from '../checkout/categories';
import { TIER_KEYS } from '../reports/report-view';

/**
 * The screen facing the customer: the basket, the total, their tier, the points this sale earns
 * and (once paid) the balance, in the customer's language. Blank (a welcome) when idle.
 * Nothing personal is ever shown here.
 */
export function CustomerDisplay({ store, timeZone }: { store: CustomerDisplayStore; timeZone: string }) {
  const d = useStore(store, (s) => s.display);
  const language = d?.language ?? 'zh-Hans';
  const t = translator(language);
  const fmt = createFormatter(language, d?.currency ?? 'CNY', timeZone);
  document.documentElement.lang = language;
  if (!d || d.mode === 'idle') {
    return (
      <main className="customer customer-idle" data-testid="customer-idle" lang={language}>
        <p className="customer-welcome">{t('display.welcome')}</p>
      </main>
    );
  }
  const name = (l: { description: string | null; category: string }): string => {
    if (l.description) return l.description;
    const k = categoryKey(l.category);
    return k ? t(k) : l.category;
  };
  return (
    <main className="customer" data-testid={`customer-${d.mode}`} lang={language}>
      <section className="customer-lines" aria-label={t('display.basket')}>
        <table>
          <tbody>
            {d.lines.map((l, i) => (
              <tr key={i}>
                <td>{name(l)}</td>
                <td className="num">×{l.quantity}</td>
                <td className="num">{fmt.amount(l.amountMinor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="customer-totals" aria-label={t('display.total')}>
        {d.redeemedPoints > 0 && (
          <p>
            {t('display.pointsUsed', { points: d.redeemedPoints })} <strong>−{fmt.money(d.redeemedValueMinor)}</strong>
          </p>
        )}
        <p className="customer-pay">
          <span>{d.mode === 'done' ? t('display.paid') : t('display.toPay')}</span>
          <strong data-testid="customer-total">{fmt.money(d.paidMinor)}</strong>
        </p>
        {d.tenders.length > 0 && (
          <table className="customer-tenders" data-testid="customer-tenders" aria-label={t('display.tenders')}>
            <tbody>
              {d.tenders.map((x, i) => (
                <tr key={i}>
                  <td>{x.name}</td>
                  <td className="num">{fmt.money(x.amountMinor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {d.mode === 'payment' && d.remainingMinor !== null && d.remainingMinor > 0 && (
          <p className="customer-remaining">
            <span>{t('display.remaining')}</span> <strong data-testid="customer-remaining">{fmt.money(d.remainingMinor)}</strong>
          </p>
        )}
        {d.changeMinor > 0 && (
          <p className="customer-change">
            <span>{t('display.change')}</span> <strong data-testid="customer-change">{fmt.money(d.changeMinor)}</strong>
          </p>
        )}
        {d.member && (
          <div className="customer-member">
            <span className={`tier tier-${d.member.tier}`} data-testid="customer-tier">
              {t(TIER_KEYS[d.member.tier]!)}
            </span>
            {d.pointsEarned !== null && <p data-testid="customer-earned">{t(d.mode === 'done' ? 'display.earned' : 'display.willEarn', { points: d.pointsEarned })}</p>}
            {d.balanceAfter !== null && <p data-testid="customer-balance">{t('display.balance', { points: d.balanceAfter })}</p>}
          </div>
        )}
        {d.mode === 'done' && <p className="customer-thanks">{t('display.thanks')}</p>}
      </section>
    </main>
  );
}
