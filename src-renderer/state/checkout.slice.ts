import type { Input } from '../../src-shared/api/contract';
import type { CheckoutPreviewDto, MemberDto, MemberSummaryDto, ProductPriceDto, SaleDto } from '../../src-shared/api/dto';
import { classifyScan } from '../../src-shared/cards/classify';
import { describeError, errorCodeOf, isLinkFailure, localError, type UiError } from '../i18n/errors';
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
  /** F9: complete the sale (or, when done, start the next customer). */
  saleCompleted(): Promise<void>;
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

/** What survives a reload: never the manager's approval. */
export interface CheckoutDraft {
  saleKey: string;
  memberId: string | null;
  lines: DraftLine[];
  nextLineNo: number;
  redeemPoints: number;
  pendingRequest: CompleteRequest | null;
}

export function draftOf(c: CheckoutState): CheckoutDraft | null {
  if (c.phase === 'done' || (c.lines.length === 0 && c.member === null && c.restoreMemberId === null)) return null;
  const pending = c.submit.request ? { ...c.submit.request, approval: undefined } : null;
  return { saleKey: c.saleKey, memberId: c.member?.id ?? c.restoreMemberId, lines: c.lines, nextLineNo: c.nextLineNo, redeemPoints: c.redeemPoints, pendingRequest: pending };
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

  const memberSelected = (member: MemberDto): void => {
    patch({ member, memberLoading: false, lookup: initialLookup, redeemPoints: 0, previewError: null, error: null });
    void get().checkoutPreviewRequested();
  };

  const finish = (sale: SaleDto): void => {
    const c = get().checkout;
    const member = c.member && sale.balanceAfter !== null ? { ...c.member, balance: sale.balanceAfter } : c.member;
    patch({ phase: 'done', sale, member, submit: { status: 'idle', error: null, request: null }, error: null });
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
          patch({ lookup: initialLookup, productCode: outcome.ean13, productKnown: outcome.product });
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
        return patch({ error: now.previewError });
      }
      await send(completeRequestOf(now));
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
