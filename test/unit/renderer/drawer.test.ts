import { describe, expect, it } from 'vitest';
import { translate } from '../../../src-renderer/i18n';
import { countView } from '../../../src-renderer/state/drawer.slice';
import { CNY_DENOMINATIONS_MINOR } from '../../../src-shared/tenders/tender-types';
import { MANAGER_PIN, setup } from './fake-core';
import { CASHIER, MANAGER } from './fixtures';

/**
 * The cash drawer screen without a browser: the float counted by denomination, pay-outs with a
 * reason and a manager's PIN, a pick-up, and the blind close (nothing about the expected cash
 * until the core has the count).
 */
const words = (e: { key: Parameters<typeof translate>[1]; params: Record<string, string | number> } | null | undefined) => (e ? translate('en', e.key, e.params) : null);

async function waitFor(cond: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (cond()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new Error('condition never held');
}

async function cashier() {
  const s = setup();
  s.core.setPayments(true);
  await s.store.getState().appStarted();
  await s.store.getState().staffSignInSubmitted(CASHIER.id, '1111');
  await waitFor(() => s.store.getState().money.drawer !== null);
  return s;
}

describe('the cash drawer screen', () => {
  it('a count by denomination: blanks are none, the total comes from the shared count rules, bad fields are named', () => {
    expect(countView({ '10000': '2', '1000': '5', '100': '' }, CNY_DENOMINATIONS_MINOR)).toMatchObject({ totalMinor: 25000, counts: { '10000': 2, '1000': 5 }, invalid: [] });
    expect(countView({ '50': '1.5', '10': 'x' }, CNY_DENOMINATIONS_MINOR).invalid).toEqual([50, 10]);
  });

  it('opens with a float, pays out with a reason and a manager, picks up, and closes blind with the shortage shown only after the count', async () => {
    const { store, core, inner } = await cashier();
    expect(store.getState().money.drawer?.status).toBe('not_open');
    await store.getState().drawerScreenOpened();
    for (const [d, n] of [[10000, '2'], [1000, '5'], [100, '10']] as const) store.getState().drawerCountChanged(d, n);
    store.getState().drawerCountChanged(50, '3x'); // non-digits are dropped as typed
    expect(store.getState().drawerScreen.counts['50']).toBe('3');
    store.getState().drawerCountChanged(50, '');
    await store.getState().drawerOpenSubmitted();
    expect(inner.calls.find((c) => c.method === 'drawer.open')?.input).toMatchObject({ counts: { '10000': 2, '1000': 5, '100': 10 } });
    expect(store.getState().money.drawer?.status).toBe('open');
    expect(store.getState().drawerScreen).toMatchObject({ counts: {}, last: { kind: 'open', amountMinor: 26000 } });
    expect(words(store.getState().status.notice)).toBe('The drawer is open.');

    // A pay-out: the reason first, then the manager's PIN (a wrong one keeps the prompt).
    store.getState().drawerTaskChosen('payOut');
    store.getState().drawerAmountChanged('15');
    await store.getState().drawerTaskSubmitted();
    expect(words(store.getState().drawerScreen.error)).toBe('Give the reason (it is recorded).');
    store.getState().drawerReasonChanged('Window cleaner');
    const done = store.getState().drawerTaskSubmitted();
    await waitFor(() => store.getState().approval !== null);
    expect(translate('en', store.getState().approval!.purpose, store.getState().approval!.params)).toBe('Take ¥15.00 out of the drawer: Window cleaner (recorded in the audit log).');
    await store.getState().approvalSubmitted(MANAGER.id, '0000');
    expect(store.getState().approval?.error?.code).toBe('INVALID_PIN');
    await store.getState().approvalSubmitted(MANAGER.id, MANAGER_PIN);
    await done;
    const payOuts = inner.calls.filter((c) => c.method === 'drawer.payOut');
    expect(payOuts.map((c) => (c.input as { idempotencyKey: string }).idempotencyKey)).toEqual([expect.any(String), (payOuts[0]!.input as { idempotencyKey: string }).idempotencyKey]);
    expect(core.drawerCash()).toBe(26000 - 1500);

    store.getState().drawerTaskChosen('pickup');
    await store.getState().drawerTaskSubmitted();
    expect(words(store.getState().drawerScreen.error)).toBe('Count the notes and coins that go to the safe.');
    store.getState().drawerCountChanged(10000, '1');
    await store.getState().drawerTaskSubmitted();
    expect(core.drawerCash()).toBe(14500);

    // The blind close: nothing about the expected cash until the core has the count.
    store.getState().drawerTaskChosen('close');
    expect(store.getState().drawerScreen.closed).toBeNull();
    store.getState().drawerCountChanged(10000, '1');
    store.getState().drawerCountChanged(1000, '1');
    await store.getState().drawerTaskSubmitted();
    expect(store.getState().drawerScreen.closed).toMatchObject({ countedMinor: 11000, expectedMinor: 14500, overShortMinor: -3500 });
    expect(store.getState().money.drawer?.status).toBe('not_open');
  });

  it('a lost answer keeps the action\'s key, so sending again cannot open the drawer twice', async () => {
    const { store, transport, inner } = await cashier();
    store.getState().drawerCountChanged(10000, '1');
    transport.loseNextAnswer('drawer.open');
    await store.getState().drawerOpenSubmitted();
    expect(store.getState().drawerScreen.error?.code).toBe('BRIDGE_UNREACHABLE');
    await store.getState().drawerOpenSubmitted();
    const opens = inner.calls.filter((c) => c.method === 'drawer.open');
    expect(opens).toHaveLength(2);
    expect(opens[1]!.input).toEqual(opens[0]!.input);
    expect(store.getState().drawerScreen.last).toMatchObject({ kind: 'open', replayed: true });
  });
});

describe('X and Z (managers)', () => {
  it('the X shows the day so far; the Z asks to confirm, is refused in words while a drawer is open, then is made once with its number', async () => {
    const s = setup();
    s.core.setPayments(true);
    s.core.openDrawer(10000);
    await s.store.getState().appStarted();
    await s.store.getState().staffSignInSubmitted(MANAGER.id, MANAGER_PIN);
    const st = s.store.getState;
    st().screenChosen('reports');
    await st().reportTabChosen('day');
    expect(st().reports.data.day).toMatchObject({ kind: 'x', zNo: null, businessDate: '2026-06-15' });

    st().dayCloseRequested();
    expect(st().reports.dayClose.confirming).toBe(true);
    const key = st().reports.dayClose.key;
    await st().dayCloseConfirmed();
    expect(words(st().reports.dayClose.error)).toBe('A cash drawer is still open. Close it with a count first, then close the day.');
    st().dayCloseCancelled();

    // The drawer is closed (blind), then the Z.
    st().drawerTaskChosen('close');
    st().drawerCountChanged(10000, '1');
    await st().drawerTaskSubmitted();
    st().dayCloseRequested();
    const retryKey = st().reports.dayClose.key;
    expect(retryKey).not.toBe(key);
    s.transport.loseNextAnswer('day.close');
    await st().dayCloseConfirmed();
    expect(st().reports.dayClose.error?.code).toBe('BRIDGE_UNREACHABLE');
    await st().dayCloseConfirmed(); // the same key: the core answers with the Z it made
    expect(st().reports).toMatchObject({ tab: 'zReports', dayClose: { confirming: false, shown: { zNo: 1, replayed: true } } });
    expect(st().reports.data.zList?.map((z) => z.zNo)).toEqual([1]);
    expect(s.inner.calls.filter((c) => c.method === 'day.close').map((c) => (c.input as { idempotencyKey: string }).idempotencyKey)).toEqual([key, retryKey, retryKey]);
    expect(words(st().status.notice)).toBe('The day is closed: Z report no. 1.');
    st().zReportShown(null);
    expect(st().reports.dayClose.shown).toBeNull();
    st().zReportShown(1);
    expect(st().reports.dayClose.shown?.zNo).toBe(1);
  });
});
