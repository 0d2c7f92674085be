import type { Input } from '../../src-shared/api/contract';
import type { RefundDto, SaleDto } from '../../src-shared/api/dto';
import { isPosApiError } from '../api/errors';
import { describeError, errorCodeOf, isLinkFailure, localError, type UiError } from '../i18n/errors';
import type { SliceCreator } from './types';

export interface RefundState {
  status: 'idle' | 'loading' | 'ready' | 'sending' | 'done' | 'error';
  receiptNo: string;
  sale: SaleDto | null;
  /** Quantity to refund per line number. */
  quantities: Record<number, number>;
  /** The refund's idempotency key: one per refund attempt on this receipt, reused on retry. */
  key: string;
  result: RefundDto | null;
  error: UiError | null;
  recent: SaleDto[];
  /** Pay the refund in cash instead of the sale's card or wallet (a manager approves). */
  toCash: boolean;
  reason: string;
  /** What the core asked for before it refunds: a manager's approval (MANAGER_PIN_REQUIRED), a reason. */
  needs: { approval: boolean; reason: boolean };
}

export interface RefundSlice {
  refund: RefundState;
  recentSalesRequested(): Promise<void>;
  refundReceiptLookedUp(receiptNo: string): Promise<void>;
  refundQuantityChanged(lineNo: number, quantity: number): void;
  /** Every line, all that is left of it. */
  refundAllChosen(): void;
  refundToCashChanged(toCash: boolean): void;
  refundReasonChanged(reason: string): void;
  /**
   * Sends the refund. When the core asks for a manager (MANAGER_PIN_REQUIRED: above the store's
   * threshold, or cash instead of a card) or for a reason, the screen asks for them and sends the
   * same refund again with the same key.
   */
  refundSubmitted(): Promise<void>;
  refundCleared(): void;
}

/** The sale was paid (at least partly) with something other than cash: refunding to cash instead is a choice. */
export function hasNonCashTender(sale: SaleDto | null): boolean {
  return !!sale && sale.tenders.some((t) => t.kind !== 'cash');
}

/** What is left to refund on a line. */
export function refundableQuantity(line: SaleDto['lines'][number]): number {
  return Math.max(0, line.quantity - line.refundedQuantity);
}

/** The lines to send: only those with a quantity. */
export function refundLinesOf(quantities: Record<number, number>): { lineNo: number; quantity: number }[] {
  return Object.entries(quantities)
    .map(([lineNo, quantity]) => ({ lineNo: Number(lineNo), quantity }))
    .filter((l) => l.quantity > 0)
    .sort((a, b) => a.lineNo - b.lineNo);
}

export const createRefundSlice: SliceCreator<RefundSlice> = ({ api, newKey }) => (set, get) => {
  const patch = (p: Partial<RefundState>): void => set({ refund: { ...get().refund, ...p } });
  const initial = (): RefundState => ({
    status: 'idle',
    receiptNo: '',
    sale: null,
    quantities: {},
    key: newKey(),
    result: null,
    error: null,
    recent: get()?.refund?.recent ?? [],
    toCash: false,
    reason: '',
    needs: { approval: false, reason: false },
  });
  const done = (result: RefundDto): void => {
    const r = get().refund;
    patch({ status: 'done', result, error: null, needs: { approval: false, reason: false } });
    get().noticeShown('notice.refundDone', { receipt: r.sale?.receiptNo ?? result.receiptNo }, 'success');
    void get().recentSalesRequested();
    // Cash paid out of the drawer, or a card refunded: the header's drawer state may matter to the cashier.
    if (result.tenders.some((t) => t.kind === 'cash')) void get().drawerStatusRefreshed();
  };
  return {
    refund: { ...initial(), recent: [] },
    async recentSalesRequested() {
      try {
        patch({ recent: await api['sales.recent']({ limit: 10 }) });
      } catch {
        // the list is a convenience; the receipt number field still works
      }
    },
    async refundReceiptLookedUp(receiptNo) {
      const q = receiptNo.trim();
      if (!q) return patch({ error: localError('refund.typeReceipt') });
      set({ refund: { ...initial(), status: 'loading', receiptNo: q } });
      try {
        const sale = await api['sales.get']({ receiptNo: q });
        patch({ status: 'ready', sale, quantities: {} });
      } catch (e) {
        patch({ status: 'error', error: describeError(e) });
      }
    },
    refundQuantityChanged(lineNo, quantity) {
      const r = get().refund;
      const line = r.sale?.lines.find((l) => l.lineNo === lineNo);
      if (!line || r.status === 'sending' || r.status === 'done') return;
      const q = Math.max(0, Math.min(refundableQuantity(line), Math.trunc(quantity)));
      patch({ quantities: { ...r.quantities, [lineNo]: q }, error: null });
    },
    refundAllChosen() {
      const r = get().refund;
      if (!r.sale || r.status === 'sending' || r.status === 'done') return;
      patch({ quantities: Object.fromEntries(r.sale.lines.map((l) => [l.lineNo, refundableQuantity(l)])), error: null });
    },
    refundToCashChanged(toCash) {
      const r = get().refund;
      if (r.status === 'sending' || r.status === 'done') return;
      patch({ toCash, error: null });
    },
    refundReasonChanged(reason) {
      const r = get().refund;
      if (r.status === 'sending' || r.status === 'done') return;
      patch({ reason, error: null });
    },
    async refundSubmitted() {
      const r = get().refund;
      if (!r.sale || r.status === 'sending' || r.status === 'done') return;
      const lines = refundLinesOf(r.quantities);
      if (lines.length === 0) return patch({ error: localError('refund.chooseLines') });
      const reason = r.reason.trim();
      // An approved refund carries its reason (the audit log shows why the manager agreed).
      if ((r.needs.reason || r.needs.approval) && !reason) return patch({ error: localError(r.needs.approval ? 'refund.approvalReason' : 'refund.reasonNeeded') });
      // The key stays until the refund is done: whatever was refused wrote nothing, and a lost answer is replayed.
      const request: Input<'refunds.create'> = { idempotencyKey: r.key, saleId: r.sale.id, lines, ...(r.toCash ? { toCash: true } : {}), ...(reason ? { reason } : {}) };
      patch({ status: 'sending', error: null });
      try {
        if (r.needs.approval) {
          const result = await get().approvalRequested(r.toCash ? 'approval.purpose.refundToCash' : 'approval.purpose.refund', (approval) => api['refunds.create']({ ...request, approval }), {
            receipt: r.sale.receiptNo,
            reason,
          });
          if (result) done(result);
          else patch({ status: 'ready' });
          return;
        }
        done(await api['refunds.create'](request));
      } catch (e) {
        const code = errorCodeOf(e);
        if (code === 'MANAGER_PIN_REQUIRED') {
          patch({ status: 'ready', needs: { approval: true, reason: true }, error: reason ? null : localError('refund.approvalReason') });
          // The reason is already there: straight to the manager's PIN.
          if (reason) await get().refundSubmitted();
          return;
        }
        if (code === 'INVALID_INPUT' && isPosApiError(e) && e.details.field === 'reason') {
          patch({ status: 'ready', needs: { ...get().refund.needs, reason: true }, error: localError('refund.reasonNeeded') });
          return;
        }
        patch({ status: 'ready', error: describeError(e) });
        if (code === 'DRAWER_NOT_OPEN' || code === 'DRAWER_CASH_INSUFFICIENT' || isLinkFailure(e)) void get().drawerStatusRefreshed();
      }
    },
    refundCleared() {
      set({ refund: initial() });
    },
  };
};
