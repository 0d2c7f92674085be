import { sql, type Kysely } from 'kysely';

/** The expiry run looks credits up by expiry date (incrementally, from a watermark). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX ledger_expiry ON ledger_entry(expires_at) WHERE expires_at IS NOT NULL`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS ledger_expiry`.execute(db);
}
