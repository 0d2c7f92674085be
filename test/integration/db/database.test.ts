import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { terminalMigrations } from '../../../migrations/terminal/index';
import type { CoreContext } from '../../../src-main/core/context';
import { acknowledgeThrough, enqueueOutbox } from '../../../src-main/core/outbox.repo';
import { openTerminalDatabase, PAGE_CACHE_KIB, TERMINAL_APPLICATION_ID } from '../../../src-main/db/connection';
import { checkDaySummary } from '../../../src-main/ledger/day-summary.repo';
import { saleByIdempotencyKey, saleKeysIndexedUntil } from '../../../src-main/ledger/sales.repo';
import { DomainError } from '../../../src-shared/errors/domain-error';
import { saleIdFromKey } from '../../../src-shared/sync/ids';
import { expectCode, key, openTestTerminal, tempDir } from '../../helpers/terminal';

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

describe('terminal database', () => {
  it('creates a fresh database with WAL, FULL sync, foreign keys and every migration recorded', async () => {
    const file = path.join(tempDir(), 'terminal.sqlite');
    const db = await openTerminalDatabase(file);
    opened.push(db);
    expect(db.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.raw.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.raw.pragma('cache_size', { simple: true })).toBe(-PAGE_CACHE_KIB);
    expect(db.raw.pragma('application_id', { simple: true })).toBe(TERMINAL_APPLICATION_ID);
    expect(db.raw.pragma('user_version', { simple: true })).toBe(Object.keys(terminalMigrations).length);
    const applied = db.raw.prepare('SELECT name FROM schema_migration ORDER BY name').pluck().all();
    expect(applied).toEqual(Object.keys(terminalMigrations));
  });

  it('migrates a database written by the previous version and keeps its data', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'terminal.sqlite');
    const old = await openTerminalDatabase(file, { migrations: { '0001_initial': terminalMigrations['0001_initial']! } });
    expect(old.schemaVersion).toBe(1);
    await old.close();
    // Write real data with the old schema through the app, then upgrade.
    const t1 = await openTestTerminal({ dataDir: dir });
    await t1.signInCashier();
    const m = await t1.call('members.register', { idempotencyKey: key(), phone: '13900001111', consentTerms: true, consentMarketing: true });
    await t1.close();
    const upgraded = await openTerminalDatabase(file);
    opened.push(upgraded);
    expect(upgraded.schemaVersion).toBe(Object.keys(terminalMigrations).length);
    const idx = upgraded.raw.prepare(`SELECT name FROM sqlite_schema WHERE type='index' AND name='ledger_expiry'`).pluck().get();
    expect(idx).toBe('ledger_expiry');
    expect(upgraded.raw.prepare('SELECT phone FROM member WHERE id = ?').pluck().get(m.id)).toBe('+8613900001111');
  });

  it('moves the answers remembered by idempotency key out of meta into their own table', async () => {
    const file = path.join(tempDir(), 'terminal.sqlite');
    const before0009 = Object.fromEntries(Object.entries(terminalMigrations).filter(([name]) => name < '0009'));
    const old = await openTerminalDatabase(file, { migrations: before0009 });
    const insert = old.raw.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    insert.run('registration:key-1', 'member-1');
    insert.run('card_replacement:key-2', JSON.stringify({ hash: 'h2', memberId: 'member-2', oldCode: 'a', newCode: 'b' }));
    insert.run('sync.pull_cursor', '42');
    await old.close();
    const upgraded = await openTerminalDatabase(file);
    opened.push(upgraded);
    expect(upgraded.raw.prepare('SELECT scope, key, request_hash, result FROM idempotency ORDER BY scope').all()).toEqual([
      { scope: 'card_replacement', key: 'key-2', request_hash: 'h2', result: JSON.stringify({ hash: 'h2', memberId: 'member-2', oldCode: 'a', newCode: 'b' }) },
      { scope: 'registration', key: 'key-1', request_hash: null, result: 'member-1' },
    ]);
    expect(upgraded.raw.prepare('SELECT key FROM meta WHERE key IN (?, ?, ?)').pluck().all('registration:key-1', 'card_replacement:key-2', 'sync.pull_cursor')).toEqual(['sync.pull_cursor']);
  });

  it('rebuilds the outbox without its op-id index, keeping every row, its seq and the high-water mark', async () => {
    const file = path.join(tempDir(), 'terminal.sqlite');
    const before0010 = Object.fromEntries(Object.entries(terminalMigrations).filter(([name]) => name < '0010'));
    const old = await openTerminalDatabase(file, { migrations: before0010 });
    const at = '2026-06-15T02:00:00.000Z';
    const insert = old.raw.prepare(`INSERT INTO outbox (op_id, kind, entity_id, payload, hlc, created_at, status, attempts, last_error) VALUES (?, 'sale', ?, '{}', ?, '${at}', ?, ?, ?)`);
    for (let i = 1; i <= 5; i++) insert.run(`op-${i}`, `e-${i}`, `hlc-${i}`, i === 3 ? 'held' : 'pending', i, i === 4 ? 'timeout' : null);
    old.raw.prepare('DELETE FROM outbox WHERE seq <= 2').run(); // acknowledged by the server
    old.raw.prepare(`INSERT INTO meta (key, value) VALUES ('receipt_seq', '7')`).run();
    const rowsBefore = old.raw.prepare('SELECT * FROM outbox ORDER BY seq').all();
    await old.close();
    const upgraded = await openTerminalDatabase(file, { migrations: Object.fromEntries(Object.entries(terminalMigrations).filter(([name]) => name < '0011')) });
    opened.push(upgraded);
    expect(upgraded.raw.prepare('SELECT * FROM outbox ORDER BY seq').all()).toEqual(rowsBefore);
    // A seq once sent is never given again: not while rows are queued, nor once all are acknowledged.
    expect(upgraded.raw.prepare(`SELECT value FROM meta WHERE key = 'outbox.seq_floor'`).pluck().get()).toBe('5');
    let n = 0;
    const ctx = { now: () => new Date(at), newId: () => `op-new-${++n}`, hlc: { send: () => `hlc-new-${n}` } } as unknown as CoreContext;
    const seqs = () => upgraded.raw.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all();
    await enqueueOutbox(upgraded.db, ctx, 'card', 'c-1', {});
    expect(seqs()).toEqual([3, 4, 5, 6]);
    await upgraded.db.transaction().execute((trx) => acknowledgeThrough(trx, 6));
    expect(seqs()).toEqual([]);
    await enqueueOutbox(upgraded.db, ctx, 'card', 'c-2', {});
    expect(seqs()).toEqual([7]); // above everything ever given, not 1 again
    const indexes = upgraded.raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('outbox', 'ledger_entry') ORDER BY name`).pluck().all();
    expect(indexes).not.toContain('sqlite_autoindex_outbox_1');
    expect(indexes).toContain('ledger_redeem_time');
    expect(indexes).not.toContain('ledger_kind_time');
    expect(upgraded.raw.prepare(`SELECT count(*) FROM meta WHERE key = 'receipt_seq'`).pluck().get()).toBe(0);
  });

  it('rebuilds the ledger and the sales without their unused unique keys: every row, rowid, balance, trigger and foreign key kept', async () => {
    const file = path.join(tempDir(), 'terminal.sqlite');
    const before0011 = Object.fromEntries(Object.entries(terminalMigrations).filter(([name]) => name < '0011'));
    const old = await openTerminalDatabase(file, { migrations: before0011 });
    const at = '2026-06-15T02:00:00.000Z';
    old.raw.prepare(`INSERT INTO staff (id, name, role, pin_hash, created_at) VALUES ('s1', 'Wang', 'cashier', 'x', ?)`).run(at);
    old.raw.prepare(`INSERT INTO member (seq, id, phone, registered_at, registered_terminal) VALUES (1, 'm1', '+8613900000001', ?, 't1')`).run(at);
    const sale = old.raw.prepare(`INSERT INTO sale (id, idempotency_key, request_hash, receipt_no, member_id, staff_id, terminal_id, created_at, business_date, gross_minor,
      redeemed_points, redeemed_value_minor, paid_minor, earned_points, capped_points, tier, rule_set_version, offline, result) VALUES (?, ?, 'h', ?, 'm1', 's1', 't1', ?, '2026-06-15', 1000, 0, 0, 1000, 10, 0, 'regular', 1, 0, '{}')`);
    sale.run('sale-1', 'k1', 'R20260615-AAAA-000001', at);
    sale.run('sale-2', 'k2', 'R20260615-AAAA-000002', at);
    const entry = old.raw.prepare(`INSERT INTO ledger_entry (id, member_id, kind, points, reason, sale_id, target_entry_id, expires_at, business_date, created_at, hlc, terminal_id, staff_id, rule_set_version, idempotency_key)
      VALUES (?, 'm1', ?, ?, ?, ?, ?, ?, '2026-06-15', ?, ?, 't1', 's1', 1, ?)`);
    entry.run('e1', 'earn', 10, null, 'sale-1', null, '2027-06-15T02:00:00.000Z', at, 'h1', 'k1:earn');
    entry.run('e2', 'adjust', 50, 'goodwill', null, null, '2027-06-15T02:00:00.000Z', at, 'h2', 'adjust:k3');
    entry.run('e3', 'redeem', -20, 'reward:r1', null, null, null, at, 'h3', 'reward:k4:redeem');
    entry.run('e4', 'expire', -10, 'expiry', null, 'e1', null, at, 'h4', 'expire:e1:2027');
    const dump = (db: BetterSqlite3.Database) => ({
      ledger: db.prepare('SELECT rowid, * FROM ledger_entry ORDER BY rowid').all(),
      sales: db.prepare('SELECT rowid, * FROM sale ORDER BY rowid').all(),
      balance: db.prepare(`SELECT balance FROM member WHERE id = 'm1'`).pluck().get(),
    });
    const before = dump(old.raw);
    expect(before.balance).toBe(30);
    await old.close();

    const upgraded = await openTerminalDatabase(file, { migrations: Object.fromEntries(Object.entries(terminalMigrations).filter(([name]) => name < '0012')) });
    opened.push(upgraded);
    const raw = upgraded.raw;
    expect(dump(raw)).toEqual(before);
    const indexes = raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('sale', 'ledger_entry') ORDER BY name`).pluck().all();
    expect(indexes).toEqual(['ledger_business_date', 'ledger_expiry', 'ledger_member', 'ledger_redeem_time', 'sale_business_date', 'sale_member', 'sqlite_autoindex_ledger_entry_1', 'sqlite_autoindex_sale_1', 'sqlite_autoindex_sale_2']);
    // The entries looked up by key remember it; the others need not.
    expect(raw.prepare(`SELECT key, result FROM idempotency WHERE scope = 'ledger_entry' ORDER BY key`).all()).toEqual([
      { key: 'adjust:k3', result: 'e2' },
      { key: 'reward:k4:redeem', result: 'e3' },
    ]);
    // Triggers and foreign keys still hold on the new tables.
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => raw.prepare(`UPDATE ledger_entry SET points = 1 WHERE id = 'e1'`).run()).toThrow(/immutable/);
    expect(() => raw.prepare(`INSERT INTO ledger_entry (id, member_id, kind, points, business_date, created_at, hlc, terminal_id, rule_set_version, idempotency_key)
      VALUES ('e9', 'nobody', 'adjust', -1, '2026-06-15', '${at}', 'h9', 't1', 1, 'x')`).run()).toThrow(/FOREIGN KEY/);
    raw.prepare(`INSERT INTO ledger_entry (id, member_id, kind, points, business_date, created_at, hlc, terminal_id, rule_set_version, idempotency_key)
      VALUES ('e5', 'm1', 'adjust', -5, '2026-06-15', ?, 'h5', 't1', 1, 'adjust:k5')`).run(at);
    expect(raw.prepare(`SELECT balance FROM member WHERE id = 'm1'`).pluck().get()).toBe(25);
    // A receipt number stays unique within its business date.
    expect(() => raw.prepare(`UPDATE sale SET receipt_no = 'R20260615-AAAA-000001' WHERE id = 'sale-2'`).run()).toThrow(/UNIQUE/);
    expect(raw.prepare(`SELECT name FROM sqlite_schema WHERE name LIKE '%before_0011%'`).all()).toEqual([]);
  });

  it('derives sale ids from keys and keeps the spend window in the member row, finding older sales by their key', async () => {
    const file = path.join(tempDir(), 'terminal.sqlite');
    const before0013 = Object.fromEntries(Object.entries(terminalMigrations).filter(([name]) => name < '0013'));
    const old = await openTerminalDatabase(file, { migrations: before0013 });
    const at = '2026-06-15T02:00:00.000Z';
    old.raw.prepare(`INSERT INTO staff (id, name, role, pin_hash, created_at) VALUES ('s1', 'Wang', 'cashier', 'x', ?)`).run(at);
    for (const [seq, id] of [[1, 'm1'], [2, 'm2'], [3, 'm3']] as const) {
      old.raw.prepare(`INSERT INTO member (seq, id, registered_at, registered_terminal) VALUES (?, ?, ?, 't1')`).run(seq, id, at);
    }
    const spend = old.raw.prepare(`INSERT INTO member_period_spend (member_id, period, spend_minor) VALUES (?, ?, ?)`);
    spend.run('m1', '2026-04', 900); // older than the two months a tier reads: not kept
    spend.run('m1', '2026-05', 700);
    spend.run('m1', '2026-06', 300);
    spend.run('m2', '2026-03', 500); // a gap before the newest month: nothing before it
    spend.run('m2', '2026-05', 200);
    const saleId = '01977000-0000-7000-8000-000000000001';
    old.raw.prepare(`INSERT INTO sale (id, idempotency_key, request_hash, receipt_no, member_id, staff_id, terminal_id, created_at, business_date, gross_minor,
      redeemed_points, redeemed_value_minor, paid_minor, earned_points, capped_points, tier, rule_set_version, offline, result)
      VALUES (?, 'k1', 'h', 'R20260615-AAAA-000001', 'm1', 's1', 't1', ?, '2026-06-15', 1000, 0, 0, 1000, 10, 0, 'regular', 1, 0, '{}')`).run(saleId, at);
    const sales = old.raw.prepare('SELECT rowid, * FROM sale ORDER BY rowid').all();
    await old.close();

    const upgraded = await openTerminalDatabase(file, { migrations: Object.fromEntries(Object.entries(terminalMigrations).filter(([name]) => name < '0014')) });
    opened.push(upgraded);
    const raw = upgraded.raw;
    expect(raw.prepare('SELECT rowid, * FROM sale ORDER BY rowid').all()).toEqual(sales);
    expect(raw.prepare(`SELECT id, spend_period, spend_current, spend_previous FROM member ORDER BY id`).all()).toEqual([
      { id: 'm1', spend_period: '2026-06', spend_current: 300, spend_previous: 700 },
      { id: 'm2', spend_period: '2026-05', spend_current: 200, spend_previous: 0 },
      { id: 'm3', spend_period: null, spend_current: 0, spend_previous: 0 },
    ]);
    const indexes = raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('sale', 'ledger_entry') ORDER BY name`).pluck().all();
    expect(indexes).toEqual(['ledger_business_date', 'ledger_expiry', 'ledger_member', 'sale_business_date', 'sale_key_before_0013', 'sale_member', 'sqlite_autoindex_ledger_entry_1', 'sqlite_autoindex_sale_1']);
    expect(raw.prepare(`SELECT name FROM sqlite_schema WHERE name IN ('member_period_spend', 'sale_before_0013')`).all()).toEqual([]);
    const until = await saleKeysIndexedUntil(upgraded.db);
    expect(until).toBe(at);
    // The older sale is found by its key; a sale made now is found by the id its key gives.
    expect((await saleByIdempotencyKey(upgraded.db, 't1', 'k1', until))?.id).toBe(saleId);
    expect(await saleByIdempotencyKey(upgraded.db, 't1', 'k2', until)).toBeUndefined();
    const newKey = '01977000-0001-7000-8000-000000000002';
    raw.prepare(`INSERT INTO sale (id, idempotency_key, request_hash, receipt_no, member_id, staff_id, terminal_id, created_at, business_date, gross_minor,
      redeemed_points, redeemed_value_minor, paid_minor, earned_points, capped_points, tier, rule_set_version, offline, result)
      VALUES (?, ?, 'h', 'R20260615-AAAA-000002', 'm1', 's1', 't1', ?, '2026-06-15', 1000, 0, 0, 1000, 10, 0, 'regular', 1, 0, '{}')`).run(saleIdFromKey('t1', newKey), newKey, at);
    expect((await saleByIdempotencyKey(upgraded.db, 't1', newKey, until))?.idempotency_key).toBe(newKey);
    // Only the older sale is in the key index (new sales write one index fewer).
    expect(raw.prepare(`SELECT idempotency_key FROM sale INDEXED BY sale_key_before_0013 WHERE substr(id, 15, 1) = '7' AND idempotency_key > ''`).pluck().all()).toEqual(['k1']);
  });

  it('sums the day summaries of the sales, refunds and ledger entries already there, as the triggers will keep them', async () => {
    const file = path.join(tempDir(), 'terminal.sqlite');
    const old = await openTerminalDatabase(file, { migrations: Object.fromEntries(Object.entries(terminalMigrations).filter(([name]) => name < '0014')) });
    const at = '2026-06-15T02:00:00.000Z';
    old.raw.prepare(`INSERT INTO staff (id, name, role, pin_hash, created_at) VALUES ('s1', 'Wang', 'cashier', 'x', ?)`).run(at);
    old.raw.prepare(`INSERT INTO member (seq, id, registered_at, registered_terminal) VALUES (1, 'm1', ?, 't1')`).run(at);
    const sale = old.raw.prepare(`INSERT INTO sale (id, idempotency_key, request_hash, receipt_no, member_id, staff_id, terminal_id, created_at, business_date, gross_minor,
      redeemed_points, redeemed_value_minor, paid_minor, earned_points, capped_points, tier, rule_set_version, offline, result)
      VALUES (?, ?, 'h', ?, ?, 's1', 't1', ?, ?, 1000, ?, ?, ?, 10, 0, 'regular', 1, 0, '{}')`);
    sale.run('sale-1', 'k1', 'R20260615-AAAA-000001', 'm1', at, '2026-06-15', 100, 100, 900);
    sale.run('sale-2', 'k2', 'R20260616-AAAA-000002', null, '2026-06-16T02:00:00.000Z', '2026-06-16', 0, 0, 1000);
    old.raw.prepare(`INSERT INTO sale_line (sale_id, line_no, category, quantity, unit_price_minor, discount_minor, gross_minor, redeemed_points, redeemed_value_minor, paid_minor, earned_points)
      VALUES ('sale-1', 1, 'tea', 2, 500, 0, 1000, 100, 100, 900, 10)`).run();
    old.raw.prepare(`INSERT INTO refund (id, idempotency_key, request_hash, sale_id, staff_id, terminal_id, created_at, business_date, refund_minor, reverse_earned_points, return_redeemed_points, result)
      VALUES ('r1', 'rk1', 'h', 'sale-1', 's1', 't1', ?, '2026-06-16', 450, 5, 50, '{}')`).run('2026-06-16T03:00:00.000Z');
    old.raw.prepare(`INSERT INTO refund_line (refund_id, line_no, quantity, refund_minor, reverse_earned_points, return_redeemed_points) VALUES ('r1', 1, 1, 450, 5, 50)`).run();
    old.raw.prepare(`INSERT INTO ledger_entry (id, member_id, kind, points, sale_id, expires_at, business_date, created_at, hlc, terminal_id, rule_set_version, idempotency_key)
      VALUES ('e1', 'm1', 'earn', 10, 'sale-1', '2027-06-15T02:00:00.000Z', '2026-06-15', ?, 'h1', 't1', 1, 'k1:earn')`).run(at);
    await old.close();
    const upgraded = await openTerminalDatabase(file);
    opened.push(upgraded);
    expect(checkDaySummary(upgraded.raw)).toEqual([]);
    const row = (date: string, dim: string, k: string) =>
      upgraded.raw.prepare('SELECT sale_count, sale_minor, refund_count, refund_minor, points FROM day_summary WHERE business_date = ? AND dim = ? AND key = ?').get(date, dim, k);
    expect(row('2026-06-15', 'total', 'sales')).toEqual({ sale_count: 1, sale_minor: 900, refund_count: 0, refund_minor: 0, points: 0 });
    expect(row('2026-06-16', 'category', 'tea')).toEqual({ sale_count: 0, sale_minor: 0, refund_count: 1, refund_minor: 450, points: 0 });
    expect(row('2026-06-15', 'points', 'earn')).toEqual({ sale_count: 1, sale_minor: 0, refund_count: 0, refund_minor: 0, points: 10 });
  });

  it('refuses a database written by a newer version and leaves the file untouched', async () => {
    const file = path.join(tempDir(), 'terminal.sqlite');
    const future = await openTerminalDatabase(file, {
      migrations: { ...terminalMigrations, '9999_future': { up: async () => undefined } },
    });
    await future.close();
    const before = sha(file);
    const e = await expectCode(openTerminalDatabase(file), 'DATABASE_TOO_NEW');
    expect(e.message).toMatch(/newer version/);
    expect(e.details.unknownMigrations).toEqual(['9999_future']);
    expect(sha(file)).toBe(before);
  });

  it('refuses a SQLite database that is not ours, untouched', async () => {
    const file = path.join(tempDir(), 'terminal.sqlite');
    const other = new BetterSqlite3(file);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)');
    other.close();
    const before = sha(file);
    await expectCode(openTerminalDatabase(file), 'DATABASE_NOT_TILLSMITH');
    expect(sha(file)).toBe(before);
  });

  it('refuses a damaged file with a clear error, untouched', async () => {
    const file = path.join(tempDir(), 'terminal.sqlite');
    fs.writeFileSync(file, crypto.randomBytes(8192));
    const before = sha(file);
    const e = await expectCode(openTerminalDatabase(file), 'DATABASE_CORRUPT');
    expect(e).toBeInstanceOf(DomainError);
    expect(sha(file)).toBe(before);
  });

  it('turns a full disk into DISK_FULL and keeps the database consistent', async () => {
    const t = await openTestTerminal();
    opened.push(t);
    await t.signInCashier();
    const m = await t.call('members.register', { idempotencyKey: key(), phone: '13900002222', consentTerms: true, consentMarketing: false });
    const raw = t.terminal.ctx.raw;
    const pages = raw.pragma('page_count', { simple: true }) as number;
    raw.pragma(`max_page_count = ${pages}`); // the file cannot grow: SQLITE_FULL on the next page
    const sales = () => raw.prepare('SELECT count(*) FROM sale').pluck().get();
    const before = sales();
    let sawDiskFull = false;
    for (let i = 0; i < 200 && !sawDiskFull; i++) {
      const r = await t.terminal.dispatch('checkout.complete', {
        idempotencyKey: key(),
        memberId: m.id,
        lines: [{ lineNo: 1, category: 'grocery', description: 'x'.repeat(100), quantity: 1, unitPriceMinor: 1000 }],
        redeemPoints: 0,
      });
      if (!r.ok) {
        expect(r.error.code).toBe('DISK_FULL');
        expect(r.error.message).toMatch(/disk is full/i);
        sawDiskFull = true;
      }
    }
    expect(sawDiskFull).toBe(true);
    raw.pragma('max_page_count = 1073741823');
    const v = await t.call('ledger.verify', {});
    expect(v.ok).toBe(true);
    // Every committed sale has its earn entry; the failed one left nothing behind.
    const orphans = raw.prepare(`SELECT count(*) FROM sale s WHERE s.member_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e.sale_id = s.id)`).pluck().get();
    expect(orphans).toBe(0);
    expect(sales()).toBeGreaterThan(before as number);
  });
});
