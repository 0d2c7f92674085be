import { describe, expect, it } from 'vitest';
import type { MemberSummaryDto } from '../../../src-shared/api/dto';
import { DomainError } from '../../../src-shared/errors/domain-error';
import { translate } from '../../../src-renderer/i18n';
import { DRAFT_STORAGE_KEY, draftOf, parseDraft } from '../../../src-renderer/state/checkout.slice';
import { displayStateOf, startDisplaySync } from '../../../src-renderer/state/display-sync';
import { validateRegisterForm, EMPTY_REGISTER_FORM } from '../../../src-renderer/state/members.slice';
import { startDraftPersistence } from '../../../src-renderer/state/persistence';
import { shouldLock } from '../../../src-renderer/state/session.slice';
import { parseStoredSettings, SETTINGS_STORAGE_KEY } from '../../../src-renderer/state/settings.slice';
import { createCustomerDisplayStore } from '../../../src-renderer/state/customer-display.store';
import { createPosClient } from '../../../src-renderer/api/client';
import { memoryTransport } from '../../../src-renderer/api/memory-transport';
import { CARD, MANAGER_PIN, memoryStorage, setup } from './fake-core';
import { CASHIER, INFO, MANAGER, MEMBER, SUMMARY } from './fixtures';

const words = (e: { key: Parameters<typeof translate>[1]; params: Record<string, string | number> } | null | undefined) => (e ? translate('en', e.key, e.params) : null);
const line = { category: 'grocery', description: null, sku: null, quantity: 1 };

async function signedIn(opts: Parameters<typeof setup>[0] = {}) {
  const s = setup(opts);
  await s.store.getState().appStarted();
  await s.store.getState().staffSignInSubmitted(CASHIER.id, '1111');
  return s;
}

describe('start-up and sign-in', () => {
  it('appStarted loads terminal info, campaigns, staff and the session; connectivity reaches the status bar', async () => {
    const { store, inner } = setup();
    expect(store.getState().terminal.status).toBe('starting');
    await store.getState().appStarted();
    const s = store.getState();
    expect(s.terminal).toMatchObject({ transport: 'memory', status: 'ready', info: INFO, error: null, campaignNames: { reactivation: 'Welcome back: double points' } });
    expect(s.session).toMatchObject({ staffList: [CASHIER, MANAGER], current: null });
    expect(s.status.connectivity).toBe('standalone');
    expect(inner.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['terminal.info', 'rules.current', 'staff.list', 'session.current', 'devices.status']));
    // The devices area is not in this fake core: the status bar says so, nothing breaks.
    expect(s.status.devicesKnown).toBe(false);
  });

  it('an unreachable core is shown in words with what to do', async () => {
    const { store } = setup({
      overrides: {
        'terminal.info': async () => {
          throw new DomainError('DATABASE_TOO_NEW', 'newer', {});
        },
      },
    });
    await store.getState().appStarted();
    expect(store.getState().terminal.status).toBe('unreachable');
    expect(words(store.getState().terminal.error)).toBe('The till’s data was written by a newer Tillsmith. Update this till; nothing was changed.');
  });

  it('checks the PIN format before sending, shows a wrong PIN as words, and signs in', async () => {
    const { store, inner } = setup();
    await store.getState().appStarted();
    const before = inner.calls.length;
    await store.getState().staffSignInSubmitted('', '1111');
    expect(words(store.getState().session.error)).toBe('Choose who you are first.');
    await store.getState().staffSignInSubmitted(CASHIER.id, '12');
    expect(words(store.getState().session.error)).toBe('A PIN is 4 to 8 digits.');
    expect(inner.calls.length).toBe(before);
    await store.getState().staffSignInSubmitted(CASHIER.id, '2222');
    expect(store.getState().session).toMatchObject({ current: null, error: { code: 'INVALID_PIN', key: 'error.INVALID_PIN' } });
    await store.getState().staffSignInSubmitted(CASHIER.id, '1111');
    expect(store.getState().session).toMatchObject({ current: CASHIER, error: null, lockedFor: null });
  });

  it('locks after the configured idle minutes (signing out in the core) and keeps the sale for whoever signs in', async () => {
    let now = Date.parse('2026-06-15T02:00:00.000Z');
    const { store, inner } = await signedIn({ now: () => now });
    store.getState().idleLockMinutesChosen(2);
    store.getState().quickAmountAdded('grocery', 1200);
    now += 119_000;
    await store.getState().idleCheckTicked();
    expect(store.getState().session.current).toEqual(CASHIER);
    now += 2_000;
    await store.getState().idleCheckTicked();
    expect(store.getState().session).toMatchObject({ current: null, lockedFor: CASHIER });
    expect(inner.calls.at(-1)?.method).toBe('session.signOut');
    expect(store.getState().checkout.lines).toHaveLength(1);
    await store.getState().staffSignInSubmitted(CASHIER.id, '1111');
    expect(store.getState().session.lockedFor).toBeNull();
    expect(shouldLock({ signedIn: true, idleLockMinutes: 0, lastActivityAt: 0, now: 1e12 })).toBe(false);
    expect(shouldLock({ signedIn: false, idleLockMinutes: 1, lastActivityAt: 0, now: 1e12 })).toBe(false);
  });

  it('a cashier deactivated on another till is signed out at their next action, told why; the sale is kept', async () => {
    const { store, core } = await signedIn();
    store.getState().quickAmountAdded('grocery', 1200);
    core.deactivateElsewhere(CASHIER.id);
    store.getState().scanReceived(CARD);
    await waitFor(() => store.getState().session.current === null);
    await waitFor(() => store.getState().session.staffList.length === 1);
    expect(words(store.getState().session.error)).toMatch(/^A manager deactivated your staff account/);
    expect(store.getState().session.staffList.map((s) => s.id)).toEqual([MANAGER.id]);
    expect(store.getState().checkout.lines).toHaveLength(1);
    await store.getState().staffSignInSubmitted(MANAGER.id, MANAGER_PIN);
    expect(store.getState().session).toMatchObject({ current: MANAGER, error: null });
  });

  it('the status poll notices a deactivation without any action at the till', async () => {
    const { store, core } = await signedIn();
    await store.getState().statusPollTicked();
    expect(store.getState().session.current).toEqual(CASHIER);
    core.deactivateElsewhere(CASHIER.id);
    await store.getState().statusPollTicked();
    expect(store.getState().session.current).toBeNull();
    expect(words(store.getState().session.error)).toMatch(/^A manager deactivated your staff account/);
  });

  it('reports are for managers: a cashier gets a notice, a manager gets the screen', async () => {
    const { store } = await signedIn();
    store.getState().screenChosen('reports');
    expect(store.getState().screen).toBe('checkout');
    expect(store.getState().status.notice?.key).toBe('notice.reportsManagerOnly');
  });
});

describe('checkout', () => {
  it('a scanned card finds the member; amounts add lines; the core previews earn and the redeem limit', async () => {
    const { store, inner } = await signedIn();
    store.getState().scanReceived(CARD);
    await waitFor(() => store.getState().checkout.member !== null);
    expect(store.getState().checkout.member).toMatchObject({ id: MEMBER.id, balance: 5000 });
    store.getState().quickAmountAdded('grocery', 8850);
    store.getState().lineAdded({ ...line, category: 'dairy', quantity: 2, unitPriceMinor: 1000 });
    await waitFor(() => store.getState().checkout.previewStatus === 'ready');
    const c = store.getState().checkout;
    expect(c.lines.map((l) => l.lineNo)).toEqual([1, 2]);
    expect(c.preview).toMatchObject({ grossMinor: 10850, paidMinor: 10850, maxRedeem: { points: 5000, limitedBy: 'balance' }, earn: { purchasePoints: 108 } });
    expect(inner.calls.filter((x) => x.method === 'checkout.preview').at(-1)?.input).toMatchObject({ memberId: MEMBER.id, redeemPoints: 0 });
  });

  it('typed lookups: one match is chosen, several are listed, none offers registration, bad amounts are refused', async () => {
    const { store, inner } = await signedIn();
    await store.getState().checkoutMemberQuerySubmitted('5678');
    expect(store.getState().checkout.member?.id).toBe(MEMBER.id);
    await store.getState().checkoutMemberQuerySubmitted('many');
    expect(store.getState().checkout.lookup).toMatchObject({ status: 'choose', results: [{ id: MEMBER.id }, { id: 'member-2' }] });
    await store.getState().checkoutMemberQuerySubmitted('nobody');
    expect(store.getState().checkout.lookup).toMatchObject({ status: 'none', query: 'nobody' });
    // A 16-digit number typed by hand is read as a card, not searched as a phone.
    await store.getState().checkoutMemberQuerySubmitted('6222 0200 0000 0015');
    expect(inner.calls.filter((c) => c.method === 'members.scan').at(-1)).toEqual({ method: 'members.scan', input: { raw: '6222 0200 0000 0015' } });
    expect(store.getState().checkout.lookup.unknownCard).not.toBeNull();
    await store.getState().checkoutCodeScanned('garbage');
    expect(words(store.getState().checkout.lookup.error)).toBe('That code is not a member card or a product. Scan again, or type the card or phone number.');
    await store.getState().checkoutCodeScanned('6901234567892');
    expect(store.getState().checkout.productCode).toBe('6901234567892');
    store.getState().lineAdded({ ...line, sku: '6901234567892', unitPriceMinor: 0 });
    expect(words(store.getState().checkout.error)).toBe('Type an amount above zero, like 12.50.');
    store.getState().lineAdded({ ...line, sku: '6901234567892', unitPriceMinor: 350 });
    expect(store.getState().checkout).toMatchObject({ productCode: null, lines: [{ sku: '6901234567892', unitPriceMinor: 350 }] });
    // A barcode the till knows comes with its last price, for the form to fill in.
    expect(store.getState().checkout.productKnown).toBeNull();
    await store.getState().checkoutCodeScanned('6920000000024');
    expect(store.getState().checkout).toMatchObject({ productCode: '6920000000024', productKnown: { category: 'dairy', unitPriceMinor: 1290 } });
    store.getState().checkoutLookupDismissed();
    expect(store.getState().checkout).toMatchObject({ productCode: null, productKnown: null });
  });

  it('an unknown card can be activated at the counter and joins the sale', async () => {
    const { store } = await signedIn();
    await store.getState().checkoutCodeScanned('6222000000009999');
    expect(store.getState().checkout.lookup.unknownCard).toMatchObject({ maskedCode: '6222 **** **** 9999', activatable: true });
    await store.getState().checkoutCardActivated();
    expect(store.getState().checkout.member).toMatchObject({ id: 'card-6222000000009999', anonymous: true });
    expect(store.getState().status.notice?.key).toBe('notice.cardActivated');
  });

  it('redeem at the limit: max from the preview; too many shows why and keeps the preview without it', async () => {
    const { store, core } = await signedIn();
    await store.getState().checkoutCodeScanned(CARD);
    store.getState().quickAmountAdded('grocery', 4000);
    await waitFor(() => store.getState().checkout.previewStatus === 'ready');
    expect(store.getState().checkout.preview?.maxRedeem).toMatchObject({ points: 2000, limitedBy: 'bill_cap' });
    store.getState().redeemChanged(2100);
    await waitFor(() => store.getState().checkout.previewError !== null);
    expect(store.getState().checkout.preview).toMatchObject({ redeemedPoints: 0, paidMinor: 4000 });
    expect(words(store.getState().checkout.previewError)).toBe('Points can pay only part of the bill (at most 2,000 pts here). Use fewer.');
    store.getState().redeemMaxChosen();
    await waitFor(() => store.getState().checkout.previewError === null && store.getState().checkout.preview?.redeemedPoints === 2000);
    await store.getState().saleCompleted();
    const sale = store.getState().checkout.sale!;
    expect(sale).toMatchObject({ redeemedPoints: 2000, paidMinor: 2000, earnedPoints: 20, balanceAfter: 5000 - 2000 + 20 });
    expect(store.getState().checkout).toMatchObject({ phase: 'done', member: { balance: 3020 } });
    expect(core.member.balance).toBe(3020);
  });

  it('a lost answer never charges twice: the same key and request are sent again, and the core replays', async () => {
    const { store, transport, core, inner } = await signedIn();
    await store.getState().checkoutCodeScanned(CARD);
    store.getState().quickAmountAdded('grocery', 1000);
    await waitFor(() => store.getState().checkout.previewStatus === 'ready');
    const key = store.getState().checkout.saleKey;
    transport.loseNextAnswer('checkout.complete');
    await store.getState().saleCompleted();
    expect(store.getState().checkout.submit).toMatchObject({ status: 'unknown', error: { code: 'BRIDGE_UNREACHABLE' }, request: { idempotencyKey: key } });
    // The basket cannot change while the outcome is unknown.
    store.getState().quickAmountAdded('grocery', 500);
    expect(store.getState().checkout.lines).toHaveLength(1);
    expect(words(store.getState().checkout.error)).toBe('The sale is being saved: wait for the answer, or press Retry.');
    await store.getState().saleRetried();
    expect(store.getState().checkout).toMatchObject({ phase: 'done', sale: { replayed: true } });
    expect(core.sales.size).toBe(1);
    const completes = inner.calls.filter((c) => c.method === 'checkout.complete');
    expect(completes).toHaveLength(2);
    expect(completes[1]!.input).toEqual(completes[0]!.input);
    // Next customer: a new key.
    store.getState().nextCustomerRequested();
    expect(store.getState().checkout).toMatchObject({ phase: 'basket', lines: [], member: null });
    expect(store.getState().checkout.saleKey).not.toBe(key);
  });

  it('a risk hold asks a manager: a cashier PIN or a wrong PIN keep the prompt, the right PIN completes', async () => {
    const { store, core } = await signedIn();
    core.setRiskHold(true);
    await store.getState().checkoutCodeScanned(CARD);
    store.getState().quickAmountAdded('grocery', 4000);
    await waitFor(() => store.getState().checkout.previewStatus === 'ready');
    store.getState().redeemChanged(1000);
    await waitFor(() => store.getState().checkout.previewStatus !== 'loading' && store.getState().checkout.redeemPoints === 1000);
    const done = store.getState().saleCompleted();
    await waitFor(() => store.getState().approval !== null);
    expect(store.getState().approval).toMatchObject({ purpose: 'approval.purpose.riskHold', params: { points: 1000 } });
    await store.getState().approvalSubmitted(CASHIER.id, '1111');
    expect(store.getState().approval?.error?.code).toBe('MANAGER_PIN_REQUIRED');
    await store.getState().approvalSubmitted(MANAGER.id, '0000');
    expect(words(store.getState().approval?.error)).toBe('That PIN is not right. Try again.');
    await store.getState().approvalSubmitted(MANAGER.id, MANAGER_PIN);
    await done;
    expect(store.getState().approval).toBeNull();
    expect(store.getState().checkout).toMatchObject({ phase: 'done', sale: { redeemedPoints: 1000 } });
  });

  it('a manager stops a staff member with their PIN; the list no longer offers them', async () => {
    const { store } = await signedIn();
    await store.getState().staffListRequested();
    expect(store.getState().session.staffList.map((s) => s.id)).toContain(CASHIER.id);
    const done = store.getState().staffDeactivateSubmitted(CASHIER.id);
    await waitFor(() => store.getState().approval !== null);
    expect(store.getState().approval).toMatchObject({ purpose: 'approval.purpose.staffDeactivate', params: { name: CASHIER.name } });
    await store.getState().approvalSubmitted(MANAGER.id, MANAGER_PIN);
    expect(await done).toBe(true);
    expect(store.getState().session.staffList.map((s) => s.id)).not.toContain(CASHIER.id);
    expect(store.getState().status.notice?.key).toBe('notice.staffDeactivated');
    expect(await store.getState().staffDeactivateSubmitted('')).toBe(false);
    expect(words(store.getState().staffAdmin.error)).toBe(translate('en', 'signin.chooseStaff', {}));
  });

  it('a cancelled approval leaves the sale open and unchanged', async () => {
    const { store, core } = await signedIn();
    core.setRiskHold(true);
    await store.getState().checkoutCodeScanned(CARD);
    store.getState().quickAmountAdded('grocery', 4000);
    store.getState().redeemChanged(1000);
    const done = store.getState().saleCompleted();
    await waitFor(() => store.getState().approval !== null);
    store.getState().approvalCancelled();
    await done;
    expect(store.getState().checkout).toMatchObject({ phase: 'basket', submit: { status: 'idle' }, redeemPoints: 1000 });
    expect(core.sales.size).toBe(0);
  });

  it('a guest sale completes without a member; a scan on the receipt screen starts the next sale', async () => {
    const { store } = await signedIn();
    await store.getState().saleCompleted();
    expect(words(store.getState().checkout.error)).toBe('Add at least one item before completing.');
    store.getState().quickAmountAdded('snacks', 2500);
    await store.getState().saleCompleted();
    expect(store.getState().checkout).toMatchObject({ phase: 'done', sale: { member: null, paidMinor: 2500, earnedPoints: 0 } });
    const firstKey = store.getState().checkout.saleKey;
    store.getState().scanReceived(CARD);
    await waitFor(() => store.getState().checkout.member !== null);
    expect(store.getState().checkout).toMatchObject({ phase: 'basket', lines: [] });
    expect(store.getState().checkout.saleKey).not.toBe(firstKey);
  });

  it('the sale in progress survives a reload (same key, same member, a pending request kept) but never the approval', async () => {
    const storage = memoryStorage();
    const first = await signedIn({ storage });
    const stop = startDraftPersistence(first.store, storage);
    await first.store.getState().checkoutCodeScanned(CARD);
    first.store.getState().quickAmountAdded('grocery', 1500);
    first.transport.failNextRequest('checkout.complete');
    await first.store.getState().saleCompleted();
    const key = first.store.getState().checkout.saleKey;
    expect(parseDraft(storage.data.get(DRAFT_STORAGE_KEY) ?? null)).toMatchObject({ saleKey: key, memberId: MEMBER.id, pendingRequest: { idempotencyKey: key } });
    stop();

    // A new page on the same storage: the draft comes back, the retry sends the same key.
    const second = setup({ storage });
    await second.store.getState().appStarted();
    expect(second.store.getState().checkout).toMatchObject({ saleKey: key, lines: [{ unitPriceMinor: 1500 }], restoreMemberId: MEMBER.id, submit: { status: 'unknown' } });
    await second.store.getState().staffSignInSubmitted(CASHIER.id, '1111');
    await waitFor(() => second.store.getState().checkout.member !== null);
    await second.store.getState().saleRetried();
    expect(second.store.getState().checkout).toMatchObject({ phase: 'done', sale: { paidMinor: 1500 } });
    expect(storage.data.has(DRAFT_STORAGE_KEY)).toBe(false);

    const withApproval = draftOf({ ...second.store.getState().checkout, phase: 'basket', lines: [{ lineNo: 1, ...line, unitPriceMinor: 1 }], submit: { status: 'unknown', error: null, request: { idempotencyKey: 'k-123456789', lines: [], approval: { staffId: 'm', pin: '9999' } } } });
    expect(JSON.stringify(withApproval)).not.toContain('9999');
    expect(parseDraft('{not json')).toBeNull();
    expect(parseDraft(JSON.stringify({ saleKey: 'short', lines: [] }))).toBeNull();
  });

  it('scans that arrive while the app is starting are handled once it knows who is signed in', async () => {
    const { store, inner } = setup();
    store.getState().scanReceived(CARD);
    expect(inner.calls.some((c) => c.method === 'members.scan')).toBe(false);
    await store.getState().staffSignInSubmitted(CASHIER.id, '1111');
    await store.getState().appStarted();
    await waitFor(() => store.getState().checkout.member !== null);
    expect(inner.calls.filter((c) => c.method === 'members.scan')).toHaveLength(1);
  });
});

describe('refunds, members, reports, settings', () => {
  it('refund a past receipt by line, with quantities capped to what is left', async () => {
    const { store } = await signedIn();
    await store.getState().checkoutCodeScanned(CARD);
    store.getState().lineAdded({ ...line, quantity: 3, unitPriceMinor: 1000 });
    await store.getState().saleCompleted();
    const receipt = store.getState().checkout.sale!.receiptNo;
    store.getState().screenChosen('refund');
    await store.getState().refundReceiptLookedUp('');
    expect(words(store.getState().refund.error)).toBe('Type the receipt number printed on the receipt.');
    await store.getState().refundReceiptLookedUp(receipt);
    expect(store.getState().refund).toMatchObject({ status: 'ready', sale: { receiptNo: receipt } });
    await store.getState().refundSubmitted();
    expect(words(store.getState().refund.error)).toBe('Choose how many of which items come back.');
    store.getState().refundQuantityChanged(1, 99);
    expect(store.getState().refund.quantities).toEqual({ 1: 3 });
    store.getState().refundQuantityChanged(1, 2);
    await store.getState().refundSubmitted();
    expect(store.getState().refund).toMatchObject({ status: 'done', result: { refundMinor: 2000, reverseEarnedPoints: 20 } });
    await store.getState().refundReceiptLookedUp('nope');
    expect(words(store.getState().refund.error)).toBe('No sale with that receipt number. Check the number printed on the receipt.');
  });

  it('member search: results, nothing found, empty query; a slow lookup never overwrites a later one', async () => {
    let release: (v: MemberSummaryDto[]) => void = () => undefined;
    const { store, inner } = await signedIn({
      overrides: {
        'members.find': ({ query }) => (query === 'slow' ? new Promise<MemberSummaryDto[]>((r) => (release = r)) : Promise.resolve(query === 'nobody' ? [] : [SUMMARY, { ...SUMMARY, id: 'x' }])),
      },
    });
    await store.getState().memberSearchSubmitted('  5678 ');
    expect(store.getState().members).toMatchObject({ status: 'done', mode: 'find', query: '5678', results: [SUMMARY, { id: 'x' }] });
    expect(inner.calls.at(-1)).toEqual({ method: 'members.find', input: { query: '5678', by: 'auto', limit: 20 } });
    await store.getState().memberSearchSubmitted('nobody');
    expect(store.getState().members).toMatchObject({ status: 'done', results: [] });
    const before = inner.calls.length;
    await store.getState().memberSearchSubmitted('   ');
    expect(words(store.getState().members.error)).toBe('Type a card number, phone number, last four digits or name.');
    expect(inner.calls.length).toBe(before);
    const slow = store.getState().memberSearchSubmitted('slow');
    await store.getState().memberSearchSubmitted('fast');
    release([{ ...SUMMARY, id: 'slow' }]);
    await slow;
    expect(store.getState().members).toMatchObject({ query: 'fast' });
  });

  it('registration: checks the form, keeps the key for a retry, and reports a duplicate phone in words', async () => {
    const { store, inner } = await signedIn();
    expect(validateRegisterForm({ ...EMPTY_REGISTER_FORM, phone: '138' })?.key).toBe('register.phoneRequired');
    expect(validateRegisterForm({ ...EMPTY_REGISTER_FORM, phone: '13812345678', birthday: '1/2/90', consentTerms: true })?.key).toBe('register.birthdayFormat');
    expect(validateRegisterForm({ ...EMPTY_REGISTER_FORM, phone: '13812345678' })?.key).toBe('register.consentRequired');
    store.getState().registrationOpened({ phone: '13912345678' });
    const key = store.getState().members.register.key;
    const dup = await store.getState().registrationSubmitted({ ...EMPTY_REGISTER_FORM, phone: '13800000000', consentTerms: true });
    expect(dup).toBeNull();
    expect(words(store.getState().members.register.error)).toBe('This phone number is already registered. Look the member up instead.');
    const m = await store.getState().registrationSubmitted({ ...EMPTY_REGISTER_FORM, phone: '13912345678', name: 'Zhao', referrer: '13800000000', consentTerms: true, consentMarketing: true });
    expect(m?.id).toBe(`new-${key}`);
    expect(inner.calls.filter((c) => c.method === 'members.register').at(-1)?.input).toMatchObject({ idempotencyKey: key, phone: '13912345678', name: 'Zhao', referrer: '13800000000', consentTerms: true, consentMarketing: true, birthday: null });
    expect(store.getState().members).toMatchObject({ view: 'member', selected: { id: `new-${key}` } });
  });

  it('reveal needs a manager: the approval goes with the call and the unmasked details are shown', async () => {
    const { store, inner } = await signedIn();
    await store.getState().memberOpened(MEMBER.id);
    const reveal = store.getState().memberRevealRequested();
    await waitFor(() => store.getState().approval !== null);
    await store.getState().approvalSubmitted(MANAGER.id, MANAGER_PIN);
    await reveal;
    expect(store.getState().members.revealed).toEqual({ phone: '+8613812345678', name: '王小明', birthday: '1990-06-01' });
    expect(inner.calls.find((c) => c.method === 'members.reveal')?.input).toEqual({ memberId: MEMBER.id, approval: { staffId: MANAGER.id, pin: MANAGER_PIN } });
  });

  it('rewards, point adjustments and blocks: a held reward and every adjustment go through the manager prompt', async () => {
    const { store, core, inner } = await signedIn();
    await store.getState().memberOpened(MEMBER.id);
    await waitFor(() => store.getState().members.rewards.length > 0);
    core.setRiskHold(true);
    const reward = store.getState().memberRewardRedeemed('coupon-10');
    await waitFor(() => store.getState().approval !== null);
    expect(store.getState().approval).toMatchObject({ purpose: 'approval.purpose.reward', params: { name: 'Coupon ¥10 / 优惠券' } });
    await store.getState().approvalSubmitted(MANAGER.id, MANAGER_PIN);
    expect(await reward).toBe(true);
    const redeems = inner.calls.filter((c) => c.method === 'rewards.redeem');
    expect(redeems.map((c) => (c.input as { idempotencyKey: string }).idempotencyKey)).toEqual([expect.any(String), (redeems[0]!.input as { idempotencyKey: string }).idempotencyKey]);
    expect(core.member.balance).toBe(4000);
    expect(store.getState().status.notice).toMatchObject({ key: 'notice.rewardRedeemed', params: { points: 4000 } });

    expect(await store.getState().memberPointsAdjusted(0, 'no')).toBe(false);
    expect(store.getState().members.actionError?.key).toBe('members.adjustPointsInvalid');
    expect(await store.getState().memberPointsAdjusted(50, 'no')).toBe(false);
    expect(store.getState().members.actionError?.key).toBe('members.reasonRequired');
    const adjust = store.getState().memberPointsAdjusted(-50, 'Goodwill correction');
    await waitFor(() => store.getState().approval !== null);
    await store.getState().approvalSubmitted(MANAGER.id, MANAGER_PIN);
    expect(await adjust).toBe(true);
    expect(core.member.balance).toBe(3950);

    const block = store.getState().memberBlockToggled('Card shared by several people');
    await waitFor(() => store.getState().approval !== null);
    expect(store.getState().approval?.purpose).toBe('approval.purpose.block');
    await store.getState().approvalSubmitted(MANAGER.id, MANAGER_PIN);
    expect(await block).toBe(true);
    expect(store.getState().members.selected?.status).toBe('blocked');
  });

  it('reports: a manager runs each tab for a period; a custom range is checked before it is sent', async () => {
    const calls: string[] = [];
    const stub = (name: string) => async (input: unknown) => {
      calls.push(`${name} ${JSON.stringify(input)}`);
      return { range: { period: 'today', from: '2026-06-15', to: '2026-06-15', days: 1, timeZone: 'Asia/Shanghai', currency: 'CNY', generatedAt: '' } } as never;
    };
    const { store } = setup({
      overrides: {
        'reports.sales': stub('sales'),
        'reports.points': stub('points'),
        'reports.members': stub('members'),
        'reports.churnRisk': stub('churn'),
        'reports.exceptions': stub('exceptions'),
        'reports.endOfDay': stub('eod'),
      },
    });
    await store.getState().appStarted();
    await store.getState().staffSignInSubmitted(MANAGER.id, MANAGER_PIN);
    store.getState().screenChosen('reports');
    await waitFor(() => store.getState().reports.status === 'ready');
    for (const tab of ['points', 'members', 'churn', 'exceptions', 'endOfDay'] as const) await store.getState().reportTabChosen(tab);
    await store.getState().reportPeriodChosen('week');
    await store.getState().reportPeriodChosen('custom', '2026-06-10', '2026-06-01');
    expect(words(store.getState().reports.error)).toBe('The first day is after the last day.');
    await store.getState().reportPeriodChosen('custom', '2026-06-01', '2026-06-10');
    await store.getState().reportPeriodChosen('yesterday');
    expect(calls).toEqual([
      'sales {"period":"today"}',
      'points {"period":"today"}',
      'members {"period":"today"}',
      'churn {"silentDays":90,"limit":50}',
      'exceptions {"period":"today"}',
      'eod {"date":"2026-06-15"}',
      'eod {"date":"2026-06-15"}',
      'eod {"date":"2026-06-10"}',
      'eod {"date":"2026-06-14"}',
    ]);
  });

  it('settings: language, customer language and idle lock persist; bad stored values fall back', async () => {
    const storage = memoryStorage();
    const { store } = setup({ storage });
    store.getState().languageChosen('en');
    store.getState().customerLanguageChosen('zh-Hant');
    store.getState().idleLockMinutesChosen(10);
    store.getState().idleLockMinutesChosen(-3);
    expect(JSON.parse(storage.data.get(SETTINGS_STORAGE_KEY)!)).toEqual({ language: 'en', customerLanguage: 'zh-Hant', idleLockMinutes: 10 });
    const again = setup({ storage });
    again.store.getState().settingsRestored();
    expect(again.store.getState().settings.language).toBe('en');
    expect(parseStoredSettings('{"language":"fr","idleLockMinutes":1.5}')).toEqual({ language: 'zh-Hans', customerLanguage: 'same', idleLockMinutes: 5 });
    expect(parseStoredSettings('nonsense')).toEqual({ language: 'zh-Hans', customerLanguage: 'same', idleLockMinutes: 5 });
  });
});

describe('the customer display', () => {
  it('follows the sale: idle, basket with tier and points to earn, done with the balance, in the customer language', async () => {
    const { store, core } = await signedIn();
    store.getState().customerLanguageChosen('en');
    const stop = startDisplaySync(store, createPosClient(memoryTransport(core.handlers)));
    expect(displayStateOf(store.getState())).toEqual({ mode: 'idle', language: 'en' });
    await store.getState().checkoutCodeScanned(CARD);
    store.getState().quickAmountAdded('grocery', 2000);
    await waitFor(() => store.getState().checkout.previewStatus === 'ready');
    expect(displayStateOf(store.getState())).toMatchObject({ mode: 'basket', language: 'en', paidMinor: 2000, member: { tier: 'gold' }, pointsEarned: 20, balanceAfter: null, lines: [{ description: null, category: 'grocery', quantity: 1, amountMinor: 2000 }] });
    await store.getState().saleCompleted();
    expect(displayStateOf(store.getState())).toMatchObject({ mode: 'done', pointsEarned: 20, balanceAfter: 5020, receiptNo: '20260615-0001' });
    store.getState().nextCustomerRequested();
    await waitFor(() => core.displays.at(-1)?.mode === 'idle');
    expect(core.displays.map((d) => d.mode)).toEqual(expect.arrayContaining(['basket', 'done', 'idle']));
    stop();
  });

  it('the display page ignores older states', async () => {
    const display = createCustomerDisplayStore(createPosClient(memoryTransport({})));
    const base = { language: 'en' as const, lines: [], grossMinor: 0, redeemedPoints: 0, redeemedValueMinor: 0, paidMinor: 0, member: null, pointsEarned: null, balanceAfter: null, receiptNo: null, tenders: [], remainingMinor: null, changeMinor: 0, currency: 'CNY', updatedAt: null };
    display.getState().displayChanged({ ...base, mode: 'basket', seq: 5 });
    display.getState().displayChanged({ ...base, mode: 'idle', seq: 4 });
    expect(display.getState().display).toMatchObject({ mode: 'basket', seq: 5 });
    // The core restarted (numbering begins again) and the state is newer: it is shown.
    display.getState().displayChanged({ ...base, mode: 'idle', seq: 1, updatedAt: '2026-06-15T03:00:00.000Z' });
    expect(display.getState().display).toMatchObject({ mode: 'idle', seq: 1 });
    await display.getState().displayOpened();
    expect(display.getState().connected).toBe(false);
  });
});

/** Waits (by yielding to pending promises, no timers) until the condition holds. */
async function waitFor(cond: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (cond()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new Error('condition never held');
}
