import { expect, it } from 'vitest';
import { SYNC_PROTOCOL_VERSION, type SyncErrorBody } from '../../../src-shared/sync/protocol';
import { buildApp } from '../../../src-server/http/app';
import { compactFeed, prunePushResults } from '../../../src-server/services/housekeeping';
import { describeServer, runCli, type Reply } from './harness';

const DAY = 86_400_000;

const errorOf = (r: Reply<unknown>) => (r.body as SyncErrorBody).error;

describeServer('housekeeping', (ctx) => {
  it('prunes stored push results only once the till can no longer resend them, and after the retention window', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const gone = await h.terminal();
    const m = t.member('+8613400000001');
    await t.pushOk([m.op, t.entryOp(t.entry(m.id, 'earn', 1))]); // seqs 1-2, day 0
    const g = gone.member('+8613400000002');
    await gone.pushOk([g.op]);
    await h.admin('POST', `/admin/terminals/${gone.id}/revoke`); // revoked: it can never resend
    h.clock.advance(DAY);
    await t.pushOk([t.entryOp(t.entry(m.id, 'earn', 2)), t.entryOp(t.entry(m.id, 'earn', 3))]); // 3-4, day 1
    const lastBatch = [t.entryOp(t.entry(m.id, 'earn', 4))];
    const first = await t.pushOk(lastBatch); // 5, day 1: its answer may have been lost
    const results = async (id: string) => (await h.sdb.db.selectFrom('push_result').select('seq').where('terminal_id', '=', id).orderBy('seq').execute()).map((r) => Number(r.seq));

    h.clock.advance(7 * DAY); // day 8: 1-2 are older than 7 days, 3-4 not yet
    expect(await prunePushResults(h.sdb, h.clock.now)).toMatchObject({ deleted: 3, terminals: 2 });
    expect(await results(t.id)).toEqual([3, 4, 5]);
    expect(await results(gone.id)).toEqual([]);
    h.clock.advance(DAY);
    expect(await prunePushResults(h.sdb, h.clock.now, { olderThanDays: 7 })).toMatchObject({ deleted: 2, terminals: 1 });
    // (the CLI runs the same on the real clock, on which these results are not old yet)
    expect((await runCli(h.url, ['prune-push-results', '--older-than-days', '7'])).out).toMatch(/^deleted 0 stored push results of 0 terminals \(older than .*, none a till may still resend\)/);
    // 5 is kept however old: the till never confirmed it got the answer, and may resend it
    expect(await results(t.id)).toEqual([5]);
    h.clock.advance(365 * DAY);
    await prunePushResults(h.sdb, h.clock.now);
    expect(await results(t.id)).toEqual([5]);
    const replay = await t.pushOk(lastBatch);
    expect(replay.results).toEqual(first.results.map((r) => ({ ...r, replayed: true })));
    // an op the till had long deleted coming back is a restored database, pruned result or not
    const restored = await t.push([{ ...lastBatch[0]!, seq: 3 }]);
    expect(restored.status).toBe(409);
    expect(errorOf(restored)).toMatchObject({ code: 'SEQUENCE_CONFLICT', details: { seq: 3, resendFloor: 5 } });
    expect(await h.balance(m.id)).toBe(10);
  });

  it('compacts the change feed below a horizon; a till behind it is told to load a snapshot, never served a hole', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const reader = await h.terminal(a.storeId);
    const m = a.member('+8613400000101');
    await a.pushOk([m.op, a.entryOp(a.entry(m.id, 'earn', 100)), a.entryOp(a.entry(m.id, 'earn', 20))]); // feed 1-2 (own echo 3)
    expect((await reader.pull('0', 1)).body.nextCursor).toBe('1'); // the reader stopped at 1
    h.clock.advance(100 * DAY);
    await a.pushOk([a.entryOp(a.entry(m.id, 'earn', 3))]); // feed 4
    const r = await compactFeed(h.sdb, h.clock.now, { olderThanDays: 90 });
    expect(r).toMatchObject({ compactedThrough: 3, deleted: 3, terminalsBehind: 1 });
    expect((await h.sdb.db.selectFrom('change_feed').select('server_seq').execute()).map((x) => Number(x.server_seq))).toEqual([4]);
    for (const cursor of ['0', '1', '2']) {
      const behind = await reader.pull(cursor);
      expect(behind.status).toBe(410);
      expect(errorOf(behind)).toMatchObject({ code: 'CURSOR_EXPIRED', details: { reason: 'compacted', cursor, compactedThrough: '3' } });
    }
    // a version-1 till is refused the same way, with words that say what to do
    const v1 = await reader.pull('1', 500, { protocolVersion: 1 });
    expect(errorOf(v1).message).toMatch(/load a fresh snapshot .* a version-1 till must be updated/);
    // from the horizon on the feed is whole
    const ok = await reader.pull('3');
    expect(ok.body.changes.map((c) => c.serverSeq)).toEqual(['4']);
    // the snapshot still has everything
    const snap = await reader.snapshot({});
    expect(snap.body.members[0]!.lots.map((l) => l.remaining)).toEqual([100, 20, 3]);
    // compacting again is a no-op; the CLI says how many tills will reload
    const again = await runCli(h.url, ['compact-feed', '--older-than-days', '90']);
    expect(again.out).toMatch(/compacted through seq 3 \(.*; 0 deleted\); 0 active terminals are behind/);
    expect((await runCli(h.url, ['compact-feed', '--older-than-days', '0'])).err).toMatch(/at least 1 days/);
  });

  it('shares the enrolment limit between server processes; push and pull limits stay per process', async () => {
    const h = ctx.h;
    const t = await h.terminal(); // enrolled before the limits are on
    h.rateLimits = { terminal: { burst: 1, perSecond: 0.001 }, ip: { burst: 1000, perSecond: 1000 }, enrol: { burst: 2, perSecond: 0.001 } };
    await h.rebuild();
    const second = await buildApp({ sdb: h.sdb, now: h.clock.now, rateLimits: h.rateLimits, adminToken: null });
    try {
      const enrolOn = async (app: typeof second) =>
        (await app.inject({ method: 'POST', url: '/v1/enrol', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ protocolVersion: SYNC_PROTOCOL_VERSION, code: 'AAAAA-BBBBB-CCCCC', terminalId: t.newId(), appVersion: '0.1.0' }) })).statusCode;
      expect([await enrolOn(h.app), await enrolOn(second), await enrolOn(h.app), await enrolOn(second)]).toEqual([401, 401, 429, 429]);
      const pullOn = async (app: typeof second) =>
        (await app.inject({ method: 'POST', url: '/v1/pull', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` }, payload: JSON.stringify({ protocolVersion: SYNC_PROTOCOL_VERSION, terminalId: t.id, cursor: '0' }) })).statusCode;
      expect([await pullOn(h.app), await pullOn(h.app), await pullOn(second)]).toEqual([200, 429, 200]);
    } finally {
      await second.close();
    }
  });
});
