import type {
  ChurnRiskReportDto,
  EndOfDayDto,
  ExceptionEntryDto,
  ExceptionsReportDto,
  MembersReportDto,
  PointsReportDto,
  RefusedAttemptsDto,
  ReportPeriod,
  RfmSegment,
  SalesReportDto,
} from '../../src-shared/api/contract-reports';
import { RFM_SEGMENTS } from '../../src-shared/api/contract-reports';
import { businessDateOf, daysBetweenDates, monthOf, previousMonth } from '../../src-shared/domain/dates';
import { tierFromSpend } from '../../src-shared/domain/tiers';
import { TIERS, type Tier } from '../../src-shared/domain/types';
import { maskName, maskPhone } from '../../src-shared/privacy/mask';
import type { CoreContext } from '../core/context';

/** What the reports need of the core: a database to read, the store's identity, a clock and today's rules. */
export type ReportsContext = Pick<CoreContext, 'db' | 'timeZone' | 'currency' | 'storeName' | 'terminalId' | 'now' | 'rulesOn'>;
import { estimateClv, per, pointsValueMinor, ratioBp, rfmSegment } from './metrics';
import { addDaysToDate, datesOf, rangeDto, resolveRange, type ResolvedRange } from './range';
import * as repo from './reports.repo';
import type { AuditVerifyDto, LedgerVerifyDto } from '../../src-shared/api/dto';
import { verifyLedgerBalances } from '../ledger/ledger-verify';
import { verifyAuditChain } from '../core/audit.repo';

type RangeInput = { period: ReportPeriod; from?: string; to?: string };

/** Audited actions the exceptions view lists, and how it groups them. */
const EXCEPTION_KINDS: Record<string, ExceptionEntryDto['kind']> = {
  'checkout.override': 'override',
  'reward.override': 'override',
  'points.adjust': 'adjustment',
  'refund.approved': 'refund_approval',
  'member.reveal': 'privacy',
  'member.export': 'privacy',
  'member.erase': 'privacy',
  'member.block': 'member_block',
  'member.unblock': 'member_block',
  'staff.create': 'staff',
  'staff.changePin': 'staff',
  'rules.install': 'rules',
  'staff.pinFailed': 'pin_failure',
};
const MAX_EXCEPTION_ENTRIES = 500;
const MAX_REFUSALS = 500;
const RFM_WINDOW_DAYS = 365;

/** The manager's local reports over the terminal database (see contract-reports.ts for each figure). */
export class ReportsService {
  constructor(private readonly ctx: ReportsContext) {}

  private range(input: RangeInput): ResolvedRange {
    return resolveRange(input, { now: this.ctx.now(), timeZone: this.ctx.timeZone, currency: this.ctx.currency });
  }

  private today(): string {
    return businessDateOf(this.ctx.now().toISOString(), this.ctx.timeZone);
  }

  async sales(input: RangeInput): Promise<SalesReportDto> {
    const r = this.range(input);
    const db = this.ctx.db;
    const days = await repo.salesDays(db, r.from, r.to);
    const categories = await repo.salesByCategory(db, r.from, r.to);
    const refunds = await repo.refundTotals(db, r.from, r.to);
    const t = repo.salesTotalsOf(days);
    const byDate = new Map(days.map((d) => [d.date, d]));
    const guestSales = t.sales - t.memberSales;
    return {
      range: rangeDto(r),
      sales: t.sales,
      grossMinor: t.gross,
      redeemedValueMinor: t.redeemedValue,
      paidMinor: t.paid,
      memberSales: t.memberSales,
      memberPaidMinor: t.memberPaid,
      memberShareBp: ratioBp(t.memberPaid, t.paid),
      memberReceiptShareBp: ratioBp(t.memberSales, t.sales),
      averageTicketMinor: per(t.paid, t.sales),
      memberAverageTicketMinor: per(t.memberPaid, t.memberSales),
      guestAverageTicketMinor: per(t.paid - t.memberPaid, guestSales),
      refunds: refunds.refunds,
      refundMinor: refunds.refundMinor,
      netMinor: t.paid - refunds.refundMinor,
      byDay: datesOf(r.from, r.to).map((date) => {
        const d = byDate.get(date);
        return { date, sales: d?.sales ?? 0, paidMinor: d?.paid ?? 0, memberPaidMinor: d?.memberPaid ?? 0 };
      }),
      byCategory: categories.map((c) => ({ category: c.category, quantity: c.quantity, paidMinor: c.paid })),
    };
  }

  async points(input: RangeInput): Promise<PointsReportDto> {
    const r = this.range(input);
    const db = this.ctx.db;
    const today = this.today();
    const rules = this.ctx.rulesOn(today);
    const days = await repo.ledgerDays(db, r.from, r.to);
    const tiers = await repo.membersByTier(db, this.tierPeriods(today));
    const s = repo.ledgerSumsOf(days);
    const issuedTotal = s.earn + s.bonus + s.adjustIn + s.refundReturned;
    const redeemedTotal = s.redeemBill + s.redeemReward;
    const byTier = TIERS.map((tier) => {
      const row = tiers.find((x) => x.tier === tier);
      const points = row?.positivePoints ?? 0;
      return { tier, members: row?.members ?? 0, points, valueMinor: pointsValueMinor(points, rules, tier) };
    });
    const byDate = new Map(days.map((d) => [d.date, d]));
    return {
      range: rangeDto(r),
      issued: { earn: s.earn, bonus: s.bonus, adjustIn: s.adjustIn, refundReturned: s.refundReturned, total: issuedTotal },
      redeemed: { bill: s.redeemBill, reward: s.redeemReward, total: redeemedTotal },
      expired: s.expired,
      reversed: s.reversed,
      adjustOut: s.adjustOut,
      capped: s.capped,
      redemptionRateBp: ratioBp(redeemedTotal, issuedTotal),
      liability: {
        points: byTier.reduce((a, t) => a + t.points, 0),
        valueMinor: byTier.reduce((a, t) => a + t.valueMinor, 0),
        byTier,
        negativeMembers: tiers.reduce((a, t) => a + t.negativeMembers, 0),
        negativePoints: tiers.reduce((a, t) => a + t.negativePoints, 0),
      },
      byDay: datesOf(r.from, r.to).map((date) => {
        const d = byDate.get(date);
        return {
          date,
          issued: d ? d.earn + d.bonus + d.adjustIn + d.refundReturned : 0,
          redeemed: d ? d.redeemBill + d.redeemReward : 0,
          expired: d?.expired ?? 0,
        };
      }),
    };
  }

  async members(input: RangeInput): Promise<MembersReportDto> {
    const r = this.range(input);
    const db = this.ctx.db;
    const today = this.today();
    const asOf = r.to;
    const yearStart = addDaysToDate(asOf, -(RFM_WINDOW_DAYS - 1));
    const counts = await repo.memberCounts(db, r.startIso, r.endIso);
    const tiers = await repo.membersByTier(db, this.tierPeriods(today));
    const repeat = await repo.repeatPurchase(db, r.from, r.to);
    const cells = await repo.rfmCells(db, yearStart, asOf, 90);
    const year = cells.reduce(
      (a, c) => ({ buyers: a.buyers + c.members, orders: a.orders + c.sumPurchases, revenue: a.revenue + c.sumSpend, silent: a.silent + c.silent }),
      { buyers: 0, orders: 0, revenue: 0, silent: 0 },
    );
    const segments = new Map<RfmSegment, { members: number; r: number; f: number; m: number }>();
    for (const c of cells) {
      const seg = rfmSegment(c.r, c.f);
      const acc = segments.get(seg) ?? { members: 0, r: 0, f: 0, m: 0 };
      acc.members += c.members;
      acc.r += c.sumRecencyDays;
      acc.f += c.sumPurchases;
      acc.m += c.sumSpend;
      segments.set(seg, acc);
    }
    return {
      range: rangeDto(r),
      members: counts.members,
      anonymousMembers: counts.anonymous,
      blockedMembers: counts.blocked,
      newMembers: counts.newMembers,
      tiers: TIERS.map((tier) => ({ tier, members: tiers.find((t) => t.tier === tier)?.members ?? 0 })),
      purchasingMembers: repeat.buyers,
      repeatMembers: repeat.repeaters,
      repeatRateBp: ratioBp(repeat.repeaters, repeat.buyers),
      rfm: {
        asOf,
        windowDays: RFM_WINDOW_DAYS,
        segments: RFM_SEGMENTS.map((segment) => {
          const s = segments.get(segment);
          return {
            segment,
            members: s?.members ?? 0,
            avgRecencyDays: s ? Math.round(s.r / s.members) : 0,
            avgPurchases: s ? Math.round(s.f / s.members) : 0,
            avgSpendMinor: s ? per(s.m, s.members) : 0,
          };
        }),
      },
      clv: estimateClv({ buyers: year.buyers, orders: year.orders, revenueMinor: year.revenue, silentBuyers: year.silent }),
    };
  }

  async churnRisk(input: { silentDays: number; limit: number }): Promise<ChurnRiskReportDto> {
    const db = this.ctx.db;
    const today = this.today();
    const rules = this.ctx.rulesOn(today);
    const cutoff = addDaysToDate(today, -input.silentDays);
    const found = await repo.silentMembers(db, { cutoff, limit: input.limit, ...this.tierPeriods(today) });
    const members = await Promise.all(
      found.rows.map(async (m) => {
        const tier: Tier = m.diamond === 1 ? 'diamond' : tierFromSpend(Math.max(m.cur_spend, m.prev_spend), rules);
        return {
          id: m.id,
          maskedName: maskName(m.name),
          maskedPhone: maskPhone(m.phone),
          tier,
          balance: m.balance,
          lastPurchaseDate: m.last_purchase_date,
          silentDays: daysBetweenDates(m.last_purchase_date, today),
          yearSpendMinor: await repo.spendBetween(db, m.id, addDaysToDate(m.last_purchase_date, -364), m.last_purchase_date),
          consentMarketing: m.consent_marketing === 1,
        };
      }),
    );
    return { asOf: today, silentDays: input.silentDays, total: found.total, pointsAtRisk: found.points, members };
  }

  async exceptions(input: RangeInput): Promise<ExceptionsReportDto> {
    const r = this.range(input);
    const db = this.ctx.db;
    const rules = this.ctx.rulesOn(this.today());
    const actions = Object.keys(EXCEPTION_KINDS);
    const rows = await repo.auditBetween(db, r.startIso, r.endIso, actions, MAX_EXCEPTION_ENTRIES);
    const counts = await repo.auditCounts(db, r.startIso, r.endIso);
    const ledger = await repo.ledgerSums(db, r.from, r.to);
    const capped = await repo.cappedMembers(db, r.from, r.to);
    const over = await repo.overdrafts(db, 20);
    const sales = await repo.salesTotals(db, r.from, r.to);
    const held = await repo.heldOutbox(db);
    const names = await repo.staffNames(db);
    const entries = await this.describeAudit(rows, names);
    const refusedAttempts = await this.refusals(r.from, r.to, names);
    const overrides = entries.filter((e) => e.kind === 'override');
    return {
      range: rangeDto(r),
      overrides: (counts.get('checkout.override') ?? 0) + (counts.get('reward.override') ?? 0),
      holdsApproved: overrides.filter((e) => e.details.riskHold === true || e.details.held === true).length,
      adjustments: { count: ledger.adjustCount, pointsIn: ledger.adjustIn, pointsOut: ledger.adjustOut },
      refundApprovals: counts.get('refund.approved') ?? 0,
      capped: { entries: ledger.cappedEntries, points: ledger.capped, members: capped },
      overdrafts: {
        members: over.members,
        points: over.points,
        valueMinor: pointsValueMinor(over.points, rules, 'regular'),
        list: over.list.map((m) => ({ id: m.id, maskedName: maskName(m.name), maskedPhone: maskPhone(m.phone), balance: m.balance })),
      },
      pinFailures: counts.get('staff.pinFailed') ?? 0,
      offlineSales: sales.offlineSales,
      heldChanges: held,
      refusedAttempts,
      entries,
    };
  }

  /** Cached balances = sums of the ledger (a full scan; here so that it runs off the till's thread). */
  ledgerBalances(): Promise<LedgerVerifyDto> {
    return verifyLedgerBalances(this.ctx.db);
  }

  /** The audit log's hash chain, entry by entry (a full scan, likewise). */
  auditChain(): Promise<AuditVerifyDto> {
    return verifyAuditChain(this.ctx.db);
  }

  async endOfDay(input: { date?: string }): Promise<EndOfDayDto> {
    const date = input.date ?? this.today();
    const r = this.range({ period: 'custom', from: date, to: date });
    const db = this.ctx.db;
    const [t, refunds, ledger, counts, audit, byStaff, refundsByStaff, names, span, refused] = await Promise.all([
      repo.salesTotals(db, date, date),
      repo.refundTotals(db, date, date),
      repo.ledgerSums(db, date, date),
      repo.memberCounts(db, r.startIso, r.endIso),
      repo.auditCounts(db, r.startIso, r.endIso),
      repo.salesByStaff(db, date),
      repo.refundsByStaff(db, date),
      repo.staffNames(db),
      repo.receiptSpan(db, date),
      repo.refusalTotals(db, date, date),
    ]);
    const staffIds = [...new Set([...byStaff.map((s) => s.staffId), ...refundsByStaff.keys()])];
    return {
      date,
      storeName: this.ctx.storeName,
      terminalId: this.ctx.terminalId,
      timeZone: this.ctx.timeZone,
      currency: this.ctx.currency,
      generatedAt: this.ctx.now().toISOString(),
      sales: t.sales,
      grossMinor: t.gross,
      redeemedValueMinor: t.redeemedValue,
      paidMinor: t.paid,
      refunds: refunds.refunds,
      refundMinor: refunds.refundMinor,
      netMinor: t.paid - refunds.refundMinor,
      memberSales: t.memberSales,
      memberShareBp: ratioBp(t.memberPaid, t.paid),
      averageTicketMinor: per(t.paid, t.sales),
      pointsIssued: ledger.earn + ledger.bonus + ledger.adjustIn + ledger.refundReturned,
      pointsRedeemed: ledger.redeemBill + ledger.redeemReward,
      newMembers: counts.newMembers,
      firstReceipt: span.first,
      lastReceipt: span.last,
      byStaff: staffIds
        .map((staffId) => {
          const s = byStaff.find((x) => x.staffId === staffId);
          return { staffId, name: names.get(staffId) ?? staffId, sales: s?.sales ?? 0, paidMinor: s?.paid ?? 0, refunds: refundsByStaff.get(staffId) ?? 0 };
        })
        .sort((a, b) => b.paidMinor - a.paidMinor),
      exceptions: {
        overrides: (audit.get('checkout.override') ?? 0) + (audit.get('reward.override') ?? 0),
        adjustments: ledger.adjustCount,
        cappedPoints: ledger.capped,
        pinFailures: audit.get('staff.pinFailed') ?? 0,
        offlineSales: t.offlineSales,
        refusedRedemptions: refused.byReason.reduce((a, x) => a + x.count, 0),
      },
    };
  }

  private tierPeriods(today: string): { period: string; previousPeriod: string; silverMinor: number; goldMinor: number } {
    const rules = this.ctx.rulesOn(today);
    const period = monthOf(today);
    return { period, previousPeriod: previousMonth(period), silverMinor: rules.tiers.silverSpendMinor, goldMinor: rules.tiers.goldSpendMinor };
  }

  /** Refused redemptions in the range: totals by reason and the newest ones, members masked. */
  private async refusals(from: string, to: string, names: Map<string, string>): Promise<RefusedAttemptsDto> {
    const [totals, rows] = await Promise.all([repo.refusalTotals(this.ctx.db, from, to), repo.refusalsBetween(this.ctx.db, from, to, MAX_REFUSALS)]);
    return {
      count: totals.byReason.reduce((a, x) => a + x.count, 0),
      points: totals.byReason.reduce((a, x) => a + x.points, 0),
      members: totals.members,
      byReason: totals.byReason,
      list: rows.map((row) => ({
        at: row.at,
        businessDate: row.business_date,
        channel: row.channel,
        points: row.points,
        reason: row.reason,
        staffName: row.staff_id ? (names.get(row.staff_id) ?? null) : null,
        approverName: row.approver_id ? (names.get(row.approver_id) ?? null) : null,
        member: [maskName(row.name), maskPhone(row.phone)].filter(Boolean).join(' ') || `#${row.member_id.slice(-6)}`,
        offline: row.offline === 1,
        details: primitiveDetails(row.details),
      })),
    };
  }

  /** Audit rows in words: staff names, masked members, receipt numbers, and only non-personal detail fields. */
  private async describeAudit(rows: repo.AuditRow[], names: Map<string, string>): Promise<ExceptionEntryDto[]> {
    const memberIds = [...new Set(rows.filter((r) => r.subject_type === 'member' && r.subject_id).map((r) => r.subject_id!))];
    const saleIds = [...new Set(rows.filter((r) => r.subject_type === 'sale' && r.subject_id).map((r) => r.subject_id!))];
    const [members, receipts] = await Promise.all([repo.membersByIds(this.ctx.db, memberIds), repo.receiptsByIds(this.ctx.db, saleIds)]);
    const memberLabel = new Map(members.map((m) => [m.id, [maskName(m.name), maskPhone(m.phone)].filter(Boolean).join(' ') || `#${m.id.slice(-6)}`]));
    return rows.map((row) => {
      let subject: string | null = null;
      if (row.subject_type === 'member' && row.subject_id) subject = memberLabel.get(row.subject_id) ?? `#${row.subject_id.slice(-6)}`;
      else if (row.subject_type === 'sale' && row.subject_id) subject = receipts.get(row.subject_id) ?? `#${row.subject_id.slice(-6)}`;
      else if (row.subject_type === 'staff' && row.subject_id) subject = names.get(row.subject_id) ?? null;
      else if (row.subject_id) subject = `${row.subject_type ?? ''} ${row.subject_id}`.trim();
      return {
        at: row.at,
        businessDate: businessDateOf(row.at, this.ctx.timeZone),
        kind: EXCEPTION_KINDS[row.action] ?? 'override',
        action: row.action,
        staffName: row.staff_id ? (names.get(row.staff_id) ?? null) : null,
        approverName: row.approved_by ? (names.get(row.approved_by) ?? null) : null,
        subject,
        details: primitiveDetails(row.details),
      };
    });
  }
}

/** Keeps the scalar fields of an audit entry's JSON details (reasons, points, flags). */
function primitiveDetails(json: string): Record<string, string | number | boolean | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return {};
  }
  if (!parsed || typeof parsed !== 'object') return {};
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (v === null || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (typeof v === 'string') out[k] = v.slice(0, 200);
  }
  return out;
}

