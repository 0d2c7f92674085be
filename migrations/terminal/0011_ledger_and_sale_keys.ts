import { sql, type Kysely } from 'kysely';

/**
 * Three indexes that every sale wrote and nothing needs:
 * - `ledger_entry.idempotency_key`: a sale's entries are replayed through `sale.idempotency_key`, a
 *   refund's through `refund.idempotency_key`; once-only bonuses and expiries have ids derived from
 *   their key (the primary key enforces once-only). Adjustments and reward redemptions, the entries
 *   looked up by key, remember it in `idempotency` (scope `ledger_entry`), moved over here.
 * - `ledger_sale` (entries by sale): the one reader, a refund looking for the sale's earn entry,
 *   finds it among the member's entries (`ledger_member`);
 * - `sale.receipt_no`: unique per business date instead, in the date index that reports read anyway
 *   (a receipt number starts with its business date), so a sale appends to one index, not two.
 * Both tables are rebuilt with every row and rowid kept, and the foreign keys checked before the
 * commit. In one transaction: a
 * crash leaves the database as it was, and this migration runs again at the next start. It copies
 * the ledger and the sales once: at a million members, minutes, and free disk for a copy of both.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  // SQLite's procedure for changing a table's definition: with foreign keys off and the legacy
  // rename, the tables that reference ledger_entry and sale keep naming them, and so name the new
  // tables once the old ones are gone (https://www.sqlite.org/lang_altertable.html#otheralter).
  // Both pragmas only take effect outside a transaction.
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  await sql`PRAGMA legacy_alter_table = ON`.execute(db);
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.transaction().execute(async (trx: Kysely<any>) => {
      for (const statement of LEDGER) await sql.raw(statement).execute(trx);
      for (const statement of SALE) await sql.raw(statement).execute(trx);
      const broken = await sql`PRAGMA foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) throw new Error(`migration 0011: ${broken.rows.length} foreign key problems after the rebuild; nothing was changed`);
    });
  } finally {
    await sql`PRAGMA legacy_alter_table = OFF`.execute(db);
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

const LEDGER_COLUMNS = `id, member_id, kind, points, reason, sale_id, refund_id, target_entry_id, expires_at, capped_points, offline,
  business_date, created_at, hlc, terminal_id, staff_id, approved_by, rule_set_version, idempotency_key`;

const LEDGER = [
  `ALTER TABLE ledger_entry RENAME TO ledger_entry_before_0011`,
  `CREATE TABLE ledger_entry (
       id TEXT PRIMARY KEY,
       member_id TEXT NOT NULL REFERENCES member(id),
       kind TEXT NOT NULL CHECK (kind IN ('earn','bonus','redeem','expire','reverse','adjust')),
       points INTEGER NOT NULL,
       reason TEXT,
       sale_id TEXT REFERENCES sale(id),
       refund_id TEXT REFERENCES refund(id),
       target_entry_id TEXT REFERENCES ledger_entry(id),
       expires_at TEXT,
       capped_points INTEGER NOT NULL DEFAULT 0,
       offline INTEGER NOT NULL DEFAULT 0 CHECK (offline IN (0,1)),
       business_date TEXT NOT NULL,
       created_at TEXT NOT NULL,
       hlc TEXT NOT NULL,
       terminal_id TEXT NOT NULL,
       staff_id TEXT,
       approved_by TEXT,
       rule_set_version INTEGER NOT NULL,
       idempotency_key TEXT NOT NULL,
       CHECK ((points > 0 AND expires_at IS NOT NULL) OR (points <= 0 AND expires_at IS NULL))
     ) STRICT`,
  // Filled by the copy, not built afterwards: a built index is packed full at every level, and the
  // first new entry under each of its pages would split it and its parents (several pages a sale).
  `DROP INDEX ledger_member`,
  `CREATE INDEX ledger_member ON ledger_entry(member_id, created_at, kind, points, expires_at, target_entry_id, id)`,
  // The balance trigger does not exist yet: copying changes no balance.
  `INSERT INTO ledger_entry (rowid, ${LEDGER_COLUMNS}) SELECT rowid, ${LEDGER_COLUMNS} FROM ledger_entry_before_0011 ORDER BY rowid`,
  `INSERT OR IGNORE INTO idempotency (scope, key, request_hash, result)
     SELECT 'ledger_entry', idempotency_key, NULL, id FROM ledger_entry WHERE kind = 'adjust' OR (kind = 'redeem' AND sale_id IS NULL)`,
  `DROP TABLE ledger_entry_before_0011`,
  `CREATE INDEX ledger_expiry ON ledger_entry(expires_at) WHERE expires_at IS NOT NULL`,
  `CREATE INDEX ledger_redeem_time ON ledger_entry(created_at) WHERE kind = 'redeem'`,
  `CREATE INDEX ledger_business_date ON ledger_entry(business_date)`,
  `CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
       BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END`,
  `CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
       BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END`,
  `CREATE TRIGGER ledger_entry_balance AFTER INSERT ON ledger_entry
       BEGIN UPDATE member SET balance = balance + NEW.points WHERE id = NEW.member_id; END`,
];

const SALE_COLUMNS = `id, idempotency_key, request_hash, receipt_no, member_id, staff_id, terminal_id, created_at, business_date, gross_minor,
  redeemed_points, redeemed_value_minor, paid_minor, earned_points, capped_points, tier, rule_set_version, offline, result`;

const SALE = [
  `ALTER TABLE sale RENAME TO sale_before_0011`,
  `CREATE TABLE sale (
       id TEXT PRIMARY KEY,
       idempotency_key TEXT NOT NULL UNIQUE,
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
  `DROP INDEX sale_member`,
  `CREATE INDEX sale_member ON sale(member_id, created_at)`,
  `INSERT INTO sale (rowid, ${SALE_COLUMNS}) SELECT rowid, ${SALE_COLUMNS} FROM sale_before_0011 ORDER BY rowid`,
  `DROP TABLE sale_before_0011`,
  `CREATE UNIQUE INDEX sale_business_date ON sale(business_date, receipt_no)`,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE UNIQUE INDEX ledger_idempotency_key ON ledger_entry(idempotency_key)`.execute(db);
  await sql`CREATE UNIQUE INDEX sale_receipt_no ON sale(receipt_no)`.execute(db);
}
