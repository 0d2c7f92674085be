import type { Kysely } from 'kysely';

/**
 * Protocol version 3: what the tills send of the money they take.
 * - `drawer_event`: every cash drawer event of every till (open with its float, pay-ins,
 *   pay-outs, pick-ups, no-sale openings, the blind close with its expected cash), immutable;
 * - `z_report`: every till's closed business days, numbered per till and chained by hash.
 * A sale's and a refund's tenders travel in their bodies (already kept whole).
 * Frozen once released.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('drawer_event')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('business_date', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('drawer_event_store_date').on('drawer_event').columns(['store_id', 'business_date']).execute();
  await db.schema
    .createTable('z_report')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('z_no', 'integer', (c) => c.notNull())
    .addColumn('business_date', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('z_report_terminal_no', ['terminal_id', 'z_no'])
    .execute();
  await db.schema.createIndex('z_report_store_date').on('z_report').columns(['store_id', 'business_date']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('z_report').execute();
  await db.schema.dropTable('drawer_event').execute();
}
