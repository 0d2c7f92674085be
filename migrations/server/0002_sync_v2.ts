import type { Kysely } from 'kysely';

/**
 * Protocol version 2 (docs/sync-protocol.md):
 * - staff travel between the tills of a store: the scrypt hash of the PIN (never the PIN) and a
 *   last-writer-wins clock per register;
 * - feed rows can be scoped to one store (staff changes);
 * - the change feed can be compacted below a horizon (`feed_clock.compacted_through`);
 * - stored push results can be pruned once a terminal proved it will not resend those ops
 *   (`terminal.resend_floor`), and the server remembers each terminal's pull cursor;
 * - exceptions are read per member (snapshot pages);
 * - token buckets shared by every server process (enrolment attempts).
 * Frozen once released.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff').addColumn('pin_hash', 'text').execute();
  await db.schema
    .createTable('staff_field_clock')
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('staff_field_clock_pk', ['staff_id', 'field'])
    .execute();
  await db.schema.createIndex('staff_store').on('staff').column('store_id').execute();

  await db.schema.alterTable('change_feed').addColumn('store_id', 'text').execute();
  await db.schema.alterTable('feed_clock').addColumn('compacted_through', 'bigint', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema.alterTable('terminal').addColumn('resend_floor', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('terminal').addColumn('last_pull_cursor', 'bigint').execute();

  await db.schema.createIndex('overdraft_member').on('overdraft_exception').column('member_id').execute();

  await db.schema
    .createTable('rate_bucket')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('last_ok', 'integer', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_bucket').ifExists().execute();
  await db.schema.dropIndex('overdraft_member').ifExists().execute();
  await db.schema.alterTable('terminal').dropColumn('last_pull_cursor').execute();
  await db.schema.alterTable('terminal').dropColumn('resend_floor').execute();
  await db.schema.alterTable('feed_clock').dropColumn('compacted_through').execute();
  await db.schema.alterTable('change_feed').dropColumn('store_id').execute();
  await db.schema.dropIndex('staff_store').ifExists().execute();
  await db.schema.dropTable('staff_field_clock').ifExists().execute();
  await db.schema.alterTable('staff').dropColumn('pin_hash').execute();
}
