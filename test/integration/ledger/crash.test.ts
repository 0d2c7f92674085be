import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/terminal';

const WORKER = path.resolve(__dirname, '../../helpers/crash-worker.ts');
const KILLS = Number(process.env.CRASH_TEST_KILLS ?? 20);

/** Runs the worker until it has committed `afterOps` operations past `ready`, then SIGKILLs it. */
function runAndKill(dataDir: string, afterOps: number): Promise<{ committedOps: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let ops = 0;
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (killed) return;
      if (line === 'ready' && afterOps === 0) {
        killed = true;
        child.kill('SIGKILL');
      } else if (line.startsWith('op ')) {
        ops += 1;
        if (ops >= afterOps) {
          killed = true;
          child.kill('SIGKILL'); // lands wherever the next operation happens to be
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ committedOps: ops });
      else reject(new Error(`worker exited by itself (code ${code}): ${stderr}`));
    });
  });
}

describe('crash safety', () => {
  it(`keeps the ledger whole through ${KILLS} SIGKILLs at random moments`, async () => {
    const dataDir = tempDir('tillsmith-crash-');
    let total = 0;
    for (let i = 0; i < KILLS; i++) {
      const { committedOps } = await runAndKill(dataDir, Math.floor(Math.random() * 12));
      total += committedOps;
    }
    expect(total).toBeGreaterThan(0);

    const db = new BetterSqlite3(path.join(dataDir, 'terminal.sqlite'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      // Balances equal the sum of entries, member by member.
      const drift = db.prepare(`SELECT count(*) FROM member m WHERE m.balance != (SELECT COALESCE(SUM(points),0) FROM ledger_entry e WHERE e.member_id = m.id)`).pluck().get();
      expect(drift).toBe(0);
      // Every sale has all of its entries: redeem and earn match what the sale recorded.
      const badSales = db
        .prepare(
          `SELECT count(*) FROM sale s WHERE s.member_id IS NOT NULL AND (
             (SELECT COALESCE(-SUM(points),0) FROM ledger_entry e WHERE e.sale_id = s.id AND e.kind = 'redeem') != s.redeemed_points
             OR (SELECT COALESCE(SUM(points),0) FROM ledger_entry e WHERE e.sale_id = s.id AND e.kind IN ('earn','bonus') AND e.member_id = s.member_id) != s.earned_points
             OR (SELECT count(*) FROM sale_line l WHERE l.sale_id = s.id) != 2
             OR s.result = '{}')`,
        )
        .pluck()
        .get();
      expect(badSales).toBe(0);
      // Every refund has its lines and its entries.
      const badRefunds = db
        .prepare(
          `SELECT count(*) FROM refund r WHERE (SELECT count(*) FROM refund_line l WHERE l.refund_id = r.id) = 0
             OR (SELECT COALESCE(-SUM(points),0) FROM ledger_entry e WHERE e.refund_id = r.id AND e.points < 0) != r.reverse_earned_points
             OR (SELECT COALESCE(SUM(points),0) FROM ledger_entry e WHERE e.refund_id = r.id AND e.points > 0) != r.return_redeemed_points`,
        )
        .pluck()
        .get();
      expect(badRefunds).toBe(0);
      // Every ledger entry has its outbox row (nothing to sync was lost).
      const unsynced = db.prepare(`SELECT count(*) FROM ledger_entry e WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'ledger_entry' AND o.entity_id = e.id)`).pluck().get();
      expect(unsynced).toBe(0);
      // The retried in-flight sale was never recorded twice.
      const dupes = db.prepare(`SELECT count(*) FROM (SELECT idempotency_key FROM sale GROUP BY idempotency_key HAVING count(*) > 1)`).pluck().get();
      expect(dupes).toBe(0);
      const sales = db.prepare('SELECT count(*) FROM sale').pluck().get() as number;
      expect(sales).toBeGreaterThanOrEqual(total - Math.floor(total / 4));
    } finally {
      db.close();
    }
  }, 180_000);
});
