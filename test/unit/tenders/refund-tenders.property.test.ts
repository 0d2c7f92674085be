import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocateProportionally } from '../../../src-shared/domain/money';
import {
  allocateRefundToTenders,
  type PaidTender,
  type PriorTenderRefund,
} from '../../../src-shared/tenders/refund-tenders';
import { DEFAULT_TENDER_CONFIG } from '../../../src-shared/tenders/tender-types';

const cfg = DEFAULT_TENDER_CONFIG;

/**
 * A paid sale: its tender lines (at most one cash line), its cash rounding (only with cash, and
 * never more than the cash paid back down), and its line amounts, which add up to
 * Σ applied − rounding.
 */
const saleArb = fc
  .record({
    tenders: fc.array(
      fc.record({ code: fc.constantFrom('CARD', 'WECHAT', 'ALIPAY', 'VOUCHER'), appliedMinor: fc.integer({ min: 0, max: 2_000_000 }) }),
      { maxLength: 3 },
    ),
    cash: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: null }),
    rounding: fc.integer({ min: -49, max: 50 }),
    lineWeights: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 }),
  })
  .map(({ tenders, cash, rounding, lineWeights }) => {
    const paid: PaidTender[] = tenders.map((t, i) => ({ id: `t${String(i)}`, ...t }));
    if (cash !== null) paid.splice(Math.min(1, paid.length), 0, { id: 'cash', code: 'CASH', appliedMinor: cash });
    const total = paid.reduce((s, t) => s + t.appliedMinor, 0);
    // A rounded-down sale paid less than its lines: rounding <= 0 needs lines = total − rounding.
    const saleRoundingMinor = cash === null ? 0 : Math.min(rounding, cash, total);
    const linesTotal = total - saleRoundingMinor;
    const lines = allocateProportionally(linesTotal, lineWeights);
    return { paid, saleRoundingMinor, lines };
  });

describe('allocateRefundToTenders (property)', () => {
  it('never gives a tender more than it has left, and the parts add up exactly', () => {
    fc.assert(
      fc.property(
        saleArb,
        fc.array(fc.nat({ max: 2_000_000 }), { maxLength: 4 }),
        fc.nat(),
        fc.boolean(),
        fc.boolean(),
        ({ paid, saleRoundingMinor }, earlier, ask, completesSale, toCash) => {
          // Earlier refunds: any amounts that fit in each line.
          const refunded: PriorTenderRefund[] = paid.map((t, i) => ({
            tenderId: t.id,
            amountMinor: Math.min(t.appliedMinor, earlier[i] ?? 0),
          }));
          const remaining = new Map(paid.map((t, i) => [t.id, t.appliedMinor - (refunded[i]?.amountMinor ?? 0)]));
          const remainingTotal = [...remaining.values()].reduce((a, b) => a + b, 0);
          const refundMinor = remainingTotal === 0 ? 0 : ask % (remainingTotal + 1);
          const plan = allocateRefundToTenders({ paid, saleRoundingMinor, refunded, refundMinor, completesSale, toCash }, cfg);

          expect(plan.totalMinor).toBe(completesSale ? remainingTotal : refundMinor);
          expect(plan.lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(plan.totalMinor);
          expect(plan.roundingMinor).toBe(plan.totalMinor - refundMinor);
          for (const l of plan.lines) {
            expect(l.amountMinor).toBeGreaterThan(0);
            expect(l.amountMinor).toBeLessThanOrEqual(remaining.get(l.tenderId) ?? -1);
            expect(l.refundCode).toBe(toCash ? 'CASH' : l.code);
          }
          expect(new Set(plan.lines.map((l) => l.tenderId)).size).toBe(plan.lines.length);
          expect(plan.cashOutMinor).toBe(plan.lines.filter((l) => l.refundCode === 'CASH').reduce((s, l) => s + l.amountMinor, 0));
          expect(plan.needsApproval).toBe(toCash && plan.lines.some((l) => l.code !== 'CASH'));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('partial refunds of the lines, in any groups, return exactly what each tender paid', () => {
    fc.assert(
      fc.property(saleArb, fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), (sale, groupOf, toCash) => {
        const { paid, saleRoundingMinor, lines } = sale;
        // Refund the lines in groups (refund k gets the lines whose group is k), last group completes the sale.
        const groups = new Map<number, number>();
        lines.forEach((amount, i) => {
          const g = (groupOf[i] as number) % lines.length;
          groups.set(g, (groups.get(g) ?? 0) + amount);
        });
        const order = [...groups.keys()].sort((a, b) => a - b);
        const refunded: PriorTenderRefund[] = [];
        order.forEach((g, k) => {
          const plan = allocateRefundToTenders(
            {
              paid,
              saleRoundingMinor,
              refunded,
              refundMinor: groups.get(g) as number,
              completesSale: k === order.length - 1,
              toCash: toCash[k] as boolean,
            },
            cfg,
          );
          for (const l of plan.lines) refunded.push({ tenderId: l.tenderId, amountMinor: l.amountMinor });
        });
        for (const t of paid) {
          const back = refunded.filter((r) => r.tenderId === t.id).reduce((s, r) => s + r.amountMinor, 0);
          expect(back).toBe(t.appliedMinor);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('without rounding, partial refunds that add up to the sale return each tender exactly, even unflagged', () => {
    fc.assert(
      fc.property(saleArb, fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }), (sale, weights) => {
        const paid = sale.paid;
        const total = paid.reduce((s, t) => s + t.appliedMinor, 0);
        const refunded: PriorTenderRefund[] = [];
        for (const amount of allocateProportionally(total, weights)) {
          const plan = allocateRefundToTenders({ paid, saleRoundingMinor: 0, refunded, refundMinor: amount, completesSale: false }, cfg);
          expect(plan.totalMinor).toBe(amount);
          for (const l of plan.lines) refunded.push({ tenderId: l.tenderId, amountMinor: l.amountMinor });
        }
        for (const t of paid) {
          expect(refunded.filter((r) => r.tenderId === t.id).reduce((s, r) => s + r.amountMinor, 0)).toBe(t.appliedMinor);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
