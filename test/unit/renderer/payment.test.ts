import { describe, expect, it } from 'vitest';
import { translate } from '../../../src-renderer/i18n';
import { DRAFT_STORAGE_KEY, parseDraft } from '../../../src-renderer/state/checkout.slice';
import { paymentView } from '../../../src-renderer/state/payment-view';
import { displayStateOf } from '../../../src-renderer/state/display-sync';
import { startDraftPersistence } from '../../../src-renderer/state/persistence';
import type { TenderConfigDto } from '../../../src-shared/api/contract-money';
import { CNY_DENOMINATIONS_MINOR, DEFAULT_TENDER_CONFIG, parseTenderConfig } from '../../../src-shared/tenders/tender-types';
import { CARD, MANAGER_PIN, memoryStorage, setup } from './fake-core';
import { CASHIER, MANAGER, MEMBER } from './fixtures';

/**
 * The payment step without a browser: tenders added one by one until they cover the amount due
 * after points (split, change, cash rounding, removal), the reference typed or scanned, errors in
 * words, and a lost answer retried with the same key and the same tenders.
 */
const words = (e: { key: Parameters<typeof translate>[1]; params: Record<string, string | number> } | null | undefined) => (e ? translate('en', e.key, e.params) : null);

async function waitFor(cond: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (cond()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new Error('condition never held');
}

/** A cashier signed in on a till that takes the money, a basket of `amounts` rung up and priced. */
async function paying(amounts: number[], opts: { payments?: boolean; drawer?: number | null; storage?: ReturnType<typeof memoryStorage>; member?: boolean } = {}) {
  const s = setup({ storage: opts.storage });
  s.core.setPayments(opts.payments ?? true);
  if (opts.drawer !== null) s.core.openDrawer(opts.drawer ?? 20000);
  await s.store.getState().appStarted();
  await s.store.getState().staffSignInSubmitted(CASHIER.id, '1111');
  await waitFor(() => s.store.getState().money.config !== null);
  if (opts.member) await s.store.getState().checkoutCodeScanned(CARD);
  for (const a of amounts) s.store.getState().quickAmountAdded('grocery', a);
  await waitFor(() => s.store.getState().checkout.previewStatus === 'ready');
  return s;
}

const config = (over: Record<string, unknown> = {}): TenderConfigDto => ({
  config: parseTenderConfig({ ...DEFAULT_TENDER_CONFIG, ...over }),
  paymentsAtTill: true,
  currency: 'CNY',
  denominations: [...CNY_DENOMINATIONS_MINOR],
});

describe('the payment figures (payment-view, from the shared payment rules)', () => {
  it('split: a card part, then cash with change; the figures add up', () => {
    const c = config();
    expect(paymentView(6800, [], c)).toMatchObject({ remainingMinor: 6800, cashRemainingMinor: 6800, settled: false, changeMinor: 0, quickCash: [6800, 7000, 8000, 10000] });
    const part = paymentView(6800, [{ code: 'WECHAT', amountMinor: 3000, reference: 'abc123' }], c);
    expect(part).toMatchObject({ takenMinor: 3000, remainingMinor: 3800, cashRemainingMinor: 3800, settled: false, quickCash: [3800, 4000, 5000, 10000] });
    const done = paymentView(6800, [{ code: 'WECHAT', amountMinor: 3000, reference: 'abc123' }, { code: 'CASH', amountMinor: 5000, reference: null }], c);
    expect(done).toMatchObject({ takenMinor: 8000, remainingMinor: 0, settled: true, changeMinor: 1200, roundingMinor: 0, hasCash: true, quickCash: [], error: null });
  });

  it('cash rounding (0.50): cash settles the rounded remainder; a card pays it exactly', () => {
    const c = config({ cashRounding: '0.50' });
    expect(paymentView(3740, [], c)).toMatchObject({ remainingMinor: 3740, cashRemainingMinor: 3750, roundingMinor: 0, quickCash: [3750, 4000, 5000, 10000] });
    expect(paymentView(3740, [{ code: 'CASH', amountMinor: 5000, reference: null }], c)).toMatchObject({ settled: true, changeMinor: 1250, roundingMinor: 10 });
    expect(paymentView(3740, [{ code: 'CARD', amountMinor: 3740, reference: '1234' }], c)).toMatchObject({ settled: true, changeMinor: 0, roundingMinor: 0 });
  });

  it('a card charged more than is left is refused in words (only cash gives change)', () => {
    const v = paymentView(1000, [{ code: 'CARD', amountMinor: 1200, reference: '1234' }], config());
    expect(v.settled).toBe(false);
    expect(v.error?.code).toBe('TENDER_NO_CHANGE');
    expect(words(v.error)).toBe('Only cash gives change: this payment is more than is left to pay. Charge at most the amount left.');
  });
});

describe('the payment step', () => {
  it('payments taken elsewhere: F9 completes at once, as before, with no tenders', async () => {
    const { store, inner } = await paying([1500], { payments: false });
    await store.getState().saleCompleted();
    expect(store.getState().checkout).toMatchObject({ phase: 'done', payment: { open: false } });
    expect(inner.calls.find((c) => c.method === 'checkout.complete')?.input).not.toHaveProperty('tenders');
  });

  it('F9 opens the payment; WeChat needs its reference (a scan lands in it); cash covers the rest with change; the receipt shows each tender', async () => {
    const { store, inner } = await paying([6800], { member: true });
    await store.getState().saleCompleted();
    expect(store.getState().checkout.payment).toMatchObject({ open: true, lines: [], code: null });
    expect(inner.calls.some((c) => c.method === 'checkout.complete')).toBe(false);

    // Nothing chosen yet: Enter says what to do.
    expect(store.getState().paymentLineAdded()).toBe(false);
    expect(words(store.getState().checkout.payment.error)).toBe('Choose how the customer pays first (Alt+1…).');

    store.getState().paymentTenderChosen('WECHAT');
    expect(store.getState().checkout.payment).toMatchObject({ code: 'WECHAT', amount: '68.00', reference: '' });
    store.getState().paymentAmountChanged('30');
    expect(store.getState().paymentLineAdded()).toBe(false);
    expect(words(store.getState().checkout.payment.error)).toBe('This payment needs its reference (the card’s last 4 digits, the transaction or voucher number). Type or scan it from the slip or the customer’s phone.');
    // A keyboard-wedge scan goes to the reference field, not to the member lookup.
    store.getState().scanReceived('4200001234567890');
    expect(store.getState().checkout.payment.reference).toBe('4200001234567890');
    expect(inner.calls.filter((c) => c.method === 'members.scan')).toHaveLength(1);
    expect(store.getState().paymentLineAdded()).toBe(true);
    expect(store.getState().checkout.payment).toMatchObject({ lines: [{ code: 'WECHAT', amountMinor: 3000, reference: '4200001234567890' }], code: 'WECHAT', amount: '38.00', reference: '', error: null });

    // Not covered yet: F9 says so and sends nothing.
    await store.getState().saleCompleted();
    expect(words(store.getState().checkout.payment.error)).toBe('The payments do not cover the amount due yet. Take the rest (the amount left is shown), then press F9.');

    // Cash: a quick-cash key for a 50 note.
    store.getState().paymentTenderChosen('CASH');
    expect(store.getState().checkout.payment.amount).toBe('38.00');
    store.getState().paymentQuickCashChosen(5000);
    const pay = store.getState().checkout.payment;
    expect(pay).toMatchObject({ code: null, lines: [{ code: 'WECHAT' }, { code: 'CASH', amountMinor: 5000, reference: null }] });
    expect(paymentView(6800, pay.lines, store.getState().money.config!)).toMatchObject({ settled: true, changeMinor: 1200 });

    await store.getState().saleCompleted();
    const sent = inner.calls.filter((c) => c.method === 'checkout.complete');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.input).toMatchObject({
      memberId: MEMBER.id,
      tenders: [
        { code: 'WECHAT', amountMinor: 3000, reference: '4200001234567890' },
        { code: 'CASH', amountMinor: 5000, reference: null },
      ],
    });
    expect(store.getState().checkout).toMatchObject({ phase: 'done', payment: { open: false, lines: [] } });
    expect(store.getState().checkout.sale).toMatchObject({
      changeMinor: 1200,
      tenders: [
        { code: 'WECHAT', amountMinor: 3000, tenderedMinor: 3000 },
        { code: 'CASH', amountMinor: 3800, tenderedMinor: 5000, changeMinor: 1200 },
      ],
    });
  });

  it('a line can be removed; a card may not take more than is left; an amount typed but not added stops F9', async () => {
    const { store, inner } = await paying([1000]);
    await store.getState().saleCompleted();
    store.getState().paymentTenderChosen('CARD');
    store.getState().paymentAmountChanged('12');
    store.getState().paymentReferenceChanged('1234');
    expect(store.getState().paymentLineAdded()).toBe(false);
    expect(store.getState().checkout.payment.error?.code).toBe('TENDER_NO_CHANGE');
    store.getState().paymentReferenceChanged('12345');
    store.getState().paymentAmountChanged('4');
    expect(store.getState().paymentLineAdded()).toBe(false);
    expect(store.getState().checkout.payment.error?.code).toBe('TENDER_REFERENCE_INVALID');
    store.getState().paymentReferenceChanged('1234');
    expect(store.getState().paymentLineAdded()).toBe(true);
    expect(store.getState().checkout.payment).toMatchObject({ lines: [{ code: 'CARD', amountMinor: 400, reference: '1234' }], amount: '6.00' });

    // The cashier types cash but forgets Enter: F9 does not take it by itself.
    store.getState().paymentTenderChosen('CASH');
    store.getState().paymentAmountChanged('6');
    await store.getState().saleCompleted();
    expect(words(store.getState().checkout.payment.error)).toBe('An amount is typed but not added: press Enter to add it, or clear the field.');

    store.getState().paymentLineRemoved(0);
    expect(store.getState().checkout.payment.lines).toEqual([]);
    expect(store.getState().paymentLineAdded()).toBe(true); // the 6.00 typed
    store.getState().paymentTenderChosen('CASH');
    expect(store.getState().checkout.payment.amount).toBe('4.00');
    store.getState().paymentAmountChanged('5');
    store.getState().paymentLineAdded();
    await store.getState().saleCompleted();
    expect(store.getState().checkout.sale).toMatchObject({ changeMinor: 100, tenders: [{ code: 'CASH', amountMinor: 1000, tenderedMinor: 1100 }] });
    expect(inner.calls.filter((c) => c.method === 'checkout.complete')).toHaveLength(1);
  });

  it('Esc goes back to the basket keeping the tenders; a changed basket changes what is left', async () => {
    const { store } = await paying([2000]);
    await store.getState().saleCompleted();
    store.getState().paymentTenderChosen('ALIPAY');
    store.getState().paymentReferenceChanged('2026112200001');
    store.getState().paymentAmountChanged('15');
    store.getState().paymentLineAdded();
    store.getState().paymentClosed();
    expect(store.getState().checkout.payment).toMatchObject({ open: false, lines: [{ code: 'ALIPAY', amountMinor: 1500 }] });
    store.getState().quickAmountAdded('grocery', 1000);
    await waitFor(() => store.getState().checkout.preview?.paidMinor === 3000);
    await store.getState().saleCompleted();
    expect(store.getState().checkout.payment.open).toBe(true);
    expect(paymentView(3000, store.getState().checkout.payment.lines, store.getState().money.config!)).toMatchObject({ remainingMinor: 1500, settled: false });
  });

  it('the core refuses in words (no drawer open for cash); after the drawer opens, F9 again completes with the same key', async () => {
    const { store, core, inner } = await paying([1200], { drawer: null });
    await store.getState().saleCompleted();
    store.getState().paymentTenderChosen('CASH');
    store.getState().paymentLineAdded();
    await store.getState().saleCompleted();
    expect(store.getState().checkout.submit).toMatchObject({ status: 'failed', error: { code: 'DRAWER_NOT_OPEN' } });
    expect(words(store.getState().checkout.submit.error)).toBe('The cash drawer is not open. Count the float and open the drawer first, or take a non-cash payment.');
    expect(store.getState().checkout.payment).toMatchObject({ open: true, lines: [{ code: 'CASH', amountMinor: 1200 }] });
    core.openDrawer(0);
    await store.getState().saleCompleted();
    expect(store.getState().checkout.phase).toBe('done');
    const keys = inner.calls.filter((c) => c.method === 'checkout.complete').map((c) => (c.input as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('a lost answer: the same key and the same tenders are sent again, the core replays, nothing is taken twice', async () => {
    const { store, transport, core, inner } = await paying([6800]);
    await store.getState().saleCompleted();
    store.getState().paymentTenderChosen('WECHAT');
    store.getState().paymentAmountChanged('30');
    store.getState().paymentReferenceChanged('wx12345678');
    store.getState().paymentLineAdded();
    store.getState().paymentTenderChosen('CASH');
    store.getState().paymentAmountChanged('100');
    store.getState().paymentLineAdded();
    transport.loseNextAnswer('checkout.complete');
    await store.getState().saleCompleted();
    expect(store.getState().checkout.submit).toMatchObject({ status: 'unknown', request: { tenders: [{ code: 'WECHAT' }, { code: 'CASH', amountMinor: 10000 }] } });
    // Nothing about the payment can change while the outcome is unknown.
    store.getState().paymentLineRemoved(0);
    store.getState().paymentTenderChosen('CARD');
    expect(store.getState().checkout.payment.lines).toHaveLength(2);
    expect(store.getState().checkout.payment.code).toBeNull();
    await store.getState().saleCompleted(); // F9 on the retry banner resends
    expect(store.getState().checkout).toMatchObject({ phase: 'done', sale: { replayed: true, changeMinor: 6200 } });
    const sent = inner.calls.filter((c) => c.method === 'checkout.complete');
    expect(sent).toHaveLength(2);
    expect(sent[1]!.input).toEqual(sent[0]!.input);
    expect(core.sales.size).toBe(1);
    expect(core.drawerCash()).toBe(20000 + 3800);
  });

  it('the tenders taken survive a reload with the sale (a card already charged is not forgotten)', async () => {
    const storage = memoryStorage();
    const first = await paying([5000], { storage });
    const stop = startDraftPersistence(first.store, storage);
    await first.store.getState().saleCompleted();
    first.store.getState().paymentTenderChosen('CARD');
    first.store.getState().paymentAmountChanged('20');
    first.store.getState().paymentReferenceChanged('4321');
    first.store.getState().paymentLineAdded();
    stop();
    expect(parseDraft(storage.data.get(DRAFT_STORAGE_KEY) ?? null)?.tenders).toEqual([{ code: 'CARD', amountMinor: 2000, reference: '4321' }]);
    const second = setup({ storage });
    second.core.setPayments(true);
    await second.store.getState().appStarted();
    expect(second.store.getState().checkout.payment).toMatchObject({ open: true, lines: [{ code: 'CARD', amountMinor: 2000 }] });
    expect(parseDraft(JSON.stringify({ saleKey: 'key-12345678', lines: [], tenders: [{ code: 'CASH', amountMinor: -5 }, { code: 'CARD', amountMinor: 100, reference: null }] }))?.tenders).toEqual([{ code: 'CARD', amountMinor: 100, reference: null }]);
  });
});

describe('refunds back to the tenders', () => {
  /** A sale of `due` paid with WeChat `wechat` and the rest in cash, then its receipt on the refund screen. */
  async function paidSale(due: number, wechat: number) {
    const s = await paying([due]);
    const st = s.store.getState;
    await st().saleCompleted();
    st().paymentTenderChosen('WECHAT');
    st().paymentAmountChanged(String(wechat / 100));
    st().paymentReferenceChanged('wx20260615001');
    st().paymentLineAdded();
    if (wechat < due) {
      st().paymentTenderChosen('CASH');
      st().paymentLineAdded();
    }
    await st().saleCompleted();
    const receipt = st().checkout.sale!.receiptNo;
    st().screenChosen('refund');
    await st().refundReceiptLookedUp(receipt);
    st().refundAllChosen();
    return s;
  }

  it('above the threshold the core asks for a manager: the reason first, then the PIN; the same key throughout; the money goes back to each tender', async () => {
    const { store, inner } = await paidSale(25000, 10000);
    await store.getState().refundSubmitted();
    expect(store.getState().refund).toMatchObject({ status: 'ready', needs: { approval: true, reason: true } });
    expect(words(store.getState().refund.error)).toBe('A manager must approve this refund. Type the reason first, then ask a manager.');
    await store.getState().refundSubmitted(); // still no reason: nothing is sent
    expect(inner.calls.filter((c) => c.method === 'refunds.create')).toHaveLength(1);
    store.getState().refundReasonChanged('Faulty rice cooker');
    const sending = store.getState().refundSubmitted();
    await waitFor(() => store.getState().approval !== null);
    expect(translate('en', store.getState().approval!.purpose, store.getState().approval!.params)).toContain('Faulty rice cooker');
    await store.getState().approvalSubmitted(CASHIER.id, '1111');
    expect(store.getState().approval?.error?.code).toBe('MANAGER_PIN_REQUIRED');
    await store.getState().approvalSubmitted(MANAGER.id, MANAGER_PIN);
    await sending;
    expect(store.getState().refund).toMatchObject({ status: 'done', result: { refundMinor: 25000, reason: 'Faulty rice cooker', approvedBy: MANAGER.id } });
    expect(store.getState().refund.result!.tenders.map((x) => [x.code, x.kind, x.amountMinor])).toEqual([
      ['WECHAT', 'wallet', 10000],
      ['CASH', 'cash', 15000],
    ]);
    const keys = inner.calls.filter((c) => c.method === 'refunds.create').map((c) => (c.input as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it('refund to cash instead of the wallet: a manager approves it, the money comes out of the drawer', async () => {
    const { store, core } = await paidSale(5000, 5000);
    const before = core.drawerCash();
    store.getState().refundToCashChanged(true);
    store.getState().refundReasonChanged('Customer has no phone signal');
    // The reason is there: the core's MANAGER_PIN_REQUIRED goes straight to the manager's prompt.
    const sending = store.getState().refundSubmitted();
    await waitFor(() => store.getState().approval !== null);
    expect(store.getState().approval!.purpose).toBe('approval.purpose.refundToCash');
    await store.getState().approvalSubmitted(MANAGER.id, MANAGER_PIN);
    await sending;
    expect(store.getState().refund.status).toBe('done');
    expect(store.getState().refund.result!.tenders).toEqual([{ tenderNo: 1, code: 'CASH', kind: 'cash', amountMinor: 5000, tenderedMinor: 5000, changeMinor: 0, reference: null }]);
    expect(core.drawerCash()).toBe(before - 5000);
  });
});

describe('the customer display at the payment step', () => {
  it('shows the amount due, each tender in the customer language, what is left, then the change and the balance after the sale', async () => {
    const { store } = await paying([6800], { member: true });
    store.getState().customerLanguageChosen('zh-Hant');
    await store.getState().saleCompleted();
    expect(displayStateOf(store.getState())).toMatchObject({ mode: 'payment', language: 'zh-Hant', paidMinor: 6800, tenders: [], remainingMinor: 6800, changeMinor: 0 });
    store.getState().paymentTenderChosen('WECHAT');
    store.getState().paymentAmountChanged('30');
    store.getState().paymentReferenceChanged('wx12345678');
    store.getState().paymentLineAdded();
    expect(displayStateOf(store.getState())).toMatchObject({ mode: 'payment', tenders: [{ name: '微信支付', amountMinor: 3000 }], remainingMinor: 3800 });
    store.getState().paymentQuickCashChosen(5000);
    expect(displayStateOf(store.getState())).toMatchObject({ tenders: [{ name: '微信支付' }, { name: '現金', amountMinor: 5000 }], remainingMinor: 0, changeMinor: 1200 });
    await store.getState().saleCompleted();
    expect(displayStateOf(store.getState())).toMatchObject({ mode: 'done', tenders: [{ name: '微信支付', amountMinor: 3000 }, { name: '現金', amountMinor: 5000 }], changeMinor: 1200, remainingMinor: null, balanceAfter: 5068 });
  });
});
