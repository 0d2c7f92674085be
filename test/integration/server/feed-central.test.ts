import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { addMonths } from '../../../src-shared/domain/dates';
import { DEFAULT_RULE_SET } from '../../../src-shared/domain/rules';
import { deterministicUuid } from '../../../src-shared/sync/ids';
import { SERVER_TERMINAL_ID, type PullChange, type PushResponse, type SyncErrorBody } from '../../../src-shared/sync/protocol';
import { describeServer, LedgerView, runCli, T0 } from './harness';

const kinds = (c: PullChange[]) => c.map((x) => x.kind);

describeServer('pull, rule sets and central computations', (ctx) => {
  it('pages the feed in commit order, resumably, without the terminal\'s own echoes', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal(a.storeId);
    const m = a.member('+8613600000001');
    const entries = Array.from({ length: 20 }, () => a.entry(m.id, 'earn', 10));
    await a.pushOk([m.op, ...entries.map((e) => a.entryOp(e))]);
    // b: 21 changes (the member, 20 entries) in 3 pages of 10
    const p1 = await b.pull('0', 10);
    expect(p1.body).toMatchObject({ hasMore: true, nextCursor: '10', serverTime: h.clock.iso() });
    expect(p1.body.changes.map((c) => c.serverSeq)).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
    expect(kinds(p1.body.changes)[0]).toBe('member');
    const p2 = await b.pull(p1.body.nextCursor, 10);
    const p2again = await b.pull(p1.body.nextCursor, 10); // resumable: the same page again
    expect(p2again.body.changes).toEqual(p2.body.changes);
    const p3 = await b.pull(p2.body.nextCursor, 10);
    expect(p3.body).toMatchObject({ hasMore: false, nextCursor: '21' });
    const all = [...p1.body.changes, ...p2.body.changes, ...p3.body.changes];
    expect(all.filter((c) => c.kind === 'ledger_entry').map((c) => c.kind === 'ledger_entry' && c.entry.id)).toEqual(entries.map((e) => e.id));
    expect((all[1] as Extract<PullChange, { kind: 'ledger_entry' }>).entry).toEqual(entries[0]);
    // a: its own entries are not sent back, its member change is; the cursor jumps to the head
    const own = await a.pull('0', 10);
    expect(kinds(own.body.changes)).toEqual(['member']);
    expect(own.body).toMatchObject({ hasMore: false, nextCursor: '21' });
    // nothing new: an empty page at the head
    expect((await b.pull('21')).body).toMatchObject({ changes: [], hasMore: false, nextCursor: '21' });
    // a cursor ahead of the feed (a server restored from an old backup) is refused
    const ahead = await b.pull('999');
    expect(ahead.status).toBe(409);
    expect((ahead.body as unknown as SyncErrorBody).error.details).toMatchObject({ reason: 'cursor_ahead', head: '21' });
  });

  it('bootstraps a new terminal from cursor 0 to the same balances as the server', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const m = a.member(`+86136000001${String(i).padStart(2, '0')}`);
      ids.push(m.id);
      await a.pushOk([m.op, a.entryOp(a.entry(m.id, 'earn', 10 * (i + 1))), a.entryOp(a.entry(m.id, 'redeem', -5))]);
    }
    const fresh = await h.terminal();
    const view = new LedgerView();
    const changes = await fresh.pullAll(7);
    view.apply(changes);
    expect(changes.filter((c) => c.kind === 'member')).toHaveLength(30);
    for (const id of ids) expect(view.balance(id)).toBe(await h.balance(id));
    expect(fresh.cursor).toBe(String(await h.feedHead()));
  });

  it('publishes rule sets validated by the shared schema, with strictly increasing versions', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const bad = await h.admin<SyncErrorBody>('POST', '/admin/rule-sets', { ...DEFAULT_RULE_SET, version: 2, tiers: { ...DEFAULT_RULE_SET.tiers, goldSpendMinor: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details!.issues).toEqual([{ path: 'tiers.goldSpendMinor', message: 'the Gold threshold must be above the Silver threshold' }]);
    expect((await h.admin<SyncErrorBody>('POST', '/admin/rule-sets', { version: 'two' })).status).toBe(400);
    const ok = await h.admin<{ version: number; serverSeq: string }>('POST', '/admin/rule-sets', { ...DEFAULT_RULE_SET, version: 2, effectiveFrom: '2026-12-01' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ version: 2, serverSeq: '1' });
    const same = await h.admin<SyncErrorBody>('POST', '/admin/rule-sets', { ...DEFAULT_RULE_SET, version: 2 });
    expect(same.status).toBe(409);
    expect(same.body.error.details).toMatchObject({ latestVersion: 2 });
    expect((await h.admin('POST', '/admin/rule-sets', { ...DEFAULT_RULE_SET, version: 1 })).status).toBe(409);
    const changes = await t.pullAll();
    expect(changes).toEqual([{ serverSeq: '1', kind: 'rule_set', ruleSet: { ...DEFAULT_RULE_SET, version: 2, effectiveFrom: '2026-12-01' } }]);
    const list = await h.admin<{ ruleSets: { version: number }[] }>('GET', '/admin/rule-sets');
    expect(list.body.ruleSets.map((r) => r.version)).toEqual([2]);
  });

  it('ranks the top share by average monthly spend as Diamond and tells every terminal', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const m = a.member(`+86136000002${String(i).padStart(2, '0')}`);
      ids.push(m.id);
      // member i spends (i+1) * 1000 in each of two months; one very old sale does not count
      await a.pushOk([m.op, a.sale(m.id, (i + 1) * 1000, '2026-10-05').op, a.sale(m.id, (i + 1) * 1000, '2026-11-05').op]);
    }
    await a.pushOk([a.sale(ids[0]!, 10_000_000, '2025-06-01').op]);
    const reader = await h.terminal();
    await reader.pullAll();
    const r = await h.admin<{ diamonds: number; eligibleMembers: number; promoted: number; from: string; to: string; thresholdAvgMonthlyMinor: number }>('POST', '/admin/diamond/run', {});
    expect(r.body).toMatchObject({ from: '2025-12', to: '2026-11', eligibleMembers: 20, diamonds: 2, promoted: 2, thresholdAvgMonthlyMinor: Math.floor((19 * 2000) / 12) });
    const flagged = await h.sdb.db.selectFrom('member').select('id').where('diamond', '=', 1).orderBy('id').execute();
    expect(flagged.map((f) => f.id)).toEqual([ids[18]!, ids[19]!].sort());
    const changes = await reader.pullAll();
    expect(changes.map((c) => c.kind === 'member' && [c.member.id, c.member.diamond])).toEqual([[ids[18], true], [ids[19], true]].sort());
    // member 0 becomes the biggest spender this month: it is promoted, member 18 demoted
    await a.pushOk([a.sale(ids[0]!, 1_000_000, '2026-11-20').op]);
    const again = await h.admin<{ promoted: number; demoted: number }>('POST', '/admin/diamond/run', {});
    expect(again.body).toMatchObject({ promoted: 1, demoted: 1 });
    const flagged2 = await h.sdb.db.selectFrom('member').select('id').where('diamond', '=', 1).orderBy('id').execute();
    expect(flagged2.map((f) => f.id)).toEqual([ids[0]!, ids[19]!].sort());
  });

  it('expires lots older than 12 months centrally, once, with deterministic server entries', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal();
    const m = a.member('+8613600000301');
    const old = a.entry(m.id, 'earn', 500);
    await a.pushOk([m.op, a.entryOp(old), a.entryOp(a.entry(m.id, 'redeem', -200))]);
    h.clock.advance(200 * 86_400_000);
    const recent = a.entry(m.id, 'earn', 80);
    await a.pushOk([a.entryOp(recent)]);
    h.clock.ms = Date.parse(addMonths(new Date(T0).toISOString(), 12)) + 1;
    const r = await h.admin<{ members: number; entries: number; points: number }>('POST', '/admin/expiry/run');
    expect(r.body).toMatchObject({ members: 1, entries: 1, points: 300 });
    const exp = await h.sdb.db.selectFrom('ledger_entry').selectAll().where('kind', '=', 'expire').executeTakeFirstOrThrow();
    const key = `expire:${old.id}:${old.expires_at}`;
    expect(exp).toMatchObject({ id: deterministicUuid(key), idempotency_key: key, terminal_id: SERVER_TERMINAL_ID, target_entry_id: old.id, member_id: m.id });
    expect(Number(exp.points)).toBe(-300);
    expect(await h.balance(m.id)).toBe(80);
    expect((await h.admin<{ entries: number }>('POST', '/admin/expiry/run')).body.entries).toBe(0);
    // every terminal (also the member's own) receives the server's expiry entry
    const view = new LedgerView();
    view.apply(await b.pullAll());
    expect(view.balance(m.id)).toBe(80);
    const own = (await a.pullAll()).filter((c) => c.kind === 'ledger_entry');
    expect(own.map((c) => c.kind === 'ledger_entry' && c.entry.kind)).toEqual(['expire']);
  });

  it('runs the operator commands from the CLI on the same database', async () => {
    const h = ctx.h;
    const store = await runCli(h.url, ['create-store', '--name', 'CLI Store', '--time-zone', 'Asia/Shanghai', '--json']);
    expect(store.code).toBe(0);
    const storeId = (JSON.parse(store.out) as { id: string }).id;
    const code = await runCli(h.url, ['create-enrolment-code', '--store', storeId]);
    expect(code.out).toMatch(/Enrolment code for "CLI Store": [0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}\nValid once, until /);
    const t = await h.terminal(storeId);
    const listed = await runCli(h.url, ['list-terminals', '--json']);
    expect((JSON.parse(listed.out) as { id: string; lastAckedSeq: number }[]).map((x) => x.id)).toEqual([t.id]);
    expect((await runCli(h.url, ['list-terminals'])).out).toMatch(/clockOffsetMs/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-'));
    const file = path.join(dir, 'rules.json');
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_RULE_SET, version: 3 }));
    expect((await runCli(h.url, ['publish-rule-set', '--file', file])).out).toMatch(/rule set version 3 published/);
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_RULE_SET, version: 4, currency: 'YUAN' }));
    const invalid = await runCli(h.url, ['publish-rule-set', '--file', file]);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/INVALID_REQUEST: the rule set is not valid .*currency/);
    fs.rmSync(dir, { recursive: true, force: true });
    expect((await runCli(h.url, ['run-diamond'])).out).toMatch(/^Diamond \d{4}-\d{2}\.\.\d{4}-\d{2}: 0 of 0 members/);
    expect((await runCli(h.url, ['run-expiry'])).out).toMatch(/expired 0 points/);
    expect((await runCli(h.url, ['report-exceptions'])).out).toMatch(/0 exceptions, 0 points, exposure 0 minor units/);
    const revoked = await runCli(h.url, ['revoke-terminal', '--terminal', t.id]);
    expect(revoked.out).toMatch(/revoked at/);
    expect((await t.pull()).status).toBe(401);
    expect((await runCli(h.url, ['no-such-command'])).code).toBe(1);
    expect((await runCli(h.url, ['create-store', '--name', 'X'])).err).toMatch(/needs --time-zone/);
  });

  if (ctx.dialect === 'postgres') {
    it('cursor race: a push that allocated its seqs and commits late is still delivered to the next pull', async () => {
      const h = ctx.h;
      const a = await h.terminal();
      const b = await h.terminal(a.storeId);
      const reader = await h.terminal(a.storeId);
      const ma = a.member('+8613600000401');
      const mb = b.member('+8613600000402');
      let allocated!: (range: { first: number; last: number } | null) => void;
      const aAllocated = new Promise<{ first: number; last: number } | null>((r) => (allocated = r));
      let release!: () => void;
      const aReleased = new Promise<void>((r) => (release = r));
      let bApplied!: () => void;
      const bReady = new Promise<void>((r) => (bApplied = r));
      h.hooks.beforeCommit = async ({ terminalId, feed }) => {
        if (terminalId !== a.id) return;
        allocated(feed);
        await aReleased; // A's transaction stays open, holding the feed lock
      };
      h.hooks.afterOp = ({ terminalId }) => {
        if (terminalId === b.id) bApplied();
      };

      let aDone = false;
      let bDone = false;
      const pushA = a.pushOk([ma.op, a.entryOp(a.entry(ma.id, 'earn', 10))]).then((r) => ((aDone = true), r));
      const rangeA = await aAllocated;
      expect(rangeA).toEqual({ first: 1, last: 2 });

      // B (a later push) applies its ops and then queues for the feed lock behind A.
      const pushB = b.pushOk([mb.op, b.entryOp(b.entry(mb.id, 'earn', 20))]).then((r) => ((bDone = true), r));
      await bReady;
      let waiting = 0;
      for (let i = 0; i < 1000 && waiting === 0; i++) {
        const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid
          WHERE NOT l.granted AND s.query ILIKE '%feed_clock%'`.execute(h.sdb.db);
        waiting = r.rows[0]!.n;
      }
      expect(waiting).toBe(1);

      // A pull now sees neither: A has not committed, B cannot have committed past it.
      const mid = await reader.pull('0');
      expect(mid.body).toMatchObject({ changes: [], nextCursor: '0', hasMore: false });
      expect([aDone, bDone]).toEqual([false, false]);

      release();
      const [ra, rb] = (await Promise.all([pushA, pushB])) as [PushResponse, PushResponse];
      expect(ra.ackedThroughSeq).toBe(2);
      expect(rb.ackedThroughSeq).toBe(2);
      // The next pull from the same cursor delivers A's changes, then B's, in commit order.
      const after = await reader.pull(mid.body.nextCursor);
      expect(after.body.changes.map((c) => [c.serverSeq, c.kind, c.kind === 'member' ? c.member.id : c.kind === 'ledger_entry' ? c.entry.member_id : '']))
        .toEqual([
          ['1', 'member', ma.id],
          ['2', 'ledger_entry', ma.id],
          ['3', 'member', mb.id],
          ['4', 'ledger_entry', mb.id],
        ]);
    });
  }
});
