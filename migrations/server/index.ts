import type { Migration } from 'kysely';
import * as m0001 from './0001_initial';
import * as m0002 from './0002_sync_v2';
import * as m0003 from './0003_money';

/**
 * Every central-server migration, in order. Imported statically (no folder scan at run time),
 * the same on PostgreSQL and SQLite. Never edit a released migration: add the next one here.
 */
export const serverMigrations: Readonly<Record<string, Migration>> = {
  '0001_initial': m0001,
  '0002_sync_v2': m0002,
  '0003_money': m0003,
};
