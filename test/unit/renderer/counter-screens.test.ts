import { describe, expect, it } from 'vitest';
import type { DeviceConfig, DevicesStatusDto, PrintJobDto, PrinterStatusDto } from '../../../src-shared/api/contract-devices';
import { deviceConfigSchema } from '../../../src-shared/api/contract-devices';
import type { ExceptionsReportDto } from '../../../src-shared/api/contract-reports';
import type { CardReplacementDto, MemberDto } from '../../../src-shared/api/dto';
import { DomainError } from '../../../src-shared/errors/domain-error';
import { testPrintWords, testScanWords } from '../../../src-renderer/features/settings/device-view';
import { exceptionsTables, renderCell, tableToCsv } from '../../../src-renderer/features/reports/report-view';
import { createFormatter } from '../../../src-renderer/i18n/format';
import { translate, translator } from '../../../src-renderer/i18n';
import type { AppStore } from '../../../src-renderer/state/store';
import { configFromForm, EMPTY_DEVICE_FORM, formFromConfig } from '../../../src-renderer/state/device-setup';
import { MANAGER_PIN, setup } from './fake-core';
import { CASHIER, MANAGER, MEMBER } from './fixtures';

/**
 * The counter screens of issue 4 without a browser: the card dialog on the member's page, the
 * device set-up form and its test results in words, and the refused redemptions in the
 * exceptions report (tables and CSV).
 */
const en = translator('en');
const words = (e: { key: Parameters<typeof translate>[1]; params: Record<string, string | number> } | null | undefined) => (e ? translate('en', e.key, e.params) : null);

/** Resolves once the store's state satisfies `cond` (on the change that makes it true). */
function until(store: AppStore, cond: (s: ReturnType<AppStore['getState']>) => boolean): Promise<void> {
  if (cond(store.getState())) return Promise.resolve();
  return new Promise((resolve) => {
    const off = store.subscribe((s) => {
      if (cond(s)) {
        off();
        resolve();
      }
    });
  });
}

const NEW_CARD = '6222020000000031';

/** A core that replaces cards with replay by key, as the real one does. */
function replacingCore() {
  const done = new Map<string, CardReplacementDto>();
  const member: MemberDto = { ...MEMBER, cards: [{ id: 'card-1', maskedCode: '6222 **** **** 1234', kind: 'printed', status: 'active' }, { id: 'card-0', maskedCode: '6222 **** **** 0007', kind: 'printed', status: 'inactive' }] };
  const s = setup({
    overrides: {
      'members.get': async ({ memberId }) => (memberId === 'no-cards' ? { ...member, id: 'no-cards', cards: [] } : member),
      'members.replaceCard': async (input) => {
        const prior = done.get(input.idempotencyKey);
        if (prior) return { ...prior, replayed: true };
        const code = input.newCardCode.replace(/[\s-]/g, '');
        if (code === '6222020000000049') throw new DomainError('CARD_ALREADY_ACTIVE', 'This card already belongs to a member.', { maskedCode: '6222 **** **** 0049' });
        const oldCard = { ...member.cards.find((c) => c.id === input.cardId)!, status: 'inactive' as const };
        const newCard = { id: 'card-2', maskedCode: `${code.slice(0, 4)} **** **** ${code.slice(12)}`, kind: 'printed' as const, status: 'active' as const };
        const r: CardReplacementDto = { member: { ...member, cards: [oldCard, newCard] }, oldCard, newCard, replayed: false };
        done.set(input.idempotencyKey, r);
        return r;
      },
      'members.addCard': async ({ memberId }) => ({ ...member, id: memberId, cards: [{ id: 'card-9', maskedCode: '6222 **** **** 0031', kind: 'printed', status: 'active' }] }),
    },
  });
  return { ...s, done };
}

async function signedIn<T extends ReturnType<typeof setup>>(s: T): Promise<T> {
  await s.store.getState().appStarted();
  await s.store.getState().staffSignInSubmitted(CASHIER.id, '1111');
  return s;
}

describe('the card dialog on the member page', () => {
  it('picks the card in use, takes the new card from any scanner (masked, not a member search), and replaces it once', async () => {
    const { store, inner, transport } = await signedIn(replacingCore());
    store.getState().screenChosen('members');
    await store.getState().memberOpened(MEMBER.id);
    store.getState().cardDialogOpened();
    expect(store.getState().members.cardDialog).toMatchObject({ open: true, cardId: 'card-1', reason: 'lost', text: '' });

    // A misread card and a product code are said in the same words as everywhere else.
    store.getState().scanReceived('6222020000000032');
    expect(words(store.getState().members.cardDialog.error)).toBe(translate('en', 'error.INVALID_CARD_NUMBER'));
    store.getState().scanReceived('6901234567892');
    expect(words(store.getState().members.cardDialog.error)).toBe('That is a product barcode (6901234567892), not a member card.');
    const searches = inner.calls.filter((c) => c.method === 'members.scan' || c.method === 'members.find').length;
    store.getState().scanReceived(NEW_CARD);
    expect(store.getState().members.cardDialog).toMatchObject({ text: '6222 **** **** 0031', scanned: NEW_CARD, error: null });
    expect(inner.calls.filter((c) => c.method === 'members.scan' || c.method === 'members.find').length).toBe(searches);
    expect(store.getState().members.view).toBe('member');

    store.getState().cardReplaceReasonChosen('damaged');
    // The answer is lost on the way back: the dialog stays, and the retry carries the same key.
    transport.loseNextAnswer('members.replaceCard');
    expect(await store.getState().cardDialogSubmitted()).toBe(false);
    expect(store.getState().members.cardDialog.error?.code).toBe('BRIDGE_UNREACHABLE');
    expect(await store.getState().cardDialogSubmitted()).toBe(true);
    const sent = inner.calls.filter((c) => c.method === 'members.replaceCard').map((c) => c.input);
    expect(sent).toEqual([
      { idempotencyKey: expect.any(String), memberId: MEMBER.id, cardId: 'card-1', newCardCode: NEW_CARD, reason: 'damaged' },
      sent[0],
    ]);
    expect(store.getState().members.cardDialog.open).toBe(false);
    expect(store.getState().members.selected?.cards.map((c) => c.status)).toEqual(['inactive', 'active']);
    expect(words(store.getState().status.notice)).toBe('Card 6222 **** **** 1234 no longer works; card 6222 **** **** 0031 works from now on. The points stay with the member.');
    // The next replacement is another action: a new key.
    store.getState().cardDialogOpened();
    expect(store.getState().members.cardDialog.key).not.toBe((sent[0] as { idempotencyKey: string }).idempotencyKey);
    // With the dialog closed, a scan is a member search again.
    store.getState().cardDialogClosed();
    store.getState().scanReceived(NEW_CARD);
    await until(store, (s) => s.members.status !== 'searching');
    expect(inner.calls.at(-1)).toMatchObject({ method: 'members.scan', input: { raw: NEW_CARD } });
  });

  it('says why the core refused (a card of another member, nothing typed, no card picked) and keeps the dialog open', async () => {
    const { store } = await signedIn(replacingCore());
    store.getState().screenChosen('members');
    await store.getState().memberOpened(MEMBER.id);
    store.getState().cardDialogOpened();
    expect(await store.getState().cardDialogSubmitted()).toBe(false);
    expect(words(store.getState().members.cardDialog.error)).toBe('Scan or type the new card.');
    store.getState().newCardTyped('6222 0200 0000 0049');
    expect(await store.getState().cardDialogSubmitted()).toBe(false);
    expect(words(store.getState().members.cardDialog.error)).toBe(translate('en', 'error.CARD_ALREADY_ACTIVE'));
    store.getState().cardToReplaceChosen('not-a-card');
    store.getState().newCardTyped(NEW_CARD);
    expect(await store.getState().cardDialogSubmitted()).toBe(false);
    expect(words(store.getState().members.cardDialog.error)).toBe('Pick the card that was lost or damaged.');
    expect(store.getState().members.cardDialog.open).toBe(true);
  });

  it('gives a first card to a member without one (members.addCard)', async () => {
    const { store, inner } = await signedIn(replacingCore());
    await store.getState().memberOpened('no-cards');
    store.getState().cardDialogOpened();
    expect(store.getState().members.cardDialog.cardId).toBe('');
    store.getState().newCardTyped(` ${NEW_CARD} `);
    expect(await store.getState().cardDialogSubmitted()).toBe(true);
    expect(inner.calls.filter((c) => c.method === 'members.addCard').map((c) => c.input)).toEqual([{ memberId: 'no-cards', cardCode: NEW_CARD }]);
    expect(words(store.getState().status.notice)).toBe('Card 6222 **** **** 0031 added: it works from now on.');
  });
});

const CURRENT: DeviceConfig = deviceConfigSchema.parse({
  scanners: [
    { id: 'front', type: 'serial', path: '/dev/ttyACM0', baudRate: 9600, terminator: 'CR' },
    { id: 'back', type: 'hid-pos', vendorId: 0x0c2e, productId: 0x0b6a },
  ],
  printer: { connection: { transport: 'tcp', host: '192.168.1.50', port: 9100 }, paperWidth: 80, columns: 42, headerLines: ['滨江大道1号'], openDrawer: true, cut: 'full' },
  keyboardWedge: { maxInterKeyMs: 150 },
});

describe('the device set-up form', () => {
  it('fills from the settings in force and gives them back unchanged', () => {
    const form = formFromConfig(CURRENT);
    expect(form).toMatchObject({ scanner: 'serial', scannerPath: '/dev/ttyACM0', scannerBaud: 9600, printer: 'tcp', printerHost: '192.168.1.50', printerPort: '9100', paperWidth: 80, encoding: 'gb18030', chineseMode: true });
    const r = configFromForm(form, CURRENT);
    expect(r.ok && deviceConfigSchema.parse(r.config)).toEqual(CURRENT);
    expect(formFromConfig(null)).toEqual(EMPTY_DEVICE_FORM);
    expect(formFromConfig({ ...CURRENT, scanners: [CURRENT.scanners[1]!] })).toMatchObject({ scanner: 'hid-pos', hidIds: '0c2e:0b6a' });
  });

  it('a serial printer at 58 mm with Big5 and no Chinese font; keeps what the form does not show', () => {
    const r = configFromForm(
      { ...formFromConfig(CURRENT), printer: 'serial', printerPath: ' /dev/ttyUSB0 ', printerBaud: 19200, paperWidth: 58, encoding: 'big5', chineseMode: false, language: 'zh-Hant' },
      CURRENT,
    );
    if (!r.ok) throw new Error(words(r.error) ?? '');
    const c = deviceConfigSchema.parse(r.config);
    expect(c.printer).toEqual({
      ...CURRENT.printer,
      connection: { transport: 'serial', path: '/dev/ttyUSB0', baudRate: 19200, rtscts: false, xonxoff: false },
      paperWidth: 58,
      columns: undefined,
      encoding: 'big5',
      chineseMode: false,
      language: 'zh-Hant',
    });
    expect(c.keyboardWedge.maxInterKeyMs).toBe(150);
    // The technician's second scanner stays; keyboard only removes the one the form edits.
    expect(c.scanners.map((s) => s.id)).toEqual(['front', 'back']);
    const keyboard = configFromForm({ ...formFromConfig(CURRENT), scanner: 'keyboard', printer: 'none' }, CURRENT);
    expect(keyboard.ok && keyboard.config).toMatchObject({ scanners: [{ id: 'back' }], printer: null });
    const hid = configFromForm({ ...EMPTY_DEVICE_FORM, scanner: 'hid-pos', hidIds: '05E0:1200' }, null);
    expect(hid.ok && hid.config.scanners).toEqual([{ id: 'counter-scanner', type: 'hid-pos', vendorId: 0x05e0, productId: 0x1200 }]);
  });

  it('says which field is wrong, in words', () => {
    const fail = (patch: Partial<typeof EMPTY_DEVICE_FORM>) => {
      const r = configFromForm({ ...EMPTY_DEVICE_FORM, ...patch }, null);
      return r.ok ? null : [r.field, words(r.error)];
    };
    expect(fail({ printer: 'serial', printerPath: 'ttyUSB0' })).toEqual(['printerPath', 'Type the device’s port, starting with /dev/ (for example /dev/ttyUSB0), or pick it from the list.']);
    expect(fail({ printer: 'tcp', printerHost: 'printer; rm -rf /' })?.[0]).toBe('printerHost');
    expect(fail({ printer: 'tcp', printerHost: '10.0.0.9', printerPort: '70000' })?.[0]).toBe('printerPort');
    expect(fail({ printer: 'usb-lp', usbPath: '' })?.[0]).toBe('usbPath');
    expect(fail({ scanner: 'hid-pos', hidIds: 'honeywell' })?.[0]).toBe('hidIds');
    expect(fail({ scanner: 'serial', scannerPath: '' })?.[0]).toBe('scannerPath');
  });

  it('saves with a manager’s PIN through devices.configure, keeping the settings in force', async () => {
    let stored: DeviceConfig = CURRENT;
    const status = (): DevicesStatusDto => ({
      config: stored,
      scanners: [],
      printer: stored.printer ? { target: 'serial:/dev/ttyUSB0', state: 'ready', message: 'Ready', queued: 0, needsCheck: 0, checkedAt: null } : null,
      needsCheck: 0,
    });
    const s = setup({
      overrides: {
        'devices.status': async () => status(),
        'devices.list': async () => ({ serialPorts: { available: true, items: [] }, hidDevices: { available: false, reason: 'no libusb', items: [] }, usbPrinters: [] }),
        'devices.configure': async ({ config, approval }) => {
          if (approval.staffId !== MANAGER.id || approval.pin !== MANAGER_PIN) throw new DomainError('INVALID_PIN', 'Wrong PIN.');
          stored = config;
          return status();
        },
      },
    });
    await s.store.getState().appStarted();
    await s.store.getState().staffSignInSubmitted(MANAGER.id, MANAGER_PIN);
    await s.store.getState().deviceSetupOpened();
    expect(s.store.getState().staffAdmin.deviceSetup).toMatchObject({ status: 'ready', config: CURRENT });
    const bad = await s.store.getState().deviceSetupSubmitted({ ...formFromConfig(CURRENT), printer: 'serial', printerPath: '' });
    expect(bad).toBe(false);
    expect(s.store.getState().staffAdmin.deviceSetup.field).toBe('printerPath');
    const saving = s.store.getState().deviceSetupSubmitted({ ...formFromConfig(CURRENT), printer: 'serial', printerPath: '/dev/ttyUSB0' });
    await until(s.store, (st) => st.approval !== null);
    expect(s.store.getState().approval?.purpose).toBe('approval.purpose.devices');
    await s.store.getState().approvalSubmitted(MANAGER.id, '0000');
    expect(words(s.store.getState().approval?.error)).toBe('That PIN is not right. Try again.');
    await s.store.getState().approvalSubmitted(MANAGER.id, MANAGER_PIN);
    expect(await saving).toBe(true);
    expect(stored.printer?.connection).toEqual({ transport: 'serial', path: '/dev/ttyUSB0', baudRate: 38400, rtscts: false, xonxoff: false });
    expect(stored.keyboardWedge.maxInterKeyMs).toBe(150);
    expect(stored.printer?.headerLines).toEqual(['滨江大道1号']);
    expect(s.store.getState().staffAdmin.deviceSetup).toMatchObject({ status: 'ready', error: null, saved: { printer: { state: 'ready' } } });
    expect(words(s.store.getState().status.notice)).toBe('Device settings saved.');
  });

  it('test results in words a store manager understands', () => {
    const job = (state: PrintJobDto['state']): PrintJobDto => ({ id: 'j', kind: 'test', state, title: 'Test page', receiptNo: null, saleId: null, refundId: null, reprintOf: null, attempts: 1, lastError: null, createdAt: '', updatedAt: '', printedAt: null });
    const paperOut: PrinterStatusDto = { target: 'serial:/dev/ttyUSB0', state: 'paper_out', message: 'Printer is out of paper', queued: 1, needsCheck: 0, checkedAt: null };
    const say = (w: { key: Parameters<typeof translate>[1]; params: Record<string, string | number> }) => translate('en', w.key, w.params);
    expect(say(testPrintWords(job('printed'), null, en))).toMatch(/^The test page has printed\. Check that its Chinese line is readable/);
    expect(say(testPrintWords(job('queued'), paperOut, en))).toBe(
      'The test page is waiting to print (Printer: out of paper). Check that the printer is on, has paper and its cable is in: it prints by itself once the printer is ready.',
    );
    expect(testPrintWords(job('needs_check'), null, en).tone).toBe('warning');
    expect(say(testScanWords({ raw: '6222020000000031', source: 'serial' }, en))).toBe('The serial scanner works: it read a member card, 6222 **** **** 0031.');
    expect(say(testScanWords({ raw: '6901234567892', source: 'keyboard' }, en))).toBe('The keyboard scanner works: it read a product barcode, 6901234567892.');
    expect(say(testScanWords({ raw: '6222020000000032', source: 'hid-pos' }, en))).toMatch(/^The USB scanner read a number whose check digit is wrong/);
    expect(say(testScanWords({ raw: '62\u0000\u00ff22', source: 'serial' }, en))).toMatch(/^The serial scanner sent unreadable characters/);
    expect(translate('zh-Hans', testScanWords({ raw: '6222020000000031', source: 'serial' }, translator('zh-Hans')).key, testScanWords({ raw: '6222020000000031', source: 'serial' }, translator('zh-Hans')).params)).toBe(
      '串口扫码枪正常：读到会员卡 6222 **** **** 0031。',
    );
  });

  it('with keyboard scanners only, the scanner test takes the next scan in this window and stays on Settings', async () => {
    const s = setup({ overrides: { 'devices.status': async () => ({ config: CURRENT, scanners: [], printer: null, needsCheck: 0 }) } });
    await signedIn(s);
    s.store.getState().screenChosen('settings');
    await s.store.getState().testScanRequested();
    expect(s.store.getState().staffAdmin.testScan).toMatchObject({ status: 'waiting', mode: 'keyboard' });
    expect(s.inner.calls.some((c) => c.method === 'devices.testScan')).toBe(false);
    s.store.getState().scanReceived(NEW_CARD);
    expect(s.store.getState().staffAdmin.testScan).toMatchObject({ status: 'done', scan: { raw: NEW_CARD, source: 'keyboard' } });
    expect(s.store.getState().screen).toBe('settings');
    expect(s.inner.calls.some((c) => c.method === 'members.scan')).toBe(false);
    // Cancelled: the next scan is a sale's again.
    await s.store.getState().testScanRequested();
    s.store.getState().testScanCancelled();
    expect(s.store.getState().staffAdmin.testScan.status).toBe('idle');
  });
});

describe('refused redemptions in the exceptions report', () => {
  it('counts by reason in words and lists each attempt with its time; the CSV keeps the instant and plain numbers', () => {
    const r: ExceptionsReportDto = {
      range: { period: 'today', from: '2026-06-15', to: '2026-06-15', days: 1, timeZone: 'Asia/Shanghai', currency: 'CNY', generatedAt: '' },
      overrides: 0,
      holdsApproved: 0,
      adjustments: { count: 0, pointsIn: 0, pointsOut: 0 },
      refundApprovals: 0,
      capped: { entries: 0, points: 0, members: 0 },
      overdrafts: { members: 0, points: 0, valueMinor: 0, list: [] },
      pinFailures: 0,
      offlineSales: 0,
      heldChanges: 0,
      refusedAttempts: {
        count: 2,
        points: 5100,
        members: 1,
        byReason: [
          { reason: 'INSUFFICIENT_POINTS', count: 1, points: 5000 },
          { reason: 'SOMETHING_NEW', count: 1, points: 100 },
        ],
        list: [
          { at: '2026-06-15T02:10:00.000Z', businessDate: '2026-06-15', channel: 'reward', points: 100, reason: 'SOMETHING_NEW', staffName: 'Wang Fang 王芳', approverName: null, member: '张* 138****5678', offline: true, details: { rewardId: 'coupon-10' } },
          { at: '2026-06-15T02:05:00.000Z', businessDate: '2026-06-15', channel: 'bill', points: 5000, reason: 'INSUFFICIENT_POINTS', staffName: 'Wang Fang 王芳', approverName: 'Li Na 李娜', member: '张* 138****5678', offline: false, details: { available: 1284, maxPoints: 1200 } },
        ],
      },
      entries: [],
    };
    const tables = exceptionsTables(r, en);
    const summary = tables.find((x) => x.id === 'exceptions-summary')!;
    expect(summary.rows.slice(-3).map((row) => [row[0]!.value, row[1]!.value])).toEqual([
      ['Refused redemptions', 2],
      ['Points asked for in refused redemptions', 5100],
      ['Members refused', 1],
    ]);
    expect(tables.find((x) => x.id === 'exceptions-refused-reasons')!.rows.map((row) => row.map((c) => c.value))).toEqual([
      ['Not enough points', 1, 5000],
      ['Other (SOMETHING_NEW)', 1, 100],
    ]);
    const list = tables.find((x) => x.id === 'exceptions-refused')!;
    expect(list.columns).toEqual(['Time', 'Reason', 'For', 'Points asked for', 'Member', 'Staff', 'Manager named', 'Offline', 'Details']);
    expect(list.rows[1]!.map((c) => c.value)).toEqual(['2026-06-15T02:05:00.000Z', 'Not enough points', 'A bill', 5000, '张* 138****5678', 'Wang Fang 王芳', 'Li Na 李娜', 'No', '1,284 pts available; at most 1,200 pts allowed']);
    expect(renderCell(list.rows[1]![0]!, createFormatter('en', 'CNY', 'Asia/Shanghai'))).toBe('Jun 15, 2026, 10:05');
    const csv = tableToCsv(tables, 2);
    expect(csv).toContainEqual(['2026-06-15T02:10:00.000Z', 'Other (SOMETHING_NEW)', 'A reward', 100, '张* 138****5678', 'Wang Fang 王芳', '—', 'Yes', 'reward coupon-10']);
    expect(csv).toContainEqual(['Refused redemptions by reason']);
  });
});
