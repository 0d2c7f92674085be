import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/terminal/config';
import { CATALOGUE } from '../../../src-main/seed/catalogue';
import { ean13CheckDigit } from '../../../src-shared/cards';
import { key, openTestTerminal, type TestTerminal } from '../../helpers/terminal';

let t: TestTerminal | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const ean = (first12: string) => first12 + ean13CheckDigit(first12);

describe('product prices by barcode', () => {
  it('knows the demo catalogue, and remembers the last price each barcode was sold at, in the sale\'s transaction', async () => {
    t = await openTestTerminal();
    await t.signInCashier();
    const demo = CATALOGUE[2]!.products[1]!;
    expect(await t.call('members.scan', { raw: demo.sku })).toEqual({
      kind: 'product',
      ean13: demo.sku,
      product: { description: demo.description, category: demo.category, unitPriceMinor: demo.unitPriceMinor },
    });

    const fresh = ean('690000000042');
    expect(await t.call('members.scan', { raw: fresh })).toEqual({ kind: 'product', ean13: fresh, product: null });
    const line = { lineNo: 1, category: 'snacks', sku: fresh, description: '瓜子 200g', quantity: 2, unitPriceMinor: 650 };
    await t.call('checkout.complete', { idempotencyKey: key(), lines: [line], redeemPoints: 0 });
    expect(await t.call('members.scan', { raw: fresh })).toMatchObject({ product: { description: '瓜子 200g', category: 'snacks', unitPriceMinor: 650 } });

    // A new price wins; a line without a description keeps the name known.
    await t.call('checkout.complete', { idempotencyKey: key(), lines: [{ ...line, description: null, unitPriceMinor: 690 }], redeemPoints: 0 });
    expect(await t.call('members.scan', { raw: fresh })).toMatchObject({ product: { description: '瓜子 200g', unitPriceMinor: 690 } });

    // The same barcode on several lines of one basket (rung up twice at different prices, the
    // second without a name): the last line's price, the name one of them gave.
    const twice = ean('690000000044');
    await t.call('checkout.complete', {
      idempotencyKey: key(),
      lines: [
        { ...line, lineNo: 1, sku: twice, description: '花生 500g', unitPriceMinor: 1200 },
        { ...line, lineNo: 2, sku: fresh, description: null, unitPriceMinor: 700 },
        { ...line, lineNo: 3, sku: twice, description: null, unitPriceMinor: 1100 },
      ],
      redeemPoints: 0,
    });
    expect(await t.call('members.scan', { raw: twice })).toMatchObject({ product: { description: '花生 500g', category: 'snacks', unitPriceMinor: 1100 } });
    expect(await t.call('members.scan', { raw: fresh })).toMatchObject({ product: { description: '瓜子 200g', unitPriceMinor: 700 } });

    // Sold again as it is known: nothing to write, so the row (and its page) is left as it was.
    const changedAt = (sku: string) => {
      const ro = new BetterSqlite3(path.join(t!.dataDir, DATABASE_FILE), { readonly: true });
      try {
        return ro.prepare('SELECT updated_at FROM product WHERE sku = ?').pluck().get(sku) as string;
      } finally {
        ro.close();
      }
    };
    const before = changedAt(fresh);
    t.clock.advance(60_000);
    await t.call('checkout.complete', { idempotencyKey: key(), lines: [{ ...line, description: null, unitPriceMinor: 700 }], redeemPoints: 0 });
    expect(changedAt(fresh)).toBe(before);
    await t.call('checkout.complete', { idempotencyKey: key(), lines: [{ ...line, unitPriceMinor: 700 }], redeemPoints: 0 });
    expect(changedAt(fresh)).toBe(before);
    await t.call('checkout.complete', { idempotencyKey: key(), lines: [{ ...line, category: 'grocery', unitPriceMinor: 700 }], redeemPoints: 0 });
    expect(changedAt(fresh)).not.toBe(before);
    expect(await t.call('members.scan', { raw: fresh })).toMatchObject({ product: { description: '瓜子 200g', category: 'grocery', unitPriceMinor: 700 } });

    // A refused checkout remembers nothing.
    const other = ean('690000000043');
    await expect(
      t.call('checkout.complete', { idempotencyKey: key(), memberId: 'no-such-member', lines: [{ ...line, sku: other }], redeemPoints: 0 }),
    ).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' });
    expect(await t.call('members.scan', { raw: other })).toMatchObject({ product: null });
  });
});
