import { sql, type Kysely } from 'kysely';

/**
 * Taking the money:
 * - a sale records its tenders (`tenders`: the settled lines as JSON, each with its code, kind,
 *   amount applied to the sale, cash tendered and change, reference), the cash rounding and the
 *   drawer session its cash went into; a refund records the tenders it paid back, its approver
 *   and reason, and the drawer session its cash came out of. A sale's tenders are part of the
 *   sale's record, written once with it, read with it, summed by `day_summary`.
 * - `drawer_event`: the immutable events of cash drawer sessions on this till (open with a
 *   counted float, pay-ins, pay-outs, pick-ups, no-sale openings, the blind close). Cash sales and
 *   refunds are not drawer events: their cash is summed per session in `day_summary`.
 * - `z_report`: the till's closed business days, numbered without gaps, chained by hash.
 * - `day_summary`: counters per business date × dimension (total, tender, staff, category,
 *   points, drawer) × key, kept by triggers in the transaction of every sale, sale line, refund,
 *   refund line and ledger entry, so X, Z and the manager's reports read a few rows per day
 *   instead of the day's sales. All rows of a date sit together (WITHOUT ROWID, date first):
 *   a sale rewrites one or two pages. Filled here from the existing rows.
 * - the ledger's business-date index goes: the reports read the points of a date range from the
 *   summary, so no entry needs to be found by its date (one b-tree fewer per entry).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const statement of STATEMENTS) await sql.raw(statement).execute(trx);
  });
}

/** The rows a sale adds to its date's summary (also used to fill the summary from existing sales). */
const SALE_ROWS = (s: string) => `
  SELECT ${s}.business_date, 'total', 'sales', 1, ${s}.paid_minor, 0, 0, 0
  UNION ALL SELECT ${s}.business_date, 'total', 'gross', 1, ${s}.gross_minor, 0, 0, 0
  UNION ALL SELECT ${s}.business_date, 'total', 'redeemed', ${s}.redeemed_points > 0, ${s}.redeemed_value_minor, 0, 0, ${s}.redeemed_points
  UNION ALL SELECT ${s}.business_date, 'total', 'rounding', ${s}.rounding_minor != 0, ${s}.rounding_minor, 0, 0, 0
  UNION ALL SELECT ${s}.business_date, 'total', 'member', 1, ${s}.paid_minor, 0, 0, 0 WHERE ${s}.member_id IS NOT NULL
  UNION ALL SELECT ${s}.business_date, 'staff', ${s}.staff_id, 1, ${s}.paid_minor, 0, 0, 0
  UNION ALL SELECT ${s}.business_date, 'tender', json_extract(t.value, '$.code'), 1, json_extract(t.value, '$.amountMinor'), 0, 0, 0
    FROM json_each(${s}.tenders) t
  UNION ALL SELECT ${s}.business_date, 'drawer', ${s}.drawer_session_id, 1, sum(json_extract(t.value, '$.amountMinor')), 0, 0, 0
    FROM json_each(${s}.tenders) t WHERE ${s}.drawer_session_id IS NOT NULL AND json_extract(t.value, '$.kind') = 'cash' HAVING count(*) > 0`;

const REFUND_ROWS = (r: string) => `
  SELECT ${r}.business_date, 'total', 'refunds', 0, 0, 1, ${r}.refund_minor, 0
  UNION ALL SELECT ${r}.business_date, 'staff', ${r}.staff_id, 0, 0, 1, ${r}.refund_minor, 0
  UNION ALL SELECT ${r}.business_date, 'tender', json_extract(t.value, '$.code'), 0, 0, 1, json_extract(t.value, '$.amountMinor'), 0
    FROM json_each(${r}.tenders) t
  UNION ALL SELECT ${r}.business_date, 'drawer', ${r}.drawer_session_id, 0, 0, 1, sum(json_extract(t.value, '$.amountMinor')), 0
    FROM json_each(${r}.tenders) t WHERE ${r}.drawer_session_id IS NOT NULL AND json_extract(t.value, '$.kind') = 'cash' HAVING count(*) > 0`;

/**
 * The class of a ledger entry in the summary's 'points' rows: its kind, with credits and debits
 * of adjustments and reversals apart, and bill and reward redemptions apart (the reports show
 * them apart). Points are signed as in the ledger; 'capped' sums the points the daily cap held back.
 */
const LEDGER_CLASS = (e: string) => `CASE ${e}.kind WHEN 'adjust' THEN CASE WHEN ${e}.points > 0 THEN 'adjust_in' ELSE 'adjust_out' END
    WHEN 'reverse' THEN CASE WHEN ${e}.points > 0 THEN 'reverse_in' ELSE 'reverse_out' END
    WHEN 'redeem' THEN CASE WHEN ${e}.sale_id IS NOT NULL THEN 'redeem_bill' ELSE 'redeem_reward' END
    ELSE ${e}.kind END`;

const UPSERT = `ON CONFLICT (business_date, dim, key) DO UPDATE SET
    sale_count = sale_count + excluded.sale_count, sale_minor = sale_minor + excluded.sale_minor,
    refund_count = refund_count + excluded.refund_count, refund_minor = refund_minor + excluded.refund_minor,
    points = points + excluded.points`;

const INTO = 'INSERT INTO day_summary (business_date, dim, key, sale_count, sale_minor, refund_count, refund_minor, points)';

const STATEMENTS = [
  `ALTER TABLE sale ADD COLUMN tenders TEXT NOT NULL DEFAULT '[]'`,
  `ALTER TABLE sale ADD COLUMN rounding_minor INTEGER NOT NULL DEFAULT 0`,
  `ALTER TABLE sale ADD COLUMN drawer_session_id TEXT`,
  `ALTER TABLE refund ADD COLUMN tenders TEXT NOT NULL DEFAULT '[]'`,
  `ALTER TABLE refund ADD COLUMN approved_by TEXT`,
  `ALTER TABLE refund ADD COLUMN reason TEXT`,
  `ALTER TABLE refund ADD COLUMN drawer_session_id TEXT`,
  `CREATE TABLE drawer_event (
       id TEXT PRIMARY KEY,
       session_id TEXT NOT NULL,
       kind TEXT NOT NULL CHECK (kind IN ('open', 'pay_in', 'pay_out', 'pickup', 'no_sale', 'close')),
       amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
       counts TEXT,
       expected_minor INTEGER,
       reason TEXT,
       staff_id TEXT NOT NULL REFERENCES staff(id),
       approved_by TEXT REFERENCES staff(id),
       at TEXT NOT NULL,
       business_date TEXT NOT NULL,
       terminal_id TEXT NOT NULL,
       CHECK ((kind = 'open' AND id = session_id) OR (kind != 'open' AND id != session_id)),
       CHECK ((kind = 'close') = (expected_minor IS NOT NULL))
     ) STRICT`,
  `CREATE INDEX drawer_event_session ON drawer_event(session_id)`,
  `CREATE TRIGGER drawer_event_no_update BEFORE UPDATE ON drawer_event BEGIN SELECT RAISE(ABORT, 'drawer events are immutable'); END`,
  `CREATE TRIGGER drawer_event_no_delete BEFORE DELETE ON drawer_event BEGIN SELECT RAISE(ABORT, 'drawer events are immutable'); END`,
  `CREATE TABLE z_report (
       z_no INTEGER PRIMARY KEY CHECK (z_no > 0),
       id TEXT NOT NULL UNIQUE,
       business_date TEXT NOT NULL UNIQUE,
       closed_at TEXT NOT NULL,
       staff_id TEXT NOT NULL REFERENCES staff(id),
       report TEXT NOT NULL,
       grand_total_minor INTEGER NOT NULL,
       prev_hash TEXT NOT NULL,
       hash TEXT NOT NULL
     ) STRICT`,
  `CREATE TRIGGER z_report_no_update BEFORE UPDATE ON z_report BEGIN SELECT RAISE(ABORT, 'a Z report is immutable'); END`,
  `CREATE TRIGGER z_report_no_delete BEFORE DELETE ON z_report BEGIN SELECT RAISE(ABORT, 'a Z report is immutable'); END`,
  `CREATE TABLE day_summary (
       business_date TEXT NOT NULL,
       dim TEXT NOT NULL CHECK (dim IN ('total', 'tender', 'staff', 'category', 'points', 'drawer')),
       key TEXT NOT NULL,
       sale_count INTEGER NOT NULL DEFAULT 0,
       sale_minor INTEGER NOT NULL DEFAULT 0,
       refund_count INTEGER NOT NULL DEFAULT 0,
       refund_minor INTEGER NOT NULL DEFAULT 0,
       points INTEGER NOT NULL DEFAULT 0,
       PRIMARY KEY (business_date, dim, key)
     ) STRICT, WITHOUT ROWID`,
  `CREATE TRIGGER day_summary_sale AFTER INSERT ON sale BEGIN
     ${INTO} SELECT * FROM (${SALE_ROWS('NEW')}) WHERE true ${UPSERT};
   END`,
  `CREATE TRIGGER day_summary_sale_line AFTER INSERT ON sale_line BEGIN
     ${INTO} SELECT s.business_date, 'category', NEW.category, NEW.quantity, NEW.paid_minor, 0, 0, 0 FROM sale s WHERE s.id = NEW.sale_id
     UNION ALL SELECT s.business_date, 'total', 'discount', NEW.discount_minor > 0, NEW.discount_minor, 0, 0, 0 FROM sale s WHERE s.id = NEW.sale_id
     ${UPSERT};
   END`,
  `CREATE TRIGGER day_summary_refund AFTER INSERT ON refund BEGIN
     ${INTO} SELECT * FROM (${REFUND_ROWS('NEW')}) WHERE true ${UPSERT};
   END`,
  `CREATE TRIGGER day_summary_refund_line AFTER INSERT ON refund_line BEGIN
     ${INTO} SELECT r.business_date, 'category', l.category, 0, 0, NEW.quantity, NEW.refund_minor, 0
       FROM refund r JOIN sale_line l ON l.sale_id = r.sale_id AND l.line_no = NEW.line_no WHERE r.id = NEW.refund_id
     ${UPSERT};
   END`,
  `CREATE TRIGGER day_summary_ledger AFTER INSERT ON ledger_entry BEGIN
     ${INTO} SELECT NEW.business_date, 'points', ${LEDGER_CLASS('NEW')}, 1, 0, 0, 0, NEW.points
       UNION ALL SELECT NEW.business_date, 'points', 'capped', 1, 0, 0, 0, NEW.capped_points WHERE NEW.capped_points > 0
     ${UPSERT};
   END`,
  `DROP INDEX IF EXISTS ledger_business_date`,
  // The existing days, summed once from the rows (the same sums the triggers keep).
  `${INTO} SELECT business_date, dim, key, sum(sale_count), sum(sale_minor), sum(refund_count), sum(refund_minor), sum(points) FROM (
      SELECT business_date, 'total' AS dim, 'sales' AS key, count(*) AS sale_count, sum(paid_minor) AS sale_minor, 0 AS refund_count, 0 AS refund_minor, 0 AS points FROM sale GROUP BY business_date
      UNION ALL SELECT business_date, 'total', 'gross', count(*), sum(gross_minor), 0, 0, 0 FROM sale GROUP BY business_date
      UNION ALL SELECT business_date, 'total', 'redeemed', sum(redeemed_points > 0), sum(redeemed_value_minor), 0, 0, sum(redeemed_points) FROM sale GROUP BY business_date
      UNION ALL SELECT business_date, 'total', 'rounding', 0, 0, 0, 0, 0 FROM sale GROUP BY business_date
      UNION ALL SELECT business_date, 'total', 'member', count(*), sum(paid_minor), 0, 0, 0 FROM sale WHERE member_id IS NOT NULL GROUP BY business_date
      UNION ALL SELECT business_date, 'staff', staff_id, count(*), sum(paid_minor), 0, 0, 0 FROM sale GROUP BY business_date, staff_id
      UNION ALL SELECT s.business_date, 'category', l.category, sum(l.quantity), sum(l.paid_minor), 0, 0, 0 FROM sale_line l JOIN sale s ON s.id = l.sale_id GROUP BY s.business_date, l.category
      UNION ALL SELECT s.business_date, 'total', 'discount', sum(l.discount_minor > 0), sum(l.discount_minor), 0, 0, 0 FROM sale_line l JOIN sale s ON s.id = l.sale_id GROUP BY s.business_date
      UNION ALL SELECT business_date, 'total', 'refunds', 0, 0, count(*), sum(refund_minor), 0 FROM refund GROUP BY business_date
      UNION ALL SELECT business_date, 'staff', staff_id, 0, 0, count(*), sum(refund_minor), 0 FROM refund GROUP BY business_date, staff_id
      UNION ALL SELECT r.business_date, 'category', l.category, 0, 0, sum(rl.quantity), sum(rl.refund_minor), 0
        FROM refund_line rl JOIN refund r ON r.id = rl.refund_id JOIN sale_line l ON l.sale_id = r.sale_id AND l.line_no = rl.line_no GROUP BY r.business_date, l.category
      UNION ALL SELECT business_date, 'points', ${LEDGER_CLASS('ledger_entry')}, count(*), 0, 0, 0, sum(points) FROM ledger_entry GROUP BY 1, 3
      UNION ALL SELECT business_date, 'points', 'capped', count(*), 0, 0, 0, sum(capped_points) FROM ledger_entry WHERE capped_points > 0 GROUP BY business_date
   ) GROUP BY business_date, dim, key`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS ledger_business_date ON ledger_entry(business_date)`.execute(db);
  for (const t of ['day_summary_sale', 'day_summary_sale_line', 'day_summary_refund', 'day_summary_refund_line', 'day_summary_ledger']) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
  }
  await sql`DROP TABLE IF EXISTS day_summary`.execute(db);
}
