import type { CoreContext } from '../core/context';
import { hashPin } from '../staff/pin';
import { rememberProductPrices } from '../ledger/products.repo';
import { TENDER_SETTINGS_META_KEY, type TenderSettingsValue } from '../ledger/tender-settings';
import { DEFAULT_TENDER_CONFIG } from '../../src-shared/tenders/tender-types';
import { CATALOGUE, type Product } from './catalogue';
import { bulkSeedMembers, DEFAULT_SEED, type BulkSeedProgress, type BulkSeedResult } from './bulk';

/** Demo staff and their PINs (documented in README: for the demo store only). */
export const DEMO_STAFF = [
  { name: 'Wang Fang 王芳', role: 'cashier', pin: '1111' },
  { name: 'Chen Jie 陈杰', role: 'cashier', pin: '2222' },
  { name: 'Li Na 李娜', role: 'manager', pin: '9999' },
] as const;

export interface SeedSummary {
  staff: number;
  members: number;
  ledgerEntries: number;
  sales: number;
  /** Everything the bulk load wrote, and how long it took. */
  detail: BulkSeedResult;
}

/** Meta key under which the seed records what it wrote (JSON), for the CLI and the benchmarks. */
export const DEMO_SEED_META_KEY = 'demo_seed';

export interface DemoSeedOptions {
  members: number;
  seed?: number;
  batchSize?: number;
  /** Generate in a worker thread (see BulkSeedOptions.worker). */
  worker?: boolean;
  /** Progress after every batch; by default runs of 50,000 members or more print every 50,000. */
  onProgress?: (p: BulkSeedProgress) => void;
  /**
   * The demo store takes the money at its tills (default): the default tenders, a checkout goes
   * through the payment step and cash needs an open drawer. False leaves the tender settings
   * unset, a till beside another register (what most test harnesses ring sales up on).
   */
  paymentsAtTill?: boolean;
}

/**
 * Creates the demo store: staff with documented PINs, the demo catalogue's prices, the tender
 * settings of a store that takes the money (unless `paymentsAtTill: false`), then members with about a year of
 * purchase history (see history.ts), written in bulk (see bulk.ts). Deterministic for a given
 * member count, seed and `ctx.now()`. Demo history is not replicated: nothing goes to the outbox.
 */
export async function seedDemoStore(ctx: CoreContext, opts: DemoSeedOptions): Promise<SeedSummary> {
  const now = ctx.now().toISOString();
  const staff: { id: string; role: string }[] = [];
  for (const s of DEMO_STAFF) {
    const id = ctx.newId();
    await ctx.db
      .insertInto('staff')
      .values({ id, name: s.name, role: s.role, pin_hash: await hashPin(s.pin, ctx.pinKdfCost), active: 1, locked_until: null, created_at: now })
      .execute();
    staff.push({ id, role: s.role });
  }
  // The demo catalogue's barcodes have prices, as if each had been sold here once.
  await rememberProductPrices(ctx.db, CATALOGUE.flatMap((c) => c.products), now);
  if (opts.paymentsAtTill ?? true) {
    // Read by TenderSettings: cash, bank card, WeChat Pay, Alipay and vouchers are taken at the till.
    const value: TenderSettingsValue = { config: DEFAULT_TENDER_CONFIG, paymentsAtTill: true };
    await ctx.db.insertInto('meta').values({ key: TENDER_SETTINGS_META_KEY, value: JSON.stringify(value) }).execute();
  }
  const detail = await bulkSeedMembers(
    ctx,
    staff.filter((s) => s.role === 'cashier').map((s) => s.id),
    {
      members: opts.members,
      seed: opts.seed,
      batchSize: opts.batchSize,
      worker: opts.worker,
      onProgress: opts.onProgress ?? (opts.members >= 50_000 ? printProgress() : undefined),
    },
  );
  if (detail.members > 0) {
    await ctx.db
      .insertInto('meta')
      .values({ key: DEMO_SEED_META_KEY, value: JSON.stringify({ ...detail, seed: opts.seed ?? DEFAULT_SEED, seededAt: now }) })
      .execute();
  }
  return { staff: DEMO_STAFF.length, members: detail.members, ledgerEntries: detail.ledgerEntries, sales: detail.sales, detail };
}

/** Prints a line every 50,000 members. */
function printProgress(): (p: BulkSeedProgress) => void {
  let next = 50_000;
  return (p) => {
    if (p.members < next && p.members < p.totalMembers) return;
    while (next <= p.members) next += 50_000;
    const s = p.elapsedMs / 1000;
    const eta = p.members > 0 ? (s / p.members) * (p.totalMembers - p.members) : 0;
    console.log(
      `[seed] ${p.members.toLocaleString('en')} / ${p.totalMembers.toLocaleString('en')} members, ` +
        `${p.ledgerEntries.toLocaleString('en')} ledger entries, ${p.sales.toLocaleString('en')} sales, ` +
        `${s.toFixed(1)} s (${Math.round(p.members / Math.max(s, 0.001)).toLocaleString('en')} members/s, ~${eta.toFixed(0)} s to go)`,
    );
  };
}

export interface DemoScanCodes {
  /** Printed card numbers of active members with points, to scan or type at F2. */
  cards: Array<{ code: string; points: number }>;
  /** Catalogue products (EAN-13 barcodes with remembered prices), one per category. */
  products: Product[];
}

/**
 * Codes a newcomer can try at once on the demo store: a few members' printed card numbers and
 * product barcodes the till knows prices for. Null when the data folder is not the demo store
 * (its members are real people, so their numbers are not printed).
 */
export async function demoScanCodes(ctx: CoreContext, counts: { cards?: number; products?: number } = {}): Promise<DemoScanCodes | null> {
  const seeded = await ctx.db.selectFrom('meta').select('key').where('key', '=', DEMO_SEED_META_KEY).executeTakeFirst();
  if (seeded === undefined) return null;
  const cards = await ctx.db
    .selectFrom('card')
    .innerJoin('member', 'member.id', 'card.member_id')
    .select(['card.code as code', 'member.balance as points'])
    .where('card.kind', '=', 'printed')
    .where('card.status', '=', 'active')
    .where('member.status', '=', 'active')
    .where('member.balance', '>', 0)
    .orderBy('member.seq')
    .limit(counts.cards ?? 2)
    .execute();
  const products = CATALOGUE.slice(0, counts.products ?? 4).flatMap((c) => c.products.slice(0, 1));
  return { cards, products };
}
