import { inRolledBackTransaction, inTransaction } from '../db/transaction';
import type { CheckoutPreviewDto, SaleDto, SaleTenderLine } from '../../src-shared/api/dto';
import { settleSale, type TenderInput } from '../../src-shared/tenders/payment';
import { planCheckout, type CheckoutPlan } from '../../src-shared/domain/checkout';
import { referrerBonusPoints } from '../../src-shared/domain/earn';
import { creditExpiry } from '../../src-shared/domain/lots';
import { maxRedeemablePoints } from '../../src-shared/domain/redeem';
import { evaluateTier } from '../../src-shared/domain/tiers';
import { assessRedemptionRisk } from '../../src-shared/domain/risk';
import type { SaleLineInput } from '../../src-shared/domain/types';
import { DomainError } from '../../src-shared/errors/domain-error';
import { deterministicUuid, saleIdFromKey } from '../../src-shared/sync/ids';
import { appendAudit } from '../core/audit.repo';
import type { CoreContext, StaffRow, Trx } from '../core/context';
import { appendEntries, appendEntry, entryExists, type NewEntry } from './entries.repo';
import { expireDueLots, memberAtCheckout, velocityWindowStart } from './member-state';
import { summaryOf, todayOf } from './member-view';
import { memberById, recordPurchase, terminalRedemptionsSince, type MemberRow } from './members.repo';
import type { MembersService } from './members.service';
import { enqueueJournal } from '../core/outbox.repo';
import { requestHash } from './request-hash';
import { insertSale, saleByIdempotencyKey, saleKeysIndexedUntil, saleDto, saleSnapshotJson, setSaleResult, toSaleLineDtos } from './sales.repo';
import { nextReceiptNo } from './receipt-no';
import { rememberProductPrices } from './products.repo';
import type { ReceiptSink } from '../core/ports';
import { openDrawerSession } from './drawer.service';
import type { TenderSettings } from './tender-settings';

export interface CheckoutInput {
  idempotencyKey: string;
  memberId?: string | null;
  lines: SaleLineInput[];
  redeemPoints: number;
  approval?: { staffId: string; pin: string };
  /** What covered the amount due; required when the till takes the money. */
  tenders?: TenderInput[];
}

/**
 * Checkout: the sale, its lines, every ledger entry (redeem, earn, bonuses, referral), the
 * period spend, the outbox rows and the audit entry, in ONE SQLite transaction (the day's
 * counters are summed from the day's entries, so they need no row of their own).
 * A retry with the same idempotency key returns the first answer and writes nothing.
 */
export class CheckoutService {
  /** `meta sale.keys_indexed_until`, read once (a migration writes it; nothing changes it after). */
  private keysIndexedUntil: { value: string | null } | undefined;

  constructor(
    private readonly ctx: CoreContext,
    private readonly members: MembersService,
    private readonly tenderSettings: TenderSettings,
    /** Writes the receipt's print job in the sale's transaction (the devices area's print queue implements it). */
    private readonly receipts?: ReceiptSink,
  ) {}

  /** The same computation as complete(), without writing: totals, points, campaigns, the redeem limit. */
  async preview(input: Omit<CheckoutInput, 'idempotencyKey'>, approver: StaffRow | null): Promise<CheckoutPreviewDto> {
    // Never committed: the lazy expiry `prepare` may plan is rolled back with the rest.
    return inRolledBackTransaction(this.ctx.db, async (trx) => {
      const { now, businessDate } = todayOf(this.ctx);
      const rules = this.ctx.rulesOn(businessDate);
      const prepared = await this.prepare(trx, input, approver, now, businessDate);
      const plan = prepared.plan;
      let maxRedeem: CheckoutPreviewDto['maxRedeem'] = null;
      let riskHold: CheckoutPreviewDto['riskHold'] = null;
      if (prepared.member && prepared.state) {
        const m = maxRedeemablePoints(
          {
            billMinor: plan.priced.grossMinor,
            availablePoints: prepared.state.state.availablePoints,
            tier: prepared.state.state.tier,
            offlineRemaining: approver ? null : prepared.state.offlineRemaining,
          },
          rules,
        );
        maxRedeem = { points: prepared.member.status === 'blocked' ? 0 : m.maxPoints, valueMinor: m.valueMinor, limitedBy: prepared.member.status === 'blocked' ? 'blocked' : m.limitedBy };
        const verdict = assessRedemptionRisk(
          { now, memberRedemptions: prepared.state.state.recentRedemptions, terminalRedemptions: prepared.terminalRecent },
          rules,
        );
        if (verdict.held) riskHold = { rule: verdict.rule, count: verdict.count, windowSeconds: verdict.windowSeconds };
      }
      return {
        grossMinor: plan.priced.grossMinor,
        redeemedPoints: plan.priced.redeemedPoints,
        redeemedValueMinor: plan.priced.redeemedValueMinor,
        paidMinor: plan.priced.paidMinor,
        earn: plan.earn
          ? {
              purchasePoints: plan.earn.purchasePoints,
              bonuses: [
                ...plan.earn.spendBonuses.map((b) => ({ reason: 'spend_threshold', campaignId: b.campaignId, points: b.points })),
                ...(plan.earn.birthdayBonus > 0 ? [{ reason: 'birthday', campaignId: null, points: plan.earn.birthdayBonus }] : []),
              ],
              cappedPoints: plan.earn.cappedPoints,
              tierMultiplierBp: plan.earn.tierMultiplierBp,
              lines: plan.earn.perLine,
            }
          : null,
        maxRedeem,
        riskHold,
        ruleSetVersion: plan.ruleSetVersion,
      };
    });
  }

  async complete(input: CheckoutInput, staff: StaffRow, approver: StaffRow | null): Promise<SaleDto> {
    const hash = requestHash({ ...input });
    return inTransaction(this.ctx.db, async (trx) => {
      this.keysIndexedUntil ??= { value: await saleKeysIndexedUntil(trx) };
      const previous = await saleByIdempotencyKey(trx, this.ctx.terminalId, input.idempotencyKey, this.keysIndexedUntil.value);
      if (previous) {
        if (previous.request_hash !== hash) {
          throw new DomainError('IDEMPOTENCY_CONFLICT', 'This sale number was already used for a different sale. Start a new sale.', {});
        }
        return saleDto(trx, previous, true);
      }

      const { now, businessDate } = todayOf(this.ctx);
      const rules = this.ctx.rulesOn(businessDate);
      const { plan, member, state } = await this.prepare(trx, input, approver, now, businessDate);
      const payment = await this.settle(trx, input.tenders, plan.priced.paidMinor);
      const saleId = saleIdFromKey(this.ctx.terminalId, input.idempotencyKey);
      const receiptNo = await nextReceiptNo(trx, this.ctx, businessDate);
      const offline = this.ctx.connectivity() === 'offline';
      const key = input.idempotencyKey;
      const bonuses: { reason: string; points: number }[] = [];

      // The sale row first: ledger entries reference it.
      const lines = toSaleLineDtos(plan.priced.lines, plan.earn?.perLine);
      await insertSale(
        trx,
        {
          id: saleId,
          idempotency_key: key,
          request_hash: hash,
          receipt_no: receiptNo,
          member_id: member?.id ?? null,
          staff_id: staff.id,
          terminal_id: this.ctx.terminalId,
          created_at: now,
          business_date: businessDate,
          gross_minor: plan.priced.grossMinor,
          redeemed_points: plan.priced.redeemedPoints,
          redeemed_value_minor: plan.priced.redeemedValueMinor,
          paid_minor: plan.priced.paidMinor,
          earned_points: 0,
          capped_points: plan.earn?.cappedPoints ?? 0,
          tier: state?.state.tier ?? null,
          rule_set_version: plan.ruleSetVersion,
          offline: offline ? 1 : 0,
          result: '{}',
          tenders: JSON.stringify(payment.tenders),
          rounding_minor: payment.roundingMinor,
          drawer_session_id: payment.drawerSessionId,
        },
        lines.map((l) => ({
          sale_id: saleId,
          line_no: l.lineNo,
          sku: l.sku,
          description: l.description,
          category: l.category,
          quantity: l.quantity,
          unit_price_minor: l.unitPriceMinor,
          discount_minor: l.discountMinor,
          gross_minor: l.grossMinor,
          redeemed_points: l.redeemedPoints,
          redeemed_value_minor: l.redeemedValueMinor,
          paid_minor: l.paidMinor,
          earned_points: l.earnedPoints,
          campaign_id: l.campaignId,
        })),
      );
      await rememberProductPrices(trx, lines, now);

      let earnedTotal = 0;
      let addedSpend = 0;
      if (member && plan.earn) {
        const base = { memberId: member.id, saleId, businessDate, staffId: staff.id, approvedBy: approver?.id ?? null, ruleSetVersion: plan.ruleSetVersion };
        const expiresAt = creditExpiry(now, rules);
        const entries: NewEntry[] = [];
        if (plan.redemption) {
          entries.push({ ...base, kind: 'redeem', points: -plan.redemption.points, reason: 'bill', offline, idempotencyKey: `${key}:redeem` });
        }
        if (plan.earn.purchasePoints > 0 || plan.earn.cappedPoints > 0) {
          entries.push({
            ...base,
            kind: 'earn',
            points: plan.earn.purchasePoints,
            expiresAt,
            cappedPoints: plan.earn.cappedPoints,
            idempotencyKey: `${key}:earn`,
          });
        }
        for (const b of plan.earn.spendBonuses) {
          entries.push({ ...base, kind: 'bonus', points: b.points, reason: `spend_threshold:${b.campaignId}`, expiresAt, idempotencyKey: `${key}:bonus:${b.campaignId}` });
          bonuses.push({ reason: 'spend_threshold', points: b.points });
        }
        if (plan.earn.birthdayBonus > 0) {
          entries.push({
            ...base,
            kind: 'bonus',
            points: plan.earn.birthdayBonus,
            reason: 'birthday',
            expiresAt,
            idempotencyKey: `birthday:${member.id}:${businessDate.slice(0, 4)}`,
            onceOnly: true,
          });
          bonuses.push({ reason: 'birthday', points: plan.earn.birthdayBonus });
        }
        await appendEntries(trx, this.ctx, entries);
        earnedTotal = plan.earn.purchasePoints + plan.earn.spendBonuses.reduce((s, b) => s + b.points, 0) + plan.earn.birthdayBonus;
        await this.creditReferrer(trx, member, plan, now, businessDate, staff, saleId);
        await recordPurchase(trx, member, businessDate, now, plan.priced.paidMinor);
        addedSpend = plan.priced.paidMinor;
      }
      if (plan.overrodeRiskHold || plan.overrodeOfflineLimit) {
        await appendAudit(trx, this.ctx, {
          action: 'checkout.override',
          staffId: staff.id,
          approvedBy: approver?.id ?? null,
          subjectType: 'sale',
          subjectId: saleId,
          details: { riskHold: plan.overrodeRiskHold, offlineLimit: plan.overrodeOfflineLimit, redeemPoints: plan.redemption?.points ?? 0 },
        });
      }

      const after = member ? await memberById(trx, member.id) : undefined;
      // The tier after this sale: this period's spend has just grown by what was paid (an upgrade is immediate).
      const tierAfter =
        after && state
          ? evaluateTier({ previousPeriodSpendMinor: state.spend.previous, currentPeriodSpendMinor: state.spend.current + addedSpend, diamond: after.diamond === 1 }, rules)
          : null;
      const dto: SaleDto = {
        id: saleId,
        receiptNo,
        createdAt: now,
        businessDate,
        staffId: staff.id,
        member: after && tierAfter ? summaryOf(after, tierAfter) : null,
        lines,
        grossMinor: plan.priced.grossMinor,
        redeemedPoints: plan.priced.redeemedPoints,
        redeemedValueMinor: plan.priced.redeemedValueMinor,
        paidMinor: plan.priced.paidMinor,
        earnedPoints: earnedTotal,
        bonuses,
        cappedPoints: plan.earn?.cappedPoints ?? 0,
        tierAtSale: state?.state.tier ?? null,
        balanceAfter: after?.balance ?? null,
        ruleSetVersion: plan.ruleSetVersion,
        offline,
        tenders: payment.tenders,
        roundingMinor: payment.roundingMinor,
        changeMinor: payment.changeMinor,
        replayed: false,
      };
      await setSaleResult(trx, saleId, earnedTotal, saleSnapshotJson(dto));
      await this.receipts?.saleCompleted(trx, dto, staff);
      await enqueueJournal(trx, this.ctx, 'sale', saleId);
      return dto;
    });
  }

  /**
   * The tenders settled against the amount due (src-shared/tenders/payment.ts). Required when the
   * till takes the money; cash (or a tender that opens the drawer) needs an open drawer session,
   * whose id the sale keeps so the session's expected cash includes it.
   */
  private async settle(trx: Trx, tenders: TenderInput[] | undefined, dueMinor: number): Promise<{ tenders: SaleTenderLine[]; roundingMinor: number; changeMinor: number; drawerSessionId: string | null }> {
    const settings = await this.tenderSettings.get(trx);
    if (!tenders || tenders.length === 0) {
      if (settings.paymentsAtTill && dueMinor > 0) {
        throw new DomainError('TENDER_SHORT', 'Take the payment: the amount due is not covered by any tender.', { dueMinor, shortMinor: dueMinor });
      }
      return { tenders: [], roundingMinor: 0, changeMinor: 0, drawerSessionId: null };
    }
    const settlement = settleSale(dueMinor, tenders, settings.config);
    let drawerSessionId: string | null = null;
    if (settlement.opensDrawer || settlement.lines.some((l) => l.kind === 'cash')) {
      const session = await openDrawerSession(trx);
      if (!session) throw new DomainError('DRAWER_NOT_OPEN', 'No drawer session is open on this till: cash cannot be taken. Open the drawer with a counted float, or take another tender.', {});
      drawerSessionId = session.id;
    }
    return {
      tenders: settlement.lines.map((l, i) => ({
        tenderNo: i + 1,
        code: l.code,
        kind: l.kind,
        amountMinor: l.appliedMinor,
        tenderedMinor: l.tenderedMinor,
        changeMinor: l.changeMinor,
        reference: l.reference,
      })),
      roundingMinor: settlement.roundingMinor,
      changeMinor: settlement.changeMinor,
      drawerSessionId,
    };
  }

  private async prepare(trx: Trx, input: Omit<CheckoutInput, 'idempotencyKey'>, approver: StaffRow | null, now: string, businessDate: string) {
    const rules = this.ctx.rulesOn(businessDate);
    const member = input.memberId ? await this.members.requireTrading(trx, input.memberId) : null;
    // Past-date points must not be spent: expire them first (rolled back with a preview).
    const expired = member ? await expireDueLots(trx, this.ctx, member.id, now, businessDate, rules) : 0;
    const state = member ? await memberAtCheckout(trx, this.ctx, member, expired, now, businessDate, rules) : null;
    const terminalRecent = await terminalRedemptionsSince(trx, velocityWindowStart(now, rules, 'terminal'), now);
    const plan: CheckoutPlan = planCheckout(
      {
        lines: input.lines,
        member: state?.state ?? null,
        redeemPoints: input.redeemPoints,
        businessDate,
        now,
        offlineRemaining: state?.offlineRemaining ?? null,
        terminalRecentRedemptions: terminalRecent,
        managerOverride: approver !== null,
      },
      rules,
    );
    return { plan, member, state, terminalRecent };
  }

  /** The referrer's bonus after the new member's first purchase (paid amount above zero). */
  private async creditReferrer(trx: Trx, member: MemberRow, plan: CheckoutPlan, now: string, businessDate: string, staff: StaffRow, saleId: string) {
    if (!member.referrer_id) return;
    const referrer = await memberById(trx, member.referrer_id);
    if (!referrer || referrer.status !== 'active') return;
    const rules = this.ctx.rulesOn(businessDate);
    const key = `referral:${member.id}`;
    const firstPurchase = member.first_purchase_at === null;
    // Another till may have credited it already (the member's first purchase there, synced here).
    const alreadyCredited = firstPurchase && (await entryExists(trx, deterministicUuid(key)));
    const points = referrerBonusPoints({ hasReferrer: true, firstPurchase, paidMinor: plan.priced.paidMinor, alreadyCredited }, rules);
    if (points <= 0) return;
    await appendEntry(trx, this.ctx, {
      memberId: referrer.id,
      kind: 'bonus',
      points,
      reason: `referral:${member.id}`,
      saleId,
      expiresAt: creditExpiry(now, rules),
      businessDate,
      staffId: staff.id,
      ruleSetVersion: rules.version,
      idempotencyKey: key,
      onceOnly: true,
    });
  }
}
