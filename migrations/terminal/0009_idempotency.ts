import { sql, type Kysely } from 'kysely';

/**
 * Answers remembered by idempotency key for operations that have no row of their own keyed by it
 * (a registration, a card replacement): one table with its own primary key, instead of `meta` rows
 * named `registration:<key>` and `card_replacement:<key>`. Existing answers move over unchanged.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  // One transaction: a crash leaves the database as it was. Safe to run again (the migrator records
  // it after the commit).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await db.transaction().execute(async (trx: Kysely<any>) => {
    await sql`CREATE TABLE IF NOT EXISTS idempotency (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT,
        result TEXT NOT NULL,
        PRIMARY KEY (scope, key)
      ) STRICT, WITHOUT ROWID`.execute(trx);
    await sql`INSERT OR IGNORE INTO idempotency (scope, key, request_hash, result)
      SELECT 'registration', substr(key, 14), NULL, value FROM meta WHERE substr(key, 1, 13) = 'registration:'`.execute(trx);
    await sql`INSERT OR IGNORE INTO idempotency (scope, key, request_hash, result)
      SELECT 'card_replacement', substr(key, 18), json_extract(value, '$.hash'), value FROM meta WHERE substr(key, 1, 17) = 'card_replacement:'`.execute(trx);
    await sql`DELETE FROM meta WHERE substr(key, 1, 13) = 'registration:' OR substr(key, 1, 17) = 'card_replacement:'`.execute(trx);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO meta (key, value) SELECT scope || ':' || key, result FROM idempotency WHERE scope IN ('registration', 'card_replacement')`.execute(db);
  await sql`DROP TABLE IF EXISTS idempotency`.execute(db);
}
