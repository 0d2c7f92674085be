import { DomainError } from '../errors/domain-error';
import { requireWhole } from '../domain/money';
import type { Minor } from '../domain/types';
import {
  REFERENCE_MAX_LENGTH,
  cashRoundingIncrementMinor,
  cashTenderOf,
  compileReferencePattern,
  findTenderType,
  type TenderKind,
} from './tender-basics';
import type { TenderConfig, TenderType } from './tender-types';

/**
 * Taking the money: the amount due (after points) is covered by tenders.
 *
 * The rules, all in integer minor units:
 * - A non-cash tender is charged exactly its amount (the card or wallet terminal approved that
 *   amount): it is never rounded and never gives change, so the non-cash tenders together may
 *   not exceed the amount due (TENDER_NO_CHANGE).
 * - Cash settles the remainder R = due − Σ non-cash. Several cash lines (a note, then coins) are
 *   one cash tender: their amounts are what the customer handed over, added up.
 * - Cash rounding applies to the cash part only: with an increment I > 0 and at least one cash
 *   line, the cash due is R rounded half-up to a multiple of I (an exact half goes up), and the
 *   rounding is cashDue − R. With no cash line there is no rounding, whatever the configuration.
 *   So −I/2 < rounding <= I/2 (I is even: 10, 50 or 100 fen), and |rounding| < I/2 + 1 fen.
 * - The sale is settled when, with cash, cash tendered >= cash due (change = the excess), or,
 *   without cash, Σ non-cash = due exactly. Otherwise TENDER_SHORT.
 * - Invariants of every settlement: Σ applied = due + rounding; change >= 0 and only on the cash
 *   line; the cash line's applied amount = tendered − change (the drawer's net cash in).
 * The rules do not depend on the order of the lines (the screen may take cash first).
 */

export interface TenderInput {
  code: string;
  /** Non-cash: the amount charged. Cash: what the customer handed over (may be 0, see `remainingDue`). */
  amountMinor: Minor;
  /** Card slip digits, wallet transaction number, voucher number; trimmed, empty = none. */
  reference?: string | null;
}

export interface SettlementLine {
  code: string;
  kind: TenderKind;
  /** What this tender pays of the sale: the non-cash amount, or the cash due after rounding. */
  appliedMinor: Minor;
  /** What was charged (non-cash, = applied) or handed over (cash). */
  tenderedMinor: Minor;
  /** tendered − applied; non-zero only on the cash line. */
  changeMinor: Minor;
  reference: string | null;
}

export interface Settlement {
  /** The amount due after points, as given. */
  dueMinor: Minor;
  /** One line per non-cash input line and one cash line (at its first cash line's place), in input order. */
  lines: SettlementLine[];
  nonCashMinor: Minor;
  /** Σ cash handed over. */
  cashTenderedMinor: Minor;
  /** The cash due after rounding = cash tendered − change: the drawer's net cash in (CASH_SALE). */
  cashAppliedMinor: Minor;
  changeMinor: Minor;
  /** Signed cash rounding: paid − due. Recorded on the sale as its own amount, never inside a line or tax. */
  roundingMinor: Minor;
  /** Σ applied = due + rounding. */
  paidMinor: Minor;
  /** A tender of the sale opens the drawer (cash, or a type configured to). */
  opensDrawer: boolean;
}

/** Where a payment stands as tenders are added one by one; what the payment screen shows. */
export interface PaymentProgress {
  dueMinor: Minor;
  nonCashMinor: Minor;
  cashTenderedMinor: Minor;
  /** due − Σ non-cash: the most the next non-cash tender may charge (more would need change from it). */
  nonCashLimitMinor: Minor;
  /** What cash must cover if cash settles the rest: nonCashLimit rounded half-up to the increment. */
  cashDueMinor: Minor;
  /** The rounding if cash settles the rest (cashDue − nonCashLimit); 0 when rounding is off. */
  cashRoundingMinor: Minor;
  /**
   * More cash that settles the sale: cashDue − cash tendered while not settled, 0 once settled.
   * 0 while not settled means the rounded remainder is nothing: a cash line of 0 settles it.
   */
  cashShortMinor: Minor;
  /**
   * A non-cash amount that settles the sale with the cash already handed over, 0 once settled.
   * Without cash it is nonCashLimit. With cash C (not enough), the card takes the rest so that
   * the cash part is C floored to the increment, which needs no rounding (the odd coins, if
   * any, go back as change).
   */
  nonCashToSettleMinor: Minor;
  /** Change owed if the sale were settled now; 0 while not settled. */
  changeMinor: Minor;
  /** `settleSale` would accept these tenders (references aside). */
  settled: boolean;
}

/** `amountMinor` (>= 0) rounded half-up to a multiple of `incrementMinor` (0 = unchanged). */
export function roundCashHalfUp(amountMinor: Minor, incrementMinor: Minor): Minor {
  requireWhole(amountMinor, 'amountMinor', 0);
  requireWhole(incrementMinor, 'incrementMinor', 0);
  if (incrementMinor === 0) return amountMinor;
  const rest = amountMinor % incrementMinor;
  const down = amountMinor - rest;
  // 2 * rest >= increment: the exact half goes up. rest < increment, so 2 * rest is safe.
  return 2 * rest >= incrementMinor ? requireWhole(down + incrementMinor, 'roundedMinor') : down;
}

interface ReadLine {
  index: number;
  type: TenderType;
  isCash: boolean;
  amountMinor: Minor;
  reference: string | null;
}

interface Totals {
  lines: ReadLine[];
  nonCashMinor: Minor;
  cashTenderedMinor: Minor;
  hasCash: boolean;
}

function addChecked(sum: Minor, amount: Minor, index: number, code: string): Minor {
  const next = sum + amount;
  if (!Number.isSafeInteger(next)) {
    throw new DomainError('TENDER_INVALID_AMOUNT', 'The tendered amounts are too large to add up exactly.', {
      index,
      code,
    });
  }
  return next;
}

function readReference(type: TenderType, raw: string | null | undefined, index: number): string | null {
  const reference = typeof raw === 'string' ? raw.trim() : '';
  if (reference === '') {
    if (type.referenceRequired) {
      throw new DomainError('TENDER_REFERENCE_REQUIRED', `${type.names.en} needs a reference.`, {
        index,
        code: type.code,
      });
    }
    return null;
  }
  const pattern = type.referencePattern === undefined ? null : compileReferencePattern(type.referencePattern);
  if (reference.length > REFERENCE_MAX_LENGTH || (pattern !== null && !pattern.test(reference))) {
    throw new DomainError('TENDER_REFERENCE_INVALID', `That is not a valid reference for ${type.names.en}.`, {
      index,
      code: type.code,
    });
  }
  return reference;
}

/**
 * The reference of one tender line as `settleSale` will read it: trimmed, null when empty and not
 * required. For the payment screen, which checks the slip's digits or the scanned transaction
 * number when the line is added rather than when the sale completes.
 * Throws DomainError TENDER_UNKNOWN, TENDER_REFERENCE_REQUIRED, TENDER_REFERENCE_INVALID (details: index, code).
 */
export function tenderReference(config: TenderConfig, code: string, raw: string | null | undefined, index = 0): string | null {
  const type = findTenderType(config, code);
  if (!type) throw new DomainError('TENDER_UNKNOWN', 'This store does not take that tender.', { index, code });
  return readReference(type, raw, index);
}

/**
 * Validates each line in order (TENDER_UNKNOWN, TENDER_INACTIVE, TENDER_INVALID_AMOUNT, then
 * the reference when asked), then the non-cash total against the due (TENDER_NO_CHANGE).
 */
function readTenders(
  dueMinor: Minor,
  tenders: readonly TenderInput[],
  config: TenderConfig,
  checkReferences: boolean,
): Totals {
  requireWhole(dueMinor, 'dueMinor', 0);
  const cash = cashTenderOf(config);
  const lines: ReadLine[] = [];
  tenders.forEach((t, index) => {
    const type = findTenderType(config, t.code);
    if (!type) {
      throw new DomainError('TENDER_UNKNOWN', 'This store does not take that tender.', { index, code: t.code });
    }
    if (!type.active) {
      throw new DomainError('TENDER_INACTIVE', `${type.names.en} is switched off at this store.`, { index, code: t.code });
    }
    const isCash = type.code === cash.code;
    // Cash may be 0 (the rounded remainder is nothing); a non-cash charge of 0 is a mistake.
    if (!Number.isSafeInteger(t.amountMinor) || t.amountMinor < (isCash ? 0 : 1)) {
      throw new DomainError('TENDER_INVALID_AMOUNT', 'A tendered amount must be a whole amount (above 0 for a non-cash tender).', {
        index,
        code: t.code,
        amountMinor: t.amountMinor,
      });
    }
    const reference = checkReferences
      ? readReference(type, t.reference, index)
      : typeof t.reference === 'string' && t.reference.trim() !== ''
        ? t.reference.trim()
        : null;
    lines.push({ index, type, isCash, amountMinor: t.amountMinor, reference });
  });

  let nonCashMinor = 0;
  let cashTenderedMinor = 0;
  for (const l of lines) {
    if (l.isCash) {
      cashTenderedMinor = addChecked(cashTenderedMinor, l.amountMinor, l.index, l.type.code);
      continue;
    }
    const limit = dueMinor - nonCashMinor;
    if (l.amountMinor > limit) {
      throw new DomainError('TENDER_NO_CHANGE', `${l.type.names.en} cannot pay more than is left to pay: it gives no change.`, {
        index: l.index,
        code: l.type.code,
        amountMinor: l.amountMinor,
        nonCashLimitMinor: limit,
      });
    }
    nonCashMinor += l.amountMinor; // <= dueMinor, so safe
  }
  return { lines, nonCashMinor, cashTenderedMinor, hasCash: lines.some((l) => l.isCash) };
}

/** `remainingDue` of already read tenders. */
function progressOf(dueMinor: Minor, totals: Totals, incrementMinor: Minor): PaymentProgress {
  const { nonCashMinor, cashTenderedMinor, hasCash } = totals;
  const nonCashLimitMinor = dueMinor - nonCashMinor;
  const cashDueMinor = roundCashHalfUp(nonCashLimitMinor, incrementMinor);
  const settled = hasCash ? cashTenderedMinor >= cashDueMinor : nonCashLimitMinor === 0;
  // The cash part that needs no rounding: C floored to the increment (it stays below the cash
  // due when not settled, so the non-cash amount below is positive and within the limit).
  const cashPartMinor = incrementMinor === 0 ? cashTenderedMinor : cashTenderedMinor - (cashTenderedMinor % incrementMinor);
  return {
    dueMinor,
    nonCashMinor,
    cashTenderedMinor,
    nonCashLimitMinor,
    cashDueMinor,
    cashRoundingMinor: cashDueMinor - nonCashLimitMinor,
    cashShortMinor: settled ? 0 : Math.max(0, cashDueMinor - cashTenderedMinor),
    nonCashToSettleMinor: settled ? 0 : nonCashLimitMinor - Math.min(cashPartMinor, nonCashLimitMinor),
    changeMinor: settled && hasCash ? cashTenderedMinor - cashDueMinor : 0,
    settled,
  };
}

/**
 * Where a payment stands, for the payment screen as tenders are added one by one: what is left
 * for a non-cash tender, what cash must cover (after rounding), the change, whether it is
 * settled. References are not checked yet (the cashier may type them after the amount).
 * Throws DomainError INVALID_INPUT (due not a whole amount >= 0), TENDER_UNKNOWN,
 * TENDER_INACTIVE, TENDER_INVALID_AMOUNT, TENDER_NO_CHANGE (details: index, code, amountMinor,
 * nonCashLimitMinor) as `settleSale` does.
 */
export function remainingDue(dueMinor: Minor, tenders: readonly TenderInput[], config: TenderConfig): PaymentProgress {
  return progressOf(dueMinor, readTenders(dueMinor, tenders, config, false), cashRoundingIncrementMinor(config));
}

/**
 * The settlement of a sale: each tender line with what it pays, the cash tendered and the change,
 * the signed cash rounding, the totals (rules and invariants at the top of this file).
 * Throws DomainError, checking each line in order, then the totals:
 * INVALID_INPUT (due), TENDER_UNKNOWN, TENDER_INACTIVE, TENDER_INVALID_AMOUNT (not a whole amount,
 * a non-cash amount of 0, or totals beyond exact arithmetic), TENDER_REFERENCE_REQUIRED,
 * TENDER_REFERENCE_INVALID (too long, or not matching the type's pattern), then TENDER_NO_CHANGE
 * (the non-cash tenders exceed the due) and TENDER_SHORT (details: dueMinor, shortMinor, the
 * amount still missing in the tender that would settle: cash after rounding if cash was given,
 * otherwise non-cash).
 */
export function settleSale(dueMinor: Minor, tenders: readonly TenderInput[], config: TenderConfig): Settlement {
  const totals = readTenders(dueMinor, tenders, config, true);
  const progress = progressOf(dueMinor, totals, cashRoundingIncrementMinor(config));
  if (!progress.settled) {
    throw new DomainError('TENDER_SHORT', 'The tenders do not cover the amount due.', {
      dueMinor,
      shortMinor: totals.hasCash ? progress.cashShortMinor : progress.nonCashLimitMinor,
    });
  }

  const cashAppliedMinor = totals.hasCash ? progress.cashDueMinor : 0;
  const roundingMinor = totals.hasCash ? progress.cashRoundingMinor : 0;
  const lines: SettlementLine[] = [];
  let cashLine: SettlementLine | null = null;
  for (const l of totals.lines) {
    if (!l.isCash) {
      lines.push({
        code: l.type.code,
        kind: l.type.kind,
        appliedMinor: l.amountMinor,
        tenderedMinor: l.amountMinor,
        changeMinor: 0,
        reference: l.reference,
      });
    } else if (cashLine === null) {
      cashLine = {
        code: l.type.code,
        kind: l.type.kind,
        appliedMinor: cashAppliedMinor,
        tenderedMinor: totals.cashTenderedMinor,
        changeMinor: progress.changeMinor,
        reference: l.reference,
      };
      lines.push(cashLine);
    } else if (cashLine.reference === null) {
      cashLine.reference = l.reference;
    }
  }
  const opensDrawer = totals.lines.some((l) => l.type.opensDrawer);
  return {
    dueMinor,
    lines,
    nonCashMinor: totals.nonCashMinor,
    cashTenderedMinor: totals.cashTenderedMinor,
    cashAppliedMinor,
    changeMinor: progress.changeMinor,
    roundingMinor,
    paidMinor: totals.nonCashMinor + cashAppliedMinor,
    opensDrawer,
  };
}

/** Quick-cash keys: amounts rounded to coins (1 yuan and below) are left to the keypad. */
export const QUICK_CASH_MIN_NOTE_MINOR: Minor = 500;

/**
 * The amounts for the quick-cash keys: the exact amount, then the `count` smallest amounts above
 * it that a customer would hand over in notes, i.e. `dueMinor` rounded up to a multiple of each
 * denomination of at least `minNoteMinor` (default 5 yuan). Ascending, without repeats.
 * Due 37.50 with CNY notes: 37.50, 40, 50, 100. Pass the cash still due after rounding
 * (`PaymentProgress.cashShortMinor`), not the sale's due.
 */
export function quickCashAmounts(
  dueMinor: Minor,
  denominations: readonly Minor[],
  options: { count?: number; minNoteMinor?: Minor } = {},
): Minor[] {
  requireWhole(dueMinor, 'dueMinor', 0);
  const count = requireWhole(options.count ?? 3, 'count', 0);
  const minNote = requireWhole(options.minNoteMinor ?? QUICK_CASH_MIN_NOTE_MINOR, 'minNoteMinor', 1);
  const above = new Set<Minor>();
  for (const d of denominations) {
    requireWhole(d, 'denominationMinor', 1);
    if (d < minNote) continue;
    const rest = dueMinor % d;
    const up = dueMinor - rest + d; // the next multiple of d above the due (integer arithmetic, no division)
    if (rest !== 0 && Number.isSafeInteger(up)) above.add(up);
  }
  return [dueMinor, ...[...above].sort((a, b) => a - b).slice(0, count)];
}
