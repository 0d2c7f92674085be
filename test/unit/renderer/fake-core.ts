import type { PosHandlers } from '../../../src-shared/api/contract';
import type { DayReportDto, DrawerCloseDto, DrawerEventDto, TenderConfigDto, ZReportDto } from '../../../src-shared/api/contract-money';
import { settleSale } from '../../../src-shared/tenders/payment';
import { allocateRefundToTenders, refundNeedsApproval, refundNeedsReason } from '../../../src-shared/tenders/refund-tenders';
import { CNY_DENOMINATIONS_MINOR, DEFAULT_TENDER_CONFIG, type TenderConfig } from '../../../src-shared/tenders/tender-types';
import type { DisplayStateDto } from '../../../src-shared/api/contract-reports';
import type { CheckoutPreviewDto, MemberDto, RefundDto, SaleDto } from '../../../src-shared/api/dto';
import { DEFAULT_RULE_SET } from '../../../src-shared/domain/rules';
import { DomainError } from '../../../src-shared/errors/domain-error';
import { createPosClient, PosApiError } from '../../../src-renderer/api/client';
import { memoryTransport, type MemoryTransport } from '../../../src-renderer/api/memory-transport';
import type { Transport } from '../../../src-renderer/api/transports';
import { createAppStore } from '../../../src-renderer/state/store';
import type { KeyValueStorage } from '../../../src-renderer/state/types';
import { CASHIER, INFO, MANAGER, MEMBER } from './fixtures';

/**
 * A small fake core for store tests: enough behaviour (balances, previews, idempotent sales,
 * approvals) to drive the slices through the same contract checks as the real dispatcher.
 */
export const CARD = '6222000000001234';
export const MANAGER_PIN = '9999';

export function fakeCore(overrides: Partial<PosHandlers> = {}) {
  let signedIn: typeof CASHIER | null = null;
  const member: MemberDto = { ...MEMBER, balance: 5000 };
  const sales = new Map<string, SaleDto>();
  const refunds = new Map<string, RefundDto>();
  const displays: DisplayStateDto[] = [];
  let receipt = 0;
  let riskHold = false;
  const deactivated = new Set<string>();
  // Taking the money: off by default (a loyalty-only till, the flow before the payment step).
  let payments = false;
  let tenderConfig: TenderConfig = DEFAULT_TENDER_CONFIG;
  let drawerSession: string | null = null;
  let drawerCash = 0;
  let drawerSeq = 0;
  const drawerAnswers = new Map<string, DrawerEventDto>();
  const configDto = (): TenderConfigDto => ({ config: tenderConfig, paymentsAtTill: payments, currency: 'CNY', denominations: [...CNY_DENOMINATIONS_MINOR] });
  const countTotal = (counts: Record<string, number>) => Object.entries(counts).reduce((a, [d, n]) => a + Number(d) * n, 0);
  /** A drawer action once per key, as the real core does. */
  const drawerOnce = <T extends DrawerEventDto>(key: string, make: () => T): T => {
    const prior = drawerAnswers.get(key);
    if (prior) return { ...(prior as T), replayed: true };
    const done = make();
    drawerAnswers.set(key, done);
    return done;
  };
  const drawerEvent = (kind: DrawerEventDto['kind'], amountMinor: number, reason: string | null, approvedBy: string | null): DrawerEventDto => ({
    id: `drawer-event-${++drawerSeq}`,
    sessionId: drawerSession ?? 'none',
    kind,
    amountMinor,
    reason,
    staffId: signedIn?.id ?? 'nobody',
    approvedBy,
    at: '2026-06-15T02:00:00.000Z',
    businessDate: '2026-06-15',
    replayed: false,
  });
  const zReports: ZReportDto[] = [];
  const zAnswers = new Map<string, ZReportDto>();
  /** An X report of the fake's sales (the figures the real core sums from its day summaries). */
  const dayReport = (): DayReportDto => {
    const all = [...sales.values()];
    const paid = all.reduce((a, x) => a + x.paidMinor, 0);
    const byTender = new Map<string, number>();
    for (const x of all) for (const t of x.tenders) byTender.set(t.code, (byTender.get(t.code) ?? 0) + t.amountMinor);
    return {
      kind: 'x',
      zNo: null,
      businessDate: '2026-06-15',
      generatedAt: '2026-06-15T13:00:00.000Z',
      storeName: INFO.storeName,
      terminalId: INFO.terminalId,
      currency: 'CNY',
      sales: { count: all.length, grossMinor: paid, discountMinor: 0, redeemedValueMinor: 0, redeemedPoints: 0, paidMinor: paid, roundingMinor: 0, averageTicketMinor: all.length ? Math.floor(paid / all.length) : 0, memberCount: 0, memberPaidMinor: 0, memberShareBp: 0 },
      refunds: { count: 0, amountMinor: 0 },
      netMinor: paid,
      tenders: [...byTender].map(([code, amount]) => ({ code, salesCount: 1, salesMinor: amount, refundsCount: 0, refundsMinor: 0, netMinor: amount })),
      drawers: [],
      points: { issued: 0, redeemed: 0, expired: 0, issuedValueMinor: 0, redeemedValueMinor: 0, expiredValueMinor: 0 },
      staff: [],
      categories: [],
      refundList: [],
      overrides: 0,
      grandTotalMinor: null,
      firstReceiptNo: all[0]?.receiptNo ?? null,
      lastReceiptNo: all.at(-1)?.receiptNo ?? null,
    };
  };
  const requireDrawer = () => {
    if (!drawerSession) throw new DomainError('DRAWER_NOT_OPEN', 'The drawer is not open.', {});
  };

  const approve = (a: { staffId: string; pin: string } | undefined): boolean => {
    if (!a) return false;
    if (a.staffId !== MANAGER.id) throw new DomainError('MANAGER_PIN_REQUIRED', 'A manager must approve.', {});
    if (a.pin !== MANAGER_PIN) throw new DomainError('INVALID_PIN', 'Wrong PIN.', {});
    return true;
  };
  // As the real core: a signed-in staff member deactivated meanwhile (here or on another till) is signed out.
  let endedBecause: 'staff_deactivated' | null = null;
  const current = () => {
    if (signedIn && deactivated.has(signedIn.id)) {
      signedIn = null;
      endedBecause = 'staff_deactivated';
    }
    return signedIn;
  };
  const session = () => {
    const s = current();
    if (!s && endedBecause) throw new DomainError('NOT_SIGNED_IN', 'Your staff account was deactivated by a manager.', { reason: endedBecause });
    if (!s) throw new DomainError('NOT_SIGNED_IN', 'Nobody is signed in.');
    return s;
  };
  const price = (input: { memberId?: string | null; lines: { quantity: number; unitPriceMinor: number }[]; redeemPoints?: number }): CheckoutPreviewDto => {
    const gross = input.lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
    const redeem = input.redeemPoints ?? 0;
    const withMember = input.memberId === member.id;
    const max = withMember ? Math.min(Math.floor(member.balance / 100) * 100, Math.floor(gross / 2 / 100) * 100) : 0;
    if (redeem > 0) {
      if (!withMember) throw new DomainError('INVALID_INPUT', 'No member to redeem for.');
      if (redeem > max) throw new DomainError(redeem > member.balance ? 'INSUFFICIENT_POINTS' : 'REDEMPTION_ABOVE_BILL_CAP', 'Too many points.', { maxPoints: max });
    }
    const paid = gross - redeem;
    return {
      grossMinor: gross,
      redeemedPoints: redeem,
      redeemedValueMinor: redeem,
      paidMinor: paid,
      earn: withMember
        ? { purchasePoints: Math.floor(paid / 100), bonuses: [], cappedPoints: 0, tierMultiplierBp: 10000, lines: [] }
        : null,
      maxRedeem: withMember ? { points: max, valueMinor: max, limitedBy: max === Math.floor(member.balance / 100) * 100 ? 'balance' : 'bill_cap' } : null,
      riskHold: riskHold ? { rule: 'member', count: 4, windowSeconds: 600 } : null,
      ruleSetVersion: 1,
    };
  };

  const KNOWN_EAN = '6920000000024';
  const handlers: Partial<PosHandlers> = {
    'terminal.info': async () => INFO,
    'rules.current': async () => DEFAULT_RULE_SET,
    'staff.list': async () => [CASHIER, MANAGER].filter((s) => !deactivated.has(s.id)),
    'staff.deactivate': async ({ staffId, approval }) => {
      session();
      approve(approval);
      if (staffId === MANAGER.id) throw new DomainError('FORBIDDEN', 'This is the only active manager of this till: add another manager first.', { reason: 'last_manager' });
      deactivated.add(staffId);
      return { ...CASHIER };
    },
    'session.current': async () => ({ staff: current(), endedBecause: signedIn ? null : endedBecause }),
    'session.signIn': async ({ staffId, pin }) => {
      if (pin !== '1111' && !(staffId === MANAGER.id && pin === MANAGER_PIN)) throw new DomainError('INVALID_PIN', 'Wrong PIN.', { attemptsLeft: 4 });
      if (deactivated.has(staffId)) throw new DomainError('STAFF_NOT_FOUND', 'No such staff member.', {});
      signedIn = staffId === CASHIER.id ? CASHIER : MANAGER;
      endedBecause = null;
      return { staff: signedIn, endedBecause };
    },
    'session.signOut': async () => {
      signedIn = null;
      endedBecause = null;
      return { staff: null, endedBecause };
    },
    'members.scan': async ({ raw }) => {
      session();
      if (raw === CARD) return { kind: 'member', member: { ...member }, code: raw };
      if (raw === '6901234567892') return { kind: 'product', ean13: raw, product: null };
      if (raw === KNOWN_EAN) return { kind: 'product', ean13: raw, product: { description: '全脂牛奶 1L', category: 'dairy', unitPriceMinor: 1290 } };
      if (raw === 'garbage') throw new DomainError('UNRECOGNISED_SCAN', 'That code is not a card.', {});
      return { kind: 'unknown_card', code: raw.replace(/\D/g, ''), maskedCode: '6222 **** **** 9999', activatable: true };
    },
    'members.find': async ({ query }) => (session(), query === 'nobody' ? [] : query === 'many' ? [{ ...member }, { ...member, id: 'member-2' }] : [{ ...member }]),
    'members.get': async ({ memberId }) => {
      session();
      if (memberId !== member.id) throw new DomainError('MEMBER_NOT_FOUND', 'No such member.', { memberId });
      return { ...member };
    },
    'members.history': async () => [],
    'members.register': async (input) => {
      session();
      if (input.phone.includes('13800000000')) throw new DomainError('DUPLICATE_PHONE', 'Already registered.', { memberId: member.id });
      return { ...member, id: `new-${input.idempotencyKey}`, balance: 0, maskedName: input.name ? `${input.name.slice(0, 1)}**` : null };
    },
    'members.activateCard': async ({ cardCode }) => ({ ...member, id: `card-${cardCode}`, balance: 0, anonymous: true, maskedName: null, maskedPhone: null }),
    'members.reveal': async ({ approval }) => (approve(approval), { phone: '+8613812345678', name: '王小明', birthday: '1990-06-01' }),
    'checkout.preview': async (input) => (session(), price(input)),
    'checkout.complete': async (input) => {
      const staff = session();
      const previous = sales.get(input.idempotencyKey);
      if (previous) return { ...previous, replayed: true };
      if (riskHold && (input.redeemPoints ?? 0) > 0 && !approve(input.approval)) throw new DomainError('RISK_HOLD', 'A manager must approve.', { rule: 'member' });
      const p = price(input);
      // As the core: with payments at the till the tenders must settle the amount due; cash needs an open drawer.
      const tenders = input.tenders ?? [];
      if (payments && tenders.length === 0 && p.paidMinor > 0) throw new DomainError('TENDER_SHORT', 'Take the payment.', { dueMinor: p.paidMinor, shortMinor: p.paidMinor });
      const settlement = tenders.length > 0 ? settleSale(p.paidMinor, tenders, tenderConfig) : null;
      if (settlement?.lines.some((l) => l.kind === 'cash')) requireDrawer();
      if (settlement) drawerCash += settlement.cashAppliedMinor;
      const withMember = input.memberId === member.id;
      if (withMember) member.balance += -p.redeemedPoints + (p.earn?.purchasePoints ?? 0);
      const sale: SaleDto = {
        id: `sale-${++receipt}`,
        receiptNo: `20260615-${String(receipt).padStart(4, '0')}`,
        createdAt: '2026-06-15T02:00:00.000Z',
        businessDate: '2026-06-15',
        staffId: staff.id,
        member: withMember ? { ...member } : null,
        lines: input.lines.map((l) => ({
          lineNo: l.lineNo,
          sku: l.sku ?? null,
          description: l.description ?? null,
          category: l.category,
          quantity: l.quantity,
          unitPriceMinor: l.unitPriceMinor,
          discountMinor: 0,
          grossMinor: l.quantity * l.unitPriceMinor,
          redeemedPoints: 0,
          redeemedValueMinor: 0,
          paidMinor: l.quantity * l.unitPriceMinor,
          earnedPoints: 0,
          campaignId: null,
          refundedQuantity: 0,
        })),
        grossMinor: p.grossMinor,
        redeemedPoints: p.redeemedPoints,
        redeemedValueMinor: p.redeemedValueMinor,
        paidMinor: p.paidMinor,
        earnedPoints: p.earn?.purchasePoints ?? 0,
        bonuses: [],
        cappedPoints: 0,
        tierAtSale: withMember ? member.tier : null,
        balanceAfter: withMember ? member.balance : null,
        ruleSetVersion: 1,
        offline: false,
        tenders: (settlement?.lines ?? []).map((l, i) => ({ tenderNo: i + 1, code: l.code, kind: l.kind, amountMinor: l.appliedMinor, tenderedMinor: l.tenderedMinor, changeMinor: l.changeMinor, reference: l.reference })),
        roundingMinor: settlement?.roundingMinor ?? 0,
        changeMinor: settlement?.changeMinor ?? 0,
        replayed: false,
      };
      sales.set(input.idempotencyKey, sale);
      return sale;
    },
    'sales.get': async ({ receiptNo }) => {
      const s = [...sales.values()].find((x) => x.receiptNo === receiptNo);
      if (!s) throw new DomainError('SALE_NOT_FOUND', 'No such sale.', {});
      return s;
    },
    'sales.recent': async () => [...sales.values()],
    'refunds.create': async (input) => {
      session();
      const prior = refunds.get(input.idempotencyKey);
      if (prior) return { ...prior, replayed: true };
      const s = [...sales.values()].find((x) => x.id === input.saleId)!;
      let refundMinor = 0;
      for (const l of input.lines) {
        const line = s.lines.find((x) => x.lineNo === l.lineNo)!;
        if (l.quantity > line.quantity - line.refundedQuantity) throw new DomainError('REFUND_EXCEEDS_SALE', 'Too many.', {});
        refundMinor += l.quantity * line.unitPriceMinor;
      }
      // As the core: money back to the sale's tenders (or all to cash, approved), a manager above the threshold, a reason with it.
      let tenders: SaleDto['tenders'] = [];
      const approved = approve(input.approval);
      if (s.tenders.length > 0) {
        const plan = allocateRefundToTenders(
          { paid: s.tenders.map((t) => ({ id: String(t.tenderNo), code: t.code, appliedMinor: t.amountMinor })), saleRoundingMinor: s.roundingMinor, refunded: [], refundMinor, completesSale: false, toCash: input.toCash === true },
          tenderConfig,
        );
        if (!approved && (plan.needsApproval || refundNeedsApproval(refundMinor, tenderConfig))) throw new DomainError('MANAGER_PIN_REQUIRED', 'A manager must approve this refund.', { refundMinor, toCash: input.toCash === true });
        if (!input.reason && refundNeedsReason(refundMinor, tenderConfig)) throw new DomainError('INVALID_INPUT', 'Give the reason for this refund.', { field: 'reason' });
        if (plan.cashOutMinor > 0) {
          requireDrawer();
          drawerCash -= plan.cashOutMinor;
        }
        tenders = plan.lines.map((l) => {
          const t = s.tenders.find((x) => String(x.tenderNo) === l.tenderId)!;
          const toCash = l.refundCode !== t.code;
          return { tenderNo: t.tenderNo, code: l.refundCode, kind: toCash ? 'cash' : t.kind, amountMinor: l.amountMinor, tenderedMinor: l.amountMinor, changeMinor: 0, reference: toCash ? null : t.reference };
        });
      }
      for (const l of input.lines) s.lines.find((x) => x.lineNo === l.lineNo)!.refundedQuantity += l.quantity;
      const refund = {
        id: `refund-${input.idempotencyKey}`,
        saleId: s.id,
        receiptNo: s.receiptNo,
        createdAt: '2026-06-15T03:00:00.000Z',
        lines: [],
        refundMinor,
        reverseEarnedPoints: Math.floor(refundMinor / 100),
        returnRedeemedPoints: 0,
        tenders,
        approvedBy: approved ? MANAGER.id : null,
        reason: input.reason ?? null,
        balanceAfter: s.member ? member.balance - Math.floor(refundMinor / 100) : null,
        replayed: false,
      };
      refunds.set(input.idempotencyKey, refund);
      return refund;
    },
    'rewards.list': async () => DEFAULT_RULE_SET.rewards,
    'rewards.redeem': async ({ rewardId, approval }) => {
      session();
      if (riskHold && !approve(approval)) throw new DomainError('RISK_HOLD', 'A manager must approve.', {});
      const reward = DEFAULT_RULE_SET.rewards.find((r) => r.id === rewardId)!;
      member.balance -= reward.points;
      return { entryId: 'e1', reward, balanceAfter: member.balance, replayed: false };
    },
    'points.adjust': async ({ points, approval }) => {
      session();
      approve(approval);
      member.balance += points;
      return { entryId: 'e2', points, balanceAfter: member.balance, replayed: false };
    },
    'members.block': async ({ approval }) => (approve(approval), { ...member, status: 'blocked' as const }),
    'tenders.config': async () => (session(), configDto()),
    'drawer.status': async () => {
      session();
      return { status: drawerSession ? 'open' : 'not_open', sessionId: drawerSession, openedAt: drawerSession ? '2026-06-15T01:00:00.000Z' : null, openedBy: drawerSession ? CASHIER.id : null, canTakeCash: drawerSession !== null, businessDate: '2026-06-15' };
    },
    'drawer.open': async ({ idempotencyKey, counts }) => {
      session();
      return drawerOnce(idempotencyKey, () => {
        if (drawerSession) throw new DomainError('DRAWER_ALREADY_OPEN', 'Already open.', {});
        drawerSession = `session-${drawerSeq + 1}`;
        drawerCash = countTotal(counts);
        return drawerEvent('open', drawerCash, null, null);
      });
    },
    'drawer.payIn': async ({ idempotencyKey, amountMinor, reason, approval }) => {
      session();
      approve(approval);
      requireDrawer();
      return drawerOnce(idempotencyKey, () => ((drawerCash += amountMinor), drawerEvent('pay_in', amountMinor, reason, MANAGER.id)));
    },
    'drawer.payOut': async ({ idempotencyKey, amountMinor, reason, approval }) => {
      session();
      approve(approval);
      requireDrawer();
      return drawerOnce(idempotencyKey, () => {
        if (amountMinor > drawerCash) throw new DomainError('DRAWER_CASH_INSUFFICIENT', 'Not that much cash.', {});
        drawerCash -= amountMinor;
        return drawerEvent('pay_out', amountMinor, reason, MANAGER.id);
      });
    },
    'drawer.noSale': async ({ idempotencyKey, reason, approval }) => {
      session();
      approve(approval);
      requireDrawer();
      return drawerOnce(idempotencyKey, () => drawerEvent('no_sale', 0, reason, MANAGER.id));
    },
    'drawer.pickup': async ({ idempotencyKey, counts }) => {
      session();
      requireDrawer();
      return drawerOnce(idempotencyKey, () => {
        const amount = countTotal(counts);
        drawerCash -= amount;
        return drawerEvent('pickup', amount, null, null);
      });
    },
    'drawer.close': async ({ idempotencyKey, counts }) => {
      session();
      return drawerOnce(idempotencyKey, (): DrawerCloseDto => {
        requireDrawer();
        const counted = countTotal(counts);
        const event = drawerEvent('close', counted, null, null);
        drawerSession = null;
        return { ...event, countedMinor: counted, expectedMinor: drawerCash, overShortMinor: counted - drawerCash };
      });
    },
    'reports.x': async () => dayReport(),
    'reports.zList': async ({ limit }) => zReports.slice().reverse().slice(0, limit),
    'day.close': async ({ idempotencyKey }) => {
      const staff = session();
      const prior = zAnswers.get(idempotencyKey);
      if (prior) return { ...prior, replayed: true };
      if (drawerSession) throw new DomainError('Z_DRAWER_OPEN', 'Close the drawer first.', {});
      const zNo = zReports.length + 1;
      const report = dayReport();
      const z: ZReportDto = { ...report, kind: 'z', zNo, grandTotalMinor: report.netMinor, id: `z-${zNo}`, closedAt: '2026-06-15T14:00:00.000Z', closedBy: staff.id, hash: 'f'.repeat(64), replayed: false };
      zReports.push(z);
      zAnswers.set(idempotencyKey, z);
      return z;
    },
    'display.update': async (input) => {
      const state: DisplayStateDto = { ...(input as DisplayStateDto), currency: 'CNY', seq: displays.length + 1, updatedAt: null };
      displays.push(state);
      return state;
    },
    ...overrides,
  };
  return {
    handlers,
    member,
    sales,
    displays,
    setRiskHold: (v: boolean) => {
      riskHold = v;
    },
    /** The till takes the money (tenders.config paymentsAtTill), optionally with other tender settings. */
    setPayments: (v: boolean, config: TenderConfig = DEFAULT_TENDER_CONFIG) => {
      payments = v;
      tenderConfig = config;
    },
    /** A drawer session open with this float. */
    openDrawer: (floatMinor: number) => {
      drawerSession = 'session-0';
      drawerCash = floatMinor;
    },
    drawerCash: () => drawerCash,
    /** A manager deactivates this staff member on another till (sync brings it here). */
    deactivateElsewhere: (staffId: string) => void deactivated.add(staffId),
  };
}

/** A transport that can lose the next answer of a method (after the core ran it), like a dropped link. */
export function flaky(inner: MemoryTransport): Transport & { loseNextAnswer(method: string): void; failNextRequest(method: string): void } {
  const lose = new Set<string>();
  const fail = new Set<string>();
  return {
    kind: inner.kind,
    on: inner.on.bind(inner),
    async invoke(method, input) {
      if (fail.delete(method)) throw new PosApiError({ code: 'BRIDGE_UNREACHABLE', message: 'The till core is not answering.' });
      const r = await inner.invoke(method, input);
      if (lose.delete(method)) throw new PosApiError({ code: 'BRIDGE_UNREACHABLE', message: 'The till core is not answering.' });
      return r;
    },
    loseNextAnswer: (m) => lose.add(m),
    failNextRequest: (m) => fail.add(m),
  };
}

export function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

export function setup(opts: { overrides?: Partial<PosHandlers>; storage?: KeyValueStorage; now?: () => number } = {}) {
  const core = fakeCore(opts.overrides);
  const inner = memoryTransport(core.handlers);
  const transport = flaky(inner);
  let n = 0;
  const store = createAppStore({
    api: createPosClient(transport),
    transportKind: 'memory',
    newKey: () => `key-${String(++n).padStart(4, '0')}`,
    now: opts.now ?? (() => Date.parse('2026-06-15T02:00:00.000Z')),
    storage: opts.storage ?? null,
  });
  return { core, inner, transport, store };
}
