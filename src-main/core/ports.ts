/**
 * What one area of the core needs from another, as interfaces: the area that offers it
 * implements the port, the terminal wires them together, and neither imports the other.
 */
import type { RefundDto, SaleDto } from '../../src-shared/api/dto';
import type { StaffRow, Trx } from './context';

/** A manager's approval for an override, as the API carries it. */
export interface Approval {
  staffId: string;
  pin: string;
}

/** Who is at the till (the staff area): the dispatcher checks every call's access through it. */
export interface StaffGate {
  /** The signed-in staff member, or NOT_SIGNED_IN with what to do. */
  requireStaff(): StaffRow;
  /** A manager's PIN checked (wrong PINs counted and locked as at sign-in); MANAGER_PIN_REQUIRED for a cashier. */
  approveAsManager(approval: Approval): Promise<StaffRow>;
}

/** The receipt printer's queue (the devices area): a sale's or refund's slip is queued in its own transaction. */
export interface ReceiptSink {
  saleCompleted(trx: Trx, sale: SaleDto, staff: StaffRow): Promise<void>;
  refundCreated(trx: Trx, refund: RefundDto, staff: StaffRow): Promise<void>;
}

/** Central redemption holds (the sync area): online, points are held at the server before a redemption commits. */
export interface RedemptionHolds {
  /** `holdId` null when the till is standalone or offline (the local rules apply); throws when head office refuses. */
  holdForRedemption(memberId: string, points: number, receiptRef: string): Promise<{ holdId: string | null }>;
  releaseHold(holdId: string): Promise<void>;
}
