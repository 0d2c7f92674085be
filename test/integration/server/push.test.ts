import { expect, it } from 'vitest';
import { formatHlc, nodeIdOf, parseHlc } from '../../../src-shared/sync/hlc';
import { deterministicUuid } from '../../../src-shared/sync/ids';
import type { PullChange, ServerMember, SyncErrorBody } from '../../../src-shared/sync/protocol';
import { describeServer, type FakeTerminal } from './harness';

const members = (changes: PullChange[], id: string): ServerMember[] =>
  changes.filter((c): c is Extract<PullChange, { kind: 'member' }> => c.kind === 'member' && c.member.id === id).map((c) => c.member);

describeServer('push', (ctx) => {
  async function registered(t: FakeTerminal, phone: string, points = 0): Promise<string> {
    const m = t.member(phone);
    const ops = [m.op];
    if (points) ops.push(t.entryOp(t.entry(m.id, 'earn', points)));
    await t.pushOk(ops);
    return m.id;
  }

  it('applies a batch of every kind and acknowledges exactly what it stored', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const m = t.member('+8613900000001', { name: 'Li Lei' });
    const earn = t.entry(m.id, 'earn', 120);
    const sale = t.sale(m.id, 12000);
    const ops = [
      m.op,
      t.card('6200000000000001', m.id, 'active'),
      t.entryOp(earn),
      sale.op,
      t.entryOp(t.entry(m.id, 'redeem', -100, { idempotency_key: 'k1:redeem' })),
      t.refund(sale.id, 2000),
      t.fields(m.id, { name: 'Li Lei 李雷', birthday: '05-04' }),
      t.op('audit', t.newId(), { id: t.newId(), action: 'member.update', hash: 'a'.repeat(64), prev_hash: '0'.repeat(64), terminal_id: t.id, details: '{}' }),
      t.op('staff', t.newId(), { id: t.newId(), name: 'Wang Fang', role: 'cashier', active: true }),
    ];
    const res = await t.pushOk(ops);
    expect(res.ackedThroughSeq).toBe(9);
    expect(res.results.map((r) => r.status)).toEqual(Array(9).fill('applied'));
    expect(await h.balance(m.id)).toBe(20);
    expect(await h.ledgerSum(m.id)).toBe(20);
    const member = await h.sdb.db.selectFrom('member').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(member).toMatchObject({ name: 'Li Lei 李雷', birthday: '05-04', phone: '+8613900000001', phone_last4: '0001', registered_terminal: t.id, registered_store: t.storeId });
    const spend = await h.sdb.db.selectFrom('member_spend').selectAll().where('member_id', '=', m.id).execute();
    expect(spend.map((s) => [s.period, Number(s.spend_minor)])).toEqual([['2026-11', 10000]]);
    for (const table of ['sale', 'refund', 'audit_entry', 'staff', 'card'] as const) expect(await h.count(table)).toBe(1);
    expect(Number((await h.sdb.db.selectFrom('terminal').select('last_acked_seq').executeTakeFirstOrThrow()).last_acked_seq)).toBe(9);
  });

  it('answers a replayed batch with the stored results and applies nothing twice', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const m = t.member('+8613900000002');
    const ops = [m.op, t.entryOp(t.entry(m.id, 'earn', 50)), t.op('future_kind', 'x', { a: 1 }), t.entryOp({ ...t.entry(m.id, 'earn', 5), points: 1.5 })];
    const first = await t.pushOk(ops);
    const head = await h.feedHead();
    const counts = [await h.count('ledger_entry'), await h.count('member'), await h.count('held_op'), await h.count('push_result')];
    const again = await t.pushOk(ops);
    expect(again.ackedThroughSeq).toBe(4);
    expect(again.results).toEqual(first.results.map((r) => ({ ...r, replayed: true })));
    expect(await h.feedHead()).toBe(head);
    expect([await h.count('ledger_entry'), await h.count('member'), await h.count('held_op'), await h.count('push_result')]).toEqual(counts);
    expect(await h.balance(m.id)).toBe(50);
  });

  it('lost acknowledgement: the server committed, the terminal never heard, the retry (with more ops) gets the stored result', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const m = t.member('+8613900000003');
    const batch = [m.op, t.entryOp(t.entry(m.id, 'earn', 300))];
    await t.push(batch); // the answer is "lost": the terminal keeps its outbox
    const later = t.entryOp(t.entry(m.id, 'earn', 7));
    const retry = await t.pushOk([...batch, later]);
    expect(retry.ackedThroughSeq).toBe(3);
    expect(retry.results).toEqual([
      { seq: 1, status: 'applied', replayed: true },
      { seq: 2, status: 'applied', replayed: true },
      { seq: 3, status: 'applied' },
    ]);
    expect(await h.balance(m.id)).toBe(307);
    expect(await h.count('ledger_entry')).toBe(2);
  });

  it('refuses a sequence gap with the expected seq and stores nothing', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const m = t.member('+8613900000004');
    const e1 = t.entryOp(t.entry(m.id, 'earn', 10));
    const e2 = t.entryOp(t.entry(m.id, 'earn', 20));
    const gap = await t.push([e1, e2]); // seq 2 and 3 while 1 was never sent
    expect(gap.status).toBe(409);
    expect((gap.body as unknown as SyncErrorBody).error).toMatchObject({ code: 'SEQUENCE_GAP', details: { expectedSeq: 1, lastAckedSeq: 0 } });
    expect(await h.count('member')).toBe(0);
    const hole = await t.push([m.op, e2]); // 1 and 3: a hole inside the batch
    expect((hole.body as unknown as SyncErrorBody).error).toMatchObject({ code: 'SEQUENCE_GAP', details: { expectedSeq: 2 } });
    expect(await h.count('member')).toBe(0);
    expect(await h.count('push_result')).toBe(0);
    expect(await h.feedHead()).toBe(0);
    expect((await t.pushOk([m.op, e1, e2])).ackedThroughSeq).toBe(3);
  });

  it('refuses an acknowledged seq that arrives with another opId (a reset terminal database)', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const m = t.member('+8613900000005');
    await t.pushOk([m.op]);
    const r = await t.push([{ ...m.op, opId: t.newId() }]);
    expect(r.status).toBe(409);
    expect((r.body as unknown as SyncErrorBody).error).toMatchObject({ code: 'SEQUENCE_CONFLICT', details: { seq: 1 } });
  });

  it('stores a batch whole or not at all (a failure in the middle rolls everything back)', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const m = t.member('+8613900000006');
    const ops = [m.op, t.entryOp(t.entry(m.id, 'earn', 10)), t.card('6200000000000002', m.id, 'active'), t.entryOp(t.entry(m.id, 'earn', 20)), t.sale(m.id, 500).op];
    h.hooks.afterOp = ({ seq }) => {
      if (seq === 3) throw new Error('disk full (injected)');
    };
    const r = await t.push(ops);
    expect(r.status).toBe(500);
    expect((r.body as unknown as SyncErrorBody).error.code).toBe('INTERNAL');
    for (const table of ['member', 'ledger_entry', 'card', 'sale', 'push_result', 'change_feed', 'member_field_clock'] as const) expect(await h.count(table)).toBe(0);
    expect(await h.feedHead()).toBe(0);
    expect(Number((await h.sdb.db.selectFrom('terminal').select('last_acked_seq').executeTakeFirstOrThrow()).last_acked_seq)).toBe(0);
    h.hooks.afterOp = undefined;
    const ok = await t.pushOk(ops);
    expect(ok.results.every((x) => x.status === 'applied')).toBe(true);
    expect(await h.balance(m.id)).toBe(30);
  });

  it('rejects a poison op with a reason but acknowledges it, so the terminal is never blocked', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const m = t.member('+8613900000007');
    const bad = t.op('ledger_entry', 'e', { ...t.entry(m.id, 'earn', 10), points: 10.5 });
    const noExpiry = t.entryOp({ ...t.entry(m.id, 'earn', 10), expires_at: null });
    const redeemPlus = t.entryOp({ ...t.entry(m.id, 'redeem', 10) });
    const badFields = t.fields(m.id, { phone: 'not a phone', name: 'Ok Name' });
    const good = t.entryOp(t.entry(m.id, 'earn', 10));
    const res = await t.pushOk([m.op, bad, noExpiry, redeemPlus, badFields, good]);
    expect(res.ackedThroughSeq).toBe(6);
    expect(res.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'rejected', 'rejected', 'applied', 'applied']);
    expect(res.results[1]!.reason).toMatch(/^invalid_payload: points/);
    expect(res.results[2]!.reason).toMatch(/credits carry an expiry/);
    expect(res.results[3]!.reason).toMatch(/^sign_mismatch/);
    expect(res.results[4]!.reason).toBe('invalid_value:phone');
    expect(await h.balance(m.id)).toBe(10);
    const next = await t.pushOk([t.entryOp(t.entry(m.id, 'earn', 1))]);
    expect(next.results[0]).toEqual({ seq: 7, status: 'applied' });
  });

  it('holds ops of a kind it does not know (a newer terminal) instead of dropping them', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const res = await t.pushOk([t.op('voucher', 'v-1', { id: 'v-1', value: 500 }), t.op('ledger_entry_v2', 'e', { x: 1 })]);
    expect(res.results.map((r) => r.status)).toEqual(['held', 'held']);
    expect(res.results[0]!.reason).toMatch(/^unknown_kind/);
    const held = await h.admin<{ heldOps: { kind: string; seq: number; terminalId: string }[] }>('GET', '/admin/held-ops');
    expect(held.body.heldOps.map((x) => [x.kind, x.seq, x.terminalId])).toEqual([
      ['voucher', 1, t.id],
      ['ledger_entry_v2', 2, t.id],
    ]);
    const row = await h.sdb.db.selectFrom('held_op').selectAll().where('seq', '=', 1).executeTakeFirstOrThrow();
    expect(JSON.parse(row.payload)).toEqual({ id: 'v-1', value: 500 });
    const list = await h.admin<{ terminals: { heldOps: number }[] }>('GET', '/admin/terminals');
    expect(list.body.terminals[0]!.heldOps).toBe(2);
  });

  it('merges ledger entries by union: the same id is a duplicate, the same key under another id is refused', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal(a.storeId);
    const mId = await registered(a, '+8613900000008', 100);
    // The same once-only welcome bonus made by two offline terminals has one id.
    const welcomeId = deterministicUuid(`welcome:${mId}`);
    const wa = a.entry(mId, 'bonus', 100, { id: welcomeId, idempotency_key: `welcome:${mId}` });
    const wb = b.entry(mId, 'bonus', 100, { id: welcomeId, idempotency_key: `welcome:${mId}` });
    expect((await a.pushOk([a.entryOp(wa)])).results[0]!.status).toBe('applied');
    expect((await b.pushOk([b.entryOp(wb)])).results[0]!.status).toBe('duplicate');
    const clash = b.entry(mId, 'earn', 40, { idempotency_key: `welcome:${mId}` });
    const r = await b.pushOk([b.entryOp(clash)]);
    expect(r.results[0]!.status).toBe('rejected');
    expect(r.results[0]!.reason).toMatch(/^idempotency_key_conflict/);
    expect(await h.balance(mId)).toBe(200);
    expect(await h.ledgerSum(mId)).toBe(200);
  });

  it('holds an entry for a member the server does not know (never drops it)', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const r = await t.pushOk([t.entryOp(t.entry(t.newId(), 'earn', 10))]);
    expect(r.results[0]).toMatchObject({ status: 'held' });
    expect(r.results[0]!.reason).toMatch(/^unknown_member/);
  });

  it('resolves profile fields last-writer-wins by HLC, whatever the arrival order, terminal id breaking ties', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal(a.storeId);
    const mId = await registered(a, '+8613900000009');
    const early = a.hlc.send();
    h.clock.advance(1000);
    const late = b.hlc.send();
    // the later edit arrives first
    await b.pushOk([b.fields(mId, { name: 'Late' }, late)]);
    const r = await a.pushOk([a.fields(mId, { name: 'Early', birthday: '01-02' }, early)]);
    expect(r.results[0]).toMatchObject({ status: 'applied', reason: 'older:name' });
    const m = await h.sdb.db.selectFrom('member').selectAll().where('id', '=', mId).executeTakeFirstOrThrow();
    expect([m.name, m.birthday]).toEqual(['Late', '01-02']);
    // Exactly the same HLC instant and counter: the node (terminal) decides.
    const p = parseHlc(late)!;
    const sameA = formatHlc({ ...p, millis: p.millis + 5, node: nodeIdOf(a.id) });
    const sameB = formatHlc({ ...p, millis: p.millis + 5, node: nodeIdOf(b.id) });
    await a.pushOk([a.fields(mId, { name: 'From A' }, sameA)]);
    await b.pushOk([b.fields(mId, { name: 'From B' }, sameB)]);
    const winner = sameA > sameB ? 'From A' : 'From B';
    expect((await h.sdb.db.selectFrom('member').select('name').where('id', '=', mId).executeTakeFirstOrThrow()).name).toBe(winner);
  });

  it('clamps an HLC far ahead of the server clock, so a fast till cannot win every later edit', async () => {
    const h = ctx.h;
    const fast = await h.terminal(undefined, { clockSkewMs: 24 * 3_600_000 }); // a day fast
    const good = await h.terminal(fast.storeId);
    const mId = await registered(good, '+8613900000010');
    h.clock.advance(1000);
    const r = await fast.pushOk([fast.fields(mId, { name: 'From the future' })]);
    expect(r.results[0]!.reason).toBe('hlc_clamped');
    const clock = await h.sdb.db.selectFrom('member_field_clock').selectAll().where('member_id', '=', mId).where('field', '=', 'name').executeTakeFirstOrThrow();
    expect(clock.hlc.slice(0, 24)).toBe(h.clock.iso()); // stored at server time, not a day ahead
    const pulled = await good.pullAll();
    expect(members(pulled, mId).at(-1)!.fieldHlc.name).toBe(clock.hlc);
    h.clock.advance(60_000);
    const fix = await good.pushOk([good.fields(mId, { name: 'Corrected' })]);
    expect(fix.results[0]).toEqual({ seq: 2, status: 'applied' });
    expect((await h.sdb.db.selectFrom('member').select('name').where('id', '=', mId).executeTakeFirstOrThrow()).name).toBe('Corrected');
    // a registration from the fast till is clamped too
    const reg = fast.member('+8613900000011');
    expect((await fast.pushOk([reg.op])).results[0]!.reason).toBe('hlc_clamped');
  });

  it('keeps an erased profile erased: later personal data and status changes lose', async () => {
    const h = ctx.h;
    const t = await h.terminal();
    const mId = await registered(t, '+8613900000012');
    const before = t.hlc.send();
    h.clock.advance(1000);
    await t.pushOk([t.fields(mId, { phone: null, phone_last4: null, name: null, birthday: null, consent_marketing: 0, status: 'erased', status_reason: 'erasure request' })]);
    h.clock.advance(1000);
    const r = await t.pushOk([t.fields(mId, { name: 'Back again', status: 'active' })]);
    expect(r.results[0]!.reason).toBe('erased:name; erased:status');
    await t.pushOk([t.fields(mId, { name: 'Old edit' }, before)]);
    const m = await h.sdb.db.selectFrom('member').selectAll().where('id', '=', mId).executeTakeFirstOrThrow();
    expect([m.status, m.name, m.phone, m.birthday]).toEqual(['erased', null, null, null]);
  });

  it('treats cards as add-wins: newer writes win, and a code bound to two members stays with the earliest registration', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal(a.storeId);
    const m1 = await registered(a, '+8613900000013');
    const m2 = await registered(b, '+8613900000014');
    await a.pullAll();
    await b.pullAll();
    const code = '6200000000000003';
    const t1 = a.hlc.send();
    h.clock.advance(1000);
    const t2 = a.hlc.send();
    // deactivation (newer) arrives before the activation (older): the card stays inactive
    await a.pushOk([a.card(code, m1, 'inactive', t2)]);
    const act = await a.pushOk([a.card(code, m1, 'active', t1)]);
    expect(act.results[0]!.reason).toBe('older_than_current');
    expect((await h.sdb.db.selectFrom('card').select('status').where('code', '=', code).executeTakeFirstOrThrow()).status).toBe('inactive');
    h.clock.advance(1000);
    await a.pushOk([a.card(code, m1, 'active')]); // reactivated later: active again
    expect((await h.sdb.db.selectFrom('card').select('status').where('code', '=', code).executeTakeFirstOrThrow()).status).toBe('active');

    // Two members claim one code while offline: a's binding arrives first, but b bound it earlier,
    // so b's member takes it when b's op arrives.
    const code2 = '6200000000000004';
    const earlyB = b.hlc.send();
    h.clock.advance(1000);
    await a.pushOk([a.card(code2, m1, 'active')]);
    const rb = await b.pushOk([b.card(code2, m2, 'active', earlyB)]);
    expect(rb.results[0]!.reason).toBe(`rebound_from:${m1}`);
    // a later claim by a loses, and a learns the winner from its pull (the change is not filtered as an echo)
    h.clock.advance(1000);
    const ra = await a.pushOk([a.card(code2, m1, 'active')]);
    expect(ra.results[0]!.reason).toBe(`card_bound_to:${m2}`);
    const cards = (await a.pullAll()).filter((c): c is Extract<PullChange, { kind: 'card' }> => c.kind === 'card' && c.card.code === code2);
    expect(cards.at(-1)!.card).toEqual({ code: code2, memberId: m2, kind: 'printed', status: 'active' });
    const row = await h.sdb.db.selectFrom('card').selectAll().where('code', '=', code2).executeTakeFirstOrThrow();
    expect([row.member_id, row.status]).toEqual([m2, 'active']);
  });

  it('keeps balances equal to the ledger when many terminals push for the same members at once', async () => {
    const h = ctx.h;
    const owner = await h.terminal();
    const ids: string[] = [];
    const reg = [];
    for (let i = 0; i < 3; i++) {
      const m = owner.member(`+86139000001${i}0`);
      ids.push(m.id);
      reg.push(m.op, owner.entryOp(owner.entry(m.id, 'earn', 1000)));
    }
    await owner.pushOk(reg);
    const terminals = await Promise.all(Array.from({ length: 6 }, () => h.terminal(owner.storeId)));
    // each terminal: entries for the members in its own order, a profile edit, a redemption
    const pushes = terminals.map((t, k) => {
      const order = k % 2 === 0 ? ids : [...ids].reverse();
      const ops = order.flatMap((id) => [t.entryOp(t.entry(id, 'earn', 10 + k)), t.fields(id, { name: `edit ${k}` })]);
      ops.push(t.entryOp(t.entry(order[0]!, 'redeem', -300)));
      return t.push(ops);
    });
    const answers = await Promise.all(pushes);
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    for (const id of ids) expect(await h.balance(id)).toBe(await h.ledgerSum(id));
    const total = (await Promise.all(ids.map((id) => h.balance(id)))).reduce((a, b) => a + b, 0);
    expect(total).toBe(3000 + 3 * (10 + 11 + 12 + 13 + 14 + 15) - 6 * 300);
    const seqs = (await h.sdb.db.selectFrom('change_feed').select('server_seq').orderBy('server_seq').execute()).map((r) => Number(r.server_seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1)); // gapless, commit-ordered
  });

  it('turns sales and refunds into spend changes in the sale month, not echoed to their terminal', async () => {
    const h = ctx.h;
    const a = await h.terminal();
    const b = await h.terminal(a.storeId);
    const mId = await registered(a, '+8613900000015');
    const sale = a.sale(mId, 25000, '2026-10-31');
    await a.pushOk([sale.op]);
    h.clock.advance(86_400_000);
    await a.pushOk([a.refund(sale.id, 5000)]);
    const spend = await h.sdb.db.selectFrom('member_spend').selectAll().where('member_id', '=', mId).execute();
    expect(spend.map((s) => [s.period, Number(s.spend_minor)])).toEqual([['2026-10', 20000]]);
    const seenByB = (await b.pullAll()).filter((c) => c.kind === 'spend');
    expect(seenByB.map((c) => c.kind === 'spend' && [c.memberId, c.period, c.deltaMinor, c.sourceTerminalId])).toEqual([
      [mId, '2026-10', 25000, a.id],
      [mId, '2026-10', -5000, a.id],
    ]);
    expect((await a.pullAll()).filter((c) => c.kind === 'spend')).toEqual([]);
    // a replayed sale does not count twice: a till never resends an op below a push it sent later,
    // so this one is refused as coming from a restored database
    const replay = await a.push([sale.op]);
    expect((replay.body as unknown as SyncErrorBody).error).toMatchObject({ code: 'SEQUENCE_CONFLICT', details: { seq: 2, resendFloor: 3 } });
    expect(Number((await h.sdb.db.selectFrom('member_spend').select('spend_minor').executeTakeFirstOrThrow()).spend_minor)).toBe(20000);
  });
});
