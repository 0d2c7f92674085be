import { sql, type Kysely } from 'kysely';

/**
 * A checkout derives the member's point lots from all of their entries (lazy expiry, spendable
 * balance). Through the old (member_id, created_at) index each of those ~20 entries was a
 * separate table page, scattered over the months they were written in: on a large ledger that
 * is not in memory, ~20 random reads per checkout. These covering indexes hold every column the
 * lot derivation reads, so one member's facts are one or two adjacent index pages.
 * Same names and leading columns as before: every query that used them still does.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `DROP INDEX ledger_member`,
    `CREATE INDEX ledger_member ON ledger_entry(member_id, created_at, kind, points, expires_at, target_entry_id, id)`,
    `DROP INDEX remote_entry_member`,
    `CREATE INDEX remote_entry_member ON remote_entry(member_id, created_at, kind, points, expires_at, target_entry_id, id)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of [
    `DROP INDEX ledger_member`,
    `CREATE INDEX ledger_member ON ledger_entry(member_id, created_at)`,
    `DROP INDEX remote_entry_member`,
    `CREATE INDEX remote_entry_member ON remote_entry(member_id, created_at)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
