import type { Kysely } from 'kysely';

/**
 * The central server's first schema, written with Kysely's schema builder so the same migration
 * runs on PostgreSQL and SQLite. Sequences are `bigint`, JSON bodies are `text`, instants are
 * ISO-8601 UTC text, booleans are integers 0/1. Frozen once released: later changes are new files.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the app's evolving types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('store')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('terminal')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('store.id'))
    .addColumn('name', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('enrolment_code_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('app_version', 'text')
    .addColumn('last_acked_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_seen_at', 'text')
    .addColumn('clock_offset_ms', 'bigint')
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('enrolment_code')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('store.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('used_by', 'text')
    .execute();

  /* One row: the change-feed sequence. Allocating from it locks the row until commit, so
     allocation order is commit order (see docs/sync-protocol.md, "Cursors"). */
  await db.schema
    .createTable('feed_clock')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('next_seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('feed_clock').values({ id: 1, next_seq: 1 }).execute();

  await db.schema
    .createTable('change_feed')
    .addColumn('server_seq', 'bigint', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    /* Set only on echoes of a terminal's own ops (its ledger entries, cards, spend): that
       terminal does not get them back. */
    .addColumn('origin_terminal', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('push_result')
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('op_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('push_result_pk', ['terminal_id', 'seq'])
    .execute();

  await db.schema
    .createTable('held_op')
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('op_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('app_version', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('held_op_pk', ['terminal_id', 'seq'])
    .execute();

  await db.schema
    .createTable('member')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('phone', 'text')
    .addColumn('phone_last4', 'text')
    .addColumn('name', 'text')
    .addColumn('birthday', 'text')
    .addColumn('referrer_id', 'text')
    .addColumn('consent_terms_at', 'text')
    .addColumn('consent_marketing', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('status_reason', 'text')
    .addColumn('merged_into', 'text')
    .addColumn('diamond', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addColumn('registered_terminal', 'text', (c) => c.notNull())
    .addColumn('registered_store', 'text')
    .addColumn('balance', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('member_phone').on('member').column('phone').execute();
  await db.schema.createIndex('member_merged_into').on('member').column('merged_into').execute();

  await db.schema
    .createTable('member_field_clock')
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('member_field_clock_pk', ['member_id', 'field'])
    .execute();

  await db.schema
    .createTable('card')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    /* HLC of the last winning status write, and of the activation that bound the current member. */
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('bound_hlc', 'text', (c) => c.notNull())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('card_member').on('card').column('member_id').execute();

  await db.schema
    .createTable('ledger_entry')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('points', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('sale_id', 'text')
    .addColumn('refund_id', 'text')
    .addColumn('target_entry_id', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('capped_points', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('offline', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('business_date', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('hlc', 'text', (c) => c.notNull())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('rule_set_version', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('store_id', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_member').on('ledger_entry').column('member_id').execute();
  await db.schema.createIndex('ledger_expiry').on('ledger_entry').column('expires_at').execute();

  await db.schema
    .createTable('member_spend')
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('spend_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('member_spend_pk', ['member_id', 'period'])
    .execute();
  await db.schema.createIndex('member_spend_period').on('member_spend').column('period').execute();

  await db.schema
    .createTable('sale')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text')
    .addColumn('receipt_no', 'text', (c) => c.notNull())
    .addColumn('business_date', 'text', (c) => c.notNull())
    .addColumn('paid_minor', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sale_member').on('sale').column('member_id').execute();
  await db.schema.createIndex('sale_business_date').on('sale').columns(['store_id', 'business_date']).execute();

  await db.schema
    .createTable('refund')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sale_id', 'text', (c) => c.notNull())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('refund_minor', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refund_sale').on('refund').column('sale_id').execute();

  await db.schema
    .createTable('audit_entry')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('staff')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rule_set')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('redemption_hold')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('points', 'bigint', (c) => c.notNull())
    .addColumn('receipt_ref', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('consumed_entry_id', 'text')
    .execute();
  await db.schema.createIndex('hold_member_status').on('redemption_hold').columns(['member_id', 'status']).execute();
  await db.schema.createIndex('hold_receipt').on('redemption_hold').columns(['terminal_id', 'receipt_ref']).execute();

  await db.schema
    .createTable('overdraft_exception')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'text', (c) => c.notNull().unique())
    .addColumn('terminal_id', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text')
    .addColumn('shortfall', 'bigint', (c) => c.notNull())
    .addColumn('exposure_minor', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'overdraft_exception', 'redemption_hold', 'rule_set', 'staff', 'audit_entry', 'refund', 'sale', 'member_spend',
    'ledger_entry', 'card', 'member_field_clock', 'member', 'held_op', 'push_result', 'change_feed', 'feed_clock',
    'enrolment_code', 'terminal', 'store',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
