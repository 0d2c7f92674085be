import type BetterSqlite3 from 'better-sqlite3';
import type { TerminalDatabase } from '../db/schema';

/** The triggers that keep day_summary in every sale's, refund's and ledger entry's transaction (migration 0014). */
export const DAY_SUMMARY_TRIGGERS = ['day_summary_sale', 'day_summary_sale_line', 'day_summary_refund', 'day_summary_refund_line', 'day_summary_ledger'] as const;

/** A summary row as stored (the rows computed from the sales have the same columns). */
export type DaySummaryRow = TerminalDatabase['day_summary'];

/**
 * The day summary computed from the rows themselves (sales, their lines and tenders, refunds,
 * their lines and tenders, ledger entries) for business dates from..to: what the triggers keep,
 * summed the slow way.
 */
const FROM_ROWS = `
  SELECT business_date, dim, key, sum(sale_count) AS sale_count, sum(sale_minor) AS sale_minor,
         sum(refund_count) AS refund_count, sum(refund_minor) AS refund_minor, sum(points) AS points FROM (
    SELECT business_date, 'total' AS dim, 'sales' AS key, 1 AS sale_count, paid_minor AS sale_minor, 0 AS refund_count, 0 AS refund_minor, 0 AS points FROM sale WHERE business_date BETWEEN @from AND @to
    UNION ALL SELECT business_date, 'total', 'gross', 1, gross_minor, 0, 0, 0 FROM sale WHERE business_date BETWEEN @from AND @to
    UNION ALL SELECT business_date, 'total', 'redeemed', redeemed_points > 0, redeemed_value_minor, 0, 0, redeemed_points FROM sale WHERE business_date BETWEEN @from AND @to
    UNION ALL SELECT business_date, 'total', 'rounding', rounding_minor != 0, rounding_minor, 0, 0, 0 FROM sale WHERE business_date BETWEEN @from AND @to
    UNION ALL SELECT business_date, 'total', 'member', 1, paid_minor, 0, 0, 0 FROM sale WHERE member_id IS NOT NULL AND business_date BETWEEN @from AND @to
    UNION ALL SELECT business_date, 'staff', staff_id, 1, paid_minor, 0, 0, 0 FROM sale WHERE business_date BETWEEN @from AND @to
    UNION ALL SELECT s.business_date, 'tender', json_extract(t.value, '$.code'), 1, json_extract(t.value, '$.amountMinor'), 0, 0, 0
      FROM sale s, json_each(s.tenders) t WHERE s.business_date BETWEEN @from AND @to
    UNION ALL SELECT s.business_date, 'drawer', s.drawer_session_id, 1, sum(json_extract(t.value, '$.amountMinor')), 0, 0, 0
      FROM sale s, json_each(s.tenders) t
      WHERE s.drawer_session_id IS NOT NULL AND json_extract(t.value, '$.kind') = 'cash' AND s.business_date BETWEEN @from AND @to GROUP BY s.id
    UNION ALL SELECT s.business_date, 'category', l.category, l.quantity, l.paid_minor, 0, 0, 0 FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE s.business_date BETWEEN @from AND @to
    UNION ALL SELECT s.business_date, 'total', 'discount', l.discount_minor > 0, l.discount_minor, 0, 0, 0 FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE s.business_date BETWEEN @from AND @to
    UNION ALL SELECT business_date, 'total', 'refunds', 0, 0, 1, refund_minor, 0 FROM refund WHERE business_date BETWEEN @from AND @to
    UNION ALL SELECT business_date, 'staff', staff_id, 0, 0, 1, refund_minor, 0 FROM refund WHERE business_date BETWEEN @from AND @to
    UNION ALL SELECT r.business_date, 'tender', json_extract(t.value, '$.code'), 0, 0, 1, json_extract(t.value, '$.amountMinor'), 0
      FROM refund r, json_each(r.tenders) t WHERE r.business_date BETWEEN @from AND @to
    UNION ALL SELECT r.business_date, 'drawer', r.drawer_session_id, 0, 0, 1, sum(json_extract(t.value, '$.amountMinor')), 0
      FROM refund r, json_each(r.tenders) t
      WHERE r.drawer_session_id IS NOT NULL AND json_extract(t.value, '$.kind') = 'cash' AND r.business_date BETWEEN @from AND @to GROUP BY r.id
    UNION ALL SELECT r.business_date, 'category', l.category, 0, 0, rl.quantity, rl.refund_minor, 0
      FROM refund_line rl JOIN refund r ON r.id = rl.refund_id JOIN sale_line l ON l.sale_id = r.sale_id AND l.line_no = rl.line_no
      WHERE r.business_date BETWEEN @from AND @to
    UNION ALL SELECT business_date, 'points', CASE kind WHEN 'adjust' THEN CASE WHEN points > 0 THEN 'adjust_in' ELSE 'adjust_out' END
        WHEN 'reverse' THEN CASE WHEN points > 0 THEN 'reverse_in' ELSE 'reverse_out' END
        WHEN 'redeem' THEN CASE WHEN sale_id IS NOT NULL THEN 'redeem_bill' ELSE 'redeem_reward' END ELSE kind END,
      1, 0, 0, 0, points FROM ledger_entry WHERE business_date BETWEEN @from AND @to
    UNION ALL SELECT business_date, 'points', 'capped', 1, 0, 0, 0, capped_points FROM ledger_entry WHERE capped_points > 0 AND business_date BETWEEN @from AND @to
  ) GROUP BY business_date, dim, key
  ORDER BY business_date, dim, key`;

/** Every date from the beginning to the end of time, for a whole-database check or rebuild. */
const ALL = { from: '0000-01-01', to: '9999-12-31' };

export function daySummaryFromRows(raw: BetterSqlite3.Database, from = ALL.from, to = ALL.to): DaySummaryRow[] {
  return raw.prepare(FROM_ROWS).all({ from, to }) as DaySummaryRow[];
}

/** The stored summary for dates from..to, in the order daySummaryFromRows gives. */
export function storedDaySummary(raw: BetterSqlite3.Database, from = ALL.from, to = ALL.to): DaySummaryRow[] {
  return raw
    .prepare(`SELECT business_date, dim, key, sale_count, sale_minor, refund_count, refund_minor, points FROM day_summary WHERE business_date BETWEEN ? AND ? ORDER BY business_date, dim, key`)
    .all(from, to) as DaySummaryRow[];
}

/** Where the stored summary and the rows disagree (empty when they agree). */
export function checkDaySummary(raw: BetterSqlite3.Database, from = ALL.from, to = ALL.to): { expected: DaySummaryRow | null; stored: DaySummaryRow | null }[] {
  const keyOf = (r: DaySummaryRow) => `${r.business_date}\u0000${r.dim}\u0000${r.key}`;
  const expected = new Map(daySummaryFromRows(raw, from, to).map((r) => [keyOf(r), r]));
  const stored = new Map(storedDaySummary(raw, from, to).map((r) => [keyOf(r), r]));
  const out: { expected: DaySummaryRow | null; stored: DaySummaryRow | null }[] = [];
  for (const k of new Set([...expected.keys(), ...stored.keys()])) {
    const e = expected.get(k) ?? null;
    const s = stored.get(k) ?? null;
    if (JSON.stringify(e) !== JSON.stringify(s)) out.push({ expected: e, stored: s });
  }
  return out;
}

/** Rebuilds the whole summary from the rows (after a bulk load that ran without the triggers). Run inside a transaction. */
export function rebuildDaySummary(raw: BetterSqlite3.Database): void {
  raw.prepare('DELETE FROM day_summary').run();
  raw
    .prepare(`INSERT INTO day_summary (business_date, dim, key, sale_count, sale_minor, refund_count, refund_minor, points)
              SELECT business_date, dim, key, sale_count, sale_minor, refund_count, refund_minor, points FROM (${FROM_ROWS})`)
    .run(ALL);
}
