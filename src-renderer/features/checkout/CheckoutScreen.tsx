import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useCommand } from '../../app/command-bus';
import { SHORTCUT_LABELS } from '../../app/shortcuts';
import { Button } from '../../components/Button';
import { ErrorText, StatusText } from '../../components/Messages';
import { localError } from '../../i18n/errors';
import { minorToDecimalString, parseMoneyInput, parsePointsInput } from '../../i18n/format';
import { useI18n } from '../../i18n/use-i18n';
import type { DraftLine } from '../../state/checkout.slice';
import { useAppStore } from '../../state/context';
import { paymentsAtTill } from '../../state/money.slice';
import { paymentView } from '../../state/payment-view';
import { categoryKey, QUICK_CATEGORIES } from './categories';
import { earnedTotal, earnRows, redeemLimitKey } from './checkout-view';
import { MemberPanel } from './MemberPanel';
import { PaymentPanel } from './PaymentPanel';
import { ReceiptSummary } from './ReceiptSummary';

/** The counter: member on the left, basket in the middle, totals and Complete on the right. */
export function CheckoutScreen() {
  const phase = useAppStore((s) => s.checkout.phase);
  const paying = useAppStore((s) => s.checkout.payment.open);
  return (
    <div className="checkout">
      <div className="checkout-left">
        <MemberPanel />
      </div>
      <div className="checkout-mid">{phase === 'done' ? <ReceiptSummary /> : paying ? <PaymentPanel /> : <Basket />}</div>
      <div className="checkout-right">{phase === 'done' ? <NextCustomer /> : <Totals />}</div>
    </div>
  );
}

function useCategoryLabel(): (category: string) => string {
  const { t } = useI18n();
  return useCallback(
    (category: string) => {
      const k = categoryKey(category);
      return k ? t(k) : category;
    },
    [t],
  );
}

export function lineLabel(l: Pick<DraftLine, 'description' | 'category'>, label: (c: string) => string): string {
  return l.description ? l.description : label(l.category);
}

function Basket() {
  const { t, fmt } = useI18n();
  const lines = useAppStore((s) => s.checkout.lines);
  const error = useAppStore((s) => s.checkout.error);
  const changeQty = useAppStore((s) => s.lineQuantityChanged);
  const remove = useAppStore((s) => s.lineRemoved);
  const clear = useAppStore((s) => s.basketCleared);
  const label = useCategoryLabel();
  return (
    <section className="panel basket" aria-label={t('checkout.basket')}>
      <AddLine />
      {error && <ErrorText testId="checkout-error">{t(error.key, error.params)}</ErrorText>}
      {lines.length === 0 ? (
        <p className="muted hint">{t('checkout.basketEmpty')}</p>
      ) : (
        <table className="lines" aria-label={t('checkout.lines')}>
          <thead>
            <tr>
              <th scope="col">{t('checkout.item')}</th>
              <th scope="col" className="num">
                {t('checkout.qty')}
              </th>
              <th scope="col" className="num price-col">
                {t('checkout.price')}
              </th>
              <th scope="col" className="num">
                {t('checkout.lineTotal')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('checkout.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.lineNo}>
                <td>
                  {lineLabel(l, label)}
                  {l.sku && <div className="muted small">{l.sku}</div>}
                </td>
                <td className="num qty-cell">
                  <button type="button" className="qty-btn" aria-label={t('checkout.qtyDown')} onClick={() => (l.quantity > 1 ? changeQty(l.lineNo, l.quantity - 1) : remove(l.lineNo))}>
                    −
                  </button>
                  <span className="qty">{l.quantity}</span>
                  <button type="button" className="qty-btn" aria-label={t('checkout.qtyUp')} onClick={() => changeQty(l.lineNo, l.quantity + 1)}>
                    +
                  </button>
                </td>
                <td className="num price-col">{fmt.amount(l.unitPriceMinor)}</td>
                <td className="num">{fmt.amount(l.unitPriceMinor * l.quantity)}</td>
                <td>
                  <button type="button" className="remove-btn" aria-label={t('checkout.removeLine', { item: lineLabel(l, label) })} onClick={() => remove(l.lineNo)}>
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {lines.length > 0 && (
        <div className="button-row end">
          <Button tone="quiet" onClick={clear}>
            {t('checkout.clearBasket')}
          </Button>
        </div>
      )}
    </section>
  );
}

/**
 * Quick amount: type the amount (F3), then Enter for the highlighted category or Alt+1...9 for
 * another. A product barcode scanned at the member field lands here as the SKU, waiting for its price.
 */
function AddLine() {
  const { t, fmt } = useI18n();
  const add = useAppStore((s) => s.lineAdded);
  const productCode = useAppStore((s) => s.checkout.productCode);
  const productKnown = useAppStore((s) => s.checkout.productKnown);
  const dismissProduct = useAppStore((s) => s.checkoutLookupDismissed);
  const [amount, setAmount] = useState('');
  const [qty, setQty] = useState('1');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState<string>(QUICK_CATEGORIES[0]);
  const [error, setError] = useState<ReturnType<typeof localError> | null>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const label = useCategoryLabel();

  useEffect(() => {
    if (!productCode) return;
    // A barcode the till has sold before: its last price, category and name, for the cashier to confirm.
    if (productKnown) {
      setAmount(minorToDecimalString(productKnown.unitPriceMinor, fmt.minorDigits));
      setCategory(productKnown.category);
      setDescription(productKnown.description ?? '');
      setQty('1');
    }
    amountRef.current?.focus();
    amountRef.current?.select();
  }, [productCode, productKnown, fmt.minorDigits]);

  const commit = useCallback(
    (cat: string): void => {
      const minor = parseMoneyInput(amount, fmt.minorDigits);
      if (minor === null || minor <= 0) {
        setError(localError('checkout.amountInvalid'));
        amountRef.current?.focus();
        return;
      }
      const quantity = Number(qty);
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > 9999) {
        setError(localError('checkout.quantityInvalid'));
        return;
      }
      setError(null);
      add({ category: cat, description: description.trim() || null, sku: productCode, quantity, unitPriceMinor: minor });
      setAmount('');
      setQty('1');
      setDescription('');
      setCategory(cat);
      amountRef.current?.focus();
    },
    [amount, qty, description, productCode, add, fmt.minorDigits],
  );

  useCommand(
    useCallback(
      (c) => {
        if (c.kind !== 'quickCategory') return;
        const cat = QUICK_CATEGORIES[c.index];
        if (!cat) return;
        if (amount.trim()) commit(cat);
        else {
          setCategory(cat);
          amountRef.current?.focus();
        }
      },
      [amount, commit],
    ),
  );

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    commit(category);
  };

  return (
    <form className="add-line" onSubmit={onSubmit} aria-label={t('checkout.addLine')}>
      {productCode && (
        <StatusText tone="warning" testId="product-code">
          {t(productKnown ? 'checkout.productKnown' : 'checkout.productScanned', { code: productCode })}{' '}
          <button type="button" className="link" onClick={dismissProduct}>
            {t('common.cancel')}
          </button>
        </StatusText>
      )}
      <div className="add-line-fields">
        <label className="field amount-field">
          <span>
            {t('checkout.amount')} <kbd className="kbd">{SHORTCUT_LABELS.amount}</kbd>
          </span>
          <input id="amount-input" ref={amountRef} inputMode="decimal" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="0.00" />
        </label>
        <label className="field qty-field">
          <span>{t('checkout.qty')}</span>
          <input inputMode="numeric" autoComplete="off" value={qty} onChange={(e) => setQty(e.target.value.replace(/\D/g, ''))} />
        </label>
        <label className="field grow">
          <span>{t('checkout.description')}</span>
          <input autoComplete="off" value={description} maxLength={120} onChange={(e) => setDescription(e.target.value)} placeholder={t('checkout.descriptionPlaceholder')} />
        </label>
        <Button type="submit" tone="primary" shortcut="Enter">
          {t('checkout.add')}
        </Button>
      </div>
      <div className="categories" role="group" aria-label={t('checkout.categories')}>
        {QUICK_CATEGORIES.map((c, i) => (
          <button
            key={c}
            type="button"
            className={`category${category === c ? ' selected' : ''}`}
            aria-pressed={category === c}
            aria-keyshortcuts={i < 9 ? `Alt+${i + 1}` : undefined}
            onClick={() => (amount.trim() ? commit(c) : setCategory(c))}
          >
            <span>{label(c)}</span>
            {i < 9 && <kbd className="kbd">Alt+{i + 1}</kbd>}
          </button>
        ))}
      </div>
      {error && <ErrorText>{t(error.key, error.params)}</ErrorText>}
    </form>
  );
}

function Totals() {
  const { t, fmt } = useI18n();
  const c = useAppStore((s) => s.checkout);
  const campaignNames = useAppStore((s) => s.terminal.campaignNames);
  const complete = useAppStore((s) => s.saleCompleted);
  const retry = useAppStore((s) => s.saleRetried);
  const money = useAppStore((s) => s.money);
  const p = c.preview;
  const sending = c.submit.status === 'sending';
  const takesMoney = paymentsAtTill(money);
  const pay = takesMoney && money.config && p && (c.payment.open || c.payment.lines.length > 0) ? paymentView(p.paidMinor, c.payment.lines, money.config) : null;
  return (
    <section className="panel totals" aria-label={t('checkout.totals')} aria-busy={c.previewStatus === 'loading'}>
      <dl className="total-rows">
        <div>
          <dt>{t('checkout.gross')}</dt>
          <dd data-testid="total-gross">{fmt.money(p?.grossMinor ?? 0)}</dd>
        </div>
        {p && p.redeemedPoints > 0 && (
          <div>
            <dt>{t('checkout.pointsUsed', { points: p.redeemedPoints })}</dt>
            <dd data-testid="total-redeemed">−{fmt.money(p.redeemedValueMinor)}</dd>
          </div>
        )}
        <div className="total-pay">
          <dt>{t('checkout.toPay')}</dt>
          <dd data-testid="total-pay">{fmt.money(p?.paidMinor ?? 0)}</dd>
        </div>
      </dl>

      {pay && (
        <dl className="total-rows payment-rows" aria-label={t('payment.figures')} aria-live="polite">
          <div>
            <dt>{t('payment.taken')}</dt>
            <dd data-testid="payment-taken">{fmt.money(pay.takenMinor)}</dd>
          </div>
          {!pay.settled && (
            <div className="payment-left">
              <dt>{t('payment.left')}</dt>
              <dd data-testid="payment-remaining">{fmt.money(pay.remainingMinor)}</dd>
            </div>
          )}
          {!pay.settled && pay.cashRemainingMinor !== pay.remainingMinor && (
            <div>
              <dt>{t('payment.leftInCash')}</dt>
              <dd data-testid="payment-cash-remaining">{fmt.money(pay.cashRemainingMinor)}</dd>
            </div>
          )}
          {pay.roundingMinor !== 0 && (
            <div>
              <dt>{t('payment.rounding')}</dt>
              <dd data-testid="payment-rounding">{fmt.money(pay.roundingMinor)}</dd>
            </div>
          )}
          {pay.settled && (
            <div className="payment-change">
              <dt>{t('payment.change')}</dt>
              <dd data-testid="payment-change">{fmt.money(pay.changeMinor)}</dd>
            </div>
          )}
        </dl>
      )}

      {c.member && (c.member.status === 'active' || c.member.status === 'blocked') && !c.payment.open && <Redeem />}

      {p?.earn && (
        <div className="earn" aria-label={t('checkout.earnPreview')} data-testid="earn-preview">
          <h3>{t('checkout.earnTitle', { points: earnedTotal(p) })}</h3>
          <ul>
            {earnRows(p).map((r, i) => (
              <li key={`${r.key}-${i}`} className={`note note-${r.tone ?? 'info'}`}>
                {t(r.key, r.key === 'earn.campaign' ? { ...r.params, name: campaignNames[String(r.params.name)] ?? String(r.params.name) } : r.params)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {!c.member && c.lines.length > 0 && <p className="muted hint">{t('checkout.guestSale')}</p>}

      {c.submit.status === 'unknown' && (
        <div className="unknown-outcome" role="alert" data-testid="sale-unknown">
          <p>{t(c.submit.error?.key ?? 'checkout.linkLost', c.submit.error?.params)}</p>
          <p>{t('checkout.retrySafe')}</p>
          <Button tone="primary" size="large" onClick={() => void retry()} shortcut={SHORTCUT_LABELS.complete}>
            {t('checkout.retry')}
          </Button>
        </div>
      )}
      {c.submit.status === 'failed' && c.submit.error && <ErrorText testId="sale-error">{t(c.submit.error.key, c.submit.error.params)}</ErrorText>}
      {c.submit.status !== 'unknown' && (
        <Button
          tone="primary"
          size="large"
          className="complete-btn"
          shortcut={SHORTCUT_LABELS.complete}
          disabled={sending || c.lines.length === 0 || (pay !== null && c.payment.open && !pay.settled)}
          onClick={() => void complete()}
          data-testid="complete-sale"
        >
          {sending
            ? t('checkout.completing')
            : takesMoney && !c.payment.open
              ? t('payment.take', { amount: fmt.money(p?.paidMinor ?? 0) })
              : t('checkout.complete', { amount: fmt.money(p?.paidMinor ?? 0) })}
        </Button>
      )}
    </section>
  );
}

function Redeem() {
  const { t, fmt } = useI18n();
  const c = useAppStore((s) => s.checkout);
  const change = useAppStore((s) => s.redeemChanged);
  const max = useAppStore((s) => s.redeemMaxChosen);
  const [text, setText] = useState(c.redeemPoints ? String(c.redeemPoints) : '');
  useEffect(() => {
    setText(c.redeemPoints ? String(c.redeemPoints) : '');
  }, [c.redeemPoints]);
  const m = c.preview?.maxRedeem;
  const commit = (): void => {
    const points = text.trim() === '' ? 0 : parsePointsInput(text);
    if (points === null) change(-1);
    else if (points !== c.redeemPoints) change(points);
  };
  return (
    <div className="redeem" aria-label={t('checkout.redeem')}>
      <form
        className="redeem-row"
        onSubmit={(e) => {
          e.preventDefault();
          commit();
        }}
      >
        <label className="field">
          <span>
            {t('checkout.redeemPoints')} <kbd className="kbd">{SHORTCUT_LABELS.redeem}</kbd>
          </span>
          <input id="redeem-input" inputMode="numeric" autoComplete="off" value={text} onChange={(e) => setText(e.target.value)} onBlur={commit} placeholder="0" />
        </label>
        <Button onClick={max} disabled={!m || m.points === 0} shortcut={SHORTCUT_LABELS.redeemMax} data-testid="redeem-max">
          {t('checkout.useMax')}
        </Button>
      </form>
      {m && (
        <p className="muted" data-testid="redeem-max-hint">
          {t('checkout.maxRedeem', { points: m.points, value: fmt.money(m.valueMinor) })} · {t(redeemLimitKey(m.limitedBy))}
        </p>
      )}
      {c.preview?.riskHold && c.redeemPoints > 0 && <StatusText tone="warning">{t('checkout.riskHold')}</StatusText>}
      {c.previewError && <ErrorText testId="redeem-error">{t(c.previewError.key, c.previewError.params)}</ErrorText>}
    </div>
  );
}

function NextCustomer() {
  const { t, fmt } = useI18n();
  const next = useAppStore((s) => s.nextCustomerRequested);
  const change = useAppStore((s) => s.checkout.sale?.changeMinor ?? 0);
  // Focus stays in the member field: scanning the next customer's card starts the next sale.
  useEffect(() => {
    document.getElementById('member-query')?.focus();
  }, []);
  return (
    <section className="panel totals" aria-label={t('checkout.done')}>
      <StatusText tone="success" testId="sale-done">
        {t('checkout.saleDone')}
      </StatusText>
      {change > 0 && (
        <p className="give-change" data-testid="done-change">
          {t('payment.giveChange', { amount: fmt.money(change) })}
        </p>
      )}
      <Button
        tone="primary"
        size="large"
        className="complete-btn"
        shortcut={`${SHORTCUT_LABELS.complete} / ${SHORTCUT_LABELS.nextCustomer}`}
        onClick={() => {
          next();
          requestAnimationFrame(() => document.getElementById('member-query')?.focus());
        }}
        data-testid="next-customer"
      >
        {t('checkout.nextCustomer')}
      </Button>
      <p className="muted hint">{t('checkout.nextHint')}</p>
    </section>
  );
}
