import { expect, it } from 'vitest';
import { deterministicUuid } from '../../../src-shared/sync/ids';
import { SERVER_TERMINAL_ID, type HoldResponse, type PullChange, type ServerMember, type SyncErrorBody } from '../../../src-shared/sync/protocol';
import { describeServer, LedgerView, type FakeTerminal, type Harness } from './harness';

function lastMember(changes: PullChange[], id: string): ServerMember | undefined {
  return changes.filter((c): c is Extract<PullChange, { kind: 'member' }> => c.kind === 'member' && c.member.id === id).at(-1)?.member;
}

describeServer('merges, overdrafts and holds', (ctx) => {
  /** Two stores register the same phone while offline; `first` pushes first. Returns both ids, older first. */
  async function duplicateRegistration(h: Harness, pushFirst: 'older' | 'newer') {
    const a = await h.terminal(undefined, { name: 'store A' });
    const b = await h.terminal(undefined, { name: 'store B' });
    const viewA = new LedgerView();
    const viewB = new LedgerView();
    const phone = '+8613700000001';
    // A registers first (smaller UUIDv7), B a minute later; both earn, B also redeems.
    const older = a.member(phone, { name: 'Chen' });
    const ea1 = a.entry(older.id, 'bonus', 100, { idempotency_key: `welcome:${older.id}` });
    const ea2 = a.entry(older.id, 'earn', 250);
    h.clock.advance(60_000);
    const newer = b.member(phone, { name: 'Chen Jie' });
    const eb1 = b.entry(newer.id, 'bonus', 100, { idempotency_key: `welcome:${newer.id}` });
    const eb2 = b.entry(newer.id, 'earn', 400);
    const eb3 = b.entry(newer.id, 'redeem', -300, { idempotency_key: 'rcpt-b1:redeem' });
    for (const e of [ea1, ea2]) viewA.add(e);
    for (const e of [eb1, eb2, eb3]) viewB.add(e);
    const pushA = () => a.pushOk([older.op, a.entryOp(ea1), a.entryOp(ea2)]);
    const pushB = () => b.pushOk([newer.op, b.entryOp(eb1), b.entryOp(eb2), b.entryOp(eb3)]);
    const first = pushFirst === 'older' ? await pushA() : await pushB();
    const second = pushFirst === 'older' ? await pushB() : await pushA();
    return { a, b, viewA, viewB, older: older.id, newer: newer.id, first, second };
  }

  it('merges the same phone registered at two stores into the earlier member, balances and terminals converging', async () => {
    const h = ctx.h;
    const { a, b, viewA, viewB, older, newer, second } = await duplicateRegistration(h, 'newer');
    expect(second.results[0]).toMatchObject({ status: 'applied', reason: `merged_from:${newer}` });
    const loser = await h.sdb.db.selectFrom('member').selectAll().where('id', '=', newer).executeTakeFirstOrThrow();
    expect(loser).toMatchObject({ status: 'merged', merged_into: older, phone: null });
    expect((await h.sdb.db.selectFrom('member').select('phone').where('id', '=', older).executeTakeFirstOrThrow()).phone).toBe('+8613700000001');
    expect(await h.balance(newer)).toBe(0);
    expect(await h.balance(older)).toBe(350 + 200);
    // The transfer is a deterministic pair per source lot, made by the server.
    const pair = await h.sdb.db.selectFrom('ledger_entry').selectAll().where('terminal_id', '=', SERVER_TERMINAL_ID).orderBy('idempotency_key').execute();
    expect(pair.length).toBeGreaterThanOrEqual(2);
    for (const e of pair) {
      expect(e.id).toBe(deterministicUuid(e.idempotency_key));
      expect(e.kind).toBe('adjust');
      expect(e.reason).toBe(e.member_id === newer ? `merged_into:${older}` : `merged_from:${newer}`);
    }
    expect(pair.reduce((s, e) => s + Number(e.points), 0)).toBe(0);

    // B was offline a little longer: an entry for the merged member arrives later and moves at once.
    const late = b.entry(newer, 'earn', 70);
    viewB.add(late);
    const r = await b.pushOk([b.entryOp(late)]);
    expect(r.results[0]).toMatchObject({ status: 'applied', reason: `transferred_to:${older}` });
    expect(await h.balance(newer)).toBe(0);
    expect(await h.balance(older)).toBe(620);
    expect(await h.ledgerSum(older)).toBe(620);

    // Both terminals pull and agree with the server on both members' balances and states.
    const pa = await a.pullAll();
    const pb = await b.pullAll();
    viewA.apply(pa);
    viewB.apply(pb);
    for (const id of [older, newer]) {
      expect(viewA.balance(id)).toBe(await h.balance(id));
      expect(viewB.balance(id)).toBe(await h.balance(id));
    }
    expect(lastMember(pa, newer)).toMatchObject({ status: 'merged', mergedInto: older, phone: null });
    expect(lastMember(pb, newer)).toEqual(lastMember(pa, newer));
    expect(lastMember(pb, older)).toEqual(lastMember(pa, older));
    // the survivor's state comes before the merged member's (a terminal can resolve mergedInto)
    const order = pb.filter((c) => c.kind === 'member').map((c) => (c.kind === 'member' ? `${c.member.id}:${c.member.status}` : ''));
    expect(order.indexOf(`${older}:active`)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(`${newer}:merged`)).toBeGreaterThan(order.indexOf(`${older}:active`));
  });

  it('reaches the same result whichever store pushes first', async () => {
    const h = ctx.h;
    const x = await duplicateRegistration(h, 'older');
    expect(x.second.results[0]).toMatchObject({ status: 'applied', reason: `merged_into:${x.older}` });
    const state1 = {
      loser: await h.sdb.db.selectFrom('member').select(['status', 'merged_into', 'phone']).where('id', '=', x.newer).executeTakeFirstOrThrow(),
      winner: await h.sdb.db.selectFrom('member').select(['status', 'phone', 'name']).where('id', '=', x.older).executeTakeFirstOrThrow(),
      balances: [await h.balance(x.older), await h.balance(x.newer)],
    };
    expect(state1).toEqual({
      loser: { status: 'merged', merged_into: x.older, phone: null },
      winner: { status: 'active', phone: '+8613700000001', name: 'Chen' },
      balances: [550, 0],
    });
    // B edits the merged member's name: the edit goes to the survivor.
    const r = await x.b.pushOk([x.b.fields(x.newer, { name: 'Chen Jie 陈杰' })]);
    expect(r.results[0]!.reason).toBe(`redirected_to:${x.older}`);
    expect((await h.sdb.db.selectFrom('member').select('name').where('id', '=', x.older).executeTakeFirstOrThrow()).name).toBe('Chen Jie 陈杰');
    const pa = await x.a.pullAll();
    const pb = await x.b.pullAll();
    x.viewA.apply(pa);
    x.viewB.apply(pb);
    expect([x.viewA.balance(x.older), x.viewB.balance(x.older), x.viewA.balance(x.newer), x.viewB.balance(x.newer)]).toEqual([550, 550, 0, 0]);
  });

  it('moves qualifying spend to the survivor and repoints members merged into a member that merges again', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal(a.storeId);
    const c = await h.terminal(a.storeId);
    const phone = '+8613700000002';
    const x = a.member(phone);
    h.clock.advance(1000);
    const y = b.member(phone);
    h.clock.advance(1000);
    const z = c.member(phone);
    await c.pushOk([z.op, c.sale(z.id, 9000).op]);
    await b.pushOk([y.op]); // z merges into y
    expect((await h.sdb.db.selectFrom('member').select('merged_into').where('id', '=', z.id).executeTakeFirstOrThrow()).merged_into).toBe(y.id);
    await a.pushOk([x.op]); // y merges into x, z now points at x
    const rows = await h.sdb.db.selectFrom('member').select(['id', 'status', 'merged_into']).where('phone', 'is', null).orderBy('id').execute();
    expect(rows).toEqual([
      { id: y.id, status: 'merged', merged_into: x.id },
      { id: z.id, status: 'merged', merged_into: x.id },
    ]);
    const spend = await h.sdb.db.selectFrom('member_spend').select(['member_id', 'spend_minor']).where('spend_minor', '!=', 0).execute();
    expect(spend.map((s) => [s.member_id, Number(s.spend_minor)])).toEqual([[x.id, 9000]]);
    // a sale for z after the merges counts on x, and every terminal (its maker too) hears of it
    const late = c.sale(z.id, 1000);
    expect((await c.pushOk([late.op])).results[0]!.reason).toBe(`spend_counted_on:${x.id}`);
    const spendChanges = (await c.pullAll()).filter((ch) => ch.kind === 'spend');
    expect(spendChanges.at(-1)).toMatchObject({ memberId: x.id, deltaMinor: 1000, sourceTerminalId: SERVER_TERMINAL_ID });
  });

  it('records an overdraft exception when two stores spent the same points offline', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal();
    const m = a.member('+8613700000003');
    await a.pushOk([m.op, a.entryOp(a.entry(m.id, 'earn', 1000))]);
    await b.pullAll();
    // both redeem 800 offline
    const ra = a.entry(m.id, 'redeem', -800, { offline: 1, idempotency_key: 'ra:redeem' });
    const rb = b.entry(m.id, 'redeem', -800, { offline: 1, idempotency_key: 'rb:redeem' });
    expect((await a.pushOk([a.entryOp(ra)])).results[0]).toEqual({ seq: 3, status: 'applied' });
    const res = await b.pushOk([b.entryOp(rb)]);
    expect(res.results[0]).toEqual({ seq: 1, status: 'applied', reason: 'overdraft:600' }); // recorded, never refused
    expect(await h.balance(m.id)).toBe(-600);
    const x = await h.sdb.db.selectFrom('overdraft_exception').selectAll().executeTakeFirstOrThrow();
    expect(x).toMatchObject({ member_id: m.id, entry_id: rb.id, terminal_id: b.id, store_id: b.storeId });
    expect([Number(x.shortfall), Number(x.exposure_minor)]).toEqual([600, 600]);
    // a further redemption on a negative balance: its whole amount is the shortfall
    const rb2 = b.entry(m.id, 'redeem', -100, { offline: 1 });
    await b.pushOk([b.entryOp(rb2)]);
    // both stores learn of the exceptions
    for (const t of [a, b] as FakeTerminal[]) {
      const ex = (await t.pullAll()).filter((c): c is Extract<PullChange, { kind: 'exception' }> => c.kind === 'exception');
      expect(ex.map((e) => [e.exception.entryId, e.exception.shortfall, e.exception.exposureMinor])).toEqual([
        [rb.id, 600, 600],
        [rb2.id, 100, 100],
      ]);
    }
    const report = await h.admin<{ count: number; totalShortfall: number; totalExposureMinor: number; exceptions: unknown[] }>('GET', '/admin/reports/exceptions');
    expect(report.body).toMatchObject({ count: 2, totalShortfall: 700, totalExposureMinor: 700 });
    const byStore = await h.admin<{ count: number }>('GET', `/admin/reports/exceptions?storeId=${a.storeId}`);
    expect(byStore.body.count).toBe(0);
    // a replay does not record it twice
    await b.pushOk([b.entryOp(rb)]);
    expect(await h.count('overdraft_exception')).toBe(2);
  });

  it('holds points for an online redemption: approved only while balance minus open holds covers it', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal();
    const m = a.member('+8613700000004');
    await a.pushOk([m.op, a.entryOp(a.entry(m.id, 'earn', 1000))]);
    const hold = (t: FakeTerminal, points: number, receiptRef: string, holdId = t.newId()) =>
      h.request<HoldResponse>('POST', '/v1/holds', { token: t.token, body: { holdId, memberId: m.id, points, receiptRef } });
    const h1 = await hold(a, 600, 'rcpt-a1');
    expect(h1.status).toBe(200);
    expect(h1.body).toMatchObject({ status: 'approved', availableAfter: 400, expiresAt: new Date(h.clock.now() + 600_000).toISOString() });
    const h2 = await hold(b, 600, 'rcpt-b1');
    expect(h2.status).toBe(409);
    expect((h2.body as unknown as SyncErrorBody).error).toMatchObject({ code: 'INSUFFICIENT_POINTS', details: { available: 400, balance: 1000, held: 600 } });
    // the same holdId again (a lost answer) answers the same approval
    const again = await hold(a, 600, 'rcpt-a1', h1.body.holdId);
    expect(again.body).toMatchObject({ holdId: h1.body.holdId, status: 'approved', expiresAt: h1.body.expiresAt });
    expect((await hold(b, 400, 'rcpt-b2')).status).toBe(200);
    // releasing gives the points back, idempotently; another terminal cannot release it
    const notMine = await h.request<SyncErrorBody>('POST', '/v1/holds/release', { token: b.token, body: { holdId: h1.body.holdId } });
    expect(notMine.body.error.code).toBe('FORBIDDEN');
    const rel = await h.request('POST', '/v1/holds/release', { token: a.token, body: { holdId: h1.body.holdId } });
    expect(rel.body).toMatchObject({ holdId: h1.body.holdId, status: 'released', serverTime: h.clock.iso() });
    expect((await h.request('POST', '/v1/holds/release', { token: a.token, body: { holdId: h1.body.holdId } })).body).toMatchObject({ status: 'released' });
    expect((await h.request<SyncErrorBody>('POST', '/v1/holds/release', { token: a.token, body: { holdId: a.newId() } })).body.error.code).toBe('HOLD_NOT_FOUND');
    // a redeem entry pushed with <receiptRef>:redeem consumes the hold
    const h3 = await hold(a, 500, 'rcpt-a3');
    expect(h3.status).toBe(200);
    const redeem = a.entry(m.id, 'redeem', -500, { idempotency_key: 'rcpt-a3:redeem' });
    expect((await a.pushOk([a.entryOp(redeem)])).results[0]!.reason).toBe('hold_consumed');
    const consumed = await h.sdb.db.selectFrom('redemption_hold').selectAll().where('id', '=', h3.body.holdId).executeTakeFirstOrThrow();
    expect([consumed.status, consumed.consumed_entry_id]).toEqual(['consumed', redeem.id]);
    // balance 500, b still holds 400: 100 left; after 10 minutes b's hold lapses
    expect((await hold(a, 200, 'rcpt-a4')).status).toBe(409);
    h.clock.advance(600_000);
    expect((await hold(a, 200, 'rcpt-a5')).body).toMatchObject({ status: 'approved', availableAfter: 300 });
  });

  it('refuses holds for unknown, blocked and erased members, and holds on the survivor of a merge', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const hold = (memberId: string, points = 100) => h.request<SyncErrorBody & HoldResponse>('POST', '/v1/holds', { token: a.token, body: { holdId: a.newId(), memberId, points, receiptRef: 'r' } });
    expect((await hold(a.newId())).body.error.code).toBe('MEMBER_NOT_FOUND');
    const m = a.member('+8613700000005');
    await a.pushOk([m.op, a.entryOp(a.entry(m.id, 'earn', 500)), a.fields(m.id, { status: 'blocked', status_reason: 'fraud' })]);
    expect((await hold(m.id)).body.error.code).toBe('MEMBER_BLOCKED');
    const bad = await h.request('POST', '/v1/holds', { token: a.token, body: { holdId: a.newId(), memberId: m.id, points: 0, receiptRef: 'r' } });
    expect(bad.status).toBe(400);
    // merged: the hold is taken on the survivor's balance
    const older = a.member('+8613700000006');
    h.clock.advance(1000);
    const newer = a.member('+8613700000006');
    await a.pushOk([older.op, newer.op, a.entryOp(a.entry(newer.id, 'earn', 300))]);
    const r = await hold(newer.id, 300);
    expect(r.body).toMatchObject({ status: 'approved', availableAfter: 0 });
    expect((await h.sdb.db.selectFrom('redemption_hold').select('member_id').where('id', '=', r.body.holdId).executeTakeFirstOrThrow()).member_id).toBe(older.id);
  });

  it('approves only one of many concurrent holds for the same points', async () => {
    const h = ctx.h;
    const terminals = [await h.terminal()];
    for (let i = 0; i < 7; i++) terminals.push(await h.terminal(terminals[0]!.storeId));
    const a = terminals[0]!;
    const m = a.member('+8613700000007');
    await a.pushOk([m.op, a.entryOp(a.entry(m.id, 'earn', 1000))]);
    // eight terminals ask at the same moment for 700 of the 1000 points (on PostgreSQL these run on
    // separate connections in parallel; the member row lock decides)
    const answers = await Promise.all(
      terminals.map((t, i) => h.request<HoldResponse & SyncErrorBody>('POST', '/v1/holds', { token: t.token, body: { holdId: t.newId(), memberId: m.id, points: 700, receiptRef: `r${i}` } })),
    );
    expect(answers.filter((x) => x.status === 200)).toHaveLength(1);
    expect(answers.filter((x) => x.status === 409).every((x) => x.body.error.code === 'INSUFFICIENT_POINTS')).toBe(true);
    expect(await h.count('redemption_hold')).toBe(1);
  });

  it('releases the open holds of a revoked terminal', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const m = a.member('+8613700000008');
    await a.pushOk([m.op, a.entryOp(a.entry(m.id, 'earn', 100))]);
    expect((await h.request('POST', '/v1/holds', { token: a.token, body: { holdId: a.newId(), memberId: m.id, points: 100, receiptRef: 'r' } })).status).toBe(200);
    await h.admin('POST', `/admin/terminals/${a.id}/revoke`);
    const row = await h.sdb.db.selectFrom('redemption_hold').select('status').executeTakeFirstOrThrow();
    expect(row.status).toBe('released');
  });
});
