import { DomainError } from '../errors/domain-error';
import { allocateProportionally, requireWhole } from '../domain/money';
import type { Minor } from '../domain/types';
import { cashTenderOf } from './tender-basics';
import type { TenderConfig } from './tender-types';

/**
 * Refunds go back to the tenders that paid the sale.
 *
 * The rules, all in integer minor units:
 * - Each tender line of the sale can give back at most what it took (its applied amount) less
 *   what earlier refunds already took from it: its remaining. Money sent to cash instead of a
 *   card still uses up the card line's remaining, so it cannot be refunded twice.
 * - A partial refund returns its line amounts (planRefund's refundMinor), spread over the
 *   tenders in proportion to their remaining by largest remainder: the parts sum exactly, and no
 *   part exceeds its tender's remaining.
 * - The refund that completes the sale returns everything still remaining on every tender,
 *   whatever its line amount: so all refunds of a sale together return exactly what each tender
 *   took, including the cash rounding (a sale rounded to 12.30 gives back 12.30, never 12.34).
 *   The difference from the line amount is reported as the refund's rounding.
 * - A partial refund can ask for a little more than remains only when the sale was rounded down
 *   (the last un-refunded lines are worth the rounding): it returns what remains, and at most
 *   −saleRounding is withheld that way. Beyond that, REFUND_EXCEEDS_SALE.
 * - `toCash` pays the whole refund from the drawer; it needs a manager's approval as soon as any
 *   of it comes from a non-cash line (`needsApproval`; the caller asks for the PIN).
 */

/** A tender line of the original sale (its settlement line), named by the id the sale stored it under. */
export interface PaidTender {
  id: string;
  code: string;
  /** What the tender paid of the sale (SettlementLine.appliedMinor), >= 0. */
  appliedMinor: Minor;
}

/** Money an earlier refund took from a tender line of the sale (whatever tender it went back to). */
export interface PriorTenderRefund {
  tenderId: string;
  amountMinor: Minor;
}

export interface TenderRefundRequest {
  /** The sale's tender lines, in the sale's order. */
  paid: readonly PaidTender[];
  /** The sale's signed cash rounding (Settlement.roundingMinor): Σ applied = Σ line amounts + rounding. */
  saleRoundingMinor: Minor;
  /** Earlier refunds of the sale, one entry per (refund, tender line); summed per line. */
  refunded: readonly PriorTenderRefund[];
  /** What the refunded lines are worth (planRefund(...).refundMinor), >= 0. */
  refundMinor: Minor;
  /** This refund returns the last un-refunded units of the sale. */
  completesSale: boolean;
  /** Pay the whole refund in cash, whatever paid the sale. */
  toCash?: boolean;
}

export interface TenderRefundLine {
  /** The sale's tender line this money is taken from. */
  tenderId: string;
  /** That line's tender. */
  code: string;
  /** Where the money goes: `code`, or the cash tender when refunding to cash. */
  refundCode: string;
  amountMinor: Minor;
}

export interface TenderRefundPlan {
  /** One line per sale tender line that gives something back (> 0), in the sale's order. */
  lines: TenderRefundLine[];
  /** Σ lines: what the customer gets back. */
  totalMinor: Minor;
  /** totalMinor − refundMinor: the cash rounding returned with the last refund (or withheld). */
  roundingMinor: Minor;
  /** The part paid out of the drawer (the drawer's CASH_REFUND). */
  cashOutMinor: Minor;
  /** Money that came from a non-cash tender goes to cash: a manager must approve. */
  needsApproval: boolean;
}

/**
 * Allocates a refund over the sale's tenders (rules at the top of this file).
 * Throws DomainError INVALID_INPUT (amounts not whole, an empty or repeated tender id, an earlier
 * refund naming an unknown tender line or taking more than the line paid) and
 * REFUND_EXCEEDS_SALE (details: refundMinor, remainingMinor) when the refund asks for more than
 * the tenders have left beyond what a rounded-down sale allows.
 */
export function allocateRefundToTenders(request: TenderRefundRequest, config: TenderConfig): TenderRefundPlan {
  const cashCode = cashTenderOf(config).code;
  const refundMinor = requireWhole(request.refundMinor, 'refundMinor', 0);
  const saleRoundingMinor = requireWhole(request.saleRoundingMinor, 'saleRoundingMinor');

  const applied = new Map<string, number>();
  for (const t of request.paid) {
    requireWhole(t.appliedMinor, 'appliedMinor', 0, { tenderId: t.id });
    if (t.id === '' || applied.has(t.id)) {
      throw new DomainError('INVALID_INPUT', 'Every tender line of the sale needs its own id.', { tenderId: t.id });
    }
    applied.set(t.id, t.appliedMinor);
  }
  const taken = new Map<string, number>();
  for (const r of request.refunded) {
    requireWhole(r.amountMinor, 'refunded amountMinor', 0, { tenderId: r.tenderId });
    const paid = applied.get(r.tenderId);
    const sum = (taken.get(r.tenderId) ?? 0) + r.amountMinor;
    if (paid === undefined || sum > paid) {
      throw new DomainError('INVALID_INPUT', 'Earlier refunds took more from a tender than it paid.', {
        tenderId: r.tenderId,
        paidMinor: paid ?? 0,
        refundedMinor: sum,
      });
    }
    taken.set(r.tenderId, sum);
  }

  const remaining = request.paid.map((t) => t.appliedMinor - (taken.get(t.id) ?? 0));
  const remainingMinor = remaining.reduce((s, r) => s + r, 0);
  let totalMinor: Minor;
  if (request.completesSale) {
    totalMinor = remainingMinor;
  } else if (refundMinor <= remainingMinor) {
    totalMinor = refundMinor;
  } else if (refundMinor - remainingMinor <= Math.max(0, -saleRoundingMinor)) {
    totalMinor = remainingMinor;
  } else {
    throw new DomainError('REFUND_EXCEEDS_SALE', 'More would be refunded than the tenders have left.', {
      refundMinor,
      remainingMinor,
    });
  }

  // Proportional to what each line has left: every part is at most ceil(total × r / Σr) <= r.
  const parts = allocateProportionally(totalMinor, remaining);
  const lines: TenderRefundLine[] = [];
  let cashOutMinor = 0;
  let needsApproval = false;
  request.paid.forEach((t, i) => {
    const amountMinor = parts[i] as number;
    if (amountMinor === 0) return;
    const refundCode = request.toCash ? cashCode : t.code;
    if (refundCode === cashCode) cashOutMinor += amountMinor;
    if (t.code !== cashCode && refundCode === cashCode) needsApproval = true;
    lines.push({ tenderId: t.id, code: t.code, refundCode, amountMinor });
  });
  return { lines, totalMinor, roundingMinor: totalMinor - refundMinor, cashOutMinor, needsApproval };
}

/**
 * A refund needs a manager's approval when the sale's refunds together (earlier ones plus this
 * one) exceed the store's threshold, or always when the threshold is 0. Counting the earlier
 * refunds means splitting a large refund into small ones does not avoid the approval.
 */
export function refundNeedsApproval(refundMinor: Minor, config: TenderConfig, earlierRefundsOfSaleMinor: Minor = 0): boolean {
  requireWhole(refundMinor, 'refundMinor', 0);
  requireWhole(earlierRefundsOfSaleMinor, 'earlierRefundsOfSaleMinor', 0);
  const threshold = config.refundApprovalThresholdMinor;
  return threshold === 0 || refundMinor + earlierRefundsOfSaleMinor > threshold;
}

/** A refund needs a reason when the store asks for one on every refund, or when it needs approval. */
export function refundNeedsReason(refundMinor: Minor, config: TenderConfig, earlierRefundsOfSaleMinor: Minor = 0): boolean {
  return config.refundReasonRequired || refundNeedsApproval(refundMinor, config, earlierRefundsOfSaleMinor);
}
