import { describe, expect, it } from 'vitest';
import {
  allocateRefundToTenders,
  refundNeedsApproval,
  refundNeedsReason,
  type PaidTender,
  type PriorTenderRefund,
  type TenderRefundRequest,
} from '../../../src-shared/tenders/refund-tenders';
import { settleSale } from '../../../src-shared/tenders/payment';
import { DEFAULT_TENDER_CONFIG } from '../../../src-shared/tenders/tender-types';
import { card, cash, config, expectDomainError, wechat } from './fixtures';

const cfg = DEFAULT_TENDER_CONFIG;

/** Card 30.00 + cash 20.00 for a 50.00 sale. */
const cardAndCash: PaidTender[] = [
  { id: 't1', code: 'CARD', appliedMinor: 3000 },
  { id: 't2', code: 'CASH', appliedMinor: 2000 },
];

function refund(over: Partial<TenderRefundRequest> & Pick<TenderRefundRequest, 'refundMinor'>) {
  return allocateRefundToTenders({ paid: cardAndCash, saleRoundingMinor: 0, refunded: [], completesSale: false, ...over }, cfg);
}

const amounts = (plan: ReturnType<typeof refund>) => plan.lines.map((l) => [l.tenderId, l.refundCode, l.amountMinor]);

describe('allocateRefundToTenders: back to the original tenders', () => {
  it('a full refund returns exactly what each tender paid', () => {
    const plan = refund({ refundMinor: 5000, completesSale: true });
    expect(plan).toEqual({
      lines: [
        { tenderId: 't1', code: 'CARD', refundCode: 'CARD', amountMinor: 3000 },
        { tenderId: 't2', code: 'CASH', refundCode: 'CASH', amountMinor: 2000 },
      ],
      totalMinor: 5000,
      roundingMinor: 0,
      cashOutMinor: 2000,
      needsApproval: false,
    });
  });

  it('a partial refund is spread in proportion to what each tender has left', () => {
    expect(amounts(refund({ refundMinor: 1000 }))).toEqual([
      ['t1', 'CARD', 600],
      ['t2', 'CASH', 400],
    ]);
    // Largest remainder: 333 × 3/5 = 199.8 and 333 × 2/5 = 133.2 → 200 and 133.
    expect(amounts(refund({ refundMinor: 333 }))).toEqual([
      ['t1', 'CARD', 200],
      ['t2', 'CASH', 133],
    ]);
  });

  it('after earlier partial refunds, only what is left; the last refund returns the rest exactly', () => {
    const refunded: PriorTenderRefund[] = [
      { tenderId: 't1', amountMinor: 600 },
      { tenderId: 't2', amountMinor: 400 },
    ];
    const second = refund({ refundMinor: 2500, refunded });
    expect(amounts(second)).toEqual([
      ['t1', 'CARD', 1500],
      ['t2', 'CASH', 1000],
    ]);
    const third = refund({
      refundMinor: 1500,
      completesSale: true,
      refunded: [...refunded, ...second.lines.map((l) => ({ tenderId: l.tenderId, amountMinor: l.amountMinor }))],
    });
    expect(amounts(third)).toEqual([
      ['t1', 'CARD', 900],
      ['t2', 'CASH', 600],
    ]);
  });

  it('a tender already refunded in full gives nothing more', () => {
    const plan = refund({ refundMinor: 1000, refunded: [{ tenderId: 't1', amountMinor: 3000 }] });
    expect(amounts(plan)).toEqual([['t2', 'CASH', 1000]]);
  });

  it('two payments of the same tender are kept apart by their ids', () => {
    const paid: PaidTender[] = [
      { id: 'a', code: 'CARD', appliedMinor: 1000 },
      { id: 'b', code: 'CARD', appliedMinor: 3000 },
    ];
    const plan = allocateRefundToTenders({ paid, saleRoundingMinor: 0, refunded: [], refundMinor: 2000, completesSale: false }, cfg);
    expect(plan.lines.map((l) => [l.tenderId, l.amountMinor])).toEqual([
      ['a', 500],
      ['b', 1500],
    ]);
    expect(plan.cashOutMinor).toBe(0);
  });

  it('a refund worth nothing returns nothing', () => {
    expect(refund({ refundMinor: 0 })).toMatchObject({ lines: [], totalMinor: 0, cashOutMinor: 0, needsApproval: false });
  });
});

describe('allocateRefundToTenders: cash rounding', () => {
  // 12.34 due, paid in cash with 1-jiao rounding: 12.30 paid.
  const rounded = settleSale(1234, [cash(2000)], config('0.10'));
  const paid: PaidTender[] = rounded.lines.map((l, i) => ({ id: `t${String(i)}`, code: l.code, appliedMinor: l.appliedMinor }));

  it('a full refund returns what was paid, not the line amount', () => {
    expect(rounded.roundingMinor).toBe(-4);
    const plan = allocateRefundToTenders(
      { paid, saleRoundingMinor: rounded.roundingMinor, refunded: [], refundMinor: 1234, completesSale: true },
      cfg,
    );
    expect(plan).toMatchObject({ totalMinor: 1230, roundingMinor: -4, cashOutMinor: 1230 });
  });

  it('a rounded-up sale gives the rounding back with the last refund', () => {
    const up = settleSale(1236, [cash(1240)], config('0.10'));
    const p: PaidTender[] = [{ id: 'c', code: 'CASH', appliedMinor: up.cashAppliedMinor }];
    const first = allocateRefundToTenders({ paid: p, saleRoundingMinor: 4, refunded: [], refundMinor: 618, completesSale: false }, cfg);
    expect(first).toMatchObject({ totalMinor: 618, roundingMinor: 0 });
    const last = allocateRefundToTenders(
      { paid: p, saleRoundingMinor: 4, refunded: [{ tenderId: 'c', amountMinor: 618 }], refundMinor: 618, completesSale: true },
      cfg,
    );
    expect(last).toMatchObject({ totalMinor: 622, roundingMinor: 4 });
  });

  it('partial refunds use line amounts; mixed tenders give back exactly what each paid in the end', () => {
    // 12.34 due: card 10.00, cash settles 2.34 → 2.30 (rounding −4).
    const mixed = settleSale(1234, [card(1000), cash(500)], config('0.10'));
    const p: PaidTender[] = mixed.lines.map((l, i) => ({ id: `m${String(i)}`, code: l.code, appliedMinor: l.appliedMinor }));
    expect(p.map((t) => t.appliedMinor)).toEqual([1000, 230]);
    const first = allocateRefundToTenders({ paid: p, saleRoundingMinor: -4, refunded: [], refundMinor: 617, completesSale: false }, cfg);
    expect(first.lines.map((l) => l.amountMinor)).toEqual([502, 115]);
    const last = allocateRefundToTenders(
      {
        paid: p,
        saleRoundingMinor: -4,
        refunded: first.lines.map((l) => ({ tenderId: l.tenderId, amountMinor: l.amountMinor })),
        refundMinor: 617,
        completesSale: true,
      },
      cfg,
    );
    expect(last.lines.map((l) => l.amountMinor)).toEqual([498, 115]);
    expect(last.roundingMinor).toBe(-4);
  });

  it('when the lines left are worth less than the rounding, a partial refund gives back what is left', () => {
    // Lines 12.30 + 0.02 + 0.02, paid 12.30 in cash.
    const p: PaidTender[] = [{ id: 'c', code: 'CASH', appliedMinor: 1230 }];
    const first = allocateRefundToTenders({ paid: p, saleRoundingMinor: -4, refunded: [], refundMinor: 1230, completesSale: false }, cfg);
    const refunded = [{ tenderId: 'c', amountMinor: first.totalMinor }];
    const second = allocateRefundToTenders({ paid: p, saleRoundingMinor: -4, refunded, refundMinor: 2, completesSale: false }, cfg);
    expect(second).toMatchObject({ lines: [], totalMinor: 0, roundingMinor: -2 });
    const third = allocateRefundToTenders({ paid: p, saleRoundingMinor: -4, refunded, refundMinor: 2, completesSale: true }, cfg);
    expect(third).toMatchObject({ totalMinor: 0, roundingMinor: -2 });
  });

  it('beyond what the rounding explains, more than the tenders have left is refused', () => {
    expect(refund({ refundMinor: 5004, saleRoundingMinor: -4 }).totalMinor).toBe(5000);
    expect(expectDomainError(() => refund({ refundMinor: 5005, saleRoundingMinor: -4 }), 'REFUND_EXCEEDS_SALE').details).toEqual({
      refundMinor: 5005,
      remainingMinor: 5000,
    });
    expectDomainError(() => refund({ refundMinor: 5001 }), 'REFUND_EXCEEDS_SALE');
    expectDomainError(() => refund({ refundMinor: 5001, saleRoundingMinor: 4 }), 'REFUND_EXCEEDS_SALE');
  });
});

describe('allocateRefundToTenders: to cash instead', () => {
  it('pays everything from the drawer and asks for approval when card money moves to cash', () => {
    const plan = refund({ refundMinor: 1000, toCash: true });
    expect(plan.lines).toEqual([
      { tenderId: 't1', code: 'CARD', refundCode: 'CASH', amountMinor: 600 },
      { tenderId: 't2', code: 'CASH', refundCode: 'CASH', amountMinor: 400 },
    ]);
    expect(plan).toMatchObject({ cashOutMinor: 1000, needsApproval: true });
  });

  it('needs no approval when only cash is involved', () => {
    expect(refund({ refundMinor: 1000, toCash: true, refunded: [{ tenderId: 't1', amountMinor: 3000 }] })).toMatchObject({
      cashOutMinor: 1000,
      needsApproval: false,
    });
    const cashOnly = allocateRefundToTenders(
      { paid: [{ id: 'c', code: 'CASH', appliedMinor: 500 }], saleRoundingMinor: 0, refunded: [], refundMinor: 500, completesSale: true, toCash: true },
      cfg,
    );
    expect(cashOnly.needsApproval).toBe(false);
  });

  it('money sent to cash still uses up the card line, so it cannot come back twice', () => {
    const first = refund({ refundMinor: 3000, toCash: true });
    const rest = refund({
      refundMinor: 2000,
      completesSale: true,
      refunded: first.lines.map((l) => ({ tenderId: l.tenderId, amountMinor: l.amountMinor })),
    });
    expect(amounts(rest)).toEqual([
      ['t1', 'CARD', 1200],
      ['t2', 'CASH', 800],
    ]);
    expect(first.totalMinor + rest.totalMinor).toBe(5000);
  });

  it('a wallet sale refunded to cash needs approval too', () => {
    const wallet = settleSale(880, [wechat(880)], cfg);
    const plan = allocateRefundToTenders(
      { paid: [{ id: 'w', code: wallet.lines[0]!.code, appliedMinor: 880 }], saleRoundingMinor: 0, refunded: [], refundMinor: 880, completesSale: true, toCash: true },
      cfg,
    );
    expect(plan).toMatchObject({ cashOutMinor: 880, needsApproval: true });
  });
});

describe('allocateRefundToTenders: input checks', () => {
  it('refuses inconsistent sales and earlier refunds', () => {
    expectDomainError(() => refund({ refundMinor: -1 }), 'INVALID_INPUT');
    expectDomainError(() => refund({ refundMinor: 10.5 }), 'INVALID_INPUT');
    expectDomainError(() => refund({ refundMinor: 100, saleRoundingMinor: 0.5 }), 'INVALID_INPUT');
    expectDomainError(() => refund({ refundMinor: 100, paid: [...cardAndCash, { id: 't1', code: 'CARD', appliedMinor: 5 }] }), 'INVALID_INPUT');
    expectDomainError(() => refund({ refundMinor: 100, paid: [{ id: 'x', code: 'CARD', appliedMinor: -5 }] }), 'INVALID_INPUT');
    expectDomainError(() => refund({ refundMinor: 100, refunded: [{ tenderId: 'nope', amountMinor: 1 }] }), 'INVALID_INPUT');
    expectDomainError(
      () =>
        refund({
          refundMinor: 100,
          refunded: [
            { tenderId: 't2', amountMinor: 1500 },
            { tenderId: 't2', amountMinor: 501 },
          ],
        }),
      'INVALID_INPUT',
    );
  });
});

describe('refundNeedsApproval and refundNeedsReason', () => {
  it('above the store threshold (200.00 by default) a manager approves', () => {
    expect(refundNeedsApproval(20000, cfg)).toBe(false);
    expect(refundNeedsApproval(20001, cfg)).toBe(true);
  });

  it('counts the earlier refunds of the same sale, so splitting does not avoid it', () => {
    expect(refundNeedsApproval(6000, cfg, 15000)).toBe(true);
    expect(refundNeedsApproval(5000, cfg, 15000)).toBe(false);
  });

  it('a threshold of 0 means every refund', () => {
    const strict = config('none', { refundApprovalThresholdMinor: 0 });
    expect(refundNeedsApproval(0, strict)).toBe(true);
    expect(refundNeedsApproval(1, strict)).toBe(true);
  });

  it('a reason is needed when the store asks for one, or when a manager must approve', () => {
    expect(refundNeedsReason(100, cfg)).toBe(false);
    expect(refundNeedsReason(30000, cfg)).toBe(true);
    expect(refundNeedsReason(100, config('none', { refundReasonRequired: true }))).toBe(true);
  });

  it('refuses amounts that are not whole fen', () => {
    expectDomainError(() => refundNeedsApproval(-1, cfg), 'INVALID_INPUT');
    expectDomainError(() => refundNeedsApproval(1.5, cfg), 'INVALID_INPUT');
  });
});
