/**
 * "An idle till writes nothing": an enrolled till with nothing to send or receive runs sync cycle
 * after sync cycle against a real server without committing anything to its database. Measured
 * three ways, each of which sees any commit: `PRAGMA data_version` read by a second connection
 * (it changes when another connection commits), the size of the WAL file (every commit that
 * changes a page appends frames to it) and `total_changes()` of the till's own connection (every
 * row written, also one rewritten with the same value). What must survive a restart is written
 * with the exchanges that happen, or when the agent stops.
 */
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/terminal/config';
import { TestSyncServer } from '../../helpers/sync-server';
import { syncTill, type SyncTill } from '../../helpers/sync-till';
import { key } from '../../helpers/terminal';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
  cleanup = [];
});

/** Watches a till's database from outside: did anything commit since `mark()`? */
function commitWatch(till: SyncTill) {
  const file = path.join(till.dataDir, DATABASE_FILE);
  const reader = new Database(file, { readonly: true });
  const dataVersion = () => Number(reader.pragma('data_version', { simple: true }));
  const walBytes = () => fs.statSync(`${file}-wal`).size;
  const totalChanges = () => Number(till.t.ctx.raw.prepare('SELECT total_changes()').pluck().get());
  let at = { dataVersion: 0, walBytes: 0, totalChanges: 0 };
  return {
    mark() {
      at = { dataVersion: dataVersion(), walBytes: walBytes(), totalChanges: totalChanges() };
    },
    since() {
      return { dataVersion: dataVersion() - at.dataVersion, walBytes: walBytes() - at.walBytes, totalChanges: totalChanges() - at.totalChanges };
    },
    close: (): void => {
      if (reader.open) reader.close();
    },
  };
}

const meta = (till: SyncTill, k: string) => till.t.ctx.raw.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(k) as string | undefined;
const NOTHING = { dataVersion: 0, walBytes: 0, totalChanges: 0 };

describe('an idle till', () => {
  it('commits nothing, cycle after cycle, while its status keeps showing the last sync and the clock offset', async () => {
    let ms = Date.parse('2026-06-15T02:00:00.000Z');
    let serverSkew = 0;
    const server = await TestSyncServer.start('sqlite', () => ms + serverSkew);
    cleanup.push(() => server.close());
    let till = await syncTill(server, { now: () => ms, code: await server.enrolmentCode() });
    cleanup.push(() => till.close());
    // The snapshot, the enrolment's own audit entries and their echoes: after that, nothing to exchange.
    for (let i = 0; i < 3; i++) expect((await till.t.sync.syncNow()).lastError).toBeNull();
    const watch = commitWatch(till);
    cleanup.push(async () => watch.close());

    watch.mark();
    const stored = meta(till, 'sync.last_success_at');
    for (let i = 0; i < 60; i++) {
      ms += 5_000;
      const status = await till.t.sync.syncNow();
      expect([status.state, status.lastError, status.pending, status.lastSuccessAt]).toEqual(['online', null, 0, new Date(ms).toISOString()]);
    }
    expect(watch.since()).toEqual(NOTHING);
    expect(meta(till, 'sync.last_success_at')).toBe(stored);

    // The offset moves by less than the tolerance: shown, not written.
    serverSkew = 2_000;
    ms += 5_000;
    expect((await till.t.sync.syncNow()).clockOffsetMs).toBe(2_000);
    expect(watch.since()).toEqual(NOTHING);
    expect(meta(till, 'sync.clock_offset_ms')).toBe('0');

    // The till's clock is now 3 minutes behind the server's: the warning must survive a restart,
    // so the offset is written once (with the last-success time), then not again.
    serverSkew = 3 * 60_000;
    ms += 5_000;
    const warned = await till.t.sync.syncNow();
    expect([warned.clockOffsetMs, warned.clockWarning]).toEqual([180_000, true]);
    expect(watch.since().dataVersion).toBe(1);
    expect([meta(till, 'sync.clock_offset_ms'), meta(till, 'sync.last_success_at')]).toEqual(['180000', new Date(ms).toISOString()]);
    watch.mark();
    for (let i = 0; i < 10; i++) {
      ms += 5_000;
      await till.t.sync.syncNow();
    }
    expect(watch.since()).toEqual(NOTHING);

    // A sale is an exchange: the last-success time rides in the transaction that deletes the acknowledged ops.
    ms += 5_000;
    await till.call('members.register', { idempotencyKey: key(), phone: '13800000001', consentTerms: true, consentMarketing: false });
    watch.mark();
    const sent = await till.t.sync.syncNow();
    expect(sent.pending).toBe(0);
    expect(meta(till, 'sync.last_success_at')).toBe(new Date(ms).toISOString());
    expect(watch.since().dataVersion).toBeGreaterThan(0);
    ms += 5_000;
    await till.t.sync.syncNow(); // the echo of the registration moves the cursor
    watch.mark();
    for (let i = 0; i < 10; i++) {
      ms += 5_000;
      await till.t.sync.syncNow();
    }
    expect(watch.since()).toEqual(NOTHING);

    // Stopping keeps what the status showed, so a restart shows it too (not the time of the last exchange).
    const last = (await till.t.sync.syncNow()).lastSuccessAt;
    expect(meta(till, 'sync.last_success_at')).not.toBe(last);
    watch.close();
    till = await till.reopen();
    const reopened = await till.call('sync.status', {});
    expect([reopened.lastSuccessAt, reopened.clockOffsetMs, reopened.clockWarning]).toEqual([last, 180_000, true]);
  });
});
