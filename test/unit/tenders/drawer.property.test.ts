import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../../src-shared/errors/domain-error';
import { countDrawer } from '../../../src-shared/tenders/denominations';
import {
  applyDrawerEvent,
  closeDrawer,
  newDrawerSession,
  replayDrawer,
  type DrawerEvent,
  type DrawerSession,
} from '../../../src-shared/tenders/drawer';
import { remainingDue, settleSale, type TenderInput } from '../../../src-shared/tenders/payment';
import { allocateRefundToTenders, type PaidTender, type PriorTenderRefund } from '../../../src-shared/tenders/refund-tenders';
import { CASH_ROUNDINGS, CNY_DENOMINATIONS_MINOR } from '../../../src-shared/tenders/tender-types';
import { card, cash, config, wechat } from './fixtures';

const opArb = fc.oneof(
  fc.record({
    op: fc.constant('sale' as const),
    due: fc.integer({ min: 0, max: 50_000 }),
    nonCashShare: fc.constantFrom(0, 0, 25, 50, 100),
    wallet: fc.boolean(),
    extraCash: fc.constantFrom(0, 0, 3, 50, 1000, 10000),
  }),
  fc.record({
    op: fc.constant('refund' as const),
    pick: fc.nat(),
    sharePct: fc.integer({ min: 1, max: 100 }),
    toCash: fc.boolean(),
  }),
  fc.record({ op: fc.constantFrom('PAY_IN' as const, 'PAY_OUT' as const, 'PICKUP' as const), amount: fc.integer({ min: 1, max: 60_000 }) }),
  fc.record({ op: fc.constant('NO_SALE' as const) }),
);

interface SaleRecord {
  paid: PaidTender[];
  roundingMinor: number;
  linesMinor: number;
  refundedLinesMinor: number;
  refunded: PriorTenderRefund[];
}

describe('drawer (property)', () => {
  it('for any day of sales, refunds and movements, expected = float + sales − refunds + pay-ins − pay-outs − pick-ups', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CASH_ROUNDINGS),
        fc.integer({ min: 0, max: 100_000 }),
        fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
        fc.array(opArb, { maxLength: 40 }),
        fc.integer({ min: -500, max: 500 }),
        (rounding, float, previousClose, ops, countError) => {
          const cfg = config(rounding);
          const events: DrawerEvent[] = [{ type: 'OPEN', amountMinor: float }];
          let session: DrawerSession = applyDrawerEvent(newDrawerSession(previousClose), events[0] as DrawerEvent);
          const totals = { sales: 0, refunds: 0, payIns: 0, payOuts: 0, pickups: 0 };
          const sales: SaleRecord[] = [];

          /** Applies an event the way the core would: a refused event leaves everything as it was. */
          const apply = (event: DrawerEvent): boolean => {
            const before = session.expectedMinor;
            try {
              session = applyDrawerEvent(session, event);
            } catch (e) {
              expect((e as DomainError).code).toBe('DRAWER_CASH_INSUFFICIENT');
              expect(event.amountMinor).toBeGreaterThan(before);
              return false;
            }
            events.push(event);
            expect(session.expectedMinor).toBeGreaterThanOrEqual(0);
            return true;
          };

          for (const o of ops) {
            if (o.op === 'sale') {
              const nonCash = Math.floor((o.due * o.nonCashShare) / 100);
              const tenders: TenderInput[] = nonCash > 0 ? [o.wallet ? wechat(nonCash) : card(nonCash)] : [];
              if (nonCash < o.due || tenders.length === 0) {
                tenders.push(cash(remainingDue(o.due, [...tenders, cash(0)], cfg).cashShortMinor + o.extraCash));
              }
              const s = settleSale(o.due, tenders, cfg);
              if (s.cashTenderedMinor > 0 || s.lines.some((l) => l.kind === 'cash')) {
                expect(apply({ type: 'CASH_SALE', amountMinor: s.cashAppliedMinor })).toBe(true);
                totals.sales += s.cashAppliedMinor;
              }
              sales.push({
                paid: s.lines.map((l, i) => ({ id: `s${String(sales.length)}-${String(i)}`, code: l.code, appliedMinor: l.appliedMinor })),
                roundingMinor: s.roundingMinor,
                linesMinor: o.due,
                refundedLinesMinor: 0,
                refunded: [],
              });
            } else if (o.op === 'refund') {
              if (sales.length === 0) continue;
              const sale = sales[o.pick % sales.length] as SaleRecord;
              const left = sale.linesMinor - sale.refundedLinesMinor;
              if (left === 0) continue;
              const refundMinor = Math.max(1, Math.floor((left * o.sharePct) / 100));
              const plan = allocateRefundToTenders(
                {
                  paid: sale.paid,
                  saleRoundingMinor: sale.roundingMinor,
                  refunded: sale.refunded,
                  refundMinor,
                  completesSale: refundMinor === left,
                  toCash: o.toCash,
                },
                cfg,
              );
              if (plan.cashOutMinor > 0) {
                if (!apply({ type: 'CASH_REFUND', amountMinor: plan.cashOutMinor })) continue; // the refund is not made
                totals.refunds += plan.cashOutMinor;
              }
              sale.refundedLinesMinor += refundMinor;
              for (const l of plan.lines) sale.refunded.push({ tenderId: l.tenderId, amountMinor: l.amountMinor });
            } else if (o.op === 'NO_SALE') {
              apply({ type: 'NO_SALE', amountMinor: 0 });
            } else {
              const event: DrawerEvent = { type: o.op, amountMinor: o.amount, reason: 'property test' };
              if (apply(event)) {
                if (o.op === 'PAY_IN') totals.payIns += o.amount;
                else if (o.op === 'PAY_OUT') totals.payOuts += o.amount;
                else totals.pickups += o.amount;
              }
            }
            expect(session.expectedMinor).toBe(
              float + totals.sales - totals.refunds + totals.payIns - totals.payOuts - totals.pickups,
            );
          }

          expect(session).toMatchObject({
            cashSalesMinor: totals.sales,
            cashRefundsMinor: totals.refunds,
            payInsMinor: totals.payIns,
            payOutsMinor: totals.payOuts,
            pickupsMinor: totals.pickups,
            openingDiscrepancyMinor: previousClose === null ? null : float - previousClose,
          });
          // Replaying the stored events gives the same session.
          expect(replayDrawer(events, previousClose)).toEqual(session);

          const counted = Math.max(0, session.expectedMinor + countError);
          const closed = closeDrawer(session, counted);
          expect(closed.overShortMinor).toBe(counted - session.expectedMinor);
          expect(closed.expectedMinor).toBe(session.expectedMinor);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a count totals Σ denomination × count, whatever the order of its keys', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10_000 }), { minLength: CNY_DENOMINATIONS_MINOR.length, maxLength: CNY_DENOMINATIONS_MINOR.length }), (counts) => {
        const entries = CNY_DENOMINATIONS_MINOR.map((d, i) => [String(d), counts[i] as number] as const);
        const forward = countDrawer(Object.fromEntries(entries), CNY_DENOMINATIONS_MINOR);
        const backward = countDrawer(Object.fromEntries([...entries].reverse()), CNY_DENOMINATIONS_MINOR);
        expect(forward).toEqual(backward);
        expect(forward.totalMinor).toBe(CNY_DENOMINATIONS_MINOR.reduce((s, d, i) => s + d * (counts[i] as number), 0));
        expect(forward.lines.every((l) => l.count > 0 && l.amountMinor === l.denominationMinor * l.count)).toBe(true);
      }),
    );
  });

  it('a count with any negative or fractional number is refused', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CNY_DENOMINATIONS_MINOR),
        fc.oneof(fc.integer({ max: -1 }), fc.double({ noInteger: true, noNaN: true })),
        (denomination, bad) => {
          let code = '';
          try {
            countDrawer({ 100: 1, [denomination]: bad }, CNY_DENOMINATIONS_MINOR); // the bad count wins over 100: 1 when they collide
          } catch (e) {
            code = (e as DomainError).code;
          }
          expect(code).toBe('DRAWER_COUNT_INVALID');
        },
      ),
    );
  });
});
