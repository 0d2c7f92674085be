import type { Reward, RuleSet } from '../domain/rules';
import type { EntryKind, Minor, Points, Tier } from '../domain/types';
import type { ErrorPayload } from '../errors/domain-error';

/** What crosses the API boundary. Never database rows. Personal data is masked unless revealed. */

export interface StaffDto {
  id: string;
  name: string;
  role: 'cashier' | 'manager';
  active: boolean;
}

export interface SessionDto {
  staff: StaffDto | null;
  /**
   * Why nobody is signed in when the till ended the session by itself: the staff member was
   * deactivated (on this till or another one, brought here by sync). null otherwise.
   */
  endedBecause: 'staff_deactivated' | null;
}

export interface TerminalInfoDto {
  terminalId: string;
  storeId: string;
  storeName: string;
  timeZone: string;
  currency: string;
  appVersion: string;
  schemaVersion: number;
  dataDir: string;
  ruleSetVersion: number;
  /** standalone: no central server; online / offline: the sync agent's view. */
  connectivity: 'standalone' | 'online' | 'offline';
  memberCount: number;
}

export interface CardDto {
  /** This till's handle for the card (never its number): what `members.replaceCard` takes. */
  id: string;
  /** Masked unless it is the code just scanned: 6222 **** **** 1234. */
  maskedCode: string;
  kind: 'printed' | 'nfc';
  status: 'active' | 'inactive';
}

export interface MemberSummaryDto {
  id: string;
  maskedName: string | null;
  maskedPhone: string | null;
  tier: Tier;
  balance: Points;
  status: 'active' | 'blocked' | 'merged' | 'erased';
}

export interface MemberDto extends MemberSummaryDto {
  /** `MM-DD` only; the year is never shown. */
  birthdayMonthDay: string | null;
  birthdayThisMonth: boolean;
  registeredAt: string;
  consentMarketing: boolean;
  anonymous: boolean;
  mergedInto: string | null;
  cards: CardDto[];
  expiringSoon: { points: Points; firstExpiry: string | null; withinDays: number };
  /** Qualifying spend this tier period and the next tier's threshold. */
  periodSpendMinor: Minor;
  nextTier: { tier: Tier; spendMinor: Minor } | null;
  /** Offline redemption allowance left today, or null when there is no offline limit now. */
  offlineRedeemRemaining: Points | null;
}

export interface LedgerEntryDto {
  id: string;
  kind: EntryKind;
  points: Points;
  reason: string | null;
  saleId: string | null;
  receiptNo: string | null;
  createdAt: string;
  businessDate: string;
  expiresAt: string | null;
  cappedPoints: Points;
  staffId: string | null;
}

export interface SaleLineDto {
  lineNo: number;
  sku: string | null;
  description: string | null;
  category: string;
  quantity: number;
  unitPriceMinor: Minor;
  discountMinor: Minor;
  grossMinor: Minor;
  redeemedPoints: Points;
  redeemedValueMinor: Minor;
  paidMinor: Minor;
  earnedPoints: Points;
  campaignId: string | null;
  refundedQuantity: number;
}

export interface SaleDto {
  id: string;
  receiptNo: string;
  createdAt: string;
  businessDate: string;
  staffId: string;
  member: MemberSummaryDto | null;
  lines: SaleLineDto[];
  grossMinor: Minor;
  redeemedPoints: Points;
  redeemedValueMinor: Minor;
  paidMinor: Minor;
  earnedPoints: Points;
  bonuses: { reason: string; points: Points }[];
  cappedPoints: Points;
  tierAtSale: Tier | null;
  balanceAfter: Points | null;
  ruleSetVersion: number;
  offline: boolean;
  /** The tenders that covered the amount due (empty when the money was taken elsewhere). */
  tenders: SaleTenderLine[];
  /** Cash rounding of the cash part (signed): the customer paid paidMinor + roundingMinor. */
  roundingMinor: Minor;
  /** Change given from the drawer. */
  changeMinor: Minor;
  /** True when this answer replays a checkout already completed with the same idempotency key. */
  replayed: boolean;
}

/** A settled tender as a sale keeps it (in `sale.tenders`, with a line number refunds refer to). */
export interface SaleTenderLine {
  tenderNo: number;
  code: string;
  kind: 'cash' | 'card' | 'wallet' | 'voucher' | 'other';
  /** What the tender paid of the sale (cash: tendered − change). */
  amountMinor: Minor;
  tenderedMinor: Minor;
  changeMinor: Minor;
  reference: string | null;
}

export interface CheckoutPreviewDto {
  grossMinor: Minor;
  redeemedPoints: Points;
  redeemedValueMinor: Minor;
  paidMinor: Minor;
  earn: {
    purchasePoints: Points;
    bonuses: { reason: string; campaignId: string | null; points: Points }[];
    cappedPoints: Points;
    tierMultiplierBp: number;
    lines: { lineNo: number; points: Points; campaignId: string | null; campaignMultiplierBp: number }[];
  } | null;
  maxRedeem: { points: Points; valueMinor: Minor; limitedBy: string } | null;
  /** The redemption would be held for a manager (velocity rule); null when not. */
  riskHold: { rule: string; count: number; windowSeconds: number } | null;
  ruleSetVersion: number;
}

export interface RefundDto {
  id: string;
  saleId: string;
  receiptNo: string;
  createdAt: string;
  lines: { lineNo: number; quantity: number; refundMinor: Minor; reverseEarnedPoints: Points; returnRedeemedPoints: Points }[];
  refundMinor: Minor;
  reverseEarnedPoints: Points;
  returnRedeemedPoints: Points;
  balanceAfter: Points | null;
  /** The money paid back, by the sale's tender line it came from (empty when the sale recorded no tenders). */
  tenders: SaleTenderLine[];
  approvedBy: string | null;
  reason: string | null;
  replayed: boolean;
}

/** A lost or damaged card replaced by a new one: the member (balance unchanged) and both cards, masked. */
export interface CardReplacementDto {
  member: MemberDto;
  /** The card that stopped working. */
  oldCard: CardDto;
  /** The card that works from now on. */
  newCard: CardDto;
  /** True when this answer replays a replacement already made with the same idempotency key. */
  replayed: boolean;
}

export interface RewardRedemptionDto {
  entryId: string;
  reward: Reward;
  balanceAfter: Points;
  replayed: boolean;
}

export interface AdjustmentDto {
  entryId: string;
  points: Points;
  balanceAfter: Points;
  replayed: boolean;
}

export interface ExpiryRunDto {
  membersAffected: number;
  entries: number;
  pointsExpired: Points;
}

export type ScanOutcomeDto =
  | { kind: 'member'; member: MemberDto; code: string }
  | { kind: 'unknown_card'; code: string; maskedCode: string; activatable: boolean }
  | { kind: 'product'; ean13: string; product: ProductPriceDto | null };

/** What the till knows of a barcode: the last price it was sold at here (or the demo catalogue's). */
export interface ProductPriceDto {
  description: string | null;
  category: string;
  unitPriceMinor: Minor;
}

export interface AuditVerifyDto {
  ok: boolean;
  entries: number;
  /** Sequence number of the first entry whose hash chain is broken. */
  brokenAt: number | null;
}

export interface LedgerVerifyDto {
  ok: boolean;
  membersChecked: number;
  mismatches: { memberId: string; cached: Points; sum: Points }[];
}

export interface RevealDto {
  phone: string | null;
  name: string | null;
  birthday: string | null;
}

export interface MemberExportDto {
  member: RevealDto & { id: string; registeredAt: string; consentMarketing: boolean; consentTermsAt: string | null };
  cards: CardDto[];
  ledger: LedgerEntryDto[];
  sales: { receiptNo: string; createdAt: string; paidMinor: Minor }[];
}

export type RuleSetDto = RuleSet;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };
