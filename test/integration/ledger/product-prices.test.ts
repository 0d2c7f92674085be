import { afterEach, describe, expect, it } from 'vitest';
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

    // A refused checkout remembers nothing.
    const other = ean('690000000043');
    await expect(
      t.call('checkout.complete', { idempotencyKey: key(), memberId: 'no-such-member', lines: [{ ...line, sku: other }], redeemPoints: 0 }),
    ).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' });
    expect(await t.call('members.scan', { raw: other })).toMatchObject({ product: null });
  });
});
