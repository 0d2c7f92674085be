import { sql } from 'kysely';
import { deriveLots, planExpiry } from '../../src-shared/domain/lots';
import { DEFAULT_RULE_SET } from '../../src-shared/domain/rules';
import { inTransaction, type ServerDb } from '../db/database';
import { ApplyContext } from './apply-context';
import { latestRuleSet } from './admin';
import { appendToFeed } from './feed';
import { insertServerEntry, memberFacts, serverEntry } from './ledger';

/** The month `n` months before `month` (`YYYY-MM`). */
export function monthsBack(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) - n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}

export interface DiamondResult {
  /** First and last month of the window (12 calendar months ending with the current one). */
  from: string;
  to: string;
  eligibleMembers: number;
  diamondShareBp: number;
  diamonds: number;
  promoted: number;
  demoted: number;
  /** Lowest average monthly spend (minor units) that made Diamond, null when nobody did. */
  thresholdAvgMonthlyMinor: number | null;
}

/**
 * Diamond ranking: the top `tiers.diamondTopShareBp` of live members (active or blocked) by average
 * monthly qualifying spend over the last 12 calendar months (ties by member id). Only members with
 * some spend can be Diamond. Members whose flag changes go on the feed as `member` changes.
 */
export async function rankDiamonds(sdb: ServerDb, now: () => number, opts: { shareBp?: number } = {}): Promise<DiamondResult> {
  const shareBp = opts.shareBp ?? (await latestRuleSet(sdb))?.tiers.diamondTopShareBp ?? DEFAULT_RULE_SET.tiers.diamondTopShareBp;
  return inTransaction(sdb, async (trx) => {
    const ctx = new ApplyContext(trx, sdb.dialect, now());
    const to = ctx.nowIso.slice(0, 7);
    const from = monthsBack(to, 11);
    const live = await trx
      .selectFrom('member')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', ['active', 'blocked'])
      .executeTakeFirstOrThrow();
    const eligible = Number(live.n);
    const n = Math.floor((eligible * shareBp) / 10000);
    const top =
      n === 0
        ? []
        : await trx
            .selectFrom('member_spend as s')
            .innerJoin('member as m', 'm.id', 's.member_id')
            .select(['s.member_id as id', sql<number>`sum(s.spend_minor)`.as('total')])
            .where('s.period', '>=', from)
            .where('s.period', '<=', to)
            .where('m.status', 'in', ['active', 'blocked'])
            .groupBy('s.member_id')
            .having(sql<number>`sum(s.spend_minor)`, '>', 0)
            .orderBy(sql`sum(s.spend_minor)`, 'desc')
            .orderBy('s.member_id')
            .limit(n)
            .execute();
    const winners = new Set(top.map((t) => t.id));
    const current = new Set((await trx.selectFrom('member').select('id').where('diamond', '=', 1).execute()).map((c) => c.id));
    const demote = [...current].filter((id) => !winners.has(id));
    const promote = [...winners].filter((id) => !current.has(id));
    await ctx.lockMembersInOrder([...demote, ...promote]);
    for (let i = 0; i < demote.length; i += 500) await trx.updateTable('member').set({ diamond: 0 }).where('id', 'in', demote.slice(i, i + 500)).execute();
    for (let i = 0; i < promote.length; i += 500) await trx.updateTable('member').set({ diamond: 1 }).where('id', 'in', promote.slice(i, i + 500)).execute();
    for (const id of [...promote, ...demote].sort()) await ctx.emitMember(id);
    await appendToFeed(trx, ctx.dialect, ctx.changes, ctx.nowIso);
    const last = top[top.length - 1];
    return {
      from,
      to,
      eligibleMembers: eligible,
      diamondShareBp: shareBp,
      diamonds: winners.size,
      promoted: promote.length,
      demoted: demote.length,
      thresholdAvgMonthlyMinor: last ? Math.floor(Number(last.total) / 12) : null,
    };
  });
}

export interface ExpiryResult {
  members: number;
  entries: number;
  points: number;
}

/**
 * Central expiry: every lot past its expiry date gets a server-made `expire` entry. Its idempotency
 * key is the terminal's own `expire:<lot>:<expiresAt>` and its id derives from that key, so one lot
 * expires once across all stores (enrolled terminals leave expiry to the server). Members are
 * processed in batches, one transaction each.
 */
export async function runExpiry(sdb: ServerDb, now: () => number, opts: { batch?: number } = {}): Promise<ExpiryResult> {
  const nowIso = new Date(now()).toISOString();
  const candidates = await sdb.db
    .selectFrom('ledger_entry as e')
    .innerJoin('member as m', 'm.id', 'e.member_id')
    .select('e.member_id')
    .distinct()
    .where('e.expires_at', '<=', nowIso)
    .where('e.points', '>', 0)
    .where('m.status', '!=', 'merged')
    .orderBy('e.member_id')
    .execute();
  const ids = candidates.map((c) => c.member_id);
  const batch = opts.batch ?? 200;
  const result: ExpiryResult = { members: 0, entries: 0, points: 0 };
  for (let i = 0; i < ids.length; i += batch) {
    const part = await inTransaction(sdb, async (trx) => {
      const ctx = new ApplyContext(trx, sdb.dialect, now());
      const r: ExpiryResult = { members: 0, entries: 0, points: 0 };
      for (const memberId of ids.slice(i, i + batch)) {
        const m = await ctx.lockMember(memberId);
        if (!m || m.status === 'merged') continue;
        const steps = planExpiry(deriveLots(await memberFacts(trx, memberId)), ctx.nowIso);
        let any = false;
        for (const s of steps) {
          const key = `expire:${s.lotEntryId}:${s.expiresAt}`;
          const entry = await serverEntry(ctx, { key, memberId, kind: 'expire', points: -s.points, reason: 'expiry', targetEntryId: s.lotEntryId });
          if ((await insertServerEntry(ctx, entry)) !== null) {
            r.entries += 1;
            r.points += s.points;
            any = true;
          }
        }
        if (any) r.members += 1;
      }
      await appendToFeed(trx, ctx.dialect, ctx.changes, ctx.nowIso);
      return r;
    });
    result.members += part.members;
    result.entries += part.entries;
    result.points += part.points;
  }
  return result;
}

export interface ExceptionReport {
  exceptions: { id: string; memberId: string; entryId: string; terminalId: string; storeId: string | null; shortfall: number; exposureMinor: number; createdAt: string }[];
  count: number;
  totalShortfall: number;
  totalExposureMinor: number;
}

/** Overdraft exceptions (two stores spent the same points offline) with the exposure they caused. */
export async function exceptionReport(sdb: ServerDb, opts: { from?: string; to?: string; storeId?: string; limit?: number } = {}): Promise<ExceptionReport> {
  let q = sdb.db.selectFrom('overdraft_exception').selectAll();
  if (opts.from) q = q.where('created_at', '>=', opts.from);
  if (opts.to) q = q.where('created_at', '<', opts.to);
  if (opts.storeId) q = q.where('store_id', '=', opts.storeId);
  let t = sdb.db
    .selectFrom('overdraft_exception')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.coalesce(eb.fn.sum<number>('shortfall'), eb.lit(0)).as('s'), eb.fn.coalesce(eb.fn.sum<number>('exposure_minor'), eb.lit(0)).as('x')]);
  if (opts.from) t = t.where('created_at', '>=', opts.from);
  if (opts.to) t = t.where('created_at', '<', opts.to);
  if (opts.storeId) t = t.where('store_id', '=', opts.storeId);
  const [rows, totals] = await Promise.all([q.orderBy('created_at').orderBy('id').limit(opts.limit ?? 1000).execute(), t.executeTakeFirstOrThrow()]);
  return {
    exceptions: rows.map((r) => ({
      id: r.id,
      memberId: r.member_id,
      entryId: r.entry_id,
      terminalId: r.terminal_id,
      storeId: r.store_id,
      shortfall: Number(r.shortfall),
      exposureMinor: Number(r.exposure_minor),
      createdAt: r.created_at,
    })),
    count: Number(totals.n),
    totalShortfall: Number(totals.s),
    totalExposureMinor: Number(totals.x),
  };
}
