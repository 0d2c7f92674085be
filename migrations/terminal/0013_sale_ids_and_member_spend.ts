import { sql, type Kysely } from 'kysely';

/**
 * Three more b-trees that every sale wrote:
 * - `sale.idempotency_key` UNIQUE: a sale's id is now derived from its terminal and key
 *   (`saleIdFromKey`), so a retry finds the sale by primary key. The sales made before keep their
 *   keys in a partial index of the rows whose id is a UUIDv7 (derived ids are version 8), which no
 *   new sale enters; `meta sale.keys_indexed_until` holds the newest such sale's instant, so a
 *   checkout whose key was minted later never looks there.
 * - `member_period_spend`: the two months a tier is evaluated on live in the member row, which a
 *   sale with a member updates anyway (`spend_period` is the month of `spend_current`;
 *   `spend_previous` is the month before it). Older months decided no tier and are not kept.
 * - `ledger_redeem_time`: the terminal's recent redemptions are found by entry id, a UUIDv7 minted
 *   when the entry was made (members.repo `redemptionsSince`).
 * The sale table is rebuilt with every row and rowid kept (the receipt counter follows rowids), in
 * one transaction: a crash leaves the database as it was and the migration runs again.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  await sql`PRAGMA legacy_alter_table = ON`.execute(db);
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.transaction().execute(async (trx: Kysely<any>) => {
      for (const statement of MEMBER_SPEND) await sql.raw(statement).execute(trx);
      const newest = await sql<{ at: string | null }>`SELECT max(created_at) AS at FROM sale`.execute(trx);
      for (const statement of SALE) await sql.raw(statement).execute(trx);
      const until = newest.rows[0]?.at ?? null;
      if (until !== null) {
        await sql`CREATE UNIQUE INDEX sale_key_before_0013 ON sale(idempotency_key) WHERE substr(id, 15, 1) = '7'`.execute(trx);
        await sql`INSERT OR REPLACE INTO meta (key, value) VALUES ('sale.keys_indexed_until', ${until})`.execute(trx);
      }
      await sql`DROP INDEX IF EXISTS ledger_redeem_time`.execute(trx);
      const broken = await sql`PRAGMA foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) throw new Error(`migration 0013: ${broken.rows.length} foreign key problems after the rebuild; nothing was changed`);
    });
  } finally {
    await sql`PRAGMA legacy_alter_table = OFF`.execute(db);
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

const MEMBER_SPEND = [
  `ALTER TABLE member ADD COLUMN spend_period TEXT`,
  `ALTER TABLE member ADD COLUMN spend_current INTEGER NOT NULL DEFAULT 0`,
  `ALTER TABLE member ADD COLUMN spend_previous INTEGER NOT NULL DEFAULT 0`,
  `WITH latest AS (SELECT member_id, max(period) AS period FROM member_period_spend GROUP BY member_id)
   UPDATE member SET
     spend_period = latest.period,
     spend_current = coalesce((SELECT spend_minor FROM member_period_spend s WHERE s.member_id = member.id AND s.period = latest.period), 0),
     spend_previous = coalesce((SELECT spend_minor FROM member_period_spend s
                                 WHERE s.member_id = member.id AND s.period = strftime('%Y-%m', latest.period || '-01', '-1 month')), 0)
   FROM latest WHERE latest.member_id = member.id`,
  `DROP TABLE member_period_spend`,
];

const SALE_COLUMNS = `id, idempotency_key, request_hash, receipt_no, member_id, staff_id, terminal_id, created_at, business_date, gross_minor,
  redeemed_points, redeemed_value_minor, paid_minor, earned_points, capped_points, tier, rule_set_version, offline, result`;

const SALE = [
  `ALTER TABLE sale RENAME TO sale_before_0013`,
  `CREATE TABLE sale (
       id TEXT PRIMARY KEY,
       idempotency_key TEXT NOT NULL,
       request_hash TEXT NOT NULL,
       receipt_no TEXT NOT NULL,
       member_id TEXT REFERENCES member(id),
       staff_id TEXT NOT NULL REFERENCES staff(id),
       terminal_id TEXT NOT NULL,
       created_at TEXT NOT NULL,
       business_date TEXT NOT NULL,
       gross_minor INTEGER NOT NULL CHECK (gross_minor >= 0),
       redeemed_points INTEGER NOT NULL CHECK (redeemed_points >= 0),
       redeemed_value_minor INTEGER NOT NULL CHECK (redeemed_value_minor >= 0),
       paid_minor INTEGER NOT NULL CHECK (paid_minor >= 0),
       earned_points INTEGER NOT NULL CHECK (earned_points >= 0),
       capped_points INTEGER NOT NULL CHECK (capped_points >= 0),
       tier TEXT,
       rule_set_version INTEGER NOT NULL,
       offline INTEGER NOT NULL CHECK (offline IN (0,1)),
       result TEXT NOT NULL
     ) STRICT`,
  // Filled by the copy, not built afterwards: a built index is packed full, and the first new entry
  // under each of its pages would split it and its parents.
  `DROP INDEX sale_member`,
  `CREATE INDEX sale_member ON sale(member_id, created_at)`,
  `DROP INDEX sale_business_date`,
  `CREATE UNIQUE INDEX sale_business_date ON sale(business_date, receipt_no)`,
  `INSERT INTO sale (rowid, ${SALE_COLUMNS}) SELECT rowid, ${SALE_COLUMNS} FROM sale_before_0013 ORDER BY rowid`,
  `DROP TABLE sale_before_0013`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE member_period_spend (member_id TEXT NOT NULL REFERENCES member(id), period TEXT NOT NULL, spend_minor INTEGER NOT NULL,
      PRIMARY KEY (member_id, period)) STRICT, WITHOUT ROWID`.execute(db);
  await sql`CREATE INDEX ledger_redeem_time ON ledger_entry(created_at) WHERE kind = 'redeem'`.execute(db);
}
