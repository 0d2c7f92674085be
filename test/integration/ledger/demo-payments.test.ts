import { afterEach, describe, expect, it } from 'vitest';
import type { Input, Method, Outputs } from '../../../src-shared/api/contract';
import { DEFAULT_TENDER_CONFIG } from '../../../src-shared/tenders/tender-types';
import { DEMO_STAFF } from '../../../src-main/seed/demo';
import { createTerminal, type Terminal } from '../../../src-main/terminal/create-terminal';
import { tempDir } from '../../helpers/terminal';

/** A fresh demo store takes the money at its till; a harness may seed a till beside another register. */
let terminal: Terminal | null = null;
afterEach(async () => {
  await terminal?.close();
  terminal = null;
});

async function demoStore(seedDemo: { members: number; paymentsAtTill?: boolean }) {
  terminal = await createTerminal({ dataDir: tempDir('tillsmith-demo-pay-'), pinKdfCost: 1024, seedDemo, startSync: false });
  const t = terminal;
  const call = async <M extends Method>(m: M, input: Input<M>): Promise<Outputs[M]> => {
    const r = await t.dispatch(m, input);
    if (!r.ok) throw Object.assign(new Error(`${m}: ${r.error.code}`), { code: r.error.code });
    return r.value as Outputs[M];
  };
  const staff = await call('staff.list', {});
  await call('session.signIn', { staffId: staff.find((s) => s.name === DEMO_STAFF[0].name)!.id, pin: DEMO_STAFF[0].pin });
  return call;
}

describe('the demo store and the money', () => {
  it('a fresh demo store takes the money: the default tenders, a sale needs them, cash needs an open drawer', async () => {
    const call = await demoStore({ members: 0 });
    const config = await call('tenders.config', {});
    expect(config).toMatchObject({ paymentsAtTill: true, currency: 'CNY' });
    expect(config.config).toEqual(DEFAULT_TENDER_CONFIG);
    const lines = [{ lineNo: 1, category: 'grocery', quantity: 1, unitPriceMinor: 1200 }];
    await expect(call('checkout.complete', { idempotencyKey: 'demo-pay-0001', lines })).rejects.toMatchObject({ code: 'TENDER_SHORT' });
    await expect(call('checkout.complete', { idempotencyKey: 'demo-pay-0001', lines, tenders: [{ code: 'CASH', amountMinor: 2000 }] })).rejects.toMatchObject({ code: 'DRAWER_NOT_OPEN' });
    await call('drawer.open', { idempotencyKey: 'demo-drawer-0001', counts: { '1000': 5 } });
    const sale = await call('checkout.complete', { idempotencyKey: 'demo-pay-0001', lines, tenders: [{ code: 'CASH', amountMinor: 2000 }] });
    expect(sale).toMatchObject({ paidMinor: 1200, changeMinor: 800, tenders: [{ code: 'CASH', amountMinor: 1200, tenderedMinor: 2000 }] });
  });

  it('seeded with paymentsAtTill: false it stays a till beside another register', async () => {
    const call = await demoStore({ members: 0, paymentsAtTill: false });
    expect((await call('tenders.config', {})).paymentsAtTill).toBe(false);
    const sale = await call('checkout.complete', { idempotencyKey: 'demo-pay-0002', lines: [{ lineNo: 1, category: 'grocery', quantity: 1, unitPriceMinor: 1200 }] });
    expect(sale.tenders).toEqual([]);
  });
});
