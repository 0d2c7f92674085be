import { z } from 'zod';
import type { MethodSpec } from './access';
import type { TenderConfig } from '../tenders/tender-types';
import type { PrintJobDto } from './contract-devices';

/**
 * The money area of the PosApi contract: the store's tender settings, the cash drawer session,
 * and closing the day (X and Z). contract.ts merges every area into the one contract.
 */
const approval = z.object({ staffId: z.string().min(1).max(100), pin: z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits') });
const idempotencyKey = z.string().min(8).max(100);
const reason = z.string().trim().min(1).max(200);
/** A count by denomination: `{ "10000": 3, "50": 4 }` (keys in minor units; whole, non-negative counts are checked by the domain). */
const counts = z.record(z.string().regex(/^\d{1,9}$/), z.number());
const amountMinor = z.number().int().min(1).max(100_000_000);

export const moneyContract = {
  'tenders.config': { access: 'staff', writes: false, input: z.object({}).strict() },
  'tenders.setConfig': { access: 'manager', writes: true, input: z.object({ config: z.unknown(), paymentsAtTill: z.boolean() }) },
  'drawer.status': { access: 'staff', writes: false, input: z.object({}).strict() },
  'drawer.open': { access: 'staff', writes: true, input: z.object({ idempotencyKey, counts }) },
  'drawer.payIn': { access: 'approval', writes: true, input: z.object({ idempotencyKey, amountMinor, reason, approval }) },
  'drawer.payOut': { access: 'approval', writes: true, input: z.object({ idempotencyKey, amountMinor, reason, approval }) },
  'drawer.pickup': { access: 'staff', writes: true, input: z.object({ idempotencyKey, counts }) },
  'drawer.noSale': { access: 'approval', writes: true, input: z.object({ idempotencyKey, reason, approval }) },
  'drawer.close': { access: 'staff', writes: true, input: z.object({ idempotencyKey, counts }) },
  'reports.x': { access: 'manager', writes: false, input: z.object({}).strict() },
  'day.close': { access: 'manager', writes: true, input: z.object({ idempotencyKey }) },
  'reports.zList': { access: 'manager', writes: false, input: z.object({ limit: z.number().int().min(1).max(400).default(30) }) },
  'reports.printDay': { access: 'manager', writes: false, input: z.object({ zNo: z.number().int().min(1).optional() }) },
  'reports.checkSummaries': { access: 'manager', writes: false,
    input: z.object({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }),
  },
} as const satisfies Record<string, MethodSpec>;

export interface TenderConfigDto {
  config: TenderConfig;
  /** Whether this till takes the money (tenders required at checkout), or only runs the loyalty programme beside another register. */
  paymentsAtTill: boolean;
  currency: string;
  /** The store currency's notes and coins, largest first, in minor units. */
  denominations: number[];
}

/** What a cashier's screen may know of the drawer: never the cash it expects (the close is blind). */
export interface DrawerStatusDto {
  status: 'not_open' | 'open';
  sessionId: string | null;
  openedAt: string | null;
  openedBy: string | null;
  /** Cash can be taken (a session is open). */
  canTakeCash: boolean;
  businessDate: string;
}

export interface DrawerEventDto {
  id: string;
  sessionId: string;
  kind: 'open' | 'pay_in' | 'pay_out' | 'pickup' | 'no_sale' | 'close';
  amountMinor: number;
  reason: string | null;
  staffId: string;
  approvedBy: string | null;
  at: string;
  businessDate: string;
  replayed: boolean;
}

/** The blind close's answer: shown only once the count is stored. */
export interface DrawerCloseDto extends DrawerEventDto {
  countedMinor: number;
  expectedMinor: number;
  /** Counted − expected: negative is a shortage. */
  overShortMinor: number;
}

/** A drawer session in an X or Z report. */
export interface DrawerSessionDto {
  sessionId: string;
  openedAt: string;
  openedBy: string;
  floatMinor: number;
  /** Opening count − the previous close (what changed in the drawer between sessions). */
  openingDiscrepancyMinor: number | null;
  cashSalesMinor: number;
  cashRefundsMinor: number;
  payInsMinor: number;
  payOutsMinor: number;
  pickupsMinor: number;
  noSales: number;
  expectedMinor: number;
  countedMinor: number | null;
  overShortMinor: number | null;
  closedAt: string | null;
  closedBy: string | null;
}

/** X (running, changes nothing) and Z (closes the business day) reports: the same figures. */
export interface DayReportDto {
  kind: 'x' | 'z';
  /** The Z's number in this till's sequence (null for an X). */
  zNo: number | null;
  businessDate: string;
  generatedAt: string;
  storeName: string;
  terminalId: string;
  currency: string;
  sales: {
    count: number;
    grossMinor: number;
    discountMinor: number;
    redeemedValueMinor: number;
    redeemedPoints: number;
    /** Due after points. */
    paidMinor: number;
    roundingMinor: number;
    averageTicketMinor: number;
    memberCount: number;
    memberPaidMinor: number;
    memberShareBp: number;
  };
  refunds: { count: number; amountMinor: number };
  netMinor: number;
  tenders: { code: string; salesCount: number; salesMinor: number; refundsCount: number; refundsMinor: number; netMinor: number }[];
  drawers: DrawerSessionDto[];
  points: { issued: number; redeemed: number; expired: number; issuedValueMinor: number; redeemedValueMinor: number; expiredValueMinor: number };
  staff: { staffId: string; name: string; salesCount: number; salesMinor: number; refundsCount: number; refundsMinor: number }[];
  categories: { category: string; quantity: number; salesMinor: number; refundsMinor: number }[];
  refundList: { refundId: string; receiptNo: string; amountMinor: number; staffId: string; approvedBy: string | null; reason: string | null; at: string }[];
  overrides: number;
  /** Sales net of refunds over every Z of this till so far, this one included (Z only; never reset). */
  grandTotalMinor: number | null;
  firstReceiptNo: string | null;
  lastReceiptNo: string | null;
}

export interface ZReportDto extends DayReportDto {
  id: string;
  closedAt: string;
  closedBy: string;
  hash: string;
  replayed: boolean;
}

/** The day summaries recomputed from the rows and compared with what the triggers kept. */
export interface SummaryCheckDto {
  from: string;
  to: string;
  rowsChecked: number;
  /** Where they differ (at most 20 shown); none when the summaries are right. */
  mismatches: { businessDate: string; dim: string; key: string; expected: Record<string, number> | null; stored: Record<string, number> | null }[];
  mismatchCount: number;
}

export interface MoneyOutputs {
  'tenders.config': TenderConfigDto;
  'tenders.setConfig': TenderConfigDto;
  'drawer.status': DrawerStatusDto;
  'drawer.open': DrawerEventDto;
  'drawer.payIn': DrawerEventDto;
  'drawer.payOut': DrawerEventDto;
  'drawer.pickup': DrawerEventDto;
  'drawer.noSale': DrawerEventDto;
  'drawer.close': DrawerCloseDto;
  'reports.x': DayReportDto;
  'day.close': ZReportDto;
  'reports.zList': ZReportDto[];
  'reports.checkSummaries': SummaryCheckDto;
  'reports.printDay': PrintJobDto;
}
