import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { RuleSet } from '../../src-shared/domain/rules';
import type { HlcClock } from '../../src-shared/sync/hlc';
import type { TerminalDatabase } from '../db/schema';
import type { Log } from './log';

export type Db = Kysely<TerminalDatabase>;
export type Trx = Transaction<TerminalDatabase>;
/** Repositories accept either the database or an open transaction. */
export type Executor = Db | Trx;

/** A staff member as stored: who acts, and who approves. */
export type StaffRow = Selectable<TerminalDatabase['staff']>;

export type Connectivity = 'standalone' | 'online' | 'offline';

/** Everything a service needs, injected: storage, clocks, ids, the store's identity. */
export interface CoreContext {
  db: Db;
  raw: BetterSqlite3.Database;
  terminalId: string;
  storeId: string;
  storeName: string;
  timeZone: string;
  currency: string;
  appVersion: string;
  schemaVersion: number;
  dataDir: string;
  /** Wall clock (business dates, expiry, velocity windows). */
  now: () => Date;
  /** UUIDv7 ids. */
  newId: () => string;
  randomBytes: (n: number) => Uint8Array;
  /** Hybrid logical clock (replication order). */
  hlc: HlcClock;
  pinKdfCost: number;
  /** The rule set in force on a business date. */
  rulesOn: (businessDate: string) => RuleSet;
  connectivity: () => Connectivity;
  /** Enrolled with a central server: expiry and global facts come from the server. */
  enrolled: () => boolean;
  /** The till's structured log (rolling files in the data folder). */
  log: Log;
  /**
   * The newest business date a Z report closed on this till (null before the first Z): sales and
   * drawer events after it belong to the day after, even before midnight (ledger/trading-date.ts).
   */
  closedDay: { through: string | null };
}
