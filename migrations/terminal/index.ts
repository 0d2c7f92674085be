import type { Migration } from 'kysely';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_expiry_index';

/**
 * Every terminal migration, in order. Imported statically so a bundled main process can
 * run them. Never edit a released migration: add the next one here.
 */
export const terminalMigrations: Readonly<Record<string, Migration>> = {
  '0001_initial': m0001,
  '0002_expiry_index': m0002,
};
