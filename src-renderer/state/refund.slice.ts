import type { RefundDto, SaleDto } from '../../src-shared/api/dto';
import { describeError, isLinkFailure, localError, type UiError } from '../i18n/errors';
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
}

export interface RefundSlice {
  refund: RefundState;
  recentSalesRequested(): Promise<void>;
  refundReceiptLookedUp(receiptNo: string): Promise<void>;
  refundQuantityChanged(lineNo: number, quantity: number): void;
  /** Every line, all that is left of it. */
  refundAllChosen(): void;
  refundSubmitted(): Promise<void>;
  refundCleared(): void;
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
  const initial = (): RefundState => ({ status: 'idle', receiptNo: '', sale: null, quantities: {}, key: newKey(), result: null, error: null, recent: get()?.refund?.recent ?? [] });
  return {
    refund: { status: 'idle', receiptNo: '', sale: null, quantities: {}, key: newKey(), result: null, error: null, recent: [] },
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
    async refundSubmitted() {
      const r = get().refund;
      if (!r.sale || r.status === 'sending') return;
      const lines = refundLinesOf(r.quantities);
      if (lines.length === 0) return patch({ error: localError('refund.chooseLines') });
      patch({ status: 'sending', error: null });
      try {
        const result = await api['refunds.create']({ idempotencyKey: r.key, saleId: r.sale.id, lines });
        patch({ status: 'done', result });
        get().noticeShown('notice.refundDone', { receipt: r.sale.receiptNo }, 'success');
        void get().recentSalesRequested();
      } catch (e) {
        // After a link failure the same key is kept so a retry cannot refund twice.
        patch({ status: 'ready', error: describeError(e), ...(isLinkFailure(e) ? {} : { key: newKey() }) });
      }
    },
    refundCleared() {
      set({ refund: initial() });
    },
  };
};
