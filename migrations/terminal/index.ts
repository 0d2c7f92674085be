import type { Migration } from 'kysely';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_expiry_index';
import * as m0003 from './0003_print_queue';
import * as m0004 from './0004_sync';
import * as m0007 from './0007_member_facts_index';
import * as m0008 from './0008_product_prices';
import * as m0005 from './0005_card_ids_and_refusals';
import * as m0006 from './0006_sync_v2';
import * as m0009 from './0009_idempotency';
import * as m0010 from './0010_fewer_pages_per_sale';
import * as m0011 from './0011_ledger_and_sale_keys';
import * as m0012 from './0012_member_day_from_ledger';
import * as m0013 from './0013_sale_ids_and_member_spend';
import * as m0014 from './0014_tenders_drawer_day_summary';

/**
 * Every terminal migration, in order. Imported statically so a bundled main process can
 * run them. Never edit a released migration: add the next one here.
 */
export const terminalMigrations: Readonly<Record<string, Migration>> = {
  '0001_initial': m0001,
  '0002_expiry_index': m0002,
  '0003_print_queue': m0003,
  '0004_sync': m0004,
  '0005_card_ids_and_refusals': m0005,
  '0006_sync_v2': m0006,
  '0007_member_facts_index': m0007,
  '0008_product_prices': m0008,
  '0009_idempotency': m0009,
  '0010_fewer_pages_per_sale': m0010,
  '0011_ledger_and_sale_keys': m0011,
  '0012_member_day_from_ledger': m0012,
  '0013_sale_ids_and_member_spend': m0013,
  '0014_tenders_drawer_day_summary': m0014,
};
