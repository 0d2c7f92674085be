import { sql, type Kysely } from 'kysely';

/**
 * A member's counters for a business date (purchase points for the daily cap, capped points,
 * points redeemed offline) are summed from that day's ledger entries when a sale needs them, so
 * no sale writes a counter row: the table goes.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS member_day`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE member_day (
      member_id TEXT NOT NULL REFERENCES member(id),
      business_date TEXT NOT NULL,
      purchase_points INTEGER NOT NULL DEFAULT 0,
      capped_points INTEGER NOT NULL DEFAULT 0,
      offline_redeemed_points INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (member_id, business_date)
    ) STRICT, WITHOUT ROWID`.execute(db);
}
