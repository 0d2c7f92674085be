import { createHash } from 'node:crypto';
import { addSpend, NO_SPEND } from '../../src-shared/domain/spend-window';
import type { RefundDto, SaleDto, SaleTenderLine } from '../../src-shared/api/dto';
import { planCheckout } from '../../src-shared/domain/checkout';
import { previousMonth } from '../../src-shared/domain/dates';
import { referrerBonusPoints } from '../../src-shared/domain/earn';
import { creditExpiry } from '../../src-shared/domain/lots';
import { maxRedeemablePoints } from '../../src-shared/domain/redeem';
import { planRefund } from '../../src-shared/domain/refund';
import type { RuleSet } from '../../src-shared/domain/rules';
import { evaluateTier } from '../../src-shared/domain/tiers';
import type { EntryKind, SaleLineInput, Tier } from '../../src-shared/domain/types';
import { maskName, maskPhone } from '../../src-shared/privacy/mask';
import { lastFourDigits } from '../../src-shared/privacy/phone';
import { nameIndexText } from '../../src-shared/search/name-tokens';
import { deterministicUuid, saleIdFromKey } from '../../src-shared/sync/ids';
import { saleSnapshotJson, toSaleLineDtos } from '../ledger/sales.repo';
import { categoryTable } from './catalogue';
import { demoCardNumber, demoNfcCode, demoPhone, type IdMinter } from './identifiers';
import { isoOf, type LocalCalendar } from './local-time';
import { demoName } from './names';
import { Rng } from './prng';

/**
 * The demo store's history, generated one batch of members at a time and simulated exactly as
 * the services would have written it: every sale is planned with the real domain rules
 * (planCheckout: pricing, redemption limits, tier, campaigns, birthday bonus, daily cap), points
 * are spent and expired oldest first (FIFO lots, the order deriveLots uses), refunds go through
 * planRefund. Rows stream out to a sink in column order and in foreign-key order.
 */

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
/** Days of purchase history before "today": about fifteen months, so the oldest points have expired. */
export const HISTORY_DAYS = 456;
const OPEN_MS = 8.5 * 3_600_000; // store hours 08:30-21:30 local
const OPEN_SPAN_MS = 13 * 3_600_000;

export interface SeedEnv {
  nowMs: number;
  terminalId: string;
  /** HLC node id of this terminal (nodeIdOf(terminalId)). */
  hlcNode: string;
  /** Receipt-number terminal tag (last four hex of the terminal id, upper case), as nextReceiptNo makes it. */
  receiptTag: string;
  cal: LocalCalendar;
  rulesOn: (businessDate: string) => RuleSet;
  cashierIds: readonly string[];
  seed: number;
  ids: IdMinter;
  /** Receipt counter shared by all batches. */
  receiptSeq: { n: number };
}

/**
 * Where rows go, each a tuple in the column order of the bulk writer's INSERT. Within a batch
 * the calls come parents first: all members (with placeholder purchase dates and balance, last to
 * first), their names and cards; then member by member each sale before its lines and entries, each refund
 * before its lines and entries; `memberDone` gives the member's final dates and balance.
 */
export interface RowSink {
  member(row: unknown[]): void;
  name(row: unknown[]): void;
  card(row: unknown[]): void;
  sale(row: unknown[]): void;
  saleLine(row: unknown[]): void;
  refund(row: unknown[]): void;
  refundLine(row: unknown[]): void;
  entry(row: unknown[]): void;
  /** The member's spend window: [period, current, previous, member id]. */
  period(row: unknown[]): void;
  memberDone(seq: number, firstPurchaseAt: string | null, lastPurchaseDate: string | null, balance: number): void;
}

interface Habit {
  neverBuys: boolean;
  /** A small business buying in bulk: big baskets, Silver or Gold in busy months, never Diamond. */
  bulk: boolean;
  perYear: number;
  basketScale: number;
  redeemHabit: number;
  churns: boolean;
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
  joinedEarlier: boolean;
  consentMarketing: boolean;
  habit: Habit;
  diamond: boolean;
  referrer: MemberPlan | null;
  /** Referral bonuses this member earns when members they referred first buy. */
  referralCredits: { ms: number; date: string; referredId: string; saleId: string; staffId: string }[];
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

interface Lot {
  id: string;
  earnedMs: number;
  expiresMs: number;
  expiresAt: string;
  remaining: number;
}

/** Generates and simulates members [from, to) (0-based indices) into the sink. */
export function generateBatch(env: SeedEnv, from: number, to: number, sink: RowSink): void {
  const plans: MemberPlan[] = [];
  for (let i = from; i < to; i++) plans.push(planIdentity(env, i));
  // A member who joined during the window may have been brought by another member of the batch
  // who joined before them. The referrer comes later in the batch, so that by the time their
  // history is simulated, the referral bonuses they earned are known.
  for (let k = 0; k < plans.length; k++) {
    const p = plans[k] as MemberPlan;
    if (p.joinedEarlier || k + 1 >= plans.length || !p.rng.chance(0.08)) continue;
    for (let attempt = 0; attempt < 4 && !p.referrer; attempt++) {
      const r = plans[p.rng.int(k + 1, plans.length - 1)] as MemberPlan;
      if (r.registeredMs < p.registeredMs) p.referrer = r;
    }
  }
  // Referrers come later in the batch: writing the batch's members last to first puts every
  // referrer's row before the rows that reference it.
  for (let k = plans.length - 1; k >= 0; k--) {
    const p = plans[k] as MemberPlan;
    const registeredAt = isoOf(p.registeredMs);
    sink.member([
      p.seq, p.id, p.phone, lastFourDigits(p.phone), p.name, p.birthday, p.referrer?.id ?? null, registeredAt, p.consentMarketing ? 1 : 0,
      'active', null, null, p.diamond ? 1 : 0, registeredAt, env.terminalId, null, null, 0,
    ]);
    if (p.name) sink.name([p.seq, nameIndexText(p.name)]);
    writeCards(env, p, sink);
  }
  for (const p of plans) simulateMember(env, p, planSales(env, p), sink);
}

// ---------------------------------------------------------------------------------------------
// Who the member is and how they shop.

function planIdentity(env: SeedEnv, index: number): MemberPlan {
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
  const habit = drawHabit(rng);
  return {
    index,
    seq: index + 1,
    id: env.ids.next(),
    rng,
    phone,
    name,
    birthday,
    registeredMs,
    joinedEarlier,
    consentMarketing: rng.chance(0.55),
    habit,
    diamond: habitScore(habit) >= diamondThreshold(),
    referrer: null,
    referralCredits: [],
  };
}

/** Purchases per year (log-normal, median 11), basket size, churn, how keen on redeeming. */
function drawHabit(rng: Rng): Habit {
  const bulk = rng.chance(0.015);
  const perYear = Math.min(160, Math.max(1, Math.exp(Math.log(11) + 0.85 * rng.normal())));
  return {
    neverBuys: rng.chance(0.06),
    bulk,
    perYear: bulk ? Math.min(160, perYear * 3) : perYear,
    basketScale: bulk ? 6 + rng.next() * 6 : Math.exp(0.35 * rng.normal()),
    redeemHabit: rng.chance(0.3) ? 0 : rng.chance(0.5) ? 0.3 : 0.55,
    churns: rng.chance(0.25),
  };
}

function habitScore(h: Habit): number {
  return h.neverBuys || h.bulk ? 0 : h.perYear * h.basketScale;
}

let diamondCut: number | null = null;
/**
 * Diamond is the top 10% by average monthly spend, computed centrally. The demo stands in with
 * the 90th percentile of the expected spend of the habit distribution (fixed, deterministic).
 */
function diamondThreshold(): number {
  if (diamondCut === null) {
    const rng = new Rng(0xd1a, 0x40d);
    const scores = Array.from({ length: 20_000 }, () => habitScore(drawHabit(rng))).sort((a, b) => a - b);
    diamondCut = scores[Math.floor(scores.length * 0.9)] as number;
  }
  return diamondCut;
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

function writeCards(env: SeedEnv, p: MemberPlan, sink: RowSink): void {
  const { rng } = p;
  const hlc = (ms: number) => hlcOf(env, isoOf(ms), p.index, 15);
  const addedAt = p.registeredMs;
  const r = rng.next();
  if (r < 0.04) {
    // Lost or damaged the first card; a replacement carries the balance on.
    const replacedMs = Math.min(env.nowMs - MIN_MS, addedAt + rng.int(30, 900) * DAY_MS);
    const reason = rng.pick(['lost', 'damaged', 'stolen', 'replaced']);
    sink.card([demoCardNumber(p.index, 0), p.id, 'printed', 'inactive', reason, isoOf(addedAt), hlc(replacedMs)]);
    sink.card([demoCardNumber(p.index, 1), p.id, 'printed', 'active', null, isoOf(replacedMs), hlc(replacedMs)]);
  } else {
    sink.card([demoCardNumber(p.index, 0), p.id, 'printed', 'active', null, isoOf(addedAt), hlc(addedAt)]);
    if (r < 0.07) {
      const tagMs = Math.min(env.nowMs - MIN_MS, addedAt + rng.int(1, 400) * DAY_MS);
      sink.card([demoNfcCode(p.index, rng), p.id, 'nfc', 'active', null, isoOf(tagMs), hlc(tagMs)]);
    }
  }
}

interface SalesPlan {
  sales: PlannedSale[];
  rewards: number[];
  firstPurchaseMs: number | null;
  lastPurchaseDateBefore: string | null;
}

function planSales(env: SeedEnv, p: MemberPlan): SalesPlan {
  const { rng, habit } = p;
  const { cal, nowMs } = env;
  const windowStart = nowMs - HISTORY_DAYS * DAY_MS;
  const activeFrom = Math.max(p.registeredMs, windowStart);
  const activeTo = habit.churns ? activeFrom + rng.next() * (nowMs - activeFrom) : nowMs - MIN_MS;
  const plan: SalesPlan = { sales: [], rewards: [], firstPurchaseMs: null, lastPurchaseDateBefore: null };
  if (p.joinedEarlier) {
    // Their first purchase was when they joined; the last one before the window, a while ago.
    plan.firstPurchaseMs = p.registeredMs + rng.int(1, 10) * MIN_MS;
    plan.lastPurchaseDateBefore = cal.dateOf(Math.max(plan.firstPurchaseMs, windowStart - rng.int(1, 240) * DAY_MS));
  }
  if (habit.neverBuys) return plan;
  const times: number[] = [];
  if (!p.joinedEarlier && (p.referrer !== null || rng.chance(0.85))) times.push(p.registeredMs + rng.int(2, 8) * MIN_MS); // joined at the till
  const n = rng.poisson((habit.perYear * Math.max(0, activeTo - activeFrom)) / (365 * DAY_MS));
  for (let k = 0; k < n; k++) {
    const t = storeTime(cal, activeFrom + rng.next() * (activeTo - activeFrom), rng);
    if (t > activeFrom && t < nowMs - MIN_MS) times.push(t);
  }
  times.sort((a, b) => a - b);
  let last = -1;
  for (const t of times) {
    if (t === last) continue;
    last = t;
    plan.sales.push(planSale(env, p, t));
  }
  if (rng.chance(0.04) && activeTo > activeFrom) plan.rewards.push(storeTime(cal, activeFrom + rng.next() * (activeTo - activeFrom), rng));
  return plan;
}

function planSale(env: SeedEnv, p: MemberPlan, ms: number): PlannedSale {
  const { rng, habit } = p;
  const date = env.cal.dateOf(ms);
  const nLines = rng.chance(0.35) ? 1 : rng.chance(0.45) ? 2 : rng.chance(0.6) ? 3 : rng.int(4, 6);
  const lines: SaleLineInput[] = [];
  let grossMinor = 0;
  for (let lineNo = 1; lineNo <= nLines; lineNo++) {
    const product = rng.pick(categoryTable.draw(rng));
    const base = rng.chance(0.75) ? 1 : rng.chance(0.7) ? 2 : rng.int(3, 6);
    const quantity = Math.max(1, Math.round(base * habit.basketScale));
    // Every line has the same fields (a discount of 0 when none): one object shape keeps the domain code fast.
    const discountMinor = rng.chance(0.08) ? Math.floor((quantity * product.unitPriceMinor * (0.05 + 0.15 * rng.next())) / 10) * 10 : 0;
    const line: SaleLineInput = { lineNo, category: product.category, sku: product.sku, description: product.description, quantity, unitPriceMinor: product.unitPriceMinor, discountMinor };
    grossMinor += Math.max(0, quantity * product.unitPriceMinor - discountMinor); // = lineGrossMinor(line)
    lines.push(line);
  }
  // As at the counter: the page mints the key, the sale's id follows from it.
  const key = env.ids.next();
  const id = saleIdFromKey(env.terminalId, key);
  env.receiptSeq.n++;
  let refund: PlannedSale['refund'] = null;
  if (rng.chance(0.015)) {
    const refundMs = ms + rng.int(60, 14 * 24 * 60) * MIN_MS;
    if (refundMs < env.nowMs - MIN_MS) {
      const pickLine = lines[rng.int(0, lines.length - 1)] as SaleLineInput;
      refund = {
        ms: refundMs,
        lines: rng.chance(0.6) ? lines.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity })) : [{ lineNo: pickLine.lineNo, quantity: rng.int(1, pickLine.quantity) }],
      };
    }
  }
  return {
    ms,
    date,
    id,
    key,
    receiptNo: `R${date.slice(0, 4)}${date.slice(5, 7)}${date.slice(8, 10)}-${env.receiptTag}-${String(env.receiptSeq.n).padStart(6, '0')}`,
    staffId: rng.pick(env.cashierIds),
    lines,
    grossMinor,
    redeemWish: habit.redeemHabit > 0 && rng.chance(habit.redeemHabit) ? 0.3 + 0.7 * rng.next() : 0,
    refund,
  };
}

// ---------------------------------------------------------------------------------------------
// The member's ledger, in time order, with FIFO lots.

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

function simulateMember(env: SeedEnv, p: MemberPlan, plan: SalesPlan, sink: RowSink): void {
  const { rng } = p;
  const { cal } = env;
  const events: Event[] = [];
  if (p.referrer) events.push({ ms: p.registeredMs, order: 0, kind: 'welcome' });
  for (const s of plan.sales) {
    events.push({ ms: s.ms, order: 2, kind: 'sale', sale: s });
    if (s.refund) events.push({ ms: s.refund.ms, order: 3, kind: 'refund', sale: s });
  }
  for (const ms of plan.rewards) events.push({ ms, order: 1, kind: 'reward' });
  for (const c of p.referralCredits) events.push({ ms: c.ms, order: 4, kind: 'referral', credit: c });
  events.sort((a, b) => a.ms - b.ms || a.order - b.order);

  const lots: Lot[] = [];
  let balance = 0;
  let hlcCounter = 0;
  const spend = new Map<string, number>();
  // Purchase points per business date, for the daily earn cap (as the till sums them from the ledger).
  const days = new Map<string, { purchase: number }>();
  const sold = new Map<string, SoldSale>();
  let lastPurchaseDate = plan.lastPurchaseDateBefore;
  let firstPurchaseMs = plan.firstPurchaseMs;
  let birthdayYear = '';
  const maskedName = maskName(p.name);
  const maskedPhone = maskPhone(p.phone);
  /** Entries of the event being handled; written after the sale or refund row they reference. */
  const pending: unknown[][] = [];
  const flush = (): void => {
    for (const row of pending) sink.entry(row);
    pending.length = 0;
  };

  const entry = (
    ms: number,
    kind: EntryKind,
    points: number,
    fields: { reason?: string | null; saleId?: string | null; refundId?: string | null; target?: string | null; capped?: number; staffId?: string | null; key: string; onceOnly?: boolean },
    at?: { iso: string; date: string },
  ): string => {
    // Once-only bonuses (welcome, referral, birthday per year) take the id derived from their key, as appendEntry gives them.
    const id = fields.onceOnly ? deterministicUuid(fields.key) : env.ids.next();
    const iso = at?.iso ?? isoOf(ms);
    const date = at?.date ?? cal.dateOf(ms);
    const rules = env.rulesOn(date);
    let expiresAt: string | null = null;
    if (points > 0) {
      expiresAt = expiryOf(iso, rules);
      addLot(lots, { id, earnedMs: ms, expiresMs: Date.parse(expiresAt), expiresAt, remaining: points });
    } else if (points < 0) {
      takeFromLots(lots, -points, fields.target ?? null);
    }
    balance += points;
    pending.push([
      id, p.id, kind, points, fields.reason ?? null, fields.saleId ?? null, fields.refundId ?? null, fields.target ?? null,
      expiresAt, fields.capped ?? 0, 0, date, iso, hlcOf(env, iso, p.index, hlcCounter++), env.terminalId,
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

  const tierOn = (date: string, rules: RuleSet): Tier => {
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
        entry(ev.ms, 'bonus', rules.earn.welcomeBonus, { reason: 'welcome', staffId: rng.pick(env.cashierIds), key: `welcome:${p.id}`, onceOnly: true });
      }
    } else if (ev.kind === 'referral') {
      // The referred member's first purchase (always something paid: points pay at most half a bill).
      const points = referrerBonusPoints({ hasReferrer: true, firstPurchase: true, paidMinor: 1, alreadyCredited: false }, env.rulesOn(ev.credit.date));
      if (points > 0) {
        entry(ev.ms, 'bonus', points, {
          reason: `referral:${ev.credit.referredId}`,
          saleId: ev.credit.saleId,
          staffId: ev.credit.staffId,
          key: `referral:${ev.credit.referredId}`,
          onceOnly: true,
        });
      }
    } else if (ev.kind === 'reward') {
      const reward = env.rulesOn(cal.dateOf(ev.ms)).rewards.find((r) => r.active && r.points <= balance);
      if (reward) {
        entry(ev.ms, 'redeem', -reward.points, { reason: `reward:${reward.id}`, staffId: rng.pick(env.cashierIds), key: `reward:seed-${env.ids.next()}` });
      }
    } else if (ev.kind === 'sale') {
      const s = ev.sale;
      const { date } = s;
      const month = date.slice(0, 7);
      const rules = env.rulesOn(date);
      const tier = tierOn(date, rules);
      let redeemPoints = 0;
      if (s.redeemWish > 0 && balance >= rules.redeem.minPoints) {
        const max = maxRedeemablePoints({ billMinor: s.grossMinor, availablePoints: balance, tier, offlineRemaining: null }, rules).maxPoints;
        const step = rules.redeem.stepPoints;
        redeemPoints = Math.floor((max * s.redeemWish) / step) * step;
        if (redeemPoints < rules.redeem.minPoints) redeemPoints = max >= rules.redeem.minPoints ? rules.redeem.minPoints : 0;
      }
      const iso = isoOf(s.ms);
      const plan = planCheckout(
        {
          lines: s.lines,
          member: {
            tier,
            blocked: false,
            availablePoints: balance,
            birthday: p.birthday,
            birthdayBonusGivenThisYear: birthdayYear === date.slice(0, 4),
            lastPurchaseDate,
            purchasePointsToday: days.get(date)?.purchase ?? 0,
            // Velocity windows never bind on one member's shopping; the demo leaves them out.
            recentRedemptions: [],
          },
          redeemPoints,
          businessDate: date,
          now: iso,
          offlineRemaining: null,
          terminalRecentRedemptions: [],
          managerOverride: false,
        },
        rules,
      );
      const earn = plan.earn!;
      const at = { iso, date };
      if (plan.redemption) entry(s.ms, 'redeem', -plan.redemption.points, { saleId: s.id, staffId: s.staffId, reason: 'bill', key: `${s.key}:redeem` }, at);
      let earnEntryId: string | null = null;
      if (earn.purchasePoints > 0 || earn.cappedPoints > 0) {
        earnEntryId = entry(s.ms, 'earn', earn.purchasePoints, { saleId: s.id, staffId: s.staffId, capped: earn.cappedPoints, key: `${s.key}:earn` }, at);
      }
      const bonuses: { reason: string; points: number }[] = [];
      let bonusSum = 0;
      for (const b of earn.spendBonuses) {
        entry(s.ms, 'bonus', b.points, { saleId: s.id, staffId: s.staffId, reason: `spend_threshold:${b.campaignId}`, key: `${s.key}:bonus:${b.campaignId}` }, at);
        bonuses.push({ reason: 'spend_threshold', points: b.points });
        bonusSum += b.points;
      }
      if (earn.birthdayBonus > 0) {
        entry(s.ms, 'bonus', earn.birthdayBonus, { saleId: s.id, staffId: s.staffId, reason: 'birthday', key: `birthday:${p.id}:${date.slice(0, 4)}`, onceOnly: true }, at);
        bonuses.push({ reason: 'birthday', points: earn.birthdayBonus });
        birthdayYear = date.slice(0, 4);
      }
      const earnedTotal = earn.purchasePoints + bonusSum + earn.birthdayBonus;
      const day = days.get(date) ?? { purchase: 0 };
      day.purchase += earn.purchasePoints + bonusSum;
      days.set(date, day);
      spend.set(month, (spend.get(month) ?? 0) + plan.priced.paidMinor);
      lastPurchaseDate = date;
      if (firstPurchaseMs === null) {
        firstPurchaseMs = s.ms;
        // The referrer's bonus after this first purchase (CheckoutService.creditReferrer).
        p.referrer?.referralCredits.push({ ms: s.ms, date, referredId: p.id, saleId: s.id, staffId: s.staffId });
      }

      const lineDtos = toSaleLineDtos(plan.priced.lines, earn.perLine);
      const dto: SaleDto = {
        id: s.id,
        receiptNo: s.receiptNo,
        createdAt: iso,
        businessDate: date,
        staffId: s.staffId,
        member: { id: p.id, maskedName, maskedPhone, tier: tierOn(date, rules), balance, status: 'active' },
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
        tenders: demoTenders(s.id, plan.priced.paidMinor),
        roundingMinor: 0,
        changeMinor: 0,
        replayed: false,
      };
      sink.sale([
        s.id, s.key, saleRequestHash(p.id, s.lines, redeemPoints), s.receiptNo, p.id, s.staffId, env.terminalId, iso, date,
        plan.priced.grossMinor, plan.priced.redeemedPoints, plan.priced.redeemedValueMinor, plan.priced.paidMinor, earnedTotal,
        earn.cappedPoints, tier, plan.ruleSetVersion, 0, saleSnapshotJson(dto), JSON.stringify(dto.tenders),
      ]);
      for (const l of lineDtos) {
        sink.saleLine([
          s.id, l.lineNo, l.sku, l.description, l.category, l.quantity, l.unitPriceMinor, l.discountMinor, l.grossMinor,
          l.redeemedPoints, l.redeemedValueMinor, l.paidMinor, l.earnedPoints, l.campaignId,
        ]);
      }
      if (s.refund) {
        sold.set(s.id, {
          earnEntryId,
          month,
          receiptNo: s.receiptNo,
          lines: lineDtos.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity, paidMinor: l.paidMinor, redeemedPoints: l.redeemedPoints, earnedPoints: l.earnedPoints })),
        });
      }
    } else {
      const s = ev.sale;
      const original = sold.get(s.id);
      if (original && s.refund) refund(env, p, s, original, ev.ms);
    }
    flush();
  }
  expireUntil(env.nowMs);
  flush();

  if (spend.size > 0) {
    let w = NO_SPEND;
    for (const [month, minor] of [...spend].sort((a, b) => (a[0] < b[0] ? -1 : 1))) w = addSpend(w, month, minor);
    sink.period([w.period, w.current, w.previous, p.id]);
  }
  sink.memberDone(p.seq, firstPurchaseMs === null ? null : isoOf(firstPurchaseMs), lastPurchaseDate, balance);

  /**
 * How a demo sale was paid, from its id (not from the random stream, so adding tenders changed no
 * other demo figure): about 40% cash, 30% WeChat Pay, 20% Alipay, 10% bank card. The demo history
 * predates drawer sessions: its cash went into none.
 */
function demoTenders(saleId: string, paidMinor: number): SaleTenderLine[] {
  if (paidMinor === 0) return [];
  const d = parseInt(saleId.slice(-1), 16) % 10;
  const code = d < 4 ? 'CASH' : d < 7 ? 'WECHAT' : d < 9 ? 'ALIPAY' : 'CARD';
  const kind = code === 'CASH' ? 'cash' : code === 'CARD' ? 'card' : 'wallet';
  const reference = code === 'CASH' ? null : code === 'CARD' ? saleId.replace(/\D/g, '').slice(-4).padStart(4, '0') : saleId.replace(/-/g, '').slice(-16);
  return [{ tenderNo: 1, code, kind, amountMinor: paidMinor, tenderedMinor: paidMinor, changeMinor: 0, reference }];
}

/** A refund against the original sale, as RefundService would write it. */
  function refund(env: SeedEnv, p: MemberPlan, s: PlannedSale, original: SoldSale, ms: number): void {
    const request = s.refund!.lines;
    const plan = planRefund(original.lines, [], request);
    // A refund may take a balance below zero in the real programme; the demo keeps clear of it.
    if (plan.reverseEarnedPoints > balance) return;
    const refundId = env.ids.next();
    const key = `seed-${refundId}`;
    const iso = isoOf(ms);
    const staffId = rng.pick(env.cashierIds);
    const dto: RefundDto = {
      id: refundId,
      saleId: s.id,
      receiptNo: original.receiptNo,
      createdAt: iso,
      lines: plan.lines,
      refundMinor: plan.refundMinor,
      reverseEarnedPoints: plan.reverseEarnedPoints,
      returnRedeemedPoints: plan.returnRedeemedPoints,
      balanceAfter: balance - plan.reverseEarnedPoints + plan.returnRedeemedPoints,
      // Back to the tender that paid the sale (a demo sale has one).
      tenders: demoTenders(s.id, plan.refundMinor),
      approvedBy: null,
      reason: null,
      replayed: false,
    };
    sink.refund([
      refundId, key, refundRequestHash(s.id, request), s.id, staffId, env.terminalId, iso, cal.dateOf(ms), plan.refundMinor,
      plan.reverseEarnedPoints, plan.returnRedeemedPoints, JSON.stringify(dto), JSON.stringify(dto.tenders),
    ]);
    for (const l of plan.lines) sink.refundLine([refundId, l.lineNo, l.quantity, l.refundMinor, l.reverseEarnedPoints, l.returnRedeemedPoints]);
    if (plan.reverseEarnedPoints > 0) {
      // Taken back from the sale's own earn lot first, as RefundService names it.
      entry(ms, 'reverse', -plan.reverseEarnedPoints, { saleId: s.id, refundId, staffId, reason: 'refund_earned', target: original.earnEntryId, key: `${key}:reverse_earned` });
    }
    if (plan.returnRedeemedPoints > 0) {
      entry(ms, 'reverse', plan.returnRedeemedPoints, { saleId: s.id, refundId, staffId, reason: 'refund_redeemed', key: `${key}:return_redeemed` });
    }
    if (plan.refundMinor > 0) spend.set(original.month, (spend.get(original.month) ?? 0) - plan.refundMinor);
  }
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
/** creditExpiry, memoised on the date part (the expiry keeps the UTC time of day; only the date moves). */
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
 * the high twelve bits, a per-member counter in the low four), so two members' events in the same
 * millisecond rarely share a timestamp.
 */
function hlcOf(env: SeedEnv, iso: string, memberIndex: number, k: number): string {
  const counter = ((memberIndex % 4096) * 16 + (k % 16)).toString(16).padStart(4, '0');
  return `${iso}-${counter}-${env.hlcNode}`;
}

/**
 * requestHash (ledger/request-hash.ts) of the checkout request that made the sale, without the
 * generic stable stringifier: the same canonical JSON (keys sorted, idempotency key left out,
 * approvedBy null) written directly. The seed test checks it against requestHash.
 */
export function saleRequestHash(memberId: string, lines: readonly SaleLineInput[], redeemPoints: number): string {
  let json = '{"approvedBy":null,"lines":[';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as SaleLineInput;
    if (i > 0) json += ',';
    json += `{"category":${JSON.stringify(l.category)}`;
    if (l.description !== undefined) json += `,"description":${JSON.stringify(l.description)}`;
    if (l.discountMinor !== undefined) json += `,"discountMinor":${l.discountMinor}`;
    json += `,"lineNo":${l.lineNo},"quantity":${l.quantity}`;
    if (l.sku !== undefined) json += `,"sku":${JSON.stringify(l.sku)}`;
    json += `,"unitPriceMinor":${l.unitPriceMinor}}`;
  }
  json += `],"memberId":${JSON.stringify(memberId)},"redeemPoints":${redeemPoints}}`;
  return createHash('sha256').update(json).digest('hex');
}

/** requestHash of the refund request ({ idempotencyKey, saleId, lines }), written directly. */
export function refundRequestHash(saleId: string, lines: readonly { lineNo: number; quantity: number }[]): string {
  const json = `{"approvedBy":null,"lines":[${lines.map((l) => `{"lineNo":${l.lineNo},"quantity":${l.quantity}}`).join(',')}],"saleId":${JSON.stringify(saleId)}}`;
  return createHash('sha256').update(json).digest('hex');
}
