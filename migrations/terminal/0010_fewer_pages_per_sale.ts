import { sql, type Kysely } from 'kysely';

/**
 * Fewer b-tree pages written by each sale (every page is a WAL frame the sale's fsync waits for):
 * - the terminal's redemption-velocity index holds redemptions only (the one query that reads it);
 * - the ledger's business-date index is keyed by date alone: today's entries append at its end,
 *   where (date, kind) put each kind at its own place inside today's range (reports read every kind);
 * - the outbox's op id is no longer a separate unique index (op ids are minted unique; nothing
 *   looks an outbox row up by it), keeping every row and its seq; the next seq follows the last row,
 *   or the floor in `meta` (`outbox.seq_floor`) that acknowledging raises, instead of AUTOINCREMENT's
 *   counter page written at every change;
 *   its payload may be NULL: a sale's or a ledger entry's op is built from that row when it is sent
 *   (those rows never change), instead of a second copy of every sale in the outbox;
 * - the receipt counter row in `meta` goes: the next receipt number follows the last sale's.
 * Building the two indexes reads the ledger once (a minute or two at a million members).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  // One transaction: a crash leaves the database as it was. Safe to run again (the migrator records
  // it after the commit).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await db.transaction().execute(async (trx: Kysely<any>) => {
    await sql`DROP INDEX IF EXISTS ledger_kind_time`.execute(trx);
    await sql`CREATE INDEX IF NOT EXISTS ledger_redeem_time ON ledger_entry(created_at) WHERE kind = 'redeem'`.execute(trx);
    await sql`DROP INDEX IF EXISTS ledger_business_date`.execute(trx);
    await sql`CREATE INDEX ledger_business_date ON ledger_entry(business_date)`.execute(trx);

    await sql`CREATE TABLE outbox_next (
         seq INTEGER PRIMARY KEY,
         op_id TEXT NOT NULL,
         kind TEXT NOT NULL,
         entity_id TEXT NOT NULL,
         payload TEXT,
         hlc TEXT NOT NULL,
         created_at TEXT NOT NULL,
         status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','held')),
         attempts INTEGER NOT NULL DEFAULT 0,
         last_error TEXT
       ) STRICT`.execute(trx);
    await sql`INSERT INTO outbox_next (seq, op_id, kind, entity_id, payload, hlc, created_at, status, attempts, last_error)
      SELECT seq, op_id, kind, entity_id, payload, hlc, created_at, status, attempts, last_error FROM outbox ORDER BY seq`.execute(trx);
    // The highest seq ever given (AUTOINCREMENT's mark) becomes the floor the next seq starts above
    // once the outbox is empty: a seq once sent is never used again.
    await sql`INSERT INTO meta (key, value) SELECT 'outbox.seq_floor', CAST(seq AS TEXT) FROM sqlite_sequence WHERE name = 'outbox'
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(trx);
    await sql`DROP TABLE outbox`.execute(trx);
    await sql`ALTER TABLE outbox_next RENAME TO outbox`.execute(trx);

    await sql`DELETE FROM meta WHERE key = 'receipt_seq'`.execute(trx);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS ledger_redeem_time`.execute(db);
  await sql`CREATE INDEX ledger_kind_time ON ledger_entry(kind, created_at)`.execute(db);
  await sql`DROP INDEX IF EXISTS ledger_business_date`.execute(db);
  await sql`CREATE INDEX ledger_business_date ON ledger_entry(business_date, kind)`.execute(db);
  await sql`CREATE UNIQUE INDEX outbox_op_id ON outbox(op_id)`.execute(db);
}
