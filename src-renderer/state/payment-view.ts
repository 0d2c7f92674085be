import type { TenderConfigDto } from '../../src-shared/api/contract-money';
import { cashTenderOf } from '../../src-shared/tenders/tender-basics';
import { quickCashAmounts, remainingDue, type PaymentProgress } from '../../src-shared/tenders/payment';
import { describeError, type UiError } from '../i18n/errors';

/**
 * The payment step's figures, from the shared payment rules only (src-shared/tenders/payment.ts):
 * what is left to pay, the change, the cash rounding, the quick-cash amounts. Pure: the slice,
 * the screen and the customer display all read the same numbers, and nothing here decides a rule.
 */

/** One tender taken at the payment step (cash: what the customer handed over). */
export interface PaymentLine {
  code: string;
  amountMinor: number;
  reference: string | null;
}

export interface PaymentView {
  /** The amount due after points (the preview's paidMinor). */
  dueMinor: number;
  /** Card, wallet and voucher amounts plus the cash handed over. */
  takenMinor: number;
  /** Left to pay with a card or wallet (exact); 0 once settled. */
  remainingMinor: number;
  /** Left to pay in cash, after the cash rounding; 0 once settled. */
  cashRemainingMinor: number;
  /** Change owed from the drawer; 0 until settled. */
  changeMinor: number;
  /** The cash rounding (signed) when cash is among the tenders; 0 otherwise. */
  roundingMinor: number;
  settled: boolean;
  /** Cash is among the tenders (the drawer opens). */
  hasCash: boolean;
  /** Amounts for the quick-cash keys (the exact cash still due, then the notes above it); empty once settled. */
  quickCash: number[];
  /** The lines break a rule (more on a card than is left: TENDER_NO_CHANGE, an unknown tender): in words. */
  error: UiError | null;
  progress: PaymentProgress | null;
}

/** Where the payment stands for these lines. Never throws: a rule the lines break comes back as `error`. */
export function paymentView(dueMinor: number, lines: readonly PaymentLine[], config: TenderConfigDto): PaymentView {
  const cashCode = cashTenderOf(config.config).code;
  const hasCash = lines.some((l) => l.code === cashCode);
  const takenMinor = lines.reduce((a, l) => a + l.amountMinor, 0);
  let progress: PaymentProgress;
  try {
    progress = remainingDue(dueMinor, lines, config.config);
  } catch (e) {
    return {
      dueMinor,
      takenMinor,
      remainingMinor: 0,
      cashRemainingMinor: 0,
      changeMinor: 0,
      roundingMinor: 0,
      settled: false,
      hasCash,
      quickCash: [],
      error: describeError(e),
      progress: null,
    };
  }
  return {
    dueMinor,
    takenMinor,
    remainingMinor: progress.nonCashToSettleMinor,
    cashRemainingMinor: progress.cashShortMinor,
    changeMinor: progress.changeMinor,
    roundingMinor: hasCash ? progress.cashRoundingMinor : 0,
    settled: progress.settled,
    hasCash,
    quickCash: progress.settled ? [] : quickCashAmounts(progress.cashShortMinor, config.denominations),
    error: null,
    progress,
  };
}

/** The amount a new line of this tender starts with: what is left for it (cash after rounding). */
export function defaultAmountMinor(view: PaymentView, code: string, config: TenderConfigDto): number {
  if (view.settled) return 0;
  return code === cashTenderOf(config.config).code ? view.cashRemainingMinor : view.remainingMinor;
}

/** Is this the store's cash tender? */
export function isCash(config: TenderConfigDto, code: string | null): boolean {
  return code !== null && cashTenderOf(config.config).code === code;
}
