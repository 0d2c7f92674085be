import { inTransaction } from '../db/transaction';
import type { RefundDto } from '../../src-shared/api/dto';
import { monthOf } from '../../src-shared/domain/dates';
import { creditExpiry } from '../../src-shared/domain/lots';
import { planRefund } from '../../src-shared/domain/refund';
import { DomainError } from '../../src-shared/errors/domain-error';
import { appendAudit } from '../core/audit.repo';
import type { CoreContext, StaffRow, Trx } from '../core/context';
import type { SaleTenderLine } from '../../src-shared/api/dto';
import { allocateRefundToTenders, refundNeedsApproval, refundNeedsReason } from '../../src-shared/tenders/refund-tenders';
import type { DrawerService } from './drawer.service';
import type { TenderSettings } from './tender-settings';
import { appendEntry, earnEntryOfSale } from './entries.repo';
import { todayOf } from './member-view';
import { addPeriodSpend, memberById } from './members.repo';
import { enqueueOutbox } from '../core/outbox.repo';
import { requestHash } from './request-hash';
import { insertRefund, refundByIdempotencyKey, refundedQuantities, setRefundResult } from './refunds.repo';
import { findSale, saleLines, type SaleRow } from './sales.repo';
import type { ReceiptSink } from '../core/ports';

export interface RefundInput {
  idempotencyKey: string;
  saleId?: string;
  receiptNo?: string;
  lines: { lineNo: number; quantity: number }[];
  approval?: { staffId: string; pin: string };
  /** Pay the refund in cash instead of the original card or wallet (a manager approves). */
  toCash?: boolean;
  reason?: string;
}

/**
 * Refund by line against the original sale: money back for the paid part, the points earned on
 * the refunded part taken back, the points redeemed on it given back, proportionally, in one
 * transaction. A balance may go negative (the points were already spent); it is shown and reported.
 */
export class RefundService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly tenderSettings: TenderSettings,
    private readonly drawer: DrawerService,
    /** Writes the refund slip's print job in the refund's transaction (the devices area's print queue implements it). */
    private readonly receipts?: ReceiptSink,
  ) {}

  async create(input: RefundInput, staff: StaffRow, approver: StaffRow | null): Promise<RefundDto> {
    const hash = requestHash({ ...input });
    return inTransaction(this.ctx.db, async (trx) => {
      const previous = await refundByIdempotencyKey(trx, input.idempotencyKey);
      if (previous) {
        if (previous.request_hash !== hash) {
          throw new DomainError('IDEMPOTENCY_CONFLICT', 'This refund number was already used for a different refund. Start the refund again.');
        }
        return { ...(JSON.parse(previous.result) as RefundDto), replayed: true };
      }
      const sale = await findSale(trx, { saleId: input.saleId, receiptNo: input.receiptNo });
      const sold = await saleLines(trx, sale.id);
      const already = await refundedQuantities(trx, sale.id);
      const plan = planRefund(
        sold.map((l) => ({ lineNo: l.line_no, quantity: l.quantity, paidMinor: l.paid_minor, redeemedPoints: l.redeemed_points, earnedPoints: l.earned_points })),
        already,
        input.lines,
      );
      const { now, businessDate } = todayOf(this.ctx);
      const rules = this.ctx.rulesOn(businessDate);
      const refundId = this.ctx.newId();
      const refundedOf = (lineNo: number) => (already.find((a) => a.lineNo === lineNo)?.quantity ?? 0) + (plan.lines.find((x) => x.lineNo === lineNo)?.quantity ?? 0);
      const completesSale = sold.every((l) => refundedOf(l.line_no) >= l.quantity);
      const money = await this.tendersBack(trx, sale, plan.refundMinor, completesSale, input, approver);
      await insertRefund(
        trx,
        {
          id: refundId,
          idempotency_key: input.idempotencyKey,
          request_hash: hash,
          sale_id: sale.id,
          staff_id: staff.id,
          terminal_id: this.ctx.terminalId,
          created_at: now,
          business_date: businessDate,
          refund_minor: plan.refundMinor,
          reverse_earned_points: plan.reverseEarnedPoints,
          return_redeemed_points: plan.returnRedeemedPoints,
          result: '{}',
          tenders: JSON.stringify(money.tenders),
          approved_by: approver?.id ?? null,
          reason: input.reason ?? null,
          drawer_session_id: money.drawerSessionId,
        },
        plan.lines.map((l) => ({
          refund_id: refundId,
          line_no: l.lineNo,
          quantity: l.quantity,
          refund_minor: l.refundMinor,
          reverse_earned_points: l.reverseEarnedPoints,
          return_redeemed_points: l.returnRedeemedPoints,
        })),
      );

      let balanceAfter: number | null = null;
      if (sale.member_id) {
        const base = { memberId: sale.member_id, saleId: sale.id, refundId, businessDate, staffId: staff.id, approvedBy: approver?.id ?? null, ruleSetVersion: rules.version };
        if (plan.reverseEarnedPoints > 0) {
          // Take back from the sale's own earn lot first; whatever was spent already becomes debt.
          const earn = await earnEntryOfSale(trx, sale.member_id, sale.id);
          await appendEntry(trx, this.ctx, {
            ...base,
            kind: 'reverse',
            points: -plan.reverseEarnedPoints,
            reason: 'refund_earned',
            targetEntryId: earn?.id ?? null,
            idempotencyKey: `${input.idempotencyKey}:reverse_earned`,
          });
        }
        if (plan.returnRedeemedPoints > 0) {
          await appendEntry(trx, this.ctx, {
            ...base,
            kind: 'reverse',
            points: plan.returnRedeemedPoints,
            reason: 'refund_redeemed',
            expiresAt: creditExpiry(now, rules),
            idempotencyKey: `${input.idempotencyKey}:return_redeemed`,
          });
        }
        // Qualifying spend shrinks in the period of the original sale.
        if (plan.refundMinor > 0) await addPeriodSpend(trx, sale.member_id, monthOf(sale.business_date), -plan.refundMinor);
        balanceAfter = (await memberById(trx, sale.member_id))?.balance ?? null;
      }
      if (approver) {
        await appendAudit(trx, this.ctx, { action: 'refund.approved', staffId: staff.id, approvedBy: approver.id, subjectType: 'sale', subjectId: sale.id, details: { refundId } });
      }
      const dto: RefundDto = {
        id: refundId,
        saleId: sale.id,
        receiptNo: sale.receipt_no,
        createdAt: now,
        lines: plan.lines,
        refundMinor: plan.refundMinor,
        reverseEarnedPoints: plan.reverseEarnedPoints,
        returnRedeemedPoints: plan.returnRedeemedPoints,
        balanceAfter,
        tenders: money.tenders,
        approvedBy: approver?.id ?? null,
        reason: input.reason ?? null,
        replayed: false,
      };
      await setRefundResult(trx, refundId, JSON.stringify(dto));
      await this.receipts?.refundCreated(trx, dto, staff);
      await enqueueOutbox(trx, this.ctx, 'refund', refundId, { ...dto, terminalId: this.ctx.terminalId, idempotencyKey: input.idempotencyKey });
      return dto;
    });
  }

  /**
   * Where the money goes back (src-shared/tenders/refund-tenders.ts): to the sale's tenders in
   * proportion, or all to cash with a manager's approval; above the store's threshold a manager
   * approves and a reason is given; cash comes out of the open drawer session, never more than it
   * holds. A sale that recorded no tenders (paid at another register) gets none back here.
   */
  private async tendersBack(
    trx: Trx,
    sale: SaleRow,
    refundMinor: number,
    completesSale: boolean,
    input: RefundInput,
    approver: StaffRow | null,
  ): Promise<{ tenders: SaleTenderLine[]; drawerSessionId: string | null }> {
    const paid = JSON.parse(sale.tenders) as SaleTenderLine[];
    if (paid.length === 0) return { tenders: [], drawerSessionId: null };
    const { config } = await this.tenderSettings.get(trx);
    const earlier = await trx.selectFrom('refund').select(['tenders', 'refund_minor']).where('sale_id', '=', sale.id).execute();
    const earlierMinor = earlier.reduce((a, r) => a + r.refund_minor, 0);
    const plan = allocateRefundToTenders(
      {
        paid: paid.map((t) => ({ id: String(t.tenderNo), code: t.code, appliedMinor: t.amountMinor })),
        saleRoundingMinor: sale.rounding_minor,
        refunded: earlier.flatMap((r) => (JSON.parse(r.tenders) as SaleTenderLine[]).map((t) => ({ tenderId: String(t.tenderNo), amountMinor: t.amountMinor }))),
        refundMinor,
        completesSale,
        toCash: input.toCash === true,
      },
      config,
    );
    if (!approver && (plan.needsApproval || refundNeedsApproval(refundMinor, config, earlierMinor))) {
      throw new DomainError('MANAGER_PIN_REQUIRED', 'A manager must approve this refund.', { refundMinor, thresholdMinor: config.refundApprovalThresholdMinor, toCash: input.toCash === true });
    }
    if (!input.reason && refundNeedsReason(refundMinor, config, earlierMinor)) {
      throw new DomainError('INVALID_INPUT', 'Give the reason for this refund.', { field: 'reason' });
    }
    const drawerSessionId = plan.cashOutMinor > 0 ? await this.drawer.takeCashOut(trx, plan.cashOutMinor) : null;
    const byNo = new Map(paid.map((t) => [String(t.tenderNo), t]));
    const tenders = plan.lines.map((l): SaleTenderLine => {
      const original = byNo.get(l.tenderId)!;
      const toCash = l.refundCode !== original.code;
      return {
        tenderNo: original.tenderNo,
        code: l.refundCode,
        kind: toCash ? 'cash' : original.kind,
        amountMinor: l.amountMinor,
        tenderedMinor: l.amountMinor,
        changeMinor: 0,
        reference: toCash ? null : original.reference,
      };
    });
    return { tenders, drawerSessionId };
  }
}
