import { expect, it } from 'vitest';
import { DEFAULT_RULE_SET } from '../../../src-shared/domain/rules';
import type { PushResponse, SnapshotMember, SnapshotResponse, SyncErrorBody } from '../../../src-shared/sync/protocol';
import { BootstrapView, describeServer, type FakeTerminal, type Harness } from './harness';

const byId = (pages: SnapshotResponse[]) => new Map(pages.flatMap((p) => p.members).map((m) => [m.member.id, m] as const));

/** Every member's balance and spend as the view holds them equals the server's. */
async function expectConverged(h: Harness, view: BootstrapView): Promise<void> {
  const members = await h.sdb.db.selectFrom('member').select(['id', 'balance']).execute();
  expect(members.length).toBeGreaterThan(0);
  for (const m of members) expect(view.balance(m.id), `balance of ${m.id}`).toBe(Number(m.balance));
  const spend = await h.sdb.db.selectFrom('member_spend').selectAll().execute();
  for (const s of spend) expect(view.spendOf(s.member_id, s.period), `spend of ${s.member_id} in ${s.period}`).toBe(Number(s.spend_minor));
}

describeServer('snapshot bootstrap', (ctx) => {
  it('pages the current member state by id with one upper cursor, leaving out what the requesting till made itself', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal(a.storeId);
    const n = await h.terminal(a.storeId); // the new till
    await h.admin('POST', '/admin/rule-sets', { ...DEFAULT_RULE_SET, version: 2, effectiveFrom: '2026-12-01' });
    const [m1, m2, m3, m4, m5] = ['+8613500000001', '+8613500000002', '+8613500000003', '+8613500000004', '+8613500000005'].map((p) => a.member(p));
    const earn1 = a.entry(m1!.id, 'earn', 500);
    const birthday = a.entry(m2!.id, 'bonus', 200, { idempotency_key: `birthday:${m2!.id}:2026`, reason: 'birthday' });
    const sale4 = a.sale(m4!.id, 10_000);
    await a.pushOk([
      ...[m1, m2, m3, m4, m5].map((m) => m!.op),
      a.card('6200000000000101', m1!.id, 'active'),
      a.entryOp(earn1),
      a.entryOp(a.entry(m1!.id, 'redeem', -200)),
      a.entryOp(birthday),
      a.entryOp(a.entry(m2!.id, 'redeem', -200)),
      sale4.op,
      a.entryOp(a.entry(m5!.id, 'earn', 40)),
    ]);
    await b.pushOk([b.entryOp(b.entry(m3!.id, 'earn', 100)), b.entryOp(b.entry(m3!.id, 'redeem', -300)), b.refund(sale4.id, 2_000)]);
    // The new till already sold to m5 and m1 before it bootstraps: the snapshot leaves that out.
    const own5 = n.entry(m5!.id, 'earn', 7);
    const ownSale = n.sale(m1!.id, 3_000);
    await n.pushOk([n.entryOp(own5), ownSale.op]);
    const head = await h.feedHead();

    const pages = await n.bootstrapAll(2);
    expect(pages.map((p) => [p.members.length, p.hasMore, p.upperCursor, p.pageCursor])).toEqual([
      [2, true, String(head), String(head)],
      [2, true, String(head), String(head)],
      [1, false, String(head), String(head)],
    ]);
    const ids = pages.flatMap((p) => p.members.map((m) => m.member.id));
    expect(ids).toEqual([m1, m2, m3, m4, m5].map((m) => m!.id).sort());
    expect(pages.map((p) => p.nextAfter)).toEqual([ids[1], ids[3], ids[4]]);
    expect(pages[0]!.ruleSets).toEqual([{ ...DEFAULT_RULE_SET, version: 2, effectiveFrom: '2026-12-01' }]);
    expect(pages[0]!.staff).toEqual([]);
    expect(pages.slice(1).map((p) => [p.ruleSets, p.staff])).toEqual([[undefined, undefined], [undefined, undefined]]);
    expect(n.cursor).toBe(String(head));

    const snap = byId(pages);
    const one = (m: { id: string }): SnapshotMember => snap.get(m.id)!;
    expect(one(m1!).lots).toEqual([{ entryId: earn1.id, kind: 'earn', reason: null, earnedAt: earn1.created_at, expiresAt: earn1.expires_at, remaining: 300, terminalId: a.id }]);
    expect(one(m1!).cards).toEqual([{ code: '6200000000000101', memberId: m1!.id, kind: 'printed', status: 'active' }]);
    expect(one(m1!).spend).toEqual([]); // only the new till's own sale: left out
    expect(one(m1!).member).toMatchObject({ id: m1!.id, phone: '+8613500000001', status: 'active' });
    expect(Object.keys(one(m1!).member.fieldHlc).sort()).toEqual(['birthday', 'consent_marketing', 'consent_terms_at', 'name', 'phone', 'status', 'status_reason']);
    // a spent birthday bonus is no lot, but its id comes along so it is never given twice
    expect([one(m2!).lots, one(m2!).onceOnly]).toEqual([[], [{ id: birthday.id, kind: 'bonus', createdAt: birthday.created_at }]]);
    expect([one(m3!).lots, one(m3!).debt, one(m3!).exceptions.map((x) => x.shortfall)]).toEqual([[], 200, [200]]);
    expect(one(m4!).spend).toEqual([{ period: '2026-11', spendMinor: 8_000 }]);
    expect(one(m5!).lots.map((l) => [l.remaining, l.terminalId])).toEqual([[40, a.id]]); // not the new till's own 7

    // The new till's own entries and sale plus the snapshot make exactly the server's state.
    const view = new BootstrapView(n.id);
    view.own(own5);
    view.ownSpend(m1!.id, '2026-11', 3_000);
    view.loadPages(pages);
    view.apply(await n.pullAll());
    await expectConverged(h, view);
  });

  it('counts in each page exactly the changes up to its pageCursor; the feed replay from the upper cursor skips those', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const n = await h.terminal(a.storeId);
    const members = Array.from({ length: 6 }, (_, i) => a.member(`+86135000001${String(i).padStart(2, '0')}`));
    await a.pushOk([...members.map((m) => m.op), ...members.map((m) => a.entryOp(a.entry(m.id, 'earn', 100)))]);
    const sorted = members.map((m) => m.id).sort();
    let late = '';
    const pages = await n.bootstrapAll(2, async (page) => {
      if (page.nextAfter !== sorted[1]) return;
      // Between the first and second page, other tills go on: an entry for a member already
      // loaded (page 1), one for a member still to come (page 3), a sale, and a new member.
      h.clock.advance(60_000);
      const m7 = a.member('+8613500000199');
      late = m7.id;
      await a.pushOk([a.entryOp(a.entry(sorted[0]!, 'earn', 11)), a.entryOp(a.entry(sorted[5]!, 'earn', 13)), a.sale(sorted[5]!, 5_000).op, m7.op, a.entryOp(a.entry(m7.id, 'earn', 17))]);
    });
    expect(pages.map((p) => p.members.length)).toEqual([2, 2, 2, 1]);
    expect(pages.at(-1)!.members.map((m) => m.member.id)).toContain(late);
    expect(Number(pages[2]!.pageCursor)).toBeGreaterThan(Number(pages[0]!.pageCursor));
    expect(pages.every((p) => p.upperCursor === pages[0]!.pageCursor)).toBe(true);
    const feed = await n.pullAll();
    const replayed = feed.filter((c) => c.kind === 'ledger_entry' || c.kind === 'spend');
    expect(replayed.length).toBe(4); // all of them come again from the feed...
    const s5Page = pages.find((p) => p.members.some((x) => x.member.id === sorted[5]))!;
    const s5Again = replayed.filter((c) => (c.kind === 'ledger_entry' ? c.entry.member_id : c.kind === 'spend' ? c.memberId : '') === sorted[5]);
    expect(s5Again.map((c) => Number(c.serverSeq) <= Number(s5Page.pageCursor))).toEqual([true, true]); // already in its page
    const view = new BootstrapView(n.id);
    view.loadPages(pages);
    view.apply(feed); // ...and only the first (a member of page 1) counts again
    await expectConverged(h, view);
    expect(view.balance(sorted[0]!)).toBe(111);
    expect(view.balance(sorted[5]!)).toBe(113);
    expect(view.balance(late)).toBe(17);
  });

  if (ctx.dialect === 'postgres') {
    it('a page read while a push is committing counts none of it; the feed delivers it afterwards', async () => {
      const h = ctx.h;
      const a = await h.terminal();
      const n = await h.terminal(a.storeId);
      const m = a.member('+8613500000301');
      await a.pushOk([m.op, a.entryOp(a.entry(m.id, 'earn', 100))]);
      let allocated!: () => void;
      const aAllocated = new Promise<void>((r) => (allocated = r));
      let release!: () => void;
      const aReleased = new Promise<void>((r) => (release = r));
      h.hooks.beforeCommit = async ({ terminalId }) => {
        if (terminalId !== a.id) return;
        allocated();
        await aReleased; // the push holds its seqs and the member's new balance, uncommitted
      };
      const push = a.pushOk([a.entryOp(a.entry(m.id, 'earn', 50))]);
      await aAllocated;
      const page = await n.snapshot({ limit: 10 });
      expect(page.body).toMatchObject({ upperCursor: '2', pageCursor: '2', hasMore: false });
      expect(page.body.members[0]!.lots.map((l) => l.remaining)).toEqual([100]);
      release();
      expect(((await push) as PushResponse).ackedThroughSeq).toBe(3);
      n.cursor = page.body.upperCursor;
      const view = new BootstrapView(n.id);
      view.loadPages([page.body]);
      view.apply(await n.pullAll());
      expect(view.balance(m.id)).toBe(150);
      await expectConverged(h, view);
    });
  }

  it('bootstraps merged members and moved lots to the server\'s balances', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal();
    const older = a.member('+8613500000401');
    h.clock.advance(1000);
    const newer = b.member('+8613500000401');
    await a.pushOk([older.op, a.entryOp(a.entry(older.id, 'earn', 300))]);
    await b.pushOk([newer.op, b.entryOp(b.entry(newer.id, 'earn', 250)), b.entryOp(b.entry(newer.id, 'redeem', -50))]);
    const n = await h.terminal(a.storeId);
    const pages = await n.bootstrapAll(1);
    const snap = byId(pages);
    expect(snap.get(newer.id)!.member).toMatchObject({ status: 'merged', mergedInto: older.id, phone: null });
    expect(snap.get(newer.id)!.lots).toEqual([]);
    // the survivor comes first (smaller id), so a till always knows the member mergedInto names
    expect(pages.findIndex((p) => p.members[0]!.member.id === older.id)).toBeLessThan(pages.findIndex((p) => p.members[0]!.member.id === newer.id));
    const view = new BootstrapView(n.id);
    view.loadPages(pages);
    view.apply(await n.pullAll());
    expect(view.balance(older.id)).toBe(500);
    await expectConverged(h, view);
  });

  it('refuses version-1 tills, an upper cursor ahead of the feed, and one older than the compacted feed', async () => {
    const h = ctx.h;
    const t: FakeTerminal = await h.terminal();
    const v1 = await t.snapshot({}, { protocolVersion: 1 });
    expect(v1.status).toBe(400);
    expect((v1.body as unknown as SyncErrorBody).error).toMatchObject({ code: 'PROTOCOL_VERSION_UNSUPPORTED', details: { requested: 1, supported: [2] } });
    const m = t.member('+8613500000501');
    await t.pushOk([m.op]);
    const ahead = await t.snapshot({ upperCursor: '99' });
    expect(ahead.status).toBe(409);
    expect((ahead.body as unknown as SyncErrorBody).error.details).toMatchObject({ reason: 'cursor_ahead', head: '1' });
    await h.sdb.db.updateTable('feed_clock').set({ compacted_through: 1 }).execute();
    const old = await t.snapshot({ upperCursor: '0', after: m.id });
    expect(old.status).toBe(410);
    expect((old.body as unknown as SyncErrorBody).error).toMatchObject({ code: 'CURSOR_EXPIRED', details: { reason: 'compacted', cursor: '0', compactedThrough: '1' } });
    expect((await t.snapshot({ upperCursor: '1' })).status).toBe(200);
    expect((await t.snapshot({ limit: 1001 })).status).toBe(400);
  });
});
