import { z } from 'zod';
import type { MethodSpec } from './access';
import type { Minor, Points, Tier } from '../domain/types';
import type { PrintJobDto } from './contract-devices';

/**
 * The reports area of the PosApi contract (method name -> zod input schema) and its outputs:
 * the manager's local reports (src-main/reports/) and the customer display's state.
 * contract.ts merges every area into the one contract.
 *
 * Every report runs over the terminal's own database, for a range of business dates in the
 * store's time zone (`today`, `yesterday`, `week` = Monday to today, `month` = the 1st to today,
 * or `custom` from/to). Money is integer minor units, rates are basis points (10000 = 100%).
 */

const businessDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');

export const REPORT_PERIODS = ['today', 'yesterday', 'week', 'month', 'custom'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** The longest custom range, in days (a year and a bit, so "the same month last year" fits). */
export const MAX_REPORT_DAYS = 400;

export const reportRangeSchema = z
  .object({
    period: z.enum(REPORT_PERIODS).default('today'),
    from: businessDate.optional(),
    to: businessDate.optional(),
  })
  .refine((v) => v.period !== 'custom' || (v.from !== undefined && v.to !== undefined), { message: 'a custom range needs from and to', path: ['from'] })
  .refine((v) => v.from === undefined || v.to === undefined || v.from <= v.to, { message: 'from is after to', path: ['to'] });

export const DISPLAY_LANGUAGES = ['en', 'zh-Hans', 'zh-Hant'] as const;
export type DisplayLanguage = (typeof DISPLAY_LANGUAGES)[number];

const minor = z.number().int().nonnegative().max(1_000_000_000_00);
const pointsValue = z.number().int().min(-100_000_000).max(100_000_000);

export const displayInputSchema = z.object({
  /** idle: blank screen; basket: a sale in progress; payment: the money being taken; done: the sale just completed. */
  mode: z.enum(['idle', 'basket', 'payment', 'done']),
  language: z.enum(DISPLAY_LANGUAGES),
  lines: z
    .array(
      z.object({
        /** The product's name, or null for a quick amount (the display names the category in its own language). */
        description: z.string().max(120).nullable(),
        category: z.string().max(40),
        quantity: z.number().int().min(1).max(9999),
        amountMinor: minor,
      }),
    )
    .max(200)
    .default([]),
  grossMinor: minor.default(0),
  redeemedPoints: z.number().int().nonnegative().max(100_000_000).default(0),
  redeemedValueMinor: minor.default(0),
  paidMinor: minor.default(0),
  /** The member's tier only: the customer display never shows personal data. */
  member: z.object({ tier: z.enum(['regular', 'silver', 'gold', 'diamond']) }).nullable().default(null),
  pointsEarned: pointsValue.nullable().default(null),
  balanceAfter: pointsValue.nullable().default(null),
  receiptNo: z.string().max(40).nullable().default(null),
  /**
   * The tenders taken (payment) or that paid the sale (done), named in the customer's language;
   * for cash, what the customer handed over.
   */
  tenders: z
    .array(z.object({ name: z.string().max(40), amountMinor: minor }))
    .max(20)
    .default([]),
  /** Still to pay at the payment step (null when nothing is being paid). */
  remainingMinor: minor.nullable().default(null),
  /** Change owed to the customer (payment, once covered) or given (done). */
  changeMinor: minor.default(0),
});

export const reportsContract = {
  'reports.sales': { access: 'manager', writes: false, input: reportRangeSchema },
  'reports.points': { access: 'manager', writes: false, input: reportRangeSchema },
  'reports.members': { access: 'manager', writes: false, input: reportRangeSchema },
  'reports.churnRisk': { access: 'manager', writes: false,
    input: z.object({
      silentDays: z.number().int().min(30).max(730).default(90),
      limit: z.number().int().min(1).max(500).default(50),
    }),
  },
  'reports.exceptions': { access: 'manager', writes: false, input: reportRangeSchema },
  'reports.endOfDay': { access: 'manager', writes: false, input: z.object({ date: businessDate.optional() }) },
  'reports.printEndOfDay': { access: 'manager', writes: false, input: z.object({ date: businessDate.optional() }) },
  'display.state': { access: 'none', writes: false, input: z.object({}).strict() },
  'display.update': { access: 'none', writes: false, input: displayInputSchema },
} as const satisfies Record<string, MethodSpec>;

// ------------------------------------------------------------------------------- outputs

export interface ReportRangeDto {
  period: ReportPeriod;
  /** First and last business date included. */
  from: string;
  to: string;
  days: number;
  timeZone: string;
  currency: string;
  generatedAt: string;
}

export interface SalesReportDto {
  range: ReportRangeDto;
  /** Receipts (sales) in the range. */
  sales: number;
  grossMinor: Minor;
  redeemedValueMinor: Minor;
  paidMinor: Minor;
  memberSales: number;
  memberPaidMinor: Minor;
  /** Share of the paid amount (value) and of receipts (count) made by members. */
  memberShareBp: number;
  memberReceiptShareBp: number;
  /** Paid amount per receipt, rounded down. 0 when there are no sales. */
  averageTicketMinor: Minor;
  memberAverageTicketMinor: Minor;
  guestAverageTicketMinor: Minor;
  refunds: number;
  refundMinor: Minor;
  /** paidMinor - refundMinor. */
  netMinor: Minor;
  /** Every day of the range, zero-filled. */
  byDay: { date: string; sales: number; paidMinor: Minor; memberPaidMinor: Minor }[];
  /** By sale-line category, largest paid amount first. */
  byCategory: { category: string; quantity: number; paidMinor: Minor }[];
}

export interface PointsReportDto {
  range: ReportRangeDto;
  /** Points credited in the range: purchase points, bonuses, positive adjustments, redeemed points given back on refunds. */
  issued: { earn: Points; bonus: Points; adjustIn: Points; refundReturned: Points; total: Points };
  /** Points spent in the range (positive numbers): on bills and on rewards. */
  redeemed: { bill: Points; reward: Points; total: Points };
  expired: Points;
  /** Earned points taken back on refunds, and negative adjustments (positive numbers). */
  reversed: Points;
  adjustOut: Points;
  /** Purchase points not credited because of the daily cap. */
  capped: Points;
  /** Redeemed / issued over the range. */
  redemptionRateBp: number;
  /** Outstanding points now (positive balances) and what they are worth at the redemption value. */
  liability: {
    points: Points;
    valueMinor: Minor;
    byTier: { tier: Tier; members: number; points: Points; valueMinor: Minor }[];
    /** Members below zero (refunds after spending, offline double spend) and the points they owe. */
    negativeMembers: number;
    negativePoints: Points;
  };
  byDay: { date: string; issued: Points; redeemed: Points; expired: Points }[];
}

export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalists',
  'new_customers',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cannot_lose',
  'hibernating',
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export interface MembersReportDto {
  range: ReportRangeDto;
  /** Members who can trade (active or blocked), now. */
  members: number;
  anonymousMembers: number;
  blockedMembers: number;
  newMembers: number;
  tiers: { tier: Tier; members: number }[];
  /** Members with at least one purchase in the range, and those with two or more. */
  purchasingMembers: number;
  repeatMembers: number;
  repeatRateBp: number;
  /** Recency / frequency / monetary over the 365 days up to the range's last day, scored in quintiles. */
  rfm: {
    asOf: string;
    windowDays: number;
    segments: { segment: RfmSegment; members: number; avgRecencyDays: number; avgPurchases: number; avgSpendMinor: Minor }[];
  };
  /**
   * Estimated customer lifetime value = average order value x purchases per member per year x
   * expected lifetime in years (1 / yearly churn, at most 5 years). Yearly churn is estimated
   * from the share of the year's buyers silent for 90 days or more.
   */
  clv: {
    averageOrderMinor: Minor;
    purchasesPerYearX100: number;
    yearlyChurnBp: number;
    expectedLifetimeMonths: number;
    estimatedMinor: Minor;
    buyers: number;
  };
}

export interface ChurnRiskMemberDto {
  id: string;
  maskedName: string | null;
  maskedPhone: string | null;
  tier: Tier;
  balance: Points;
  lastPurchaseDate: string;
  silentDays: number;
  /** Spend in the 365 days before the last purchase. */
  yearSpendMinor: Minor;
  consentMarketing: boolean;
}

export interface ChurnRiskReportDto {
  asOf: string;
  silentDays: number;
  /** All members silent that long (the list shows the `limit` with the most points). */
  total: number;
  pointsAtRisk: Points;
  members: ChurnRiskMemberDto[];
}

/**
 * Why a redemption was refused: the error code the cashier got. The rules: MEMBER_BLOCKED,
 * RISK_HOLD (velocity, no approval), OFFLINE_REDEMPTION_LIMIT, INSUFFICIENT_POINTS (also when
 * head office shows fewer points), REDEMPTION_ABOVE_BILL_CAP, REDEMPTION_BELOW_MINIMUM,
 * REDEMPTION_NOT_IN_STEPS; a manager approval that failed: INVALID_PIN, MANAGER_PIN_REQUIRED,
 * STAFF_LOCKED, STAFF_NOT_FOUND.
 */
export const REFUSAL_REASONS = [
  'MEMBER_BLOCKED',
  'RISK_HOLD',
  'OFFLINE_REDEMPTION_LIMIT',
  'INSUFFICIENT_POINTS',
  'REDEMPTION_ABOVE_BILL_CAP',
  'REDEMPTION_BELOW_MINIMUM',
  'REDEMPTION_NOT_IN_STEPS',
  'INVALID_PIN',
  'MANAGER_PIN_REQUIRED',
  'STAFF_LOCKED',
  'STAFF_NOT_FOUND',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface RefusedRedemptionDto {
  at: string;
  businessDate: string;
  /** On a bill at checkout, or for a catalogue reward. */
  channel: 'bill' | 'reward';
  /** Points the cashier asked to redeem. */
  points: Points;
  /** One of REFUSAL_REASONS (a newer till may record others). */
  reason: string;
  staffName: string | null;
  /** The manager named in the approval sent with the attempt (also when that approval failed). */
  approverName: string | null;
  /** The member, masked (name and phone), or `#` and the end of the id for a card-only member. */
  member: string;
  offline: boolean;
  /** Short, non-personal facts: available points, the most allowed, the velocity rule, the reward. */
  details: Record<string, string | number | boolean | null>;
}

export interface RefusedAttemptsDto {
  count: number;
  /** Points asked for in the refused attempts. */
  points: Points;
  /** Different members refused. */
  members: number;
  /** Most frequent reason first. */
  byReason: { reason: string; count: number; points: Points }[];
  /** Newest first, at most 500. */
  list: RefusedRedemptionDto[];
}

export interface ExceptionEntryDto {
  at: string;
  businessDate: string;
  kind: 'override' | 'adjustment' | 'refund_approval' | 'privacy' | 'member_block' | 'staff' | 'rules' | 'pin_failure';
  action: string;
  staffName: string | null;
  approverName: string | null;
  subject: string | null;
  /** Short, non-personal facts: points, reason, rule. */
  details: Record<string, string | number | boolean | null>;
}

export interface ExceptionsReportDto {
  range: ReportRangeDto;
  /** Manager overrides of risk holds and offline limits at checkout and for rewards. */
  overrides: number;
  /** Of those, approved velocity holds. */
  holdsApproved: number;
  adjustments: { count: number; pointsIn: Points; pointsOut: Points };
  refundApprovals: number;
  capped: { entries: number; points: Points; members: number };
  /** Negative balances now, and what they are worth. */
  overdrafts: { members: number; points: Points; valueMinor: Minor; list: { id: string; maskedName: string | null; maskedPhone: string | null; balance: Points }[] };
  pinFailures: number;
  offlineSales: number;
  /** Changes the sync agent holds back (not sent) now. */
  heldChanges: number;
  /** Redemptions the till refused in the range (nothing was deducted for them). */
  refusedAttempts: RefusedAttemptsDto;
  /** The audited events in the range, newest first (at most 500). */
  entries: ExceptionEntryDto[];
}

export interface EndOfDayDto {
  date: string;
  storeName: string;
  terminalId: string;
  timeZone: string;
  currency: string;
  generatedAt: string;
  sales: number;
  grossMinor: Minor;
  redeemedValueMinor: Minor;
  paidMinor: Minor;
  refunds: number;
  refundMinor: Minor;
  netMinor: Minor;
  memberSales: number;
  memberShareBp: number;
  averageTicketMinor: Minor;
  pointsIssued: Points;
  pointsRedeemed: Points;
  newMembers: number;
  firstReceipt: string | null;
  lastReceipt: string | null;
  byStaff: { staffId: string; name: string; sales: number; paidMinor: Minor; refunds: number }[];
  exceptions: { overrides: number; adjustments: number; cappedPoints: Points; pinFailures: number; offlineSales: number; refusedRedemptions: number };
}

export type DisplayInput = z.input<typeof displayInputSchema>;

export interface DisplayStateDto extends z.output<typeof displayInputSchema> {
  currency: string;
  /** Increases with every update (the page ignores older states). */
  seq: number;
  updatedAt: string | null;
}

export interface ReportsOutputs {
  'reports.sales': SalesReportDto;
  'reports.points': PointsReportDto;
  'reports.members': MembersReportDto;
  'reports.churnRisk': ChurnRiskReportDto;
  'reports.exceptions': ExceptionsReportDto;
  'reports.endOfDay': EndOfDayDto;
  'reports.printEndOfDay': PrintJobDto;
  'display.state': DisplayStateDto;
  'display.update': DisplayStateDto;
}
