import type { RefundDto, SaleDto } from '../../src-shared/api/dto';
import { planCheckout } from '../../src-shared/domain/checkout';
import { previousMonth } from '../../src-shared/domain/dates';
import { referrerBonusPoints } from '../../src-shared/domain/earn';
import { creditExpiry } from '../../src-shared/domain/lots';
import { lineGrossMinor } from '../../src-shared/domain/money';
import { maxRedeemablePoints } from '../../src-shared/domain/redeem';
import { planRefund } from '../../src-shared/domain/refund';
import type { RuleSet } from '../../src-shared/domain/rules';
import { evaluateTier } from '../../src-shared/domain/tiers';
import type { EntryKind, SaleLineInput, Tier } from '../../src-shared/domain/types';
import { maskName, maskPhone } from '../../src-shared/privacy/mask';
import { lastFourDigits } from '../../src-shared/privacy/phone';
import { nameIndexText } from '../../src-shared/search/name-tokens';
import { requestHash } from '../ledger/request-hash';
import { categoryTable } from './catalogue';
import { IdMinter, demoCardNumber, demoNfcCode, demoPhone } from './identifiers';
import { isoOf, type LocalCalendar } from './local-time';
import { demoName } from './names';
import { Rng } from './prng';

/**
 * The demo store's history, generated one batch of members at a time and simulated exactly as
 * the services would have written it: every sale is planned with the real domain rules
 * (planCheckout: pricing, redemption limits, tier, campaigns, birthday bonus, daily cap), points
 * are spent and expired oldest first (FIFO lots), refunds go through planRefund. The result is
 * rows ready for the bulk writer, in column order.
 */

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
/** Days of purchase history before "today": a bit over a year, so the oldest points have expired. */
export const HISTORY_DAYS = 425;
const OPEN_MS = 8.5 * 3_600_000; // store hours 08:30-21:30 local
const OPEN_SPAN_MS = 13 * 3_600_000;

export interface SeedEnv {
  nowMs: number;
  terminalId: string;
  /** HLC node id of this terminal (nodeIdOf(terminalId)). */
  hlcNode: string;
  /** Receipt-number terminal tag (last four hex of the terminal id, upper case). */
  receiptTag: string;
  cal: LocalCalendar;
  rulesOn: (businessDate: string) => RuleSet;
  cashierIds: readonly string[];
  seed: number;
  ids: IdMinter;
}

/** Row tuples in the column order of the bulk writer's INSERT statements. */
export interface BatchRows {
  members: unknown[][];
  names: unknown[][];
  cards: unknown[][];
  sales: unknown[][];
  saleLines: unknown[][];
  refunds: unknown[][];
  refundLines: unknown[][];
  entries: unknown[][];
  memberDays: unknown[][];
  periods: unknown[][];
  /** Simulated final balance per member seq, to check against the trigger-maintained cache. */
  balances: Map<number, number>;
}

export function emptyRows(): BatchRows {
  return { members: [], names: [], cards: [], sales: [], saleLines: [], refunds: [], refundLines: [], entries: [], memberDays: [], periods: [], balances: new Map() };
}

interface PlannedSale {
  ms: number;
  date: string;
  id: string;
  key: string;
  receiptNo: string;
  staffId: string;
  lines: SaleLineInput[];
  grossMinor: number;
  /** Share (0..1] of the redeemable maximum the member wants to spend; 0: no redemption. */
  redeemWish: number;
  refund: { ms: number; lines: { lineNo: number; quantity: number }[] } | null;
}

interface MemberPlan {
  index: number;
  seq: number;
  id: string;
  rng: Rng;
  phone: string;
  name: string | null;
  birthday: string | null;
  registeredMs: number;
  consentMarketing: boolean;
  diamond: boolean;
  referrer: MemberPlan | null;
  firstPurchaseMs: number | null;
  lastPurchaseDateBefore: string | null;
  sales: PlannedSale[];
  rewards: number[];
  /** Referral bonuses earned by this member when someone they referred first bought. */
  referralCredits: { ms: number; date: string; referredId: string; saleId: string; staffId: string }[];
  cards: unknown[][];
}

interface Lot {
  id: string;
  earnedMs: number;
  expiresMs: number;
  expiresAt: string;
  remaining: number;
}

/** Generates and simulates members [from, to) (0-based indices), appending their rows to `rows`. */
export function generateBatch(env: SeedEnv, from: number, to: number, receiptSeq: { n: number }, rows: BatchRows): void {
  const plans: MemberPlan[] = [];
  for (let i = from; i < to; i++) plans.push(planMember(env, i, plans, receiptSeq));
  markDiamonds(plans);
  for (const p of plans) {
    if (p.referrer && p.sales[0]) {
      const s = p.sales[0];
      p.referrer.referralCredits.push({ ms: s.ms, date: s.date, referredId: p.id, saleId: s.id, staffId: s.staffId });
    }
  }
  for (const p of plans) simulateMember(env, p, rows);
}

// ---------------------------------------------------------------------------------------------
// Phase 1: who the member is, when they shop and what they buy.

function planMember(env: SeedEnv, index: number, batch: readonly MemberPlan[], receiptSeq: { n: number }): MemberPlan {
  const rng = new Rng(env.seed, index);
  const { cal, nowMs } = env;
  const windowStart = nowMs - HISTORY_DAYS * DAY_MS;
  const { name } = demoName(rng);
  const phone = demoPhone(index, rng, rng.chance(0.03));
  const birthday = demoBirthday(rng);

  // Two thirds joined before the history window, a third during it (most of them at a checkout).
  const joinedEarlier = rng.chance(0.65);
  const registeredMs = joinedEarlier
    ? storeTime(cal, windowStart - rng.int(1, 1500) * DAY_MS, rng)
    : storeTime(cal, windowStart + rng.next() * (nowMs - windowStart - DAY_MS), rng);
  const id = env.ids.next();

  const plan: MemberPlan = {
    index,
    seq: index + 1,
    id,
    rng,
    phone,
    name,
    birthday,
    registeredMs,
    consentMarketing: rng.chance(0.55),
    diamond: false,
    referrer: null,
    firstPurchaseMs: null,
    lastPurchaseDateBefore: null,
    sales: [],
    rewards: [],
    referralCredits: [],
    cards: [],
  };

  // Referrals: a few members who joined during the window were brought by an earlier member.
  if (!joinedEarlier && batch.length > 0 && rng.chance(0.08)) {
    for (let attempt = 0; attempt < 3 && !plan.referrer; attempt++) {
      const r = rng.pick(batch);
      if (r.registeredMs < registeredMs) plan.referrer = r;
    }
  }

  planCards(env, plan);

  // Shopping habit: purchases per year (log-normal, median 9.5), basket size, churn, redemption habit.
  const neverBuys = rng.chance(0.06);
  const perYear = Math.min(160, Math.max(1, Math.exp(Math.log(9.5) + 0.85 * rng.normal())));
  const basketScale = rng.chance(0.02) ? 4 + rng.next() * 4 : Math.exp(0.35 * rng.normal());
  const redeemHabit = rng.chance(0.45) ? 0 : rng.chance(0.6) ? 0.15 : 0.4;
  const activeFrom = Math.max(registeredMs, windowStart);
  const activeTo = rng.chance(0.25) ? activeFrom + rng.next() * (nowMs - activeFrom) : nowMs - MIN_MS;

  if (joinedEarlier) {
    // Their first purchase was when they joined; the last one before the window, a while ago.
    plan.firstPurchaseMs = registeredMs + rng.int(1, 10) * MIN_MS;
    const lastBefore = Math.max(plan.firstPurchaseMs, windowStart - rng.int(1, 240) * DAY_MS);
    plan.lastPurchaseDateBefore = cal.dateOf(lastBefore);
  }

  if (!neverBuys) {
    const times: number[] = [];
    if (!joinedEarlier && rng.chance(0.85)) times.push(registeredMs + rng.int(2, 8) * MIN_MS); // joined at the till
    const n = rng.poisson((perYear * Math.max(0, activeTo - activeFrom)) / (365 * DAY_MS));
    for (let k = 0; k < n; k++) {
      const t = storeTime(cal, activeFrom + rng.next() * (activeTo - activeFrom), rng);
      if (t > activeFrom && t < nowMs - MIN_MS) times.push(t);
    }
    times.sort((a, b) => a - b);
    let last = -1;
    for (const t of times) {
      if (t === last) continue;
      last = t;
      plan.sales.push(planSale(env, plan, t, basketScale, redeemHabit, receiptSeq));
    }
    if (rng.chance(0.04) && activeTo > activeFrom) plan.rewards.push(storeTime(cal, activeFrom + rng.next() * (activeTo - activeFrom), rng));
  }
  return plan;
}

function demoBirthday(rng: Rng): string | null {
  const r = rng.next();
  if (r < 0.1) return null;
  const month = rng.int(1, 12);
  const day = rng.int(1, [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number);
  const md = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (r < 0.15) return `--${md}`; // year not given
  const year = Math.round(Math.min(2008, Math.max(1940, 1985 + 12 * rng.normal())));
  return `${year}-${md}`;
}

/** An instant during store hours on the local day of `ms`. */
function storeTime(cal: LocalCalendar, ms: number, rng: Rng): number {
  return cal.dayStartMs(cal.dateOf(ms)) + OPEN_MS + Math.floor(rng.next() * OPEN_SPAN_MS);
}

function planCards(env: SeedEnv, plan: MemberPlan): void {
  const { rng } = plan;
  const hlc = (ms: number) => hlcOf(env, ms, plan.index, 15);
  const addedAt = plan.registeredMs;
  const r = rng.next();
  if (r < 0.04) {
    // Lost or damaged the first card; a replacement carries the balance on.
    const replacedMs = Math.min(env.nowMs - MIN_MS, addedAt + rng.int(30, 900) * DAY_MS);
    const reason = rng.pick(['lost', 'damaged', 'stolen', 'replaced']);
    plan.cards.push([demoCardNumber(plan.index, 0), plan.id, 'printed', 'inactive', reason, isoOf(addedAt), hlc(replacedMs)]);
    plan.cards.push([demoCardNumber(plan.index, 1), plan.id, 'printed', 'active', null, isoOf(replacedMs), hlc(replacedMs)]);
  } else {
    plan.cards.push([demoCardNumber(plan.index, 0), plan.id, 'printed', 'active', null, isoOf(addedAt), hlc(addedAt)]);
    if (r < 0.07) {
      const tagMs = Math.min(env.nowMs - MIN_MS, addedAt + rng.int(1, 400) * DAY_MS);
      plan.cards.push([demoNfcCode(plan.index, rng), plan.id, 'nfc', 'active', null, isoOf(tagMs), hlc(tagMs)]);
    }
  }
}

function planSale(env: SeedEnv, plan: MemberPlan, ms: number, basketScale: number, redeemHabit: number, receiptSeq: { n: number }): PlannedSale {
  const { rng } = plan;
  const date = env.cal.dateOf(ms);
  const nLines = rng.chance(0.35) ? 1 : rng.chance(0.45) ? 2 : rng.chance(0.6) ? 3 : rng.int(4, 6);
  const lines: SaleLineInput[] = [];
  let grossMinor = 0;
  for (let lineNo = 1; lineNo <= nLines; lineNo++) {
    const product = rng.pick(categoryTable.draw(rng));
    const base = rng.chance(0.75) ? 1 : rng.chance(0.7) ? 2 : rng.int(3, 6);
    const quantity = Math.max(1, Math.round(base * basketScale));
    const line: SaleLineInput = {
      lineNo,
      category: product.category,
      sku: product.sku,
      description: product.description,
      quantity,
      unitPriceMinor: product.unitPriceMinor,
    };
    if (rng.chance(0.08)) line.discountMinor = Math.floor((quantity * product.unitPriceMinor * (0.05 + 0.15 * rng.next())) / 10) * 10;
    grossMinor += lineGrossMinor(line);
    lines.push(line);
  }
  const id = env.ids.next();
  receiptSeq.n++;
  let refund: PlannedSale['refund'] = null;
  if (rng.chance(0.015)) {
    const refundMs = ms + rng.int(60, 14 * 24 * 60) * MIN_MS;
    if (refundMs < env.nowMs - MIN_MS) {
      const whole = rng.chance(0.6);
      const pickLine = lines[rng.int(0, lines.length - 1)] as SaleLineInput;
      refund = {
        ms: refundMs,
        lines: whole ? lines.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity })) : [{ lineNo: pickLine.lineNo, quantity: rng.int(1, pickLine.quantity) }],
      };
    }
  }
  return {
    ms,
    date,
    id,
    key: `seed-${id}`,
    receiptNo: `R${date.replace(/-/g, '')}-${env.receiptTag}-${String(receiptSeq.n).padStart(6, '0')}`,
    staffId: rng.pick(env.cashierIds),
    lines,
    grossMinor,
    redeemWish: redeemHabit > 0 && rng.chance(redeemHabit) ? 0.3 + 0.7 * rng.next() : 0,
    refund,
  };
}

/** Diamond is the top 10% by average monthly spend (computed centrally; here over the batch). */
function markDiamonds(plans: MemberPlan[]): void {
  const score = (p: MemberPlan): number => {
    if (p.sales.length === 0) return 0;
    const months = new Set(p.sales.map((s) => s.date.slice(0, 7))).size;
    return p.sales.reduce((s, x) => s + x.grossMinor, 0) / months;
  };
  const scored = plans.map((p) => ({ p, s: score(p) })).filter((x) => x.s > 0);
  scored.sort((a, b) => b.s - a.s);
  const top = Math.floor(plans.length / 10);
  for (let k = 0; k < top && k < scored.length; k++) (scored[k] as { p: MemberPlan }).p.diamond = true;
}

// ---------------------------------------------------------------------------------------------
// Phase 2: the member's ledger, in time order, with FIFO lots.

type Event =
  | { ms: number; order: number; kind: 'welcome' }
  | { ms: number; order: number; kind: 'sale'; sale: PlannedSale }
  | { ms: number; order: number; kind: 'refund'; sale: PlannedSale }
  | { ms: number; order: number; kind: 'reward' }
  | { ms: number; order: number; kind: 'referral'; credit: MemberPlan['referralCredits'][number] };

interface SoldSale {
  earnEntryId: string | null;
  month: string;
  lines: { lineNo: number; quantity: number; paidMinor: number; redeemedPoints: number; earnedPoints: number }[];
  receiptNo: string;
}

function simulateMember(env: SeedEnv, p: MemberPlan, rows: BatchRows): void {
  const { rng } = p;
  const { cal } = env;
  const events: Event[] = [];
  if (p.referrer) events.push({ ms: p.registeredMs, order: 0, kind: 'welcome' });
  for (const s of p.sales) {
    events.push({ ms: s.ms, order: 2, kind: 'sale', sale: s });
    if (s.refund) events.push({ ms: s.refund.ms, order: 3, kind: 'refund', sale: s });
  }
  for (const ms of p.rewards) events.push({ ms, order: 1, kind: 'reward' });
  for (const c of p.referralCredits) events.push({ ms: c.ms, order: 4, kind: 'referral', credit: c });
  events.sort((a, b) => a.ms - b.ms || a.order - b.order);

  const lots: Lot[] = [];
  let balance = 0;
  let hlcCounter = 0;
  const spend = new Map<string, number>();
  const days = new Map<string, { purchase: number; capped: number }>();
  const sold = new Map<string, SoldSale>();
  let lastPurchaseDate = p.lastPurchaseDateBefore;
  let firstPurchaseMs = p.firstPurchaseMs;
  let birthdayYear = '';
  const maskedName = maskName(p.name);
  const maskedPhone = maskPhone(p.phone);

  const entry = (
    ms: number,
    kind: EntryKind,
    points: number,
    fields: { reason?: string | null; saleId?: string | null; refundId?: string | null; target?: string | null; capped?: number; staffId?: string | null; key: string },
  ): string => {
    const id = env.ids.next();
    const iso = isoOf(ms);
    const date = cal.dateOf(ms);
    const rules = env.rulesOn(date);
    let expiresAt: string | null = null;
    if (points > 0) {
      expiresAt = expiryOf(iso, rules);
      addLot(lots, { id, earnedMs: ms, expiresMs: Date.parse(expiresAt), expiresAt, remaining: points });
    } else if (points < 0) {
      takeFromLots(lots, -points, fields.target ?? null);
    }
    balance += points;
    rows.entries.push([
      id, p.id, kind, points, fields.reason ?? null, fields.saleId ?? null, fields.refundId ?? null, fields.target ?? null,
      expiresAt, fields.capped ?? 0, 0, date, iso, hlcOf(env, ms, p.index, hlcCounter++ % 16), env.terminalId,
      fields.staffId ?? null, null, rules.version, fields.key,
    ]);
    return id;
  };

  /** The expiry run: every lot whose date has passed is written off at its expiry instant. */
  const expireUntil = (ms: number): void => {
    while (lots.length > 0 && (lots[0] as Lot).expiresMs <= ms) {
      const lot = lots[0] as Lot;
      entry(lot.expiresMs, 'expire', -lot.remaining, { reason: 'expiry', target: lot.id, key: `expire:${lot.id}:${lot.expiresAt}` });
    }
  };

  const tierAt = (date: string, rules: RuleSet): Tier => {
    const month = date.slice(0, 7);
    return evaluateTier(
      { previousPeriodSpendMinor: spend.get(previousMonth(month)) ?? 0, currentPeriodSpendMinor: spend.get(month) ?? 0, diamond: p.diamond },
      rules,
    );
  };

  for (const ev of events) {
    expireUntil(ev.ms);
    if (ev.kind === 'welcome') {
      const rules = env.rulesOn(cal.dateOf(ev.ms));
      if (rules.earn.welcomeBonus > 0) {
        entry(ev.ms, 'bonus', rules.earn.welcomeBonus, { reason: 'welcome', staffId: rng.pick(env.cashierIds), key: `welcome:${p.id}` });
      }
    } else if (ev.kind === 'referral') {
      const rules = env.rulesOn(ev.credit.date);
      const points = referrerBonusPoints({ hasReferrer: true, firstPurchase: true, paidMinor: 1, alreadyCredited: false }, rules);
      if (points > 0) {
        entry(ev.ms, 'bonus', points, { reason: `referral:${ev.credit.referredId}`, saleId: ev.credit.saleId, staffId: ev.credit.staffId, key: `referral:${ev.credit.referredId}` });
      }
    } else if (ev.kind === 'reward') {
      const rules = env.rulesOn(cal.dateOf(ev.ms));
      const reward = rules.rewards.find((r) => r.active && r.points <= balance);
      if (reward) {
        const key = env.ids.next();
        entry(ev.ms, 'redeem', -reward.points, { reason: `reward:${reward.id}`, staffId: rng.pick(env.cashierIds), key: `reward:seed-${key}` });
      }
    } else if (ev.kind === 'sale') {
      const s = ev.sale;
      const date = s.date;
      const month = date.slice(0, 7);
      const rules = env.rulesOn(date);
      const tier = tierAt(date, rules);
      const member = {
        tier,
        blocked: false,
        availablePoints: balance,
        birthday: p.birthday,
        birthdayBonusGivenThisYear: birthdayYear === date.slice(0, 4),
        lastPurchaseDate,
        purchasePointsToday: days.get(date)?.purchase ?? 0,
        // Velocity windows never bind for one member's daily shopping; the demo skips them.
        recentRedemptions: [],
      };
      let redeemPoints = 0;
      if (s.redeemWish > 0 && balance >= rules.redeem.minPoints) {
        const max = maxRedeemablePoints({ billMinor: s.grossMinor, availablePoints: balance, tier, offlineRemaining: null }, rules).maxPoints;
        const step = rules.redeem.stepPoints;
        redeemPoints = Math.floor((max * s.redeemWish) / step) * step;
        if (redeemPoints < rules.redeem.minPoints) redeemPoints = max >= rules.redeem.minPoints ? rules.redeem.minPoints : 0;
      }
      const iso = isoOf(s.ms);
      const plan = planCheckout(
        { lines: s.lines, member, redeemPoints, businessDate: date, now: iso, offlineRemaining: null, terminalRecentRedemptions: [], managerOverride: false },
        rules,
      );
      const earn = plan.earn!;
      const base = { saleId: s.id, staffId: s.staffId };
      if (plan.redemption) entry(s.ms, 'redeem', -plan.redemption.points, { ...base, reason: 'bill', key: `${s.key}:redeem` });
      let earnEntryId: string | null = null;
      if (earn.purchasePoints > 0 || earn.cappedPoints > 0) {
        earnEntryId = entry(s.ms, 'earn', earn.purchasePoints, { ...base, capped: earn.cappedPoints, key: `${s.key}:earn` });
      }
      const bonuses: { reason: string; points: number }[] = [];
      for (const b of earn.spendBonuses) {
        entry(s.ms, 'bonus', b.points, { ...base, reason: `spend_threshold:${b.campaignId}`, key: `${s.key}:bonus:${b.campaignId}` });
        bonuses.push({ reason: 'spend_threshold', points: b.points });
      }
      if (earn.birthdayBonus > 0) {
        entry(s.ms, 'bonus', earn.birthdayBonus, { ...base, reason: 'birthday', key: `${s.key}:birthday` });
        bonuses.push({ reason: 'birthday', points: earn.birthdayBonus });
        birthdayYear = date.slice(0, 4);
      }
      const bonusSum = earn.spendBonuses.reduce((t, b) => t + b.points, 0);
      const earnedTotal = earn.purchasePoints + bonusSum + earn.birthdayBonus;
      const day = days.get(date) ?? { purchase: 0, capped: 0 };
      day.purchase += earn.purchasePoints + bonusSum;
      day.capped += earn.cappedPoints;
      days.set(date, day);
      spend.set(month, (spend.get(month) ?? 0) + plan.priced.paidMinor);
      lastPurchaseDate = date;
      firstPurchaseMs ??= s.ms;

      const perLine = new Map(earn.perLine.map((l) => [l.lineNo, l]));
      const lineDtos = plan.priced.lines.map((l) => ({
        lineNo: l.lineNo,
        sku: l.sku ?? null,
        description: l.description ?? null,
        category: l.category,
        quantity: l.quantity,
        unitPriceMinor: l.unitPriceMinor,
        discountMinor: l.discountMinor ?? 0,
        grossMinor: l.grossMinor,
        redeemedPoints: l.redeemedPoints,
        redeemedValueMinor: l.redeemedValueMinor,
        paidMinor: l.paidMinor,
        earnedPoints: perLine.get(l.lineNo)?.points ?? 0,
        campaignId: perLine.get(l.lineNo)?.campaignId ?? null,
        refundedQuantity: 0,
      }));
      const dto: SaleDto = {
        id: s.id,
        receiptNo: s.receiptNo,
        createdAt: iso,
        businessDate: date,
        staffId: s.staffId,
        member: { id: p.id, maskedName, maskedPhone, tier: tierAt(date, rules), balance, status: 'active' },
        lines: lineDtos,
        grossMinor: plan.priced.grossMinor,
        redeemedPoints: plan.priced.redeemedPoints,
        redeemedValueMinor: plan.priced.redeemedValueMinor,
        paidMinor: plan.priced.paidMinor,
        earnedPoints: earnedTotal,
        bonuses,
        cappedPoints: earn.cappedPoints,
        tierAtSale: tier,
        balanceAfter: balance,
        ruleSetVersion: plan.ruleSetVersion,
        offline: false,
        replayed: false,
      };
      rows.sales.push([
        s.id, s.key, requestHash({ idempotencyKey: s.key, memberId: p.id, lines: s.lines, redeemPoints }), s.receiptNo, p.id, s.staffId,
        env.terminalId, iso, date, plan.priced.grossMinor, plan.priced.redeemedPoints, plan.priced.redeemedValueMinor, plan.priced.paidMinor,
        earnedTotal, earn.cappedPoints, tier, plan.ruleSetVersion, 0, JSON.stringify(dto),
      ]);
      for (const l of lineDtos) {
        rows.saleLines.push([
          s.id, l.lineNo, l.sku, l.description, l.category, l.quantity, l.unitPriceMinor, l.discountMinor, l.grossMinor,
          l.redeemedPoints, l.redeemedValueMinor, l.paidMinor, l.earnedPoints, l.campaignId,
        ]);
      }
      sold.set(s.id, {
        earnEntryId,
        month,
        receiptNo: s.receiptNo,
        lines: lineDtos.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity, paidMinor: l.paidMinor, redeemedPoints: l.redeemedPoints, earnedPoints: l.earnedPoints })),
      });
    } else {
      const s = ev.sale;
      const original = sold.get(s.id);
      if (!original || !s.refund) continue;
      const plan = planRefund(original.lines, [], s.refund.lines);
      // A refund may take a balance below zero in the real programme; the demo keeps clear of it.
      if (plan.reverseEarnedPoints > balance) continue;
      const refundId = env.ids.next();
      const key = `seed-${refundId}`;
      const iso = isoOf(ev.ms);
      const date = cal.dateOf(ev.ms);
      const staffId = rng.pick(env.cashierIds);
      const base = { saleId: s.id, refundId, staffId };
      // The refund row goes first: its entries reference it.
      const refundRow: unknown[] = [
        refundId, key, requestHash({ idempotencyKey: key, saleId: s.id, lines: s.refund.lines }), s.id, staffId, env.terminalId, iso, date,
        plan.refundMinor, plan.reverseEarnedPoints, plan.returnRedeemedPoints, '',
      ];
      rows.refunds.push(refundRow);
      for (const l of plan.lines) rows.refundLines.push([refundId, l.lineNo, l.quantity, l.refundMinor, l.reverseEarnedPoints, l.returnRedeemedPoints]);
      if (plan.reverseEarnedPoints > 0) {
        entry(ev.ms, 'reverse', -plan.reverseEarnedPoints, { ...base, reason: 'refund_earned', target: original.earnEntryId, key: `${key}:reverse_earned` });
      }
      if (plan.returnRedeemedPoints > 0) {
        entry(ev.ms, 'reverse', plan.returnRedeemedPoints, { ...base, reason: 'refund_redeemed', key: `${key}:return_redeemed` });
      }
      if (plan.refundMinor > 0) spend.set(original.month, (spend.get(original.month) ?? 0) - plan.refundMinor);
      const dto: RefundDto = {
        id: refundId,
        saleId: s.id,
        receiptNo: original.receiptNo,
        createdAt: iso,
        lines: plan.lines,
        refundMinor: plan.refundMinor,
        reverseEarnedPoints: plan.reverseEarnedPoints,
        returnRedeemedPoints: plan.returnRedeemedPoints,
        balanceAfter: balance,
        replayed: false,
      };
      refundRow[11] = JSON.stringify(dto);
    }
  }
  expireUntil(env.nowMs);

  rows.members.push([
    p.seq, p.id, p.phone, lastFourDigits(p.phone), p.name, p.birthday, p.referrer?.id ?? null, isoOf(p.registeredMs), p.consentMarketing ? 1 : 0,
    'active', null, null, p.diamond ? 1 : 0, isoOf(p.registeredMs), env.terminalId, firstPurchaseMs === null ? null : isoOf(firstPurchaseMs),
    lastPurchaseDate,
  ]);
  if (p.name) rows.names.push([p.seq, nameIndexText(p.name)]);
  for (const c of p.cards) rows.cards.push(c);
  for (const [date, d] of [...days].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (d.purchase !== 0 || d.capped !== 0) rows.memberDays.push([p.id, date, d.purchase, d.capped, 0]);
  }
  for (const [month, minor] of [...spend].sort((a, b) => (a[0] < b[0] ? -1 : 1))) rows.periods.push([p.id, month, minor]);
  rows.balances.set(p.seq, balance);
}

/** Lots in FIFO order: by expiry, then earning time, then id (the order deriveLots uses). */
function addLot(lots: Lot[], lot: Lot): void {
  let i = lots.length;
  while (i > 0) {
    const prev = lots[i - 1] as Lot;
    if (prev.expiresMs < lot.expiresMs || (prev.expiresMs === lot.expiresMs && (prev.earnedMs < lot.earnedMs || (prev.earnedMs === lot.earnedMs && prev.id < lot.id)))) break;
    i--;
  }
  lots.splice(i, 0, lot);
}

/** A debit: from the named lot first, then oldest first. The simulation never overdraws. */
function takeFromLots(lots: Lot[], points: number, target: string | null): void {
  let need = points;
  if (target !== null) {
    const idx = lots.findIndex((l) => l.id === target);
    if (idx >= 0) {
      const lot = lots[idx] as Lot;
      const take = Math.min(lot.remaining, need);
      lot.remaining -= take;
      need -= take;
      if (lot.remaining === 0) lots.splice(idx, 1);
    }
  }
  while (need > 0 && lots.length > 0) {
    const lot = lots[0] as Lot;
    const take = Math.min(lot.remaining, need);
    lot.remaining -= take;
    need -= take;
    if (lot.remaining === 0) lots.shift();
  }
  if (need > 0) throw new Error(`demo seed: a debit of ${points} points overdrew the member's lots`);
}

const expiryMemo = new Map<string, string>();
/** creditExpiry, memoised on the date part (expiry keeps the time of day; only the date moves). */
function expiryOf(iso: string, rules: RuleSet): string {
  const memoKey = `${rules.version}:${iso.slice(0, 10)}`;
  let date = expiryMemo.get(memoKey);
  if (date === undefined) {
    date = creditExpiry(`${iso.slice(0, 10)}T12:00:00.000Z`, rules).slice(0, 10);
    expiryMemo.set(memoKey, date);
  }
  return date + iso.slice(10);
}

/**
 * HLC of a historical event on this terminal. The counter spreads members apart (member index in
 * the high bits, a per-member counter in the low four), so two members' events in the same
 * millisecond rarely share a timestamp.
 */
function hlcOf(env: SeedEnv, ms: number, memberIndex: number, k: number): string {
  const counter = ((memberIndex % 4096) * 16 + (k % 16)).toString(16).padStart(4, '0');
  return `${isoOf(ms)}-${counter}-${env.hlcNode}`;
}
