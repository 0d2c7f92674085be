import { inTransaction } from '../db/transaction';
import type { RefundDto } from '../../src-shared/api/dto';
import { monthOf } from '../../src-shared/domain/dates';
import { creditExpiry } from '../../src-shared/domain/lots';
import { planRefund } from '../../src-shared/domain/refund';
import { DomainError } from '../../src-shared/errors/domain-error';
import { appendAudit } from '../core/audit.repo';
import type { CoreContext, StaffRow } from '../core/context';
import { appendEntry, earnEntryOfSale } from './entries.repo';
import { todayOf } from './member-view';
import { addPeriodSpend, memberById } from './members.repo';
import { enqueueOutbox } from '../core/outbox.repo';
import { requestHash } from './request-hash';
import { insertRefund, refundByIdempotencyKey, refundedQuantities, setRefundResult } from './refunds.repo';
import { findSale, saleLines } from './sales.repo';
import type { ReceiptSink } from '../core/ports';

export interface RefundInput {
  idempotencyKey: string;
  saleId?: string;
  receiptNo?: string;
  lines: { lineNo: number; quantity: number }[];
  approval?: { staffId: string; pin: string };
}

/**
 * Refund by line against the original sale: money back for the paid part, the points earned on
 * the refunded part taken back, the points redeemed on it given back, proportionally, in one
 * transaction. A balance may go negative (the points were already spent); it is shown and reported.
 */
export class RefundService {
  constructor(
    private readonly ctx: CoreContext,
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
        replayed: false,
      };
      await setRefundResult(trx, refundId, JSON.stringify(dto));
      await this.receipts?.refundCreated(trx, dto, staff);
      await enqueueOutbox(trx, this.ctx, 'refund', refundId, { ...dto, terminalId: this.ctx.terminalId, idempotencyKey: input.idempotencyKey });
      return dto;
    });
  }
}
