import type {
  ChurnRiskReportDto,
  EndOfDayDto,
  ExceptionsReportDto,
  MembersReportDto,
  PointsReportDto,
  RefusalReason,
  RfmSegment,
  SalesReportDto,
} from '../../../src-shared/api/contract-reports';
import type { DayReportDto, ZReportDto } from '../../../src-shared/api/contract-money';
import type { Translate } from '../../i18n';
import { minorToDecimalString, type Formatter } from '../../i18n/format';
import type { MessageKey } from '../../i18n/messages/en';
import type { CsvValue } from './csv';

/**
 * Report tables as data: the screen renders them, the CSV export writes them. A cell knows its
 * kind, so the screen formats it for the language and the CSV keeps plain numbers.
 */
export type Cell =
  | { kind: 'text'; value: string }
  | { kind: 'int'; value: number }
  | { kind: 'points'; value: number }
  | { kind: 'money'; value: number }
  | { kind: 'pct'; value: number }
  | { kind: 'date'; value: string }
  /** An instant (ISO 8601): date and time in the store's time zone; the CSV keeps the ISO text. */
  | { kind: 'datetime'; value: string };

export interface Table {
  id: string;
  title: string;
  columns: string[];
  rows: Cell[][];
}

const text = (value: string): Cell => ({ kind: 'text', value });
const int = (value: number): Cell => ({ kind: 'int', value });
const pts = (value: number): Cell => ({ kind: 'points', value });
const money = (value: number): Cell => ({ kind: 'money', value });
const pct = (value: number): Cell => ({ kind: 'pct', value });
const date = (value: string): Cell => ({ kind: 'date', value });
const datetime = (value: string): Cell => ({ kind: 'datetime', value });

export function renderCell(c: Cell, fmt: Formatter): string {
  switch (c.kind) {
    case 'text':
      return c.value;
    case 'int':
      return fmt.number(c.value);
    case 'points':
      return fmt.points(c.value);
    case 'money':
      // A minus sign (U+2212) rather than a hyphen: a narrow column never breaks "−CN¥10.30" after it.
      return fmt.money(c.value).replace(/^-/, '\u2212');
    case 'pct':
      return fmt.percentBp(c.value);
    case 'date':
      return fmt.date(c.value);
    case 'datetime':
      return fmt.dateTime(c.value);
  }
}

/** Plain values for CSV: money as a decimal number, percentages as numbers with two decimals. */
export function csvCell(c: Cell, minorDigits: number): CsvValue {
  switch (c.kind) {
    case 'money':
      return minorToDecimalString(c.value, minorDigits);
    case 'pct':
      return (c.value / 100).toFixed(2);
    case 'text':
    case 'date':
    case 'datetime':
      return c.value;
    default:
      return c.value;
  }
}

export function tableToCsv(tables: Table[], minorDigits: number): CsvValue[][] {
  const out: CsvValue[][] = [];
  for (const tb of tables) {
    if (out.length) out.push([]);
    out.push([tb.title]);
    out.push(tb.columns);
    for (const r of tb.rows) out.push(r.map((c) => csvCell(c, minorDigits)));
  }
  return out;
}

export const TIER_KEYS: Record<string, MessageKey> = { regular: 'tier.regular', silver: 'tier.silver', gold: 'tier.gold', diamond: 'tier.diamond' };
export const RFM_KEYS: Record<RfmSegment, MessageKey> = {
  champions: 'rfm.champions',
  loyal: 'rfm.loyal',
  potential_loyalists: 'rfm.potential_loyalists',
  new_customers: 'rfm.new_customers',
  promising: 'rfm.promising',
  need_attention: 'rfm.need_attention',
  about_to_sleep: 'rfm.about_to_sleep',
  at_risk: 'rfm.at_risk',
  cannot_lose: 'rfm.cannot_lose',
  hibernating: 'rfm.hibernating',
};

const kv = (t: Translate, rows: [MessageKey, Cell][], id: string, title: MessageKey): Table => ({
  id,
  title: t(title),
  columns: [t('reports.figure'), t('reports.value')],
  rows: rows.map(([k, c]) => [text(t(k)), c]),
});

export function salesTables(r: SalesReportDto, t: Translate, category: (c: string) => string): Table[] {
  return [
    kv(
      t,
      [
        ['reports.sales.receipts', int(r.sales)],
        ['reports.sales.gross', money(r.grossMinor)],
        ['reports.sales.redeemedValue', money(r.redeemedValueMinor)],
        ['reports.sales.paid', money(r.paidMinor)],
        ['reports.sales.refunds', money(r.refundMinor)],
        ['reports.sales.net', money(r.netMinor)],
        ['reports.sales.memberShare', pct(r.memberShareBp)],
        ['reports.sales.memberReceiptShare', pct(r.memberReceiptShareBp)],
        ['reports.sales.avgTicket', money(r.averageTicketMinor)],
        ['reports.sales.memberAvgTicket', money(r.memberAverageTicketMinor)],
        ['reports.sales.guestAvgTicket', money(r.guestAverageTicketMinor)],
      ],
      'sales-summary',
      'reports.sales.summary',
    ),
    {
      id: 'sales-by-day',
      title: t('reports.sales.byDay'),
      columns: [t('reports.date'), t('reports.sales.receipts'), t('reports.sales.paid'), t('reports.sales.memberPaid')],
      rows: r.byDay.map((d) => [date(d.date), int(d.sales), money(d.paidMinor), money(d.memberPaidMinor)]),
    },
    {
      id: 'sales-by-category',
      title: t('reports.sales.byCategory'),
      columns: [t('reports.category'), t('reports.quantity'), t('reports.sales.paid')],
      rows: r.byCategory.map((c) => [text(category(c.category)), int(c.quantity), money(c.paidMinor)]),
    },
  ];
}

export function pointsTables(r: PointsReportDto, t: Translate): Table[] {
  return [
    kv(
      t,
      [
        ['reports.points.issued', pts(r.issued.total)],
        ['reports.points.earn', pts(r.issued.earn)],
        ['reports.points.bonus', pts(r.issued.bonus)],
        ['reports.points.adjustIn', pts(r.issued.adjustIn)],
        ['reports.points.refundReturned', pts(r.issued.refundReturned)],
        ['reports.points.redeemed', pts(r.redeemed.total)],
        ['reports.points.redeemedBill', pts(r.redeemed.bill)],
        ['reports.points.redeemedReward', pts(r.redeemed.reward)],
        ['reports.points.expired', pts(r.expired)],
        ['reports.points.reversed', pts(r.reversed)],
        ['reports.points.adjustOut', pts(r.adjustOut)],
        ['reports.points.capped', pts(r.capped)],
        ['reports.points.redemptionRate', pct(r.redemptionRateBp)],
        ['reports.points.liabilityPoints', pts(r.liability.points)],
        ['reports.points.liabilityValue', money(r.liability.valueMinor)],
        ['reports.points.negativeMembers', int(r.liability.negativeMembers)],
        ['reports.points.negativePoints', pts(r.liability.negativePoints)],
      ],
      'points-summary',
      'reports.points.summary',
    ),
    {
      id: 'points-liability',
      title: t('reports.points.liabilityByTier'),
      columns: [t('member.tier'), t('reports.members.count'), t('reports.points.liabilityPoints'), t('reports.points.liabilityValue')],
      rows: r.liability.byTier.map((x) => [text(t(TIER_KEYS[x.tier]!)), int(x.members), pts(x.points), money(x.valueMinor)]),
    },
    {
      id: 'points-by-day',
      title: t('reports.points.byDay'),
      columns: [t('reports.date'), t('reports.points.issued'), t('reports.points.redeemed'), t('reports.points.expired')],
      rows: r.byDay.map((d) => [date(d.date), pts(d.issued), pts(d.redeemed), pts(d.expired)]),
    },
  ];
}

export function membersTables(r: MembersReportDto, t: Translate): Table[] {
  return [
    kv(
      t,
      [
        ['reports.members.total', int(r.members)],
        ['reports.members.new', int(r.newMembers)],
        ['reports.members.anonymous', int(r.anonymousMembers)],
        ['reports.members.blocked', int(r.blockedMembers)],
        ['reports.members.buyers', int(r.purchasingMembers)],
        ['reports.members.repeaters', int(r.repeatMembers)],
        ['reports.members.repeatRate', pct(r.repeatRateBp)],
        ['reports.members.clv', money(r.clv.estimatedMinor)],
        ['reports.members.clvAov', money(r.clv.averageOrderMinor)],
        ['reports.members.clvFrequency', text((r.clv.purchasesPerYearX100 / 100).toFixed(2))],
        ['reports.members.clvChurn', pct(r.clv.yearlyChurnBp)],
        ['reports.members.clvMonths', int(r.clv.expectedLifetimeMonths)],
      ],
      'members-summary',
      'reports.members.summary',
    ),
    {
      id: 'members-tiers',
      title: t('reports.members.tiers'),
      columns: [t('member.tier'), t('reports.members.count')],
      rows: r.tiers.map((x) => [text(t(TIER_KEYS[x.tier]!)), int(x.members)]),
    },
    {
      id: 'members-rfm',
      title: t('reports.members.rfm', { days: r.rfm.windowDays }),
      columns: [t('reports.members.segment'), t('reports.members.count'), t('reports.members.avgRecency'), t('reports.members.avgPurchases'), t('reports.members.avgSpend')],
      rows: r.rfm.segments.map((s) => [text(t(RFM_KEYS[s.segment])), int(s.members), int(s.avgRecencyDays), int(s.avgPurchases), money(s.avgSpendMinor)]),
    },
  ];
}

export function churnTables(r: ChurnRiskReportDto, t: Translate): Table[] {
  return [
    {
      id: 'churn',
      title: t('reports.churn.title', { days: r.silentDays, total: r.total }),
      columns: [t('member.name'), t('member.phone'), t('member.tier'), t('member.balance'), t('reports.churn.last'), t('reports.churn.silent'), t('reports.churn.yearSpend'), t('member.marketing')],
      rows: r.members.map((m) => [
        text(m.maskedName ?? '—'),
        text(m.maskedPhone ?? '—'),
        text(t(TIER_KEYS[m.tier]!)),
        pts(m.balance),
        date(m.lastPurchaseDate),
        int(m.silentDays),
        money(m.yearSpendMinor),
        text(t(m.consentMarketing ? 'common.yes' : 'common.no')),
      ]),
    },
  ];
}

export const EXCEPTION_KIND_KEYS: Record<string, MessageKey> = {
  override: 'exceptions.kind.override',
  adjustment: 'exceptions.kind.adjustment',
  refund_approval: 'exceptions.kind.refund_approval',
  privacy: 'exceptions.kind.privacy',
  member_block: 'exceptions.kind.member_block',
  staff: 'exceptions.kind.staff',
  rules: 'exceptions.kind.rules',
  pin_failure: 'exceptions.kind.pin_failure',
};

/** Why a redemption was refused, in words (REFUSAL_REASONS); a code from a newer till is shown as it is. */
export const REFUSAL_KEYS: Record<RefusalReason, MessageKey> = {
  MEMBER_BLOCKED: 'refusal.MEMBER_BLOCKED',
  RISK_HOLD: 'refusal.RISK_HOLD',
  OFFLINE_REDEMPTION_LIMIT: 'refusal.OFFLINE_REDEMPTION_LIMIT',
  INSUFFICIENT_POINTS: 'refusal.INSUFFICIENT_POINTS',
  REDEMPTION_ABOVE_BILL_CAP: 'refusal.REDEMPTION_ABOVE_BILL_CAP',
  REDEMPTION_BELOW_MINIMUM: 'refusal.REDEMPTION_BELOW_MINIMUM',
  REDEMPTION_NOT_IN_STEPS: 'refusal.REDEMPTION_NOT_IN_STEPS',
  INVALID_PIN: 'refusal.INVALID_PIN',
  MANAGER_PIN_REQUIRED: 'refusal.MANAGER_PIN_REQUIRED',
  STAFF_LOCKED: 'refusal.STAFF_LOCKED',
  STAFF_NOT_FOUND: 'refusal.STAFF_NOT_FOUND',
};

export function refusalWords(reason: string, t: Translate): string {
  const key = (REFUSAL_KEYS as Record<string, MessageKey | undefined>)[reason];
  return key ? t(key) : t('refusal.other', { code: reason });
}

/** Detail facts of a refusal a manager can read: points available, the most allowed, the rule. */
function refusalFacts(details: Record<string, string | number | boolean | null>, t: Translate): string {
  const facts: string[] = [];
  if (typeof details.available === 'number') facts.push(t('refusal.available', { points: details.available }));
  if (typeof details.maxPoints === 'number') facts.push(t('refusal.maxPoints', { points: details.maxPoints }));
  if (typeof details.offlineRemaining === 'number') facts.push(t('refusal.offlineRemaining', { points: details.offlineRemaining }));
  if (typeof details.count === 'number' && typeof details.windowSeconds === 'number') {
    facts.push(t('refusal.velocity', { count: details.count, minutes: Math.max(1, Math.round(details.windowSeconds / 60)) }));
  }
  if (typeof details.rewardId === 'string') facts.push(t('refusal.reward', { reward: details.rewardId }));
  return facts.join('; ');
}

export function exceptionsTables(r: ExceptionsReportDto, t: Translate): Table[] {
  return [
    kv(
      t,
      [
        ['exceptions.overrides', int(r.overrides)],
        ['exceptions.holdsApproved', int(r.holdsApproved)],
        ['exceptions.adjustments', int(r.adjustments.count)],
        ['exceptions.adjustIn', pts(r.adjustments.pointsIn)],
        ['exceptions.adjustOut', pts(r.adjustments.pointsOut)],
        ['exceptions.refundApprovals', int(r.refundApprovals)],
        ['exceptions.capped', pts(r.capped.points)],
        ['exceptions.cappedMembers', int(r.capped.members)],
        ['exceptions.overdraftMembers', int(r.overdrafts.members)],
        ['exceptions.overdraftPoints', pts(r.overdrafts.points)],
        ['exceptions.overdraftValue', money(r.overdrafts.valueMinor)],
        ['exceptions.pinFailures', int(r.pinFailures)],
        ['exceptions.offlineSales', int(r.offlineSales)],
        ['exceptions.heldChanges', int(r.heldChanges)],
        ['exceptions.refused', int(r.refusedAttempts.count)],
        ['exceptions.refusedPoints', pts(r.refusedAttempts.points)],
        ['exceptions.refusedMembers', int(r.refusedAttempts.members)],
      ],
      'exceptions-summary',
      'exceptions.summary',
    ),
    {
      id: 'exceptions-refused-reasons',
      title: t('exceptions.refusedByReason'),
      columns: [t('exceptions.reason'), t('exceptions.count'), t('exceptions.pointsAsked')],
      rows: r.refusedAttempts.byReason.map((x) => [text(refusalWords(x.reason, t)), int(x.count), pts(x.points)]),
    },
    {
      id: 'exceptions-refused',
      title: t('exceptions.refused'),
      columns: [
        t('exceptions.time'),
        t('exceptions.reason'),
        t('exceptions.channel'),
        t('exceptions.pointsAsked'),
        t('exceptions.member'),
        t('exceptions.staff'),
        t('exceptions.approverNamed'),
        t('exceptions.offline'),
        t('exceptions.details'),
      ],
      rows: r.refusedAttempts.list.map((x) => [
        datetime(x.at),
        text(refusalWords(x.reason, t)),
        text(t(x.channel === 'reward' ? 'refusal.channel.reward' : 'refusal.channel.bill')),
        pts(x.points),
        text(x.member),
        text(x.staffName ?? '—'),
        text(x.approverName ?? '—'),
        text(t(x.offline ? 'common.yes' : 'common.no')),
        text(refusalFacts(x.details, t)),
      ]),
    },
    {
      id: 'exceptions-overdrafts',
      title: t('exceptions.overdrafts'),
      columns: [t('member.name'), t('member.phone'), t('member.balance')],
      rows: r.overdrafts.list.map((m) => [text(m.maskedName ?? '—'), text(m.maskedPhone ?? '—'), pts(m.balance)]),
    },
    {
      id: 'exceptions-log',
      title: t('exceptions.log'),
      columns: [t('reports.date'), t('exceptions.kind'), t('exceptions.action'), t('exceptions.staff'), t('exceptions.approver'), t('exceptions.subject'), t('exceptions.details')],
      rows: r.entries.map((e) => [
        date(e.businessDate),
        text(t(EXCEPTION_KIND_KEYS[e.kind] ?? 'exceptions.kind.override')),
        text(e.action),
        text(e.staffName ?? '—'),
        text(e.approverName ?? '—'),
        text(e.subject ?? '—'),
        text(
          Object.entries(e.details)
            .filter(([k]) => k !== 'entryId' && k !== 'refundId')
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join('; '),
        ),
      ]),
    },
  ];
}

export function endOfDayTables(r: EndOfDayDto, t: Translate): Table[] {
  return [
    kv(
      t,
      [
        ['reports.sales.receipts', int(r.sales)],
        ['reports.sales.gross', money(r.grossMinor)],
        ['reports.sales.redeemedValue', money(r.redeemedValueMinor)],
        ['reports.sales.paid', money(r.paidMinor)],
        ['reports.eod.refunds', int(r.refunds)],
        ['reports.sales.refunds', money(r.refundMinor)],
        ['reports.sales.net', money(r.netMinor)],
        ['reports.sales.memberShare', pct(r.memberShareBp)],
        ['reports.sales.avgTicket', money(r.averageTicketMinor)],
        ['reports.points.issued', pts(r.pointsIssued)],
        ['reports.points.redeemed', pts(r.pointsRedeemed)],
        ['reports.members.new', int(r.newMembers)],
        ['reports.eod.firstReceipt', text(r.firstReceipt ?? '—')],
        ['reports.eod.lastReceipt', text(r.lastReceipt ?? '—')],
        ['exceptions.overrides', int(r.exceptions.overrides)],
        ['exceptions.adjustments', int(r.exceptions.adjustments)],
        ['exceptions.capped', pts(r.exceptions.cappedPoints)],
        ['exceptions.pinFailures', int(r.exceptions.pinFailures)],
        ['exceptions.offlineSales', int(r.exceptions.offlineSales)],
        ['exceptions.refused', int(r.exceptions.refusedRedemptions)],
      ],
      'eod-summary',
      'reports.eod.summary',
    ),
    {
      id: 'eod-staff',
      title: t('reports.eod.byStaff'),
      columns: [t('exceptions.staff'), t('reports.sales.receipts'), t('reports.sales.paid'), t('reports.eod.refunds')],
      rows: r.byStaff.map((s) => [text(s.name), int(s.sales), money(s.paidMinor), int(s.refunds)]),
    },
  ];
}

/** Names for the ids an X or Z report carries: tenders in the screen's language, staff by name. */
export interface DayReportNames {
  tender: (code: string) => string;
  staff: (id: string | null) => string;
}

/**
 * The X (running) or Z (closed) report of a business day as tables: the day's totals, the tenders,
 * the drawer sessions with expected, counted and over/short, the points with their money value,
 * the staff, and the refunds with who approved them.
 */
export function dayReportTables(r: DayReportDto, t: Translate, names: DayReportNames): Table[] {
  const opt = (v: number | null, cell: (n: number) => Cell): Cell => (v === null ? text('—') : cell(v));
  const summary: [MessageKey, Cell][] = [
    ...(r.zNo !== null ? ([['day.zNo', int(r.zNo)]] as [MessageKey, Cell][]) : []),
    ['day.businessDate', date(r.businessDate)],
    ['reports.sales.receipts', int(r.sales.count)],
    ['reports.sales.gross', money(r.sales.grossMinor)],
    ['day.discounts', money(r.sales.discountMinor)],
    ['reports.sales.redeemedValue', money(r.sales.redeemedValueMinor)],
    ['reports.sales.paid', money(r.sales.paidMinor)],
    ['payment.rounding', money(r.sales.roundingMinor)],
    ['reports.sales.avgTicket', money(r.sales.averageTicketMinor)],
    ['reports.sales.memberShare', pct(r.sales.memberShareBp)],
    ['reports.eod.refunds', int(r.refunds.count)],
    ['reports.sales.refunds', money(r.refunds.amountMinor)],
    ['reports.sales.net', money(r.netMinor)],
    ...(r.grandTotalMinor !== null ? ([['day.grandTotal', money(r.grandTotalMinor)]] as [MessageKey, Cell][]) : []),
    ['reports.eod.firstReceipt', text(r.firstReceiptNo ?? '—')],
    ['reports.eod.lastReceipt', text(r.lastReceiptNo ?? '—')],
    ['exceptions.overrides', int(r.overrides)],
  ];
  return [
    kv(t, summary, 'day-summary', r.kind === 'z' ? 'day.zSummary' : 'day.xSummary'),
    {
      id: 'day-tenders',
      title: t('day.tenders'),
      columns: [t('day.tender'), t('day.salesCount'), t('day.sales'), t('day.refundsCount'), t('day.refunds'), t('day.net')],
      rows: r.tenders.map((x) => [text(names.tender(x.code)), int(x.salesCount), money(x.salesMinor), int(x.refundsCount), money(x.refundsMinor), money(x.netMinor)]),
    },
    {
      id: 'day-drawers',
      title: t('day.drawers'),
      columns: [
        t('day.openedAt'),
        t('day.openedBy'),
        t('day.float'),
        t('day.cashSales'),
        t('day.cashRefunds'),
        t('day.payIns'),
        t('day.payOuts'),
        t('day.pickups'),
        t('day.noSales'),
        t('drawer.expected'),
        t('drawer.counted'),
        t('day.overShort'),
        t('day.closedAt'),
      ],
      rows: r.drawers.map((d) => [
        datetime(d.openedAt),
        text(names.staff(d.openedBy)),
        money(d.floatMinor),
        money(d.cashSalesMinor),
        money(d.cashRefundsMinor),
        money(d.payInsMinor),
        money(d.payOutsMinor),
        money(d.pickupsMinor),
        int(d.noSales),
        money(d.expectedMinor),
        opt(d.countedMinor, money),
        opt(d.overShortMinor, money),
        d.closedAt ? datetime(d.closedAt) : text(t('day.stillOpen')),
      ]),
    },
    {
      id: 'day-points',
      title: t('reports.points.summary'),
      columns: [t('reports.figure'), t('day.points'), t('day.pointsValue')],
      rows: [
        [text(t('reports.points.issued')), pts(r.points.issued), money(r.points.issuedValueMinor)],
        [text(t('reports.points.redeemed')), pts(r.points.redeemed), money(r.points.redeemedValueMinor)],
        [text(t('reports.points.expired')), pts(r.points.expired), money(r.points.expiredValueMinor)],
      ],
    },
    {
      id: 'day-staff',
      title: t('reports.eod.byStaff'),
      columns: [t('exceptions.staff'), t('day.salesCount'), t('day.sales'), t('day.refundsCount'), t('day.refunds')],
      rows: r.staff.map((s) => [text(s.name), int(s.salesCount), money(s.salesMinor), int(s.refundsCount), money(s.refundsMinor)]),
    },
    {
      id: 'day-refunds',
      title: t('day.refundList'),
      columns: [t('day.receipt'), t('day.refunds'), t('exceptions.staff'), t('day.approvedBy'), t('refund.reason'), t('day.at')],
      rows: r.refundList.map((x) => [text(x.receiptNo), money(x.amountMinor), text(names.staff(x.staffId)), text(x.approvedBy ? names.staff(x.approvedBy) : '—'), text(x.reason ?? '—'), datetime(x.at)]),
    },
  ];
}

/** The till's Z reports, newest first. */
export function zListTable(list: ZReportDto[], t: Translate, names: Pick<DayReportNames, 'staff'>): Table {
  return {
    id: 'z-list',
    title: t('day.zList'),
    columns: [t('day.zNo'), t('day.businessDate'), t('day.closedAt'), t('day.closedBy'), t('reports.sales.net'), t('day.grandTotal')],
    rows: list.map((z) => [int(z.zNo ?? 0), date(z.businessDate), datetime(z.closedAt), text(names.staff(z.closedBy)), money(z.netMinor), money(z.grandTotalMinor ?? 0)]),
  };
}
