import os from 'node:os';
import path from 'node:path';

export interface TerminalConfig {
  /** Folder holding `terminal.sqlite` (and later the print queue, logs). */
  dataDir: string;
  /** Store name and IANA time zone used on first start (later starts read them from the database). */
  storeName?: string;
  timeZone?: string;
  /** Wall clock; tests inject a fixed or stepping clock. */
  now?: () => Date;
  /** Random source for ids and salts; tests may inject a seeded one. */
  randomBytes?: (n: number) => Uint8Array;
  /**
   * On a fresh database, create the demo store (staff, programme, members with history). It takes
   * the money at the till unless `paymentsAtTill: false` (see seedDemoStore).
   */
  seedDemo?: false | { members: number; paymentsAtTill?: boolean };
  /** scrypt cost parameter N for staff PINs (2^15 in production; tests lower it). */
  pinKdfCost?: number;
  appVersion?: string;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The data folder when none is given: $TILLSMITH_DATA_DIR, else ~/.local/share/tillsmith (Electron passes its userData). */
export function defaultDataDir(): string {
  if (process.env.TILLSMITH_DATA_DIR) return path.resolve(process.env.TILLSMITH_DATA_DIR);
  const base = process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'tillsmith');
}

export { DATABASE_FILE } from '../db/connection';
