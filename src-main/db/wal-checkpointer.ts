import type BetterSqlite3 from 'better-sqlite3';

/**
 * WAL pages SQLite may accumulate before a committing transaction checkpoints by itself
 * (~40 MB): a safety net only, for when the idle checkpoints cannot keep up.
 */
export const WAL_SAFETY_NET_PAGES = 10_000;

export interface CheckpointResult {
  /** Frames in the WAL, and how many of them are now in the database file. */
  walFrames: number;
  checkpointedFrames: number;
  busy: boolean;
  /**
   * Whether the checkpoint was complete and a one-page write followed it to restart the WAL (see
   * below; SQLite appends instead while a reader still uses the old WAL).
   */
  restarted: boolean;
}

export interface WalCheckpointerOptions {
  /** How often to look; a checkpoint runs once no row changed for a whole period. Default 250 ms. */
  periodMs?: number;
  /** Writes that never pause are checkpointed after this long anyway. Default 5 s. */
  maxDelayMs?: number;
  /**
   * Rows changed since the last checkpoint before one is worth running (default 500, about 30
   * checkouts and a few hundred WAL pages): a checkpoint copies pages into the database file and
   * syncs it, so fewer, larger ones cost the disk less.
   */
  minChanges?: number;
  now?: () => number;
  onCheckpoint?: (result: CheckpointResult) => void;
  onError?: (error: unknown) => void;
}

export interface WalCheckpointer {
  /** One look, as the timer does (exposed so tests drive it without waiting). */
  tick(): CheckpointResult | null;
  stop(): void;
}

/**
 * Keeps WAL checkpoints out of the cashier's commits. SQLite's automatic checkpoint runs inside
 * whichever commit pushes the WAL past 1,000 pages: every few dozen checkouts one of them would
 * also copy the WAL into the database file and fsync it, several times the work of a normal
 * commit. Here the automatic threshold is raised to a safety net and a PASSIVE checkpoint (which
 * never waits for readers or blocks writers) runs between transactions, once the till has been
 * quiet for a period (between customers, which at a counter is almost always) and enough has been
 * written.
 *
 * A complete checkpoint lets the next write transaction restart the WAL from its beginning, and
 * that transaction writes a new WAL header and syncs it before its own frames: two syncs instead
 * of one. Left to the next checkout, one customer in every few dozen (one per checkpoint) would
 * pay for it. So the checkpointer restarts the WAL itself, in the same quiet moment, with a
 * one-page write that changes nothing (`PRAGMA application_id` set to the value it has).
 */
export function startWalCheckpointer(raw: BetterSqlite3.Database, options: WalCheckpointerOptions = {}): WalCheckpointer {
  const periodMs = options.periodMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const minChanges = options.minChanges ?? 500;
  const now = options.now ?? Date.now;
  raw.pragma(`wal_autocheckpoint = ${WAL_SAFETY_NET_PAGES}`);
  const totalChanges = raw.prepare('SELECT total_changes()').pluck();

  const changes = () => Number(totalChanges.get());
  let checkpointedAt = changes();
  let seenAtLastTick = checkpointedAt;
  let dirtySince: number | null = null;

  const tick = (): CheckpointResult | null => {
    if (!raw.open || raw.inTransaction) return null;
    const current = changes();
    const previous = seenAtLastTick;
    seenAtLastTick = current;
    if (current === checkpointedAt) return null;
    dirtySince ??= now();
    if (current - checkpointedAt < minChanges) return null;
    const quiet = current === previous;
    if (!quiet && now() - dirtySince < maxDelayMs) return null;
    try {
      const [row] = raw.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      checkpointedAt = current;
      dirtySince = null;
      const walFrames = row?.log ?? 0;
      const checkpointedFrames = row?.checkpointed ?? 0;
      const busy = (row?.busy ?? 0) !== 0;
      const restarted = !busy && walFrames > 0 && checkpointedFrames === walFrames;
      if (restarted) restartWal(raw);
      const result = { walFrames, checkpointedFrames, busy, restarted };
      options.onCheckpoint?.(result);
      return result;
    } catch (e) {
      // Not fatal: the next quiet period tries again, and SQLite's safety net still holds.
      options.onError?.(e);
      return null;
    }
  };

  const timer = setInterval(tick, periodMs);
  timer.unref();
  return {
    tick,
    stop: () => clearInterval(timer),
  };
}

/**
 * Restarts a fully checkpointed WAL now, with a write that changes no data: rewriting the
 * database header's application id with its own value dirties page 1 only, and does not count
 * as a changed row. (If a reader still holds a snapshot in the old WAL, SQLite appends instead;
 * nothing is lost either way.)
 */
function restartWal(raw: BetterSqlite3.Database): void {
  const applicationId = Number(raw.pragma('application_id', { simple: true }));
  raw.pragma(`application_id = ${applicationId}`);
}
