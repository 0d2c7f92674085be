import type { Migration } from 'kysely';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_expiry_index';
import * as m0003 from './0003_print_queue';
import * as m0004 from './0004_sync';

/**
 * Every terminal migration, in order. Imported statically so a bundled main process can
 * run them. Never edit a released migration: add the next one here.
 */
export const terminalMigrations: Readonly<Record<string, Migration>> = {
  '0001_initial': m0001,
  '0002_expiry_index': m0002,
  '0003_print_queue': m0003,
  '0004_sync': m0004,
};
