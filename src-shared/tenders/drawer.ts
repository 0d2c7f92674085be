import { DomainError } from '../errors/domain-error';
import { requireWhole } from '../domain/money';
import type { Minor } from '../domain/types';

/**
 * A cash drawer session as a fold over its events (Square's shift model, research-pos-money.md C
 * and G): the totals are never stored, always derived, so they cannot drift from the events.
 *
 * Invariants:
 * - expected = opening count + cash sales − cash refunds + pay-ins − pay-outs − pick-ups, at
 *   every step; it never goes below 0 (money leaves the drawer only if the drawer holds it).
 * - over/short = closing count − expected (over > 0, short < 0; Odoo's sign).
 * - opening discrepancy = opening count − the previous session's closing count, when there is one.
 * - Cash is taken only while the session is open: one OPEN first, one CLOSE last, nothing after.
 *
 * A blind close: the cashier counts without seeing what the drawer should hold. The session
 * (`DrawerSession`) stays in the core; a cashier's screen gets `blindDrawerView`, which carries
 * no amount, and the expected cash comes out of `closeDrawer`, which cannot be called without the
 * count. (A report that shows a cashier the cash sales and the float mid-session would undo
 * this; such totals belong to manager reports.)
 */

export const DRAWER_EVENT_TYPES = [
  'OPEN', // the float counted at the start: amount = the count
  'CASH_SALE', // net cash in of a sale = tendered − change (Settlement.cashAppliedMinor), >= 0
  'CASH_REFUND', // cash paid out for a refund (TenderRefundPlan.cashOutMinor), > 0
  'PAY_IN', // cash put in with a reason (more change, a float top-up), > 0
  'PAY_OUT', // cash taken out with a reason (a delivery paid at the door), > 0
  'PICKUP', // cash taken to the safe, > 0
  'NO_SALE', // the drawer opened without a sale; amount 0, recorded for the audit trail
  'CLOSE', // the closing count: amount = the count
] as const;
export type DrawerEventType = (typeof DRAWER_EVENT_TYPES)[number];

/** One drawer event. The amount is never signed: the type says which way the money went. */
export interface DrawerEvent {
  type: DrawerEventType;
  /** OPEN and CLOSE: the amount counted. NO_SALE: 0. Otherwise the cash moved. */
  amountMinor: Minor;
  /** Required for PAY_IN and PAY_OUT; optional otherwise. */
  reason?: string | null;
}

export type DrawerStatus = 'not_open' | 'open' | 'closed';

/** The core's view of a session. Carries the expected cash: never send it to a cashier's screen before the close. */
export interface DrawerSession {
  status: DrawerStatus;
  /** The previous session's closing count for this drawer; null for its first session. */
  previousCloseMinor: Minor | null;
  openingCountMinor: Minor | null;
  /** opening count − previous close; null before the opening or without a previous close. */
  openingDiscrepancyMinor: Minor | null;
  cashSalesMinor: Minor;
  cashRefundsMinor: Minor;
  payInsMinor: Minor;
  payOutsMinor: Minor;
  pickupsMinor: Minor;
  noSaleCount: number;
  /** What the drawer should hold now (0 before the opening). */
  expectedMinor: Minor;
  closingCountMinor: Minor | null;
  /** closing count − expected; null until the close. */
  overShortMinor: Minor | null;
}

export interface ClosedDrawerSession extends DrawerSession {
  status: 'closed';
  closingCountMinor: Minor;
  overShortMinor: Minor;
}

/** What a cashier's screen may know about the session before the close count: no amounts. */
export interface BlindDrawerView {
  status: DrawerStatus;
  /** Cash can be taken (the session is open). */
  canTakeCash: boolean;
}

/** A session before its OPEN event. */
export function newDrawerSession(previousCloseMinor: Minor | null): DrawerSession {
  if (previousCloseMinor !== null) requireWhole(previousCloseMinor, 'previousCloseMinor', 0);
  return {
    status: 'not_open',
    previousCloseMinor,
    openingCountMinor: null,
    openingDiscrepancyMinor: null,
    cashSalesMinor: 0,
    cashRefundsMinor: 0,
    payInsMinor: 0,
    payOutsMinor: 0,
    pickupsMinor: 0,
    noSaleCount: 0,
    expectedMinor: 0,
    closingCountMinor: null,
    overShortMinor: null,
  };
}

function amountOf(event: DrawerEvent, min: number): Minor {
  return requireWhole(event.amountMinor, 'amountMinor', min, { type: event.type });
}

function sum(a: Minor, b: Minor, field: string): Minor {
  return requireWhole(a + b, field);
}

/**
 * Money out of the drawer: refused when the drawer does not hold it. The details say what was
 * asked, never what the drawer holds (that would tell a cashier the expected cash before the count).
 */
function takeOut(session: DrawerSession, event: DrawerEvent): Minor {
  const amount = amountOf(event, 1);
  if (amount > session.expectedMinor) {
    throw new DomainError('DRAWER_CASH_INSUFFICIENT', 'The drawer does not hold that much cash.', {
      type: event.type,
      amountMinor: amount,
    });
  }
  return session.expectedMinor - amount;
}

function requireReason(event: DrawerEvent): void {
  if (typeof event.reason !== 'string' || event.reason.trim() === '') {
    throw new DomainError('INVALID_INPUT', 'Cash paid in or out needs a reason.', { type: event.type, field: 'reason' });
  }
}

/**
 * The session after one more event. Throws DomainError:
 * DRAWER_CLOSED (any event after the CLOSE), DRAWER_NOT_OPEN (anything but OPEN first),
 * DRAWER_ALREADY_OPEN (a second OPEN), INVALID_INPUT (an amount that is not a whole number,
 * negative, 0 where money must move, not 0 for NO_SALE, an unknown type, a missing reason on
 * PAY_IN or PAY_OUT), DRAWER_CASH_INSUFFICIENT (a cash refund, pay-out or pick-up above the
 * expected cash; details: type, amountMinor).
 */
export function applyDrawerEvent(session: DrawerSession, event: DrawerEvent): DrawerSession {
  if (session.status === 'closed') {
    throw new DomainError('DRAWER_CLOSED', 'This drawer session is closed.', { type: event.type });
  }
  if (!(DRAWER_EVENT_TYPES as readonly string[]).includes(event.type)) {
    throw new DomainError('INVALID_INPUT', 'Unknown drawer event.', { type: event.type });
  }
  if (session.status === 'not_open' && event.type !== 'OPEN') {
    throw new DomainError('DRAWER_NOT_OPEN', 'The drawer is not open: count the float first.', { type: event.type });
  }
  switch (event.type) {
    case 'OPEN': {
      if (session.status === 'open') {
        throw new DomainError('DRAWER_ALREADY_OPEN', 'The drawer is already open.', { type: event.type });
      }
      const counted = amountOf(event, 0);
      return {
        ...session,
        status: 'open',
        openingCountMinor: counted,
        openingDiscrepancyMinor: session.previousCloseMinor === null ? null : counted - session.previousCloseMinor,
        expectedMinor: counted,
      };
    }
    case 'CASH_SALE': {
      const amount = amountOf(event, 0);
      return {
        ...session,
        cashSalesMinor: sum(session.cashSalesMinor, amount, 'cashSalesMinor'),
        expectedMinor: sum(session.expectedMinor, amount, 'expectedMinor'),
      };
    }
    case 'PAY_IN': {
      requireReason(event);
      const amount = amountOf(event, 1);
      return {
        ...session,
        payInsMinor: sum(session.payInsMinor, amount, 'payInsMinor'),
        expectedMinor: sum(session.expectedMinor, amount, 'expectedMinor'),
      };
    }
    case 'CASH_REFUND': {
      const expectedMinor = takeOut(session, event);
      return { ...session, cashRefundsMinor: session.cashRefundsMinor + event.amountMinor, expectedMinor };
    }
    case 'PAY_OUT': {
      requireReason(event);
      const expectedMinor = takeOut(session, event);
      return { ...session, payOutsMinor: session.payOutsMinor + event.amountMinor, expectedMinor };
    }
    case 'PICKUP': {
      const expectedMinor = takeOut(session, event);
      return { ...session, pickupsMinor: session.pickupsMinor + event.amountMinor, expectedMinor };
    }
    case 'NO_SALE': {
      if (event.amountMinor !== 0) {
        throw new DomainError('INVALID_INPUT', 'A no-sale opening moves no money.', {
          type: event.type,
          amountMinor: event.amountMinor,
        });
      }
      return { ...session, noSaleCount: session.noSaleCount + 1 };
    }
    case 'CLOSE': {
      const counted = amountOf(event, 0);
      return {
        ...session,
        status: 'closed',
        closingCountMinor: counted,
        overShortMinor: counted - session.expectedMinor,
      };
    }
  }
}

/** A session from its events in order, given the previous session's closing count (null for none). */
export function replayDrawer(events: readonly DrawerEvent[], previousCloseMinor: Minor | null): DrawerSession {
  return events.reduce(applyDrawerEvent, newDrawerSession(previousCloseMinor));
}

/** What a cashier's screen may show before the close count: the status, never an amount. */
export function blindDrawerView(session: DrawerSession): BlindDrawerView {
  return { status: session.status, canTakeCash: session.status === 'open' };
}

/**
 * The blind close: the count goes in, and only then the expected cash and the over/short come
 * out, with the closed session (the CLOSE event applied). Throws as `applyDrawerEvent` does
 * (DRAWER_NOT_OPEN, DRAWER_CLOSED, INVALID_INPUT for a count that is not a whole amount >= 0).
 */
export function closeDrawer(session: DrawerSession, countedMinor: Minor): ClosedDrawerSession {
  const closed = applyDrawerEvent(session, { type: 'CLOSE', amountMinor: countedMinor });
  const { closingCountMinor, overShortMinor } = closed;
  if (closingCountMinor === null || overShortMinor === null) {
    throw new DomainError('INTERNAL', 'A closed drawer session has no closing count.'); // CLOSE always sets both
  }
  return { ...closed, status: 'closed', closingCountMinor, overShortMinor };
}
