import { sql, type Kysely } from 'kysely';

/**
 * The till's product prices by barcode: the demo catalogue, then every barcoded line sold
 * (the last price the cashier confirmed for it). A scanned product fills the line form with
 * its description, category and price; the cashier confirms or corrects it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations do not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE product (
      sku TEXT PRIMARY KEY,
      description TEXT,
      category TEXT NOT NULL,
      unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor > 0),
      updated_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS product`.execute(db);
}
