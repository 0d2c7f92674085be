import { sql, type Kysely } from 'kysely';

/**
 * The terminal's first schema. Frozen once released: later changes are new migrations.
 * Money columns are integer minor units, points integers, instants ISO-8601 UTC text,
 * business dates `YYYY-MM-DD` in the store's time zone.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT`,

    `CREATE TABLE rule_set (
       version INTEGER PRIMARY KEY,
       effective_from TEXT NOT NULL,
       body TEXT NOT NULL,
       received_at TEXT NOT NULL
     ) STRICT`,

    `CREATE TABLE staff (
       id TEXT PRIMARY KEY,
       name TEXT NOT NULL,
       role TEXT NOT NULL CHECK (role IN ('cashier','manager')),
       pin_hash TEXT NOT NULL,
       active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
       failed_attempts INTEGER NOT NULL DEFAULT 0,
       locked_until TEXT,
       created_at TEXT NOT NULL
     ) STRICT`,

    /* seq is the stable integer rowid the name index points at (VACUUM keeps it). */
    `CREATE TABLE member (
       seq INTEGER PRIMARY KEY,
       id TEXT NOT NULL UNIQUE,
       phone TEXT UNIQUE,
       phone_last4 TEXT,
       name TEXT,
       birthday TEXT,
       referrer_id TEXT REFERENCES member(id),
       consent_terms_at TEXT,
       consent_marketing INTEGER NOT NULL DEFAULT 0 CHECK (consent_marketing IN (0,1)),
       status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','blocked','merged','erased')),
       status_reason TEXT,
       merged_into TEXT REFERENCES member(id),
       diamond INTEGER NOT NULL DEFAULT 0 CHECK (diamond IN (0,1)),
       registered_at TEXT NOT NULL,
       registered_terminal TEXT NOT NULL,
       first_purchase_at TEXT,
       last_purchase_date TEXT,
       balance INTEGER NOT NULL DEFAULT 0
     ) STRICT`,
    `CREATE INDEX member_phone_last4 ON member(phone_last4)`,

    /* Name search: each CJK character and each Latin word is one token, so a two-character
       Chinese name is found through the index (see docs/decisions/0002-name-search.md). */
    `CREATE VIRTUAL TABLE member_name_fts USING fts5(tokens, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`,

    /* Per-field last-writer-wins clocks for member profile edits (synced by HLC). */
    `CREATE TABLE member_field_clock (
       member_id TEXT NOT NULL REFERENCES member(id),
       field TEXT NOT NULL,
       hlc TEXT NOT NULL,
       terminal_id TEXT NOT NULL,
       PRIMARY KEY (member_id, field)
     ) STRICT, WITHOUT ROWID`,

    `CREATE TABLE card (
       code TEXT PRIMARY KEY,
       member_id TEXT NOT NULL REFERENCES member(id),
       kind TEXT NOT NULL CHECK (kind IN ('printed','nfc')),
       status TEXT NOT NULL CHECK (status IN ('active','inactive')),
       status_reason TEXT,
       added_at TEXT NOT NULL,
       hlc TEXT NOT NULL
     ) STRICT, WITHOUT ROWID`,
    `CREATE INDEX card_member ON card(member_id)`,

    `CREATE TABLE sale (
       id TEXT PRIMARY KEY,
       idempotency_key TEXT NOT NULL UNIQUE,
       request_hash TEXT NOT NULL,
       receipt_no TEXT NOT NULL UNIQUE,
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
    `CREATE INDEX sale_member ON sale(member_id, created_at)`,
    `CREATE INDEX sale_business_date ON sale(business_date)`,

    `CREATE TABLE sale_line (
       sale_id TEXT NOT NULL REFERENCES sale(id),
       line_no INTEGER NOT NULL,
       sku TEXT,
       description TEXT,
       category TEXT NOT NULL,
       quantity INTEGER NOT NULL CHECK (quantity > 0),
       unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
       discount_minor INTEGER NOT NULL CHECK (discount_minor >= 0),
       gross_minor INTEGER NOT NULL,
       redeemed_points INTEGER NOT NULL,
       redeemed_value_minor INTEGER NOT NULL,
       paid_minor INTEGER NOT NULL,
       earned_points INTEGER NOT NULL,
       campaign_id TEXT,
       PRIMARY KEY (sale_id, line_no)
     ) STRICT, WITHOUT ROWID`,

    `CREATE TABLE refund (
       id TEXT PRIMARY KEY,
       idempotency_key TEXT NOT NULL UNIQUE,
       request_hash TEXT NOT NULL,
       sale_id TEXT NOT NULL REFERENCES sale(id),
       staff_id TEXT NOT NULL REFERENCES staff(id),
       terminal_id TEXT NOT NULL,
       created_at TEXT NOT NULL,
       business_date TEXT NOT NULL,
       refund_minor INTEGER NOT NULL,
       reverse_earned_points INTEGER NOT NULL,
       return_redeemed_points INTEGER NOT NULL,
       result TEXT NOT NULL
     ) STRICT`,
    `CREATE INDEX refund_sale ON refund(sale_id)`,
    `CREATE TABLE refund_line (
       refund_id TEXT NOT NULL REFERENCES refund(id),
       line_no INTEGER NOT NULL,
       quantity INTEGER NOT NULL CHECK (quantity > 0),
       refund_minor INTEGER NOT NULL,
       reverse_earned_points INTEGER NOT NULL,
       return_redeemed_points INTEGER NOT NULL,
       PRIMARY KEY (refund_id, line_no)
     ) STRICT, WITHOUT ROWID`,

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
       idempotency_key TEXT NOT NULL UNIQUE,
       CHECK ((points > 0 AND expires_at IS NOT NULL) OR (points <= 0 AND expires_at IS NULL))
     ) STRICT`,
    `CREATE INDEX ledger_member ON ledger_entry(member_id, created_at)`,
    `CREATE INDEX ledger_kind_time ON ledger_entry(kind, created_at)`,
    `CREATE INDEX ledger_sale ON ledger_entry(sale_id) WHERE sale_id IS NOT NULL`,
    `CREATE INDEX ledger_business_date ON ledger_entry(business_date, kind)`,
    /* The ledger is append-only; the cached balance moves with every entry in the same statement. */
    `CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
       BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END`,
    `CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
       BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END`,
    `CREATE TRIGGER ledger_entry_balance AFTER INSERT ON ledger_entry
       BEGIN UPDATE member SET balance = balance + NEW.points WHERE id = NEW.member_id; END`,

    /* Per member and business day: purchase points for the daily cap, offline redemptions for the offline limit. */
    `CREATE TABLE member_day (
       member_id TEXT NOT NULL REFERENCES member(id),
       business_date TEXT NOT NULL,
       purchase_points INTEGER NOT NULL DEFAULT 0,
       capped_points INTEGER NOT NULL DEFAULT 0,
       offline_redeemed_points INTEGER NOT NULL DEFAULT 0,
       PRIMARY KEY (member_id, business_date)
     ) STRICT, WITHOUT ROWID`,
    /* Qualifying spend per member and tier period (calendar month). */
    `CREATE TABLE member_period_spend (
       member_id TEXT NOT NULL REFERENCES member(id),
       period TEXT NOT NULL,
       spend_minor INTEGER NOT NULL DEFAULT 0,
       PRIMARY KEY (member_id, period)
     ) STRICT, WITHOUT ROWID`,

    `CREATE TABLE outbox (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       op_id TEXT NOT NULL UNIQUE,
       kind TEXT NOT NULL,
       entity_id TEXT NOT NULL,
       payload TEXT NOT NULL,
       hlc TEXT NOT NULL,
       created_at TEXT NOT NULL,
       status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','held')),
       attempts INTEGER NOT NULL DEFAULT 0,
       last_error TEXT
     ) STRICT`,

    `CREATE TABLE audit_log (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       id TEXT NOT NULL UNIQUE,
       at TEXT NOT NULL,
       terminal_id TEXT NOT NULL,
       staff_id TEXT,
       approved_by TEXT,
       action TEXT NOT NULL,
       subject_type TEXT,
       subject_id TEXT,
       details TEXT NOT NULL,
       prev_hash TEXT NOT NULL,
       hash TEXT NOT NULL
     ) STRICT`,
    `CREATE INDEX audit_action ON audit_log(action, at)`,
    `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
    `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'audit_log', 'outbox', 'member_period_spend', 'member_day', 'ledger_entry', 'refund_line', 'refund',
    'sale_line', 'sale', 'card', 'member_field_clock', 'member_name_fts', 'member', 'staff', 'rule_set', 'meta',
  ]) {
    await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
  }
}
