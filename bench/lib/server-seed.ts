/**
 * Bench only: fills a migrated central-server database with N members straight through the
 * database driver (no HTTP, no push transactions), as fast as the driver allows. Per member: the
 * profile with a clock per field, one card, three ledger entries by default (two earns, one
 * redemption, so two open lots; `entries` for a longer history), two months of qualifying spend;
 * balances equal the sum of the entries.
 * With `feed`, also the change-feed rows the server would have written for all that (member,
 * card, entries, spend), to measure a bootstrap by replaying the feed from cursor 0.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { addMonths } from '../../src-shared/domain/dates';
import { formatHlc, nodeIdOf } from '../../src-shared/sync/hlc';
import type { LedgerEntryPayload, ServerMember } from '../../src-shared/sync/protocol';
import type { FeedBody } from '../../src-server/services/feed';

export const SEED_TERMINAL = '01900000-0000-7000-8000-5eed5eed5eed';
const DAY = 86_400_000;
const FIELDS = ['birthday', 'consent_marketing', 'consent_terms_at', 'name', 'phone', 'status', 'status_reason'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军'];

const hex12 = (i: number) => i.toString(16).padStart(12, '0');
export const memberIdOf = (i: number) => `01900000-0000-7000-8000-${hex12(i)}`;
const entryIdOf = (i: number, k: number) => `01900001-${k.toString(16).padStart(4, '0')}-7000-8000-${hex12(i)}`;

interface MemberRows {
  member: Record<string, string | number | null>;
  clocks: [string, string, string, string][];
  card: Record<string, string | number | null>;
  entries: Record<string, string | number | null>[];
  spend: [string, string, number][];
  feed: { kind: string; entityId: string; origin: string | null; payload: string }[];
}

function rowsOf(i: number, storeId: string, nowMs: number, feed: boolean, entryCount: number): MemberRows {
  const id = memberIdOf(i);
  const node = nodeIdOf(SEED_TERMINAL);
  const regMs = nowMs - 400 * DAY + (i % 1000) * 1000;
  const regAt = new Date(regMs).toISOString();
  const hlc = formatHlc({ millis: regMs, counter: 0, node });
  const phone = `+86139${String(i).padStart(8, '0')}`;
  const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i >> 3) % GIVEN.length]}${GIVEN[(i >> 7) % GIVEN.length]}`;
  const birthday = `19${70 + (i % 30)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  // Three entries (two earns a year and two months ago, a 100-point redemption a month ago), or
  // `entries` spread over the last 330 days: two earns of 50-250 points, then a 100-point redemption.
  const plan: [number, 'earn' | 'redeem', number, number][] =
    entryCount === 3
      ? [
          [0, 'earn', 100 + (i % 400), 300],
          [1, 'earn', 50 + (i % 200), 60],
          [2, 'redeem', -100, 30],
        ]
      : Array.from({ length: entryCount }, (_, k) => [k, k % 3 === 2 ? 'redeem' : 'earn', k % 3 === 2 ? -100 : 50 + ((i + k * 37) % 200), 330 - Math.floor((k * 330) / entryCount)]);
  const entries: LedgerEntryPayload[] = plan.map(([k, kind, points, daysAgo]) => {
    const ms = nowMs - daysAgo * DAY + (i % 1000) * 1000;
    const at = new Date(ms).toISOString();
    const eid = entryIdOf(i, k);
    return {
      id: eid,
      member_id: id,
      kind,
      points,
      reason: null,
      sale_id: null,
      refund_id: null,
      target_entry_id: null,
      expires_at: points > 0 ? addMonths(at, 12) : null,
      capped_points: 0,
      offline: 0,
      business_date: at.slice(0, 10),
      created_at: at,
      hlc: formatHlc({ millis: ms, counter: 0, node }),
      terminal_id: SEED_TERMINAL,
      staff_id: 'seed',
      approved_by: null,
      rule_set_version: 1,
      idempotency_key: `${eid}:${kind}`,
    };
  });
  const balance = entries.reduce((s, e) => s + e.points, 0);
  const month = new Date(nowMs).toISOString().slice(0, 7);
  const prevMonth = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
  const spend: [string, string, number][] = [
    [id, prevMonth, 10_000 + (i % 50) * 1000],
    [id, month, 5_000 + (i % 30) * 1000],
  ];
  const card = { code: `62${String(i).padStart(14, '0')}`, member_id: id, kind: 'printed', status: 'active', status_reason: null, hlc, bound_hlc: hlc, terminal_id: SEED_TERMINAL, updated_at: regAt };
  const rows: MemberRows = {
    member: {
      id, phone, phone_last4: phone.slice(-4), name, birthday, referrer_id: null, consent_terms_at: regAt, consent_marketing: i % 2, status: 'active', status_reason: null,
      merged_into: null, diamond: i % 50 === 0 ? 1 : 0, registered_at: regAt, registered_terminal: SEED_TERMINAL, registered_store: storeId, balance, received_at: regAt,
    },
    clocks: FIELDS.map((f) => [id, f, hlc, SEED_TERMINAL]),
    card,
    entries: entries.map((e) => ({ ...e, store_id: storeId, received_at: e.created_at })),
    spend,
    feed: [],
  };
  if (feed) {
    const sm: ServerMember = {
      id, phone, name, birthday, referrerId: null, consentTermsAt: regAt, consentMarketing: i % 2 === 1, status: 'active', statusReason: null, mergedInto: null,
      diamond: i % 50 === 0, registeredAt: regAt, fieldHlc: Object.fromEntries(FIELDS.map((f) => [f, hlc])),
    };
    const bodies: FeedBody[] = [
      { kind: 'member', member: sm },
      { kind: 'card', card: { code: card.code, memberId: id, kind: 'printed', status: 'active' } },
      ...entries.map((e) => ({ kind: 'ledger_entry' as const, entry: e })),
      ...spend.map(([, period, deltaMinor]) => ({ kind: 'spend' as const, memberId: id, period, deltaMinor, sourceTerminalId: SEED_TERMINAL })),
    ];
    rows.feed = bodies.map((b) => ({ kind: b.kind, entityId: b.kind === 'ledger_entry' ? b.entry.id : b.kind === 'card' ? card.code : id, origin: SEED_TERMINAL, payload: JSON.stringify(b) }));
  }
  return rows;
}

export interface SeedResult {
  members: number;
  rows: number;
  feedRows: number;
  seconds: number;
}

const BATCH = 5_000;

/** SQLite: prepared statements in one transaction per batch, durability off while seeding. */
function seedSqlite(file: string, n: number, storeId: string, nowMs: number, feed: boolean, entries: number): { rows: number; feedRows: number } {
  const db = new BetterSqlite3(file);
  db.pragma('synchronous = OFF');
  const ins = (table: string, cols: string[]) => db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
  const memberCols = ['id', 'phone', 'phone_last4', 'name', 'birthday', 'referrer_id', 'consent_terms_at', 'consent_marketing', 'status', 'status_reason', 'merged_into', 'diamond', 'registered_at', 'registered_terminal', 'registered_store', 'balance', 'received_at'];
  const entryCols = ['id', 'member_id', 'kind', 'points', 'reason', 'sale_id', 'refund_id', 'target_entry_id', 'expires_at', 'capped_points', 'offline', 'business_date', 'created_at', 'hlc', 'terminal_id', 'staff_id', 'approved_by', 'rule_set_version', 'idempotency_key', 'store_id', 'received_at'];
  const cardCols = ['code', 'member_id', 'kind', 'status', 'status_reason', 'hlc', 'bound_hlc', 'terminal_id', 'updated_at'];
  const insMember = ins('member', memberCols);
  const insEntry = ins('ledger_entry', entryCols);
  const insCard = ins('card', cardCols);
  const insClock = db.prepare('INSERT INTO member_field_clock (member_id, field, hlc, terminal_id) VALUES (?, ?, ?, ?)');
  const insSpend = db.prepare('INSERT INTO member_spend (member_id, period, spend_minor) VALUES (?, ?, ?)');
  const insFeed = db.prepare('INSERT INTO change_feed (server_seq, kind, entity_id, origin_terminal, store_id, payload, created_at) VALUES (?, ?, ?, ?, NULL, ?, ?)');
  let rows = 0;
  let seq = 0;
  const created = new Date(nowMs).toISOString();
  for (let from = 0; from < n; from += BATCH) {
    db.transaction(() => {
      for (let i = from; i < Math.min(n, from + BATCH); i++) {
        const r = rowsOf(i, storeId, nowMs, feed, entries);
        insMember.run(r.member);
        for (const c of r.clocks) insClock.run(...c);
        insCard.run(r.card);
        for (const e of r.entries) insEntry.run(e);
        for (const s of r.spend) insSpend.run(...s);
        for (const f of r.feed) insFeed.run(++seq, f.kind, f.entityId, f.origin, f.payload, created);
        rows += 1 + r.clocks.length + 1 + r.entries.length + r.spend.length;
      }
    })();
  }
  db.prepare('UPDATE feed_clock SET next_seq = ? WHERE id = 1').run(feed ? seq + 1 : n * 7 + 1);
  db.pragma('optimize');
  db.close();
  return { rows, feedRows: seq };
}

/** PostgreSQL: one multi-row INSERT ... SELECT FROM unnest(arrays) per table and batch, synchronous_commit off. */
async function seedPostgres(url: string, schema: string, n: number, storeId: string, nowMs: number, feed: boolean, entries: number): Promise<{ rows: number; feedRows: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path = ${schema}`);
    await client.query('SET synchronous_commit = off');
    const bulk = async (table: string, cols: [string, string][], data: (string | number | null)[][]) => {
      const arrays = cols.map((_, c) => data.map((row) => row[c]));
      const select = cols.map(([, type], c) => `$${c + 1}::${type}[]`).join(', ');
      await client.query(`INSERT INTO ${table} (${cols.map(([name]) => name).join(', ')}) SELECT * FROM unnest(${select})`, arrays);
    };
    const memberCols: [string, string][] = [
      ['id', 'text'], ['phone', 'text'], ['phone_last4', 'text'], ['name', 'text'], ['birthday', 'text'], ['referrer_id', 'text'], ['consent_terms_at', 'text'],
      ['consent_marketing', 'int'], ['status', 'text'], ['status_reason', 'text'], ['merged_into', 'text'], ['diamond', 'int'], ['registered_at', 'text'],
      ['registered_terminal', 'text'], ['registered_store', 'text'], ['balance', 'bigint'], ['received_at', 'text'],
    ];
    const entryCols: [string, string][] = [
      ['id', 'text'], ['member_id', 'text'], ['kind', 'text'], ['points', 'bigint'], ['reason', 'text'], ['sale_id', 'text'], ['refund_id', 'text'], ['target_entry_id', 'text'],
      ['expires_at', 'text'], ['capped_points', 'bigint'], ['offline', 'int'], ['business_date', 'text'], ['created_at', 'text'], ['hlc', 'text'], ['terminal_id', 'text'],
      ['staff_id', 'text'], ['approved_by', 'text'], ['rule_set_version', 'int'], ['idempotency_key', 'text'], ['store_id', 'text'], ['received_at', 'text'],
    ];
    const cardCols: [string, string][] = [['code', 'text'], ['member_id', 'text'], ['kind', 'text'], ['status', 'text'], ['status_reason', 'text'], ['hlc', 'text'], ['bound_hlc', 'text'], ['terminal_id', 'text'], ['updated_at', 'text']];
    let rows = 0;
    let seq = 0;
    const created = new Date(nowMs).toISOString();
    for (let from = 0; from < n; from += BATCH) {
      const batch = Array.from({ length: Math.min(n, from + BATCH) - from }, (_, k) => rowsOf(from + k, storeId, nowMs, feed, entries));
      await client.query('BEGIN');
      await bulk('member', memberCols, batch.map((r) => memberCols.map(([c]) => r.member[c] ?? null)));
      await bulk('member_field_clock', [['member_id', 'text'], ['field', 'text'], ['hlc', 'text'], ['terminal_id', 'text']], batch.flatMap((r) => r.clocks));
      await bulk('card', cardCols, batch.map((r) => cardCols.map(([c]) => r.card[c] ?? null)));
      await bulk('ledger_entry', entryCols, batch.flatMap((r) => r.entries.map((e) => entryCols.map(([c]) => e[c] ?? null))));
      await bulk('member_spend', [['member_id', 'text'], ['period', 'text'], ['spend_minor', 'bigint']], batch.flatMap((r) => r.spend));
      if (feed) {
        const feedRows = batch.flatMap((r) => r.feed.map((f) => [++seq, f.kind, f.entityId, f.origin, f.payload, created]));
        await bulk('change_feed', [['server_seq', 'bigint'], ['kind', 'text'], ['entity_id', 'text'], ['origin_terminal', 'text'], ['payload', 'text'], ['created_at', 'text']], feedRows);
      }
      await client.query('COMMIT');
      rows += batch.reduce((s, r) => s + 1 + r.clocks.length + 1 + r.entries.length + r.spend.length, 0);
    }
    await client.query('UPDATE feed_clock SET next_seq = $1 WHERE id = 1', [feed ? seq + 1 : n * 7 + 1]);
    await client.query('ANALYZE');
    return { rows, feedRows: seq };
  } finally {
    await client.end();
  }
}

export async function seedServer(
  target: { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string; schema: string },
  opts: { members: number; storeId: string; nowMs: number; feed: boolean; entries?: number },
): Promise<SeedResult> {
  const t0 = performance.now();
  const r =
    target.dialect === 'sqlite'
      ? seedSqlite(target.file, opts.members, opts.storeId, opts.nowMs, opts.feed, opts.entries ?? 3)
      : await seedPostgres(target.url, target.schema, opts.members, opts.storeId, opts.nowMs, opts.feed, opts.entries ?? 3);
  return { members: opts.members, ...r, seconds: (performance.now() - t0) / 1000 };
}
