import { sql, type Kysely } from 'kysely';

/**
 * Sync with the central server: ledger entries made by other terminals (and by the server:
 * merges, central expiry) are kept apart from this terminal's own entries. They reference sales
 * this terminal never saw, so they carry no foreign keys, and they never go to the outbox.
 * The member's cached balance covers both tables.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    `CREATE TABLE remote_entry (
       id TEXT PRIMARY KEY,
       member_id TEXT NOT NULL,
       kind TEXT NOT NULL CHECK (kind IN ('earn','bonus','redeem','expire','reverse','adjust')),
       points INTEGER NOT NULL,
       reason TEXT,
       sale_id TEXT,
       target_entry_id TEXT,
       expires_at TEXT,
       offline INTEGER NOT NULL DEFAULT 0,
       business_date TEXT NOT NULL,
       created_at TEXT NOT NULL,
       hlc TEXT NOT NULL,
       terminal_id TEXT NOT NULL,
       idempotency_key TEXT NOT NULL,
       server_seq INTEGER NOT NULL
     ) STRICT`,
    `CREATE INDEX remote_entry_member ON remote_entry(member_id, created_at)`,
    `CREATE INDEX remote_entry_kind_time ON remote_entry(kind, created_at)`,
    `CREATE TRIGGER remote_entry_no_update BEFORE UPDATE ON remote_entry
       BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END`,
    `CREATE TRIGGER remote_entry_no_delete BEFORE DELETE ON remote_entry
       BEGIN SELECT RAISE(ABORT, 'ledger entries are immutable'); END`,
    `CREATE TRIGGER remote_entry_balance AFTER INSERT ON remote_entry
       BEGIN UPDATE member SET balance = balance + NEW.points WHERE id = NEW.member_id; END`,
    /* What the server rejected or held: kept for the operator, never silently dropped. */
    `CREATE TABLE sync_problem (
       seq INTEGER NOT NULL,
       op_id TEXT NOT NULL,
       kind TEXT NOT NULL,
       entity_id TEXT NOT NULL,
       status TEXT NOT NULL,
       reason TEXT,
       payload TEXT NOT NULL,
       at TEXT NOT NULL,
       PRIMARY KEY (op_id)
     ) STRICT`,
    /* Overdraft exceptions reported by the server (two stores spent the same points offline). */
    `CREATE TABLE overdraft_exception (
       id TEXT PRIMARY KEY,
       member_id TEXT NOT NULL,
       entry_id TEXT NOT NULL,
       terminal_id TEXT NOT NULL,
       shortfall INTEGER NOT NULL,
       exposure_minor INTEGER NOT NULL,
       created_at TEXT NOT NULL
     ) STRICT`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['overdraft_exception', 'sync_problem', 'remote_entry']) await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
}
