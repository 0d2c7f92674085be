import path from 'node:path';
import pino from 'pino';
import roll from 'pino-roll';
import type { Log } from '../core/log';

export interface TillLogOptions {
  /** Largest size of one file before the log moves to the next (pino-roll units: '10m', '512k'). */
  size?: string;
  /** Rolled files kept besides the current one. */
  keep?: number;
  level?: 'debug' | 'info' | 'warn' | 'error';
}

export const LOG_FOLDER = 'logs';

/**
 * The till's structured log: JSON lines (pino) in `<dataDir>/logs/till.N.log`, rolled at `size`
 * with the `keep` newest rolled files kept, so a till that trades for years never fills its disk
 * with logs. Personal data never goes in: fields carry ids, codes and counts, as the audit log does.
 */
export async function openTillLog(dataDir: string, opts: TillLogOptions = {}): Promise<{ log: Log; close(): Promise<void>; written(): Promise<void> }> {
  const stream = await roll({
    file: path.join(dataDir, LOG_FOLDER, 'till'),
    size: opts.size ?? '10m',
    mkdir: true,
    limit: { count: opts.keep ?? 5, removeOtherLogFiles: true },
  });
  // A log that cannot be written (disk full, folder gone) must never stop the till: it says so once
  // on the console and the till goes on without it.
  let failed = false;
  stream.on('error', (e) => {
    if (!failed) console.error(`[tillsmith] the till log cannot be written (${e.message}); trading goes on without it`);
    failed = true;
  });
  const logger = pino({ level: opts.level ?? 'info', base: { app: 'tillsmith-terminal' } }, stream);
  return {
    log: logger,
    /** Resolves once the stream has written what it held (lines are written asynchronously). */
    written: () => new Promise<void>((resolve) => stream.once('write', () => resolve())),
    close: () =>
      new Promise<void>((resolve) => {
        if (failed) return resolve();
        // A stream that fails while closing never says 'close'.
        stream.once('close', resolve);
        stream.on('error', () => resolve());
        stream.end();
      }),
  };
}
