/**
 * "The till checks what the server says": every answer of every endpoint the agent calls is
 * parsed before anything of it is used. A real server on loopback, and a tiny proxy between it
 * and the till that answers crafted bodies (malformed JSON, wrong types, missing fields, unknown
 * enum values, negative counts, answers contradicting the request, a proxy's HTML page). Each
 * must leave the till's database exactly as it was (outbox still pending, cursor and bootstrap
 * position unchanged, no member written), show the problem in words, and be retried later.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullAnswer, pushResponse, type LedgerEntryPayload, type PushResponse, type ServerMember, type SnapshotResponse } from '../../../src-shared/sync/protocol';
import { AnswerProxy, type CraftedAnswer } from '../../helpers/answer-proxy';
import { TestSyncServer, enrolmentCodeFor } from '../../helpers/sync-server';
import { syncTill, type SyncTill } from '../../helpers/sync-till';
import { expectCode, key } from '../../helpers/terminal';

let ms = Date.parse('2026-06-15T02:00:00.000Z');
const now = () => ms;
const serverTime = () => new Date(ms).toISOString();

let server: TestSyncServer;
let proxy: AnswerProxy;
let cleanup: (() => Promise<void>)[] = [];
beforeEach(async () => {
  ms = Date.parse('2026-06-15T02:00:00.000Z');
  server = await TestSyncServer.start('sqlite', now);
  proxy = await AnswerProxy.start(server.baseUrl);
  cleanup = [() => server.close(), () => proxy.close()];
});
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
  cleanup = [];
});

/** A till enrolled through the proxy; its first cycle (the snapshot bootstrap) done unless told otherwise. */
async function till(opts: { code?: string; bootstrap?: boolean; snapshotLimit?: number } = {}): Promise<SyncTill> {
  const t = await syncTill(server, { now, code: opts.code ?? (await server.enrolmentCode()), serverUrl: proxy.url, ...(opts.snapshotLimit ? { snapshotLimit: opts.snapshotLimit } : {}) });
  cleanup.push(() => t.close());
  if (opts.bootstrap !== false) expect((await t.t.sync.syncNow()).lastError).toBeNull();
  return t;
}

/** Everything an answer could write on the till (outbox attempts and last error are the push's own bookkeeping of a failure). */
function tillState(t: SyncTill): Record<string, unknown[]> {
  const all = (sql: string) => t.t.ctx.raw.prepare(sql).all();
  return {
    outbox: all('SELECT seq, op_id, kind, entity_id, hlc, payload FROM outbox ORDER BY seq'),
    meta: all('SELECT key, value FROM meta ORDER BY key'),
    members: all('SELECT * FROM member ORDER BY id'),
    remote: all('SELECT * FROM remote_entry ORDER BY id'),
    cards: all('SELECT * FROM card ORDER BY code'),
    staff: all('SELECT id, name, role, active, pin_hash FROM staff ORDER BY id'),
    ruleSets: all('SELECT version FROM rule_set ORDER BY version'),
    problems: all('SELECT op_id, kind, status FROM sync_problem ORDER BY op_id'),
    exceptions: all('SELECT * FROM overdraft_exception ORDER BY id'),
    snapshotRange: all('SELECT * FROM snapshot_range ORDER BY after'),
    snapshotLink: all('SELECT * FROM snapshot_link ORDER BY member_id'),
  };
}

/** A crafted answer made from the server's real one (the request is forwarded, the answer mangled on its way back). */
const mangle = <T>(f: (real: T) => unknown): CraftedAnswer => ({ body: (real) => f(real as T) });
const cursorOf = (t: SyncTill) => t.t.ctx.raw.prepare(`SELECT value FROM meta WHERE key = 'sync.pull_cursor'`).pluck().get() as string;

const HTML_502: CraftedAnswer = { status: 502, contentType: 'text/html', body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>' };
const PORTAL_200: CraftedAnswer = { status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html><body>Sign in to the shop Wi-Fi to continue</body></html>' };

const MEMBER_ID = '019ec901-0000-7000-8000-0000000000aa';
const OTHER_TERMINAL = '019ec901-0000-7000-8000-000000000002';
const HLC = '2026-06-15T01:00:00.000Z-0000-0000000000000002';
const member = (extra: Partial<ServerMember> = {}): ServerMember => ({
  id: MEMBER_ID,
  phone: '+8613900000001',
  name: 'Han Meimei',
  birthday: null,
  referrerId: null,
  consentTermsAt: '2026-06-01T00:00:00.000Z',
  consentMarketing: false,
  status: 'active',
  statusReason: null,
  mergedInto: null,
  diamond: false,
  registeredAt: '2026-06-01T00:00:00.000Z',
  fieldHlc: { name: HLC },
  ...extra,
});
const entry = (extra: Record<string, unknown> = {}): LedgerEntryPayload | Record<string, unknown> => ({
  id: '019ec901-0000-7000-8000-0000000000e1',
  member_id: MEMBER_ID,
  kind: 'earn',
  points: 100,
  reason: null,
  sale_id: null,
  refund_id: null,
  target_entry_id: null,
  expires_at: '2027-06-15T02:00:00.000Z',
  capped_points: 0,
  offline: 0,
  business_date: '2026-06-15',
  created_at: '2026-06-15T01:00:00.000Z',
  hlc: HLC,
  terminal_id: OTHER_TERMINAL,
  staff_id: null,
  approved_by: null,
  rule_set_version: 1,
  idempotency_key: 'remote-1',
  ...extra,
});

describe('a till refuses a malformed server answer whole', () => {
  it('push: nothing is deleted or recorded, the outbox stays pending and is sent again later', async () => {
    const a = await till();
    const m = await a.call('members.register', { idempotencyKey: key(), phone: '13800000001', consentTerms: true, consentMarketing: false });
    await a.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 10000 }], redeemPoints: 0 });
    const before = tillState(a);
    expect(before.outbox!.length).toBeGreaterThan(1);

    const cases: [string, CraftedAnswer, string][] = [
      ['an HTML error page from a proxy', HTML_502, 'HTTP 502 with an HTML page'],
      ['a captive portal page with 200', PORTAL_200, 'HTTP 200 with an HTML page'],
      ['a body cut short', { body: '{"ackedThroughSeq": 4, "results": [' }, 'text that is not JSON'],
      ['an empty body', { body: '' }, 'an empty body'],
      ['null', { body: 'null' }, '(the whole answer): Invalid input: expected object'],
      ['an error status without an error body', { status: 500, body: 'null' }, 'HTTP 500 with an error body this till cannot read'],
      ['an error code this version does not know', { status: 409, body: JSON.stringify({ error: { code: 'SEQUENCE_WARP', message: 'x' }, serverTime: serverTime() }) }, 'error.code'],
      ['ackedThroughSeq as a string', mangle<PushResponse>((r) => ({ ...r, ackedThroughSeq: String(r.ackedThroughSeq) })), 'ackedThroughSeq: Invalid input: expected number'],
      ['a negative ackedThroughSeq', mangle<PushResponse>((r) => ({ ...r, ackedThroughSeq: -1 })), 'ackedThroughSeq: Too small'],
      ['no results', mangle<PushResponse>((r) => ({ ackedThroughSeq: r.ackedThroughSeq, serverTime: r.serverTime })), 'results: Invalid input: expected array'],
      ['an op status this version does not know', mangle<PushResponse>((r) => ({ ...r, results: r.results.map((x, i) => (i === 1 ? { ...x, status: 'accepted' } : x)) })), 'results[1].status'],
      ['no serverTime', mangle<PushResponse>((r) => ({ ...r, serverTime: undefined })), 'serverTime'],
      ['a serverTime that is no instant', mangle<PushResponse>((r) => ({ ...r, serverTime: '2026-02-31T25:00:00.000Z' })), 'serverTime'],
      ['an ack beyond the ops sent', mangle<PushResponse>((r) => ({ ...r, ackedThroughSeq: r.ackedThroughSeq + 1000 })), 'is beyond the last change sent'],
      ['one result missing', mangle<PushResponse>((r) => ({ ...r, results: r.results.slice(1) })), `results for ${before.outbox!.length} changes sent`],
      ['results of other ops', mangle<PushResponse>((r) => ({ ...r, results: r.results.map((x) => ({ ...x, seq: x.seq + 1 })) })), 'results[0].seq'],
    ];
    for (const [what, answer, words] of cases) {
      proxy.answer('/v1/push', answer);
      const status = await a.t.sync.syncNow();
      expect(status.lastError, what).toContain(words);
      if ((answer.status ?? 200) === 200) expect(status.lastError, what).toContain('Nothing of it was applied');
      expect(status.state, what).toBe('offline');
      expect(status.pending, what).toBe(before.outbox!.length);
      expect(tillState(a), what).toEqual(before);
    }
    expect(proxy.craftedCount.get('/v1/push')).toBe(cases.length);

    // The server answers properly again: the same batch is sent, acknowledged (replayed) and deleted.
    proxy.forward();
    const status = await a.t.sync.syncNow();
    expect([status.state, status.lastError, status.pending]).toEqual(['online', null, 0]);
    expect(await server.sdb.db.selectFrom('member').select('id').where('id', '=', m.id).executeTakeFirst()).toBeDefined();
  });

  it('pull: no change of the page is applied and the cursor stays; a well-formed page is applied', async () => {
    const a = await till();
    await a.call('members.register', { idempotencyKey: key(), phone: '13800000002', consentTerms: true, consentMarketing: false });
    expect((await a.t.sync.syncNow()).lastError).toBeNull();
    const cursor = BigInt(cursorOf(a));
    expect(cursor).toBeGreaterThan(0n);
    const seq = (n: number) => String(cursor + BigInt(n));
    const good = { serverSeq: seq(1), kind: 'member', member: member() };
    /** The server's real (empty) page with a good change and `second` after it. */
    const withSecond = (second: Record<string, unknown>): CraftedAnswer => mangle<Record<string, unknown>>((r) => ({ ...r, changes: [good, { serverSeq: seq(2), ...second }], nextCursor: seq(2) }));
    const before = tillState(a);

    const cases: [string, CraftedAnswer, string][] = [
      ['an HTML error page from a proxy', HTML_502, 'HTTP 502 with an HTML page'],
      ['a captive portal page with 200', PORTAL_200, 'HTML page'],
      ['a member status this version does not know', withSecond({ kind: 'member', member: member({ id: '019ec901-0000-7000-8000-0000000000ab', status: 'frozen' as ServerMember['status'] }) }), 'changes[1].member.status: Invalid option'],
      ['a known change kind without its fields', withSecond({ kind: 'member' }), 'changes[1].member: Invalid input: expected object'],
      ['a change kind that is not a string', withSecond({ kind: 42 }), 'changes[1].kind'],
      ['a serverSeq that is a number', mangle<Record<string, unknown>>((r) => ({ ...r, changes: [{ ...good, serverSeq: Number(seq(1)) }], nextCursor: seq(1) })), 'changes[0].serverSeq'],
      ['points as a string', withSecond({ kind: 'ledger_entry', entry: entry({ points: '100' }) }), 'changes[1].entry.points: Invalid input: expected number'],
      ['a fractional spend', withSecond({ kind: 'spend', memberId: MEMBER_ID, period: '2026-06', deltaMinor: 1.5, sourceTerminalId: OTHER_TERMINAL }), 'changes[1].deltaMinor'],
      ['a card kind this version does not know', withSecond({ kind: 'card', card: { code: '6200000000000013', memberId: MEMBER_ID, kind: 'magstripe', status: 'active' } }), 'changes[1].card.kind'],
      [
        'a negative shortfall',
        withSecond({ kind: 'exception', exception: { id: '019ec901-0000-7000-8000-0000000000f1', memberId: MEMBER_ID, entryId: '019ec901-0000-7000-8000-0000000000e1', terminalId: OTHER_TERMINAL, shortfall: -5, exposureMinor: 5, createdAt: '2026-06-15T01:00:00.000Z' } }),
        'changes[1].exception.shortfall: Too small',
      ],
      [
        'a PIN hash with an unbounded cost',
        withSecond({ kind: 'staff', staff: { id: '019ec901-0000-7000-8000-0000000000c1', name: 'Wu', role: 'cashier', active: true, pinHash: `scrypt$1048576$8$1$${'A'.repeat(22)}$${'B'.repeat(43)}`, fieldHlc: {} } }),
        'changes[1].staff.pinHash',
      ],
      ['a rule set that is not one', withSecond({ kind: 'rule_set', ruleSet: { version: 'two' } }), 'changes[1].ruleSet'],
      ['changes that are not a list', mangle<Record<string, unknown>>((r) => ({ ...r, changes: {} })), 'changes: Invalid input: expected array'],
      ['a cursor that is a number', mangle<Record<string, unknown>>((r) => ({ ...r, changes: [good], nextCursor: Number(seq(1)) })), 'nextCursor: Invalid input: expected string'],
      ['a negative cursor', mangle<Record<string, unknown>>((r) => ({ ...r, nextCursor: '-1' })), 'nextCursor: expected a feed position'],
      ['hasMore that is not a boolean', mangle<Record<string, unknown>>((r) => ({ ...r, changes: [good], nextCursor: seq(1), hasMore: 'yes' })), 'hasMore'],
      ['a cursor going back', mangle<Record<string, unknown>>((r) => ({ ...r, nextCursor: seq(-1) })), `before the cursor ${cursor}`],
      ['changes out of order', mangle<Record<string, unknown>>((r) => ({ ...r, changes: [{ ...good, serverSeq: seq(2) }, { ...good, serverSeq: seq(1) }], nextCursor: seq(2) })), 'changes[1].serverSeq'],
      ['a change beyond the cursor', mangle<Record<string, unknown>>((r) => ({ ...r, changes: [{ ...good, serverSeq: seq(3) }], nextCursor: seq(1) })), 'is beyond nextCursor'],
      ['a change at the cursor already applied', mangle<Record<string, unknown>>((r) => ({ ...r, changes: [{ ...good, serverSeq: seq(0) }], nextCursor: seq(1) })), 'changes[0].serverSeq'],
    ];
    for (const [what, answer, words] of cases) {
      proxy.answer('/v1/pull', answer);
      const status = await a.t.sync.syncNow();
      expect(status.lastError, what).toContain(words);
      expect(status.state, what).toBe('offline');
      expect(tillState(a), what).toEqual(before);
    }

    // The same good change in a well-formed page, with a kind from a newer server kept aside.
    proxy.answer('/v1/pull', mangle<Record<string, unknown>>((r) => ({ ...r, changes: [good, { serverSeq: seq(2), kind: 'voucher', voucher: { id: 'v1' } }], nextCursor: seq(2) })));
    const status = await a.t.sync.syncNow();
    expect([status.state, status.lastError]).toEqual(['online', null]);
    expect(cursorOf(a)).toBe(seq(2));
    expect(a.t.ctx.raw.prepare('SELECT name FROM member WHERE id = ?').pluck().get(MEMBER_ID)).toBe('Han Meimei');
    expect(a.t.ctx.raw.prepare(`SELECT kind, status FROM sync_problem WHERE op_id = ?`).get(`pull:${seq(2)}`)).toEqual({ kind: 'voucher', status: 'deferred' });
  });

  it('snapshot: no page of a malformed answer is applied and the bootstrap resumes where it stood', async () => {
    const a = await till();
    for (let i = 0; i < 5; i++) {
      const m = await a.call('members.register', { idempotencyKey: key(), phone: `1380000001${i}`, consentTerms: true, consentMarketing: false });
      await a.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 5000 }], redeemPoints: 0 });
    }
    expect((await a.t.sync.syncNow()).lastError).toBeNull();
    const b = await till({ code: await enrolmentCodeFor(server, a.storeId()), bootstrap: false, snapshotLimit: 2 });
    // Its own changes (the enrolment's audit entries) go out first, whatever the snapshot answers.
    proxy.answer('/v1/snapshot', HTML_502);
    expect((await b.t.sync.syncNow()).pending).toBe(0);
    const before = tillState(b);

    type Page = SnapshotResponse;
    const cases: [string, CraftedAnswer, string][] = [
      ['an HTML error page from a proxy', HTML_502, 'HTTP 502 with an HTML page'],
      ['a member status this version does not know', mangle<Page>((p) => ({ ...p, members: p.members.map((m, i) => (i === 1 ? { ...m, member: { ...m.member, status: 'frozen' } } : m)) })), 'members[1].member.status'],
      ['a negative debt', mangle<Page>((p) => ({ ...p, members: p.members.map((m) => ({ ...m, debt: -3 })) })), 'members[0].debt: Too small'],
      ['a lot with nothing left', mangle<Page>((p) => ({ ...p, members: p.members.map((m) => ({ ...m, lots: m.lots.map((l) => ({ ...l, remaining: 0 })) })) })), '.remaining: Too small'],
      ['an upper cursor that is a number', mangle<Page>((p) => ({ ...p, upperCursor: Number(p.upperCursor) })), 'upperCursor: Invalid input: expected string'],
      ['members out of order', mangle<Page>((p) => ({ ...p, members: [...p.members].reverse() })), 'pages come in member id order'],
      ['more to come without moving on', mangle<Page>((p) => ({ ...p, hasMore: true, nextAfter: '' })), 'beyond nextAfter'],
      ['a page read below its upper cursor', mangle<Page>((p) => ({ ...p, pageCursor: String(BigInt(p.upperCursor) - 1n) })), 'pageCursor'],
      ['a month that is none', mangle<Page>((p) => ({ ...p, spendFrom: '2026-13' })), 'spendFrom'],
      ['a rule set that is not one', mangle<Page>((p) => ({ ...p, ruleSets: [{ version: -1 }] })), 'ruleSets[0]'],
      ['a staff role this version does not know', mangle<Page>((p) => ({ ...p, staff: [{ id: '019ec901-0000-7000-8000-0000000000c1', name: 'Wu', role: 'owner', active: true, pinHash: 'x', fieldHlc: {} }] })), 'staff[0].role'],
    ];
    for (const [what, answer, words] of cases) {
      proxy.answer('/v1/snapshot', answer);
      const status = await b.t.sync.syncNow();
      expect(status.lastError, what).toContain(words);
      expect(status.bootstrap, what).toEqual({ membersLoaded: 0, startedAt: expect.any(String) });
      expect(tillState(b), what).toEqual(before);
    }

    // The first page is fine, the second (asked for while the first is applied) is not: the
    // first stays applied, the second is asked for again until it is well-formed.
    proxy.answer('/v1/snapshot', mangle<Page>((p) => (p.ruleSets === undefined ? { ...p, members: p.members.map((m) => ({ ...m, member: { ...m.member, registeredAt: 'yesterday' } })) } : p)));
    const afterFirst = await b.t.sync.syncNow();
    expect(afterFirst.lastError).toContain('members[0].member.registeredAt');
    expect(afterFirst.bootstrap?.membersLoaded).toBe(2);
    const onePage = tillState(b);
    expect(onePage.members).toHaveLength(2);
    expect((await b.t.sync.syncNow()).lastError).toContain('registeredAt');
    expect(tillState(b)).toEqual(onePage);

    proxy.forward();
    const done = await b.t.sync.syncNow();
    expect([done.state, done.lastError, done.bootstrap]).toEqual(['online', null, null]);
    expect(tillState(b).members).toHaveLength(5);
  });

  it('holds and release: a malformed answer is no approval; the cashier goes on under the offline limit', async () => {
    const a = await till();
    const m = await a.call('members.register', { idempotencyKey: key(), phone: '13800000003', consentTerms: true, consentMarketing: false });
    await a.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 100000 }], redeemPoints: 0 });
    expect((await a.t.sync.syncNow()).lastError).toBeNull();
    const before = tillState(a);

    const cases: [string, CraftedAnswer, string][] = [
      ['an HTML error page from a proxy', HTML_502, 'HTTP 502 with an HTML page'],
      ['a status this version does not know', mangle<Record<string, unknown>>((r) => ({ ...r, status: 'maybe' })), 'status: Invalid input: expected "approved"'],
      ['the answer for another hold', mangle<Record<string, unknown>>((r) => ({ ...r, holdId: '019ec901-0000-7000-8000-0000000000d1' })), 'is not the'],
      ['availableAfter that is no number', mangle<Record<string, unknown>>((r) => ({ ...r, availableAfter: 'plenty' })), 'availableAfter'],
      ['an expiry that is no instant', mangle<Record<string, unknown>>((r) => ({ ...r, expiresAt: 'in ten minutes' })), 'expiresAt'],
    ];
    for (const [what, answer, words] of cases) {
      proxy.answer('/v1/holds', answer);
      expect(await a.t.sync.holdForRedemption(m.id, 100, key()), what).toEqual({ status: 'offline', holdId: null });
      const status = await a.call('sync.status', {});
      expect(status.lastError, what).toContain(words);
      expect(tillState(a), what).toEqual(before);
    }
    // At the counter: the redemption is not held centrally, and goes on as an offline one.
    const sale = await a.call('checkout.complete', { idempotencyKey: key(), memberId: m.id, lines: [{ lineNo: 1, category: 'food', quantity: 1, unitPriceMinor: 3000 }], redeemPoints: 100 });
    expect(sale.offline).toBe(true);

    proxy.forward();
    expect((await a.t.sync.syncNow()).lastError).toBeNull();
    const hold = await a.t.sync.holdForRedemption(m.id, 100, key());
    expect(hold.status).toBe('approved');
    const heldBefore = tillState(a);
    for (const [what, answer, words] of [
      ['a status this version does not know', mangle<Record<string, unknown>>((r) => ({ ...r, status: 'gone' })), 'holds/release is not valid: status'],
      ['the answer for another hold', mangle<Record<string, unknown>>((r) => ({ ...r, holdId: '019ec901-0000-7000-8000-0000000000d1' })), 'is not the'],
      ['a captive portal page with 200', PORTAL_200, 'HTML page'],
    ] as [string, CraftedAnswer, string][]) {
      proxy.answer('/v1/holds/release', answer);
      await a.t.sync.releaseHold(hold.holdId!);
      expect((await a.call('sync.status', {})).lastError, what).toContain(words);
      expect(tillState(a), what).toEqual(heldBefore);
    }
    proxy.forward();
    await a.t.sync.releaseHold(hold.holdId!);
    expect(await server.sdb.db.selectFrom('redemption_hold').select('status').where('id', '=', hold.holdId!).executeTakeFirstOrThrow()).toEqual({ status: 'released' });
  });

  it('enrol: a malformed answer stores nothing and says why; the till stays standalone', async () => {
    const code = await server.enrolmentCode();
    const t = await syncTill(server, { now });
    cleanup.push(() => t.close());
    const before = tillState(t);
    const cases: [string, CraftedAnswer, string][] = [
      ['an HTML error page from a proxy', HTML_502, 'HTTP 502 with an HTML page'],
      ['a token that cannot go in a header', mangle<Record<string, unknown>>((r) => ({ ...r, token: 'not a token\r\nX-Evil: 1' })), 'token: expected a bearer token'],
      ['a time zone that is none', mangle<Record<string, unknown>>((r) => ({ ...r, timeZone: 'Mars/Olympus_Mons' })), 'timeZone: expected an IANA time zone'],
      ['a store id that is a number', mangle<Record<string, unknown>>((r) => ({ ...r, storeId: 42 })), 'storeId'],
      ['no store name', mangle<Record<string, unknown>>((r) => ({ ...r, storeName: undefined })), 'storeName'],
    ];
    for (const [what, answer, words] of cases) {
      proxy.answer('/v1/enrol', answer);
      const e = await expectCode(t.call('sync.enrol', { serverUrl: proxy.url, code, approval: t.approval }), 'SERVER_UNREACHABLE');
      expect(e.message, what).toContain(words);
      expect((await t.call('sync.status', {})).state, what).toBe('standalone');
      expect(tillState(t), what).toEqual(before);
    }
    proxy.forward();
    expect((await t.call('sync.enrol', { serverUrl: proxy.url, code, approval: t.approval })).state).toBe('online');
  });

  it('random JSON as the answer to pull and push: never a throw, never a write', async () => {
    const a = await till();
    const cursor = cursorOf(a);
    const next = String(BigInt(cursor) + 1n);
    const anyJson = fc.jsonValue();
    const change = fc.record(
      { serverSeq: fc.oneof(fc.constant(next), anyJson), kind: fc.oneof(fc.constantFrom('member', 'ledger_entry', 'card', 'spend', 'rule_set', 'exception', 'staff'), anyJson), member: fc.oneof(fc.constant(member()), anyJson), entry: anyJson },
      { requiredKeys: [] },
    );
    const pullLike = fc.record(
      { changes: fc.oneof(anyJson, fc.array(change, { maxLength: 3 })), nextCursor: fc.oneof(fc.constant(next), anyJson), hasMore: fc.oneof(fc.boolean(), anyJson), serverTime: fc.oneof(fc.constant(serverTime()), anyJson) },
      { requiredKeys: [] },
    );
    const asText = (value: fc.Arbitrary<unknown>) => fc.oneof(value.map((v) => JSON.stringify(v)), fc.string());
    const accepted = (text: string, schema: { safeParse(v: unknown): { success: boolean } }) => {
      try {
        return schema.safeParse(JSON.parse(text)).success;
      } catch {
        return false;
      }
    };

    const pullBefore = tillState(a);
    await fc.assert(
      fc.asyncProperty(asText(fc.oneof(anyJson, pullLike)), async (body) => {
        fc.pre(!accepted(body, pullAnswer));
        proxy.answer('/v1/pull', { body });
        const status = await a.t.sync.syncNow();
        expect(status.lastError).toMatch(/answer|HTTP/);
        expect(tillState(a)).toEqual(pullBefore);
      }),
      { numRuns: 150 },
    );

    proxy.forward();
    await a.call('members.register', { idempotencyKey: key(), phone: '13800000004', consentTerms: true, consentMarketing: false });
    const pushBefore = tillState(a);
    const seqs = pushBefore.outbox!.map((r) => (r as { seq: number }).seq);
    const result = fc.record({ seq: fc.oneof(fc.constantFrom(...seqs), anyJson), status: fc.oneof(fc.constantFrom('applied', 'duplicate', 'rejected', 'held'), anyJson), reason: anyJson }, { requiredKeys: [] });
    const pushLike = fc.record(
      { ackedThroughSeq: fc.oneof(fc.constant(seqs[seqs.length - 1]), fc.integer(), anyJson), results: fc.oneof(anyJson, fc.array(result, { maxLength: seqs.length + 1 })), serverTime: fc.oneof(fc.constant(serverTime()), anyJson) },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(asText(fc.oneof(anyJson, pushLike)), fc.constantFrom(200, 200, 200, 409, 500, 502), async (body, httpStatus) => {
        fc.pre(httpStatus !== 200 || !accepted(body, pushResponse));
        proxy.answer('/v1/push', { status: httpStatus, body });
        const status = await a.t.sync.syncNow();
        expect(status.lastError).toMatch(/answer|HTTP/);
        expect(status.pending).toBe(seqs.length);
        expect(tillState(a)).toEqual(pushBefore);
      }),
      { numRuns: 150 },
    );
  });
});
