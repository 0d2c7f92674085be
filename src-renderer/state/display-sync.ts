import type { PosApi } from '../../src-shared/api/contract';
import type { DisplayInput } from '../../src-shared/api/contract-reports';
import type { CheckoutPreviewDto } from '../../src-shared/api/dto';
import { tenderName } from './money.slice';
import { paymentView } from './payment-view';
import type { AppStore } from './store';
import type { AppState } from './types';

/** Points the preview says this sale earns: purchase points plus every bonus. */
export function previewEarnedPoints(preview: CheckoutPreviewDto | null): number | null {
  if (!preview?.earn) return null;
  return preview.earn.purchasePoints + preview.earn.bonuses.reduce((a, b) => a + b.points, 0);
}

/** The customer display's state for the app state: idle (blank), the basket, or the sale just done. */
export function displayStateOf(s: AppState): DisplayInput {
  const language = s.settings.customerLanguage === 'same' ? s.settings.language : s.settings.customerLanguage;
  const c = s.checkout;
  const idle: DisplayInput = { mode: 'idle', language };
  if (!s.session.current && c.phase !== 'done') return idle;
  if (c.phase === 'done' && c.sale) {
    const sale = c.sale;
    return {
      mode: 'done',
      language,
      lines: sale.lines.map((l) => ({ description: l.description, category: l.category, quantity: l.quantity, amountMinor: l.grossMinor })),
      grossMinor: sale.grossMinor,
      redeemedPoints: sale.redeemedPoints,
      redeemedValueMinor: sale.redeemedValueMinor,
      paidMinor: sale.paidMinor,
      member: sale.tierAtSale ? { tier: sale.tierAtSale } : null,
      pointsEarned: sale.member ? sale.earnedPoints : null,
      balanceAfter: sale.balanceAfter,
      receiptNo: sale.receiptNo,
      // Cash as the customer handed it over, with the change beside it.
      tenders: sale.tenders.map((x) => ({ name: tenderName(s.money.config, x.code, language), amountMinor: x.kind === 'cash' ? x.tenderedMinor : x.amountMinor })),
      remainingMinor: null,
      changeMinor: sale.changeMinor,
    };
  }
  if (c.lines.length === 0 && !c.member) return idle;
  const p = c.preview;
  const config = s.money.config;
  // The payment step: what is due, each tender taken, what is left or the change (the shared payment rules).
  const pay = c.payment.open && p && config ? paymentView(p.paidMinor, c.payment.lines, config) : null;
  return {
    mode: pay ? 'payment' : 'basket',
    language,
    lines: c.lines.map((l) => ({ description: l.description, category: l.category, quantity: l.quantity, amountMinor: l.quantity * l.unitPriceMinor })),
    grossMinor: p?.grossMinor ?? 0,
    redeemedPoints: p?.redeemedPoints ?? 0,
    redeemedValueMinor: p?.redeemedValueMinor ?? 0,
    paidMinor: p?.paidMinor ?? 0,
    member: c.member && (c.member.status === 'active' || c.member.status === 'blocked') ? { tier: c.member.tier } : null,
    pointsEarned: previewEarnedPoints(p),
    balanceAfter: null,
    receiptNo: null,
    tenders: pay ? c.payment.lines.map((l) => ({ name: tenderName(config, l.code, language), amountMinor: l.amountMinor })) : [],
    remainingMinor: pay && !pay.error ? (pay.settled ? 0 : pay.remainingMinor) : null,
    changeMinor: pay?.settled ? pay.changeMinor : 0,
  };
}

/**
 * Keeps the core's display state in step with this screen: sends `display.update` whenever the
 * derived state changes (one request at a time; the newest state wins). Best effort: a failure
 * never disturbs the cashier.
 */
export function startDisplaySync(store: AppStore, api: PosApi): () => void {
  let last = '';
  let sending = false;
  let queued: DisplayInput | null = null;
  const flush = async (): Promise<void> => {
    while (queued) {
      const next = queued;
      queued = null;
      sending = true;
      try {
        await api['display.update'](next);
      } catch {
        // the display is a courtesy; the sale goes on
      } finally {
        sending = false;
      }
    }
  };
  const check = (s: AppState): void => {
    const next = displayStateOf(s);
    const json = JSON.stringify(next);
    if (json === last) return;
    last = json;
    queued = next;
    if (!sending) void flush();
  };
  check(store.getState());
  return store.subscribe(check);
}
