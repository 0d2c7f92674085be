import type { Input } from '../../src-shared/api/contract';
import type { CheckoutPreviewDto, MemberDto, MemberSummaryDto, ProductPriceDto, SaleDto } from '../../src-shared/api/dto';
import { classifyScan } from '../../src-shared/cards/classify';
import { tenderReference } from '../../src-shared/tenders/payment';
import { describeError, errorCodeOf, isLinkFailure, localError, type UiError } from '../i18n/errors';
import { currencyDigits, minorToDecimalString, parseMoneyInput } from '../i18n/format';
import { paymentsAtTill, takesReference } from './money.slice';
import { defaultAmountMinor, paymentView, type PaymentLine } from './payment-view';
import type { SliceCreator } from './types';

/** One line of the sale being rung up. Amounts are integer minor units. */
export interface DraftLine {
  lineNo: number;
  category: string;
  description: string | null;
  sku: string | null;
  quantity: number;
  unitPriceMinor: number;
}

export type CompleteRequest = Input<'checkout.complete'>;

export interface LookupState {
  status: 'idle' | 'searching' | 'choose' | 'none' | 'error';
  query: string;
  /** Several members matched: the cashier picks one. */
  results: MemberSummaryDto[];
  /** A card nobody has yet: offer to activate it or register a member with it. */
  unknownCard: { code: string; maskedCode: string; activatable: boolean } | null;
  error: UiError | null;
}

/**
 * The payment step (a till that takes the money): tenders are added one by one until they cover
 * the amount due after points; the sale completes with them. Nothing here is sent before the sale
 * completes: the lines are what the customer handed over or what the card terminal approved.
 */
export interface PaymentState {
  /** The payment panel is shown instead of the basket. */
  open: boolean;
  lines: PaymentLine[];
  /** The tender the next line is taken with; null until the cashier picks one. */
  code: string | null;
  /** The amount field as typed (it starts at what is left for the chosen tender). */
  amount: string;
  /** The reference field: typed, or scanned (a keyboard-wedge scan lands here while it is shown). */
  reference: string;
  /** The cashier changed the amount or the reference since the tender was chosen: F9 will not complete over it. */
  dirty: boolean;
  error: UiError | null;
}

export const CLOSED_PAYMENT: PaymentState = { open: false, lines: [], code: null, amount: '', reference: '', dirty: false, error: null };

export interface CheckoutState {
  /** basket: ringing up; done: completed, the receipt summary is shown until the next customer. */
  phase: 'basket' | 'done';
  /** This sale's idempotency key: made once when the sale starts and reused for every retry. */
  saleKey: string;
  lookup: LookupState;
  member: MemberDto | null;
  memberLoading: boolean;
  lines: DraftLine[];
  nextLineNo: number;
  /** A product barcode was scanned: the line form takes it as the SKU and asks for the price. */
  productCode: string | null;
  /** What the till knows of that barcode (its last price here), to fill the line form; null when nothing. */
  productKnown: ProductPriceDto | null;
  redeemPoints: number;
  preview: CheckoutPreviewDto | null;
  previewStatus: 'idle' | 'loading' | 'ready' | 'error';
  /** Why the chosen redemption cannot be priced (the preview then shows the sale without it). */
  previewError: UiError | null;
  submit: {
    /** sending: waiting for the core; unknown: the link failed mid-request (the sale may or may not be saved). */
    status: 'idle' | 'sending' | 'unknown' | 'failed';
    error: UiError | null;
    /** The exact request sent, resent as is on retry (same key, same content: never charged twice). */
    request: CompleteRequest | null;
  };
  sale: SaleDto | null;
  error: UiError | null;
  /** A sale restored before anyone signed in: its member is loaded once someone does. */
  restoreMemberId: string | null;
  payment: PaymentState;
}

export interface CheckoutSlice {
  checkout: CheckoutState;
  /** A scanner (or the typed field) gave a code: member card, product barcode. */
  checkoutCodeScanned(raw: string): Promise<void>;
  /** The cashier typed a card number, phone, last four digits or name and pressed Enter. */
  checkoutMemberQuerySubmitted(text: string): Promise<void>;
  /** A member was picked from the results (or from the members screen) for this sale. */
  checkoutMemberChosen(memberId: string): Promise<void>;
  checkoutMemberCleared(): void;
  /** The core says the member's points changed (another till, a refund): reload them, keep the sale. */
  checkoutMemberRefreshed(): Promise<void>;
  checkoutLookupDismissed(): void;
  /** A pre-printed card nobody has yet was activated at the counter and is used for this sale. */
  checkoutCardActivated(): Promise<void>;
  quickAmountAdded(category: string, amountMinor: number): void;
  lineAdded(line: Omit<DraftLine, 'lineNo'>): void;
  lineQuantityChanged(lineNo: number, quantity: number): void;
  lineRemoved(lineNo: number): void;
  basketCleared(): void;
  redeemChanged(points: number): void;
  redeemMaxChosen(): void;
  checkoutPreviewRequested(): Promise<void>;
  /**
   * F9: complete the sale (or, when done, start the next customer). On a till that takes the
   * money the first F9 opens the payment step, and the sale completes once the tenders cover it.
   */
  saleCompleted(): Promise<void>;
  /** A tender key (Alt+1…): the next line is taken with it; the amount starts at what is left for it. */
  paymentTenderChosen(code: string): void;
  paymentAmountChanged(text: string): void;
  paymentReferenceChanged(text: string): void;
  /** A scan while the reference field is shown lands in it; false when the payment step does not want it. */
  paymentReferenceScanned(raw: string): boolean;
  /** Enter: the amount (and reference) typed become a tender line. False, with the reason, when refused. */
  paymentLineAdded(): boolean;
  /** A quick-cash key: the customer handed over this much cash. */
  paymentQuickCashChosen(amountMinor: number): void;
  paymentLineRemoved(index: number): void;
  /** Esc: back to the basket; the tenders already taken are kept. */
  paymentClosed(): void;
  /** Retry after the link failed mid-sale: the same request, the same key. */
  saleRetried(): Promise<void>;
  nextCustomerRequested(): void;
  /** A sale restored after a reload or a closed window. */
  checkoutDraftRestored(): Promise<void>;
  /** Someone signed in: reload the restored sale's member and price the basket again. */
  checkoutResumed(): Promise<void>;
}

export const DRAFT_STORAGE_KEY = 'tillsmith.checkoutDraft';

const initialLookup: LookupState = { status: 'idle', query: '', results: [], unknownCard: null, error: null };

export function freshCheckout(saleKey: string): CheckoutState {
  return {
    phase: 'basket',
    saleKey,
    lookup: initialLookup,
    member: null,
    memberLoading: false,
    lines: [],
    nextLineNo: 1,
    productCode: null,
    productKnown: null,
    redeemPoints: 0,
    preview: null,
    previewStatus: 'idle',
    previewError: null,
    submit: { status: 'idle', error: null, request: null },
    sale: null,
    error: null,
    restoreMemberId: null,
    payment: CLOSED_PAYMENT,
  };
}

/** Codes that say the chosen redemption is not possible (the preview is retried without it). */
const REDEMPTION_CODES = new Set([
  'INSUFFICIENT_POINTS',
  'REDEMPTION_BELOW_MINIMUM',
  'REDEMPTION_NOT_IN_STEPS',
  'REDEMPTION_ABOVE_BILL_CAP',
  'OFFLINE_REDEMPTION_LIMIT',
  'MEMBER_BLOCKED',
  'RISK_HOLD',
]);
/** Codes a manager can override by approving. */
const OVERRIDABLE = new Set(['RISK_HOLD', 'OFFLINE_REDEMPTION_LIMIT']);

/** May the member take part in a sale? (merged and erased memberships cannot). */
export function canTrade(m: MemberDto | null): boolean {
  return m !== null && (m.status === 'active' || m.status === 'blocked');
}

/** The request the core gets for the basket as it stands. */
export function completeRequestOf(c: CheckoutState): CompleteRequest {
  return {
    idempotencyKey: c.saleKey,
    memberId: canTrade(c.member) ? c.member!.id : null,
    lines: c.lines.map((l) => ({
      lineNo: l.lineNo,
      category: l.category,
      sku: l.sku,
      description: l.description,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
    })),
    redeemPoints: canTrade(c.member) ? c.redeemPoints : 0,
  };
}

/** The request that completes the sale with the tenders taken at the payment step. */
export function paidRequestOf(c: CheckoutState): CompleteRequest {
  return { ...completeRequestOf(c), tenders: c.payment.lines.map((l) => ({ code: l.code, amountMinor: l.amountMinor, reference: l.reference })) };
}

/** What survives a reload: never the manager's approval. */
export interface CheckoutDraft {
  saleKey: string;
  memberId: string | null;
  lines: DraftLine[];
  nextLineNo: number;
  redeemPoints: number;
  pendingRequest: CompleteRequest | null;
  /** Tenders already taken at the payment step (a card already charged must not be forgotten). */
  tenders: PaymentLine[];
}

export function draftOf(c: CheckoutState): CheckoutDraft | null {
  if (c.phase === 'done' || (c.lines.length === 0 && c.member === null && c.restoreMemberId === null)) return null;
  const pending = c.submit.request ? { ...c.submit.request, approval: undefined } : null;
  return { saleKey: c.saleKey, memberId: c.member?.id ?? c.restoreMemberId, lines: c.lines, nextLineNo: c.nextLineNo, redeemPoints: c.redeemPoints, pendingRequest: pending, tenders: c.payment.lines };
}

export function parseDraft(raw: string | null): CheckoutDraft | null {
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Partial<CheckoutDraft>;
    if (typeof d.saleKey !== 'string' || d.saleKey.length < 8 || !Array.isArray(d.lines)) return null;
    const lines = d.lines.filter(
      (l): l is DraftLine =>
        !!l && Number.isInteger(l.lineNo) && typeof l.category === 'string' && Number.isInteger(l.quantity) && l.quantity > 0 && Number.isInteger(l.unitPriceMinor) && l.unitPriceMinor >= 0,
    );
    return {
      saleKey: d.saleKey,
      memberId: typeof d.memberId === 'string' ? d.memberId : null,
      lines,
      nextLineNo: Number.isInteger(d.nextLineNo) ? d.nextLineNo! : lines.reduce((m, l) => Math.max(m, l.lineNo), 0) + 1,
      redeemPoints: Number.isInteger(d.redeemPoints) && d.redeemPoints! >= 0 ? d.redeemPoints! : 0,
      pendingRequest: d.pendingRequest && typeof d.pendingRequest === 'object' ? d.pendingRequest : null,
      tenders: Array.isArray(d.tenders)
        ? d.tenders.filter(
            (t): t is PaymentLine =>
              !!t && typeof t.code === 'string' && Number.isSafeInteger(t.amountMinor) && t.amountMinor >= 0 && (t.reference === null || typeof t.reference === 'string'),
          )
        : [],
    };
  } catch {
    return null;
  }
}

export const createCheckoutSlice: SliceCreator<CheckoutSlice> = ({ api, newKey, storage }) => (set, get) => {
  const patch = (p: Partial<CheckoutState>): void => set({ checkout: { ...get().checkout, ...p } });
  const editable = (): boolean => {
    const c = get().checkout;
    if (c.submit.status === 'sending' || c.submit.status === 'unknown') {
      patch({ error: localError('checkout.lockedWhileSending') });
      return false;
    }
    return true;
  };
  /** A change made while the receipt of the last sale is shown starts the next sale first. */
  const startIfDone = (): void => {
    if (get().checkout.phase === 'done') get().nextCustomerRequested();
  };
  let lookupTicket = 0;
  let previewTicket = 0;
  const patchPayment = (p: Partial<PaymentState>): void => patch({ payment: { ...get().checkout.payment, ...p } });
  const digits = (): number => currencyDigits(get().terminal.info?.currency ?? 'CNY');
  /** The payment figures for the lines as they stand (null until the preview and the tender settings are known). */
  const viewOf = (lines: PaymentLine[]) => {
    const config = get().money.config;
    const due = get().checkout.preview?.paidMinor;
    return config && due !== undefined ? paymentView(due, lines, config) : null;
  };
  /** The amount field's starting text for this tender: what is left for it. */
  const defaultAmountText = (code: string | null, lines: PaymentLine[]): string => {
    const view = viewOf(lines);
    const config = get().money.config;
    if (!code || !view || !config || view.error) return '';
    return minorToDecimalString(defaultAmountMinor(view, code, config), digits());
  };
  /** Adds a tender line when the rules allow it (the reference as the sale will read it, nothing more on a card than is left). */
  const addLine = (line: PaymentLine): boolean => {
    const config = get().money.config;
    const pay = get().checkout.payment;
    if (!config) return false;
    let reference: string | null;
    try {
      reference = tenderReference(config.config, line.code, line.reference, pay.lines.length);
    } catch (e) {
      patchPayment({ error: describeError(e) });
      return false;
    }
    const lines = [...pay.lines, { ...line, reference }];
    const view = viewOf(lines);
    if (!view) return false;
    if (view.error) {
      patchPayment({ error: view.error });
      return false;
    }
    // Settled: nothing more to take. Otherwise the same tender stays chosen for the next handover.
    const code = view.settled ? null : line.code;
    patchPayment({ lines, code, amount: defaultAmountText(code, lines), reference: '', dirty: false, error: null });
    return true;
  };

  const memberSelected = (member: MemberDto): void => {
    patch({ member, memberLoading: false, lookup: initialLookup, redeemPoints: 0, previewError: null, error: null });
    void get().checkoutPreviewRequested();
  };

  const finish = (sale: SaleDto): void => {
    const c = get().checkout;
    const member = c.member && sale.balanceAfter !== null ? { ...c.member, balance: sale.balanceAfter } : c.member;
    patch({ phase: 'done', sale, member, submit: { status: 'idle', error: null, request: null }, error: null, payment: CLOSED_PAYMENT });
    try {
      storage?.removeItem(DRAFT_STORAGE_KEY);
    } catch {
      // nothing to clean up
    }
  };

  const send = async (request: CompleteRequest): Promise<void> => {
    patch({ submit: { status: 'sending', error: null, request }, error: null });
    try {
      finish(await api['checkout.complete'](request));
    } catch (e) {
      if (isLinkFailure(e)) {
        // The core may have saved the sale: keep the exact request; retry sends it again.
        patch({ submit: { status: 'unknown', error: describeError(e), request } });
        return;
      }
      const code = errorCodeOf(e);
      if (code && OVERRIDABLE.has(code)) {
        patch({ submit: { status: 'idle', error: null, request: null } });
        let approved: CompleteRequest | null = null;
        try {
          const sale = await get().approvalRequested(
            code === 'RISK_HOLD' ? 'approval.purpose.riskHold' : 'approval.purpose.offlineLimit',
            (approval) => {
              approved = { ...request, approval };
              return api['checkout.complete'](approved);
            },
            { points: request.redeemPoints ?? 0 },
          );
          if (sale) finish(sale);
        } catch (e2) {
          if (isLinkFailure(e2) && approved) patch({ submit: { status: 'unknown', error: describeError(e2), request: approved } });
          else patch({ submit: { status: 'failed', error: describeError(e2), request: null } });
        }
        return;
      }
      patch({ submit: { status: 'failed', error: describeError(e), request: null } });
      // The till's tender settings or its drawer may have changed meanwhile (another window, a manager).
      if (code === 'TENDER_SHORT' || code === 'DRAWER_NOT_OPEN' || code === 'TENDER_INACTIVE' || code === 'TENDER_UNKNOWN') void get().moneyRefreshRequested();
    }
  };

  return {
    checkout: freshCheckout(newKey()),

    async checkoutCodeScanned(raw) {
      startIfDone();
      const ticket = ++lookupTicket;
      patch({ lookup: { ...initialLookup, status: 'searching', query: raw }, error: null });
      try {
        const outcome = await api['members.scan']({ raw });
        if (ticket !== lookupTicket) return;
        if (outcome.kind === 'member') memberSelected(outcome.member);
        else if (outcome.kind === 'unknown_card') {
          patch({ lookup: { ...initialLookup, status: 'none', query: raw, unknownCard: { code: outcome.code, maskedCode: outcome.maskedCode, activatable: outcome.activatable } } });
        } else {
          // A product scanned at the payment step goes back to the basket, where its line waits for the price.
          patch({ lookup: initialLookup, productCode: outcome.ean13, productKnown: outcome.product, payment: { ...get().checkout.payment, open: false } });
        }
      } catch (e) {
        if (ticket === lookupTicket) patch({ lookup: { ...initialLookup, status: 'error', query: raw, error: describeError(e) } });
      }
    },

    async checkoutMemberQuerySubmitted(text) {
      const q = text.trim();
      if (!q) return patch({ lookup: { ...initialLookup, status: 'error', error: localError('checkout.typeCardOrPhone') } });
      const kind = classifyScan(q, { manualEntry: true }).kind;
      if (kind === 'member_card' || kind === 'product') return get().checkoutCodeScanned(q);
      startIfDone();
      const ticket = ++lookupTicket;
      patch({ lookup: { ...initialLookup, status: 'searching', query: q } });
      try {
        const results = await api['members.find']({ query: q, by: 'auto', limit: 10 });
        if (ticket !== lookupTicket) return;
        if (results.length === 1) return get().checkoutMemberChosen(results[0]!.id);
        patch({ lookup: { ...initialLookup, status: results.length === 0 ? 'none' : 'choose', query: q, results } });
      } catch (e) {
        if (ticket === lookupTicket) patch({ lookup: { ...initialLookup, status: 'error', query: q, error: describeError(e) } });
      }
    },

    async checkoutMemberChosen(memberId) {
      startIfDone();
      const ticket = ++lookupTicket;
      patch({ memberLoading: true });
      try {
        const member = await api['members.get']({ memberId });
        if (ticket === lookupTicket) memberSelected(member);
      } catch (e) {
        if (ticket === lookupTicket) patch({ memberLoading: false, lookup: { ...initialLookup, status: 'error', error: describeError(e) } });
      }
    },

    checkoutMemberCleared() {
      if (!editable()) return;
      lookupTicket++;
      patch({ member: null, redeemPoints: 0, lookup: initialLookup, previewError: null });
      void get().checkoutPreviewRequested();
    },

    async checkoutMemberRefreshed() {
      const m = get().checkout.member;
      if (!m || get().checkout.phase !== 'basket') return;
      try {
        const member = await api['members.get']({ memberId: m.id });
        if (get().checkout.member?.id === member.id) patch({ member });
        await get().checkoutPreviewRequested();
      } catch {
        // keep what is shown; the next preview or completion reports any problem
      }
    },

    checkoutLookupDismissed() {
      lookupTicket++;
      patch({ lookup: initialLookup, productCode: null, productKnown: null });
    },

    async checkoutCardActivated() {
      const card = get().checkout.lookup.unknownCard;
      if (!card) return;
      try {
        const member = await api['members.activateCard']({ idempotencyKey: newKey(), cardCode: card.code });
        memberSelected(member);
        get().noticeShown('notice.cardActivated', { card: card.maskedCode }, 'success');
      } catch (e) {
        patch({ lookup: { ...get().checkout.lookup, status: 'error', error: describeError(e) } });
      }
    },

    quickAmountAdded(category, amountMinor) {
      get().lineAdded({ category, description: null, sku: null, quantity: 1, unitPriceMinor: amountMinor });
    },

    lineAdded(line) {
      startIfDone();
      if (!editable()) return;
      if (!Number.isInteger(line.unitPriceMinor) || line.unitPriceMinor <= 0) return patch({ error: localError('checkout.amountInvalid') });
      if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > 9999) return patch({ error: localError('checkout.quantityInvalid') });
      const c = get().checkout;
      if (c.lines.length >= 200) return patch({ error: localError('checkout.tooManyLines') });
      patch({ lines: [...c.lines, { ...line, lineNo: c.nextLineNo }], nextLineNo: c.nextLineNo + 1, productCode: null, productKnown: null, error: null });
      void get().checkoutPreviewRequested();
    },

    lineQuantityChanged(lineNo, quantity) {
      if (!editable()) return;
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > 9999) return patch({ error: localError('checkout.quantityInvalid') });
      patch({ lines: get().checkout.lines.map((l) => (l.lineNo === lineNo ? { ...l, quantity } : l)), error: null });
      void get().checkoutPreviewRequested();
    },

    lineRemoved(lineNo) {
      if (!editable()) return;
      patch({ lines: get().checkout.lines.filter((l) => l.lineNo !== lineNo), error: null });
      void get().checkoutPreviewRequested();
    },

    basketCleared() {
      if (!editable()) return;
      set({ checkout: freshCheckout(newKey()) });
      try {
        storage?.removeItem(DRAFT_STORAGE_KEY);
      } catch {
        // nothing stored
      }
    },

    redeemChanged(points) {
      if (!editable()) return;
      if (!Number.isInteger(points) || points < 0) return patch({ previewError: localError('checkout.pointsInvalid') });
      patch({ redeemPoints: points, previewError: null });
      void get().checkoutPreviewRequested();
    },

    redeemMaxChosen() {
      const max = get().checkout.preview?.maxRedeem?.points ?? 0;
      get().redeemChanged(max);
    },

    async checkoutPreviewRequested() {
      const c = get().checkout;
      const ticket = ++previewTicket;
      if (c.lines.length === 0) {
        patch({ preview: null, previewStatus: 'idle', previewError: null });
        return;
      }
      if (get().session.current === null) return;
      patch({ previewStatus: 'loading' });
      const { idempotencyKey: _key, ...request } = completeRequestOf(c);
      try {
        const preview = await api['checkout.preview'](request);
        if (ticket === previewTicket) patch({ preview, previewStatus: 'ready', previewError: null });
      } catch (e) {
        if (ticket !== previewTicket) return;
        const code = errorCodeOf(e);
        if (code && REDEMPTION_CODES.has(code) && (request.redeemPoints ?? 0) > 0) {
          // Show the sale without the redemption (and the most that can be redeemed), plus why.
          try {
            const preview = await api['checkout.preview']({ ...request, redeemPoints: 0 });
            if (ticket === previewTicket) patch({ preview, previewStatus: 'ready', previewError: describeError(e) });
            return;
          } catch (e2) {
            if (ticket === previewTicket) patch({ previewStatus: 'error', previewError: describeError(e2) });
            return;
          }
        }
        patch({ previewStatus: 'error', previewError: describeError(e) });
      }
    },

    async saleCompleted() {
      const c = get().checkout;
      if (c.phase === 'done') return get().nextCustomerRequested();
      if (c.submit.status === 'sending') return;
      if (c.submit.status === 'unknown' && c.submit.request) return send(c.submit.request);
      if (c.lines.length === 0) return patch({ error: localError('checkout.emptyBasket') });
      if (c.previewStatus === 'loading') await get().checkoutPreviewRequested();
      const now = get().checkout;
      if (now.previewError && now.redeemPoints > 0 && !OVERRIDABLE.has(now.previewError.code)) {
        return patch({ error: now.previewError, payment: { ...now.payment, open: false } });
      }
      // A till beside another register: the sale completes as it is (the money is taken elsewhere).
      if (!paymentsAtTill(get().money)) return send(completeRequestOf(now));
      const due = now.preview?.paidMinor;
      if (due === undefined) return patch({ error: now.previewError ?? localError('payment.noTotal') });
      if (!now.payment.open) {
        // Points paid it all: nothing to take.
        if (due === 0 && now.payment.lines.length === 0) return send(completeRequestOf(now));
        patch({ error: null, payment: { ...now.payment, open: true, error: null, amount: defaultAmountText(now.payment.code, now.payment.lines), dirty: false } });
        return;
      }
      // F9 never takes a payment by itself: an amount typed but not added (Enter) stops it.
      if (now.payment.dirty && now.payment.code && now.payment.amount.trim() !== '') return patchPayment({ error: localError('payment.pendingEntry') });
      const view = viewOf(now.payment.lines);
      if (!view) return patchPayment({ error: localError('payment.noTotal') });
      if (view.error) return patchPayment({ error: view.error });
      if (!view.settled) return patchPayment({ error: localError('payment.notCovered') });
      patchPayment({ error: null });
      await send(paidRequestOf(get().checkout));
    },

    paymentTenderChosen(code) {
      if (!editable()) return;
      const c = get().checkout;
      if (!c.payment.open || c.phase !== 'basket') return;
      const type = get().money.config?.config.tenderTypes.find((t) => t.code === code && t.active);
      if (!type) return;
      patchPayment({ code, amount: defaultAmountText(code, c.payment.lines), reference: '', dirty: false, error: null });
    },

    paymentAmountChanged(text) {
      if (!editable()) return;
      patchPayment({ amount: text, dirty: true, error: null });
    },

    paymentReferenceChanged(text) {
      if (!editable()) return;
      patchPayment({ reference: text, dirty: true, error: null });
    },

    paymentReferenceScanned(raw) {
      const c = get().checkout;
      if (c.phase !== 'basket' || !c.payment.open || !c.payment.code) return false;
      const type = get().money.config?.config.tenderTypes.find((t) => t.code === c.payment.code);
      if (!takesReference(type)) return false;
      if (!editable()) return true;
      patchPayment({ reference: raw.trim(), dirty: true, error: null });
      return true;
    },

    paymentLineAdded() {
      if (!editable()) return false;
      const pay = get().checkout.payment;
      if (!pay.open) return false;
      if (!pay.code) {
        patchPayment({ error: localError('payment.chooseTender') });
        return false;
      }
      const amountMinor = parseMoneyInput(pay.amount, digits());
      if (amountMinor === null) {
        patchPayment({ error: localError('checkout.amountInvalid') });
        return false;
      }
      return addLine({ code: pay.code, amountMinor, reference: pay.reference });
    },

    paymentQuickCashChosen(amountMinor) {
      if (!editable()) return;
      const config = get().money.config;
      const pay = get().checkout.payment;
      if (!config || !pay.open) return;
      const cash = config.config.tenderTypes.find((t) => t.kind === 'cash');
      if (cash) addLine({ code: cash.code, amountMinor, reference: null });
    },

    paymentLineRemoved(index) {
      if (!editable()) return;
      const pay = get().checkout.payment;
      if (index < 0 || index >= pay.lines.length) return;
      const lines = pay.lines.filter((_, i) => i !== index);
      patchPayment({ lines, amount: pay.dirty ? pay.amount : defaultAmountText(pay.code, lines), error: null });
    },

    paymentClosed() {
      if (!editable()) return;
      patchPayment({ open: false, error: null });
    },

    async saleRetried() {
      const r = get().checkout.submit.request;
      if (r) await send(r);
    },

    nextCustomerRequested() {
      const c = get().checkout;
      if (c.submit.status === 'sending' || c.submit.status === 'unknown') return patch({ error: localError('checkout.lockedWhileSending') });
      lookupTicket++;
      previewTicket++;
      set({ checkout: freshCheckout(newKey()) });
    },

    async checkoutDraftRestored() {
      let raw: string | null = null;
      try {
        raw = storage?.getItem(DRAFT_STORAGE_KEY) ?? null;
      } catch {
        raw = null;
      }
      const draft = parseDraft(raw);
      if (!draft) return;
      set({
        checkout: {
          ...freshCheckout(draft.saleKey),
          lines: draft.lines,
          nextLineNo: draft.nextLineNo,
          redeemPoints: draft.redeemPoints,
          restoreMemberId: draft.memberId,
          payment: { ...CLOSED_PAYMENT, lines: draft.tenders, open: draft.tenders.length > 0 },
          submit: draft.pendingRequest ? { status: 'unknown', error: localError('checkout.restoredPending'), request: draft.pendingRequest } : { status: 'idle', error: null, request: null },
        },
      });
      await get().checkoutResumed();
    },

    async checkoutResumed() {
      if (get().session.current === null) return;
      const id = get().checkout.restoreMemberId;
      if (id && !get().checkout.member) {
        try {
          const member = await api['members.get']({ memberId: id });
          patch({ member, restoreMemberId: null });
        } catch {
          // the member is gone (erased): the sale goes on without them
          patch({ restoreMemberId: null });
        }
      }
      await get().checkoutPreviewRequested();
    },
  };
};
