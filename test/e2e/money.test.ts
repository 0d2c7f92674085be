import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Input, Method, Outputs } from '../../src-shared/api/contract';
import { CNY_DENOMINATIONS_MINOR } from '../../src-shared/tenders/tender-types';
import { DEMO_STAFF } from '../../src-main/seed/demo';
import { startHeadless } from '../../src-main/terminal/headless';
import { ensureRendererBuilt } from '../../scripts/lib/build';
import { CHROMIUM_PATH as CHROMIUM, openWatchedPage, SCREENSHOT_DIR, TillPage, type WatchedPage } from './till-page';

/**
 * Taking the money end to end in browser mode, on a fresh demo store (it takes the money at the
 * till): a cashier opens the drawer with a counted float, sells to a member paying with points,
 * WeChat Pay (its transaction number scanned into the payment step) and cash with change; a
 * refund above the store's threshold needs a manager and a reason; a pay-out; the blind close
 * shows the shortage only after the count; a manager reads the X and closes the day with a Z.
 * Screenshots of the payment step, the closing count and the Z go to test-results/screenshots/.
 */
const CASHIER = DEMO_STAFF.find((s) => s.role === 'cashier')!;
const MANAGER = DEMO_STAFF.find((s) => s.role === 'manager')!;
const WECHAT_TRANSACTION = '4200001234567890123456789012';

type Headless = Awaited<ReturnType<typeof startHeadless>>;
let headless: Headless;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let till: TillPage;
let dataDir: string;
let watched: WatchedPage;
let card: { code: string; memberId: string };

async function call<M extends Method>(method: M, input: Input<M>): Promise<Outputs[M]> {
  const r = await headless.terminal.dispatch(method, input);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
  return r.value as Outputs[M];
}

function tokenUrl(search = ''): string {
  const url = new URL(headless.url);
  url.search = search;
  url.hash = `token=${encodeURIComponent(headless.token)}`;
  return url.href;
}

/** An amount as notes and coins, largest first (what a cashier would count for it). */
function countOf(amountMinor: number): Record<number, number> {
  const counts: Record<number, number> = {};
  let rest = amountMinor;
  for (const d of CNY_DENOMINATIONS_MINOR) {
    const n = Math.floor(rest / d);
    if (n > 0) counts[d] = n;
    rest -= n * d;
  }
  expect(rest, 'the amount is a whole number of 1-jiao coins').toBe(0);
  return counts;
}

const yuan = (minor: number): string => (minor / 100).toFixed(2);

beforeAll(async () => {
  expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)`).toBe(true);
  const { outDir } = await ensureRendererBuilt();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillsmith-e2e-money-'));
  headless = await startHeadless({ dataDir, staticDir: outDir, seedDemo: { members: 40 }, pinKdfCost: 1024 });
  const row = headless.terminal.ctx.raw
    .prepare(
      `SELECT c.code, m.id FROM card c JOIN member m ON m.id = c.member_id
       WHERE c.status = 'active' AND c.kind = 'printed' AND m.status = 'active' AND m.balance BETWEEN 1000 AND 4000
       ORDER BY m.seq LIMIT 1`,
    )
    .get() as { code: string; id: string };
  expect(row, 'the demo store has a member with a card and points').toBeDefined();
  card = { code: row.code, memberId: row.id };
  // A tolerant keyboard-wedge timing for a loaded test machine (browser-mode.test.ts does the same).
  const staff = await call('staff.list', {});
  const approval = { staffId: staff.find((s) => s.name === MANAGER.name)!.id, pin: MANAGER.pin };
  await call('session.signIn', approval);
  await call('devices.configure', { config: { scanners: [], printer: null, keyboardWedge: { maxInterKeyMs: 150 } }, approval });
  await call('session.signOut', {});

  watched = await openWatchedPage({ viewport: { width: 1366, height: 768 } });
  ({ browser, context, page } = watched);
  till = new TillPage(page);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await headless?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('taking the money in browser mode (fresh demo store, Debian Chromium)', { timeout: 60_000 }, () => {
  const float = { 10000: 2, 1000: 5, 100: 10 }; // CN¥260.00
  let cashInMinor = 0;

  it('the cashier opens the drawer with the float counted by denomination, the total running as it is typed', async () => {
    await page.goto(tokenUrl());
    await till.waitUntilReady();
    await till.chooseLanguage('en');
    await till.signIn(CASHIER.name, CASHIER.pin);
    await till.signedInAs();
    expect(await till.text('drawer-status')).toBe('Drawer not open');
    await page.keyboard.press('F5');
    await page.getByTestId('count-open').waitFor();
    await page.getByTestId('count-10000').fill('2');
    await page.getByTestId('count-total').filter({ hasText: 'CN¥200.00' }).waitFor();
    await till.fillCount(float);
    await page.getByTestId('count-total').filter({ hasText: 'CN¥260.00' }).waitFor();
    expect(await till.text('count-submit')).toContain('Open with CN¥260.00');
    await till.screenshot('20-drawer-open-float', { fullPage: false });
    await page.keyboard.press('Enter');
    await page.getByTestId('drawer-status').filter({ hasText: 'Drawer open' }).waitFor();
    expect(await till.text('drawer-state')).toMatch(/^Open since .* \(Wang Fang 王芳\)\.$/);
    expect((await call('drawer.status', {})).status).toBe('open');
  });

  it('a member pays with points, WeChat Pay (its transaction number scanned) and cash with change; the customer display follows', async () => {
    const display = await context.newPage();
    await display.goto(tokenUrl('?view=customer'));
    await display.getByTestId('customer-idle').waitFor();

    await page.keyboard.press('F1');
    await till.scanWedge(card.code);
    await till.memberCard();
    await till.addAmount('123.40', 1);
    await till.waitForToPay('123.40');
    await page.keyboard.press('Alt+M');
    await page.getByTestId('total-redeemed').waitFor();
    const preview = await call('checkout.preview', { memberId: card.memberId, lines: [{ lineNo: 1, category: 'grocery', quantity: 1, unitPriceMinor: 12340 }] });
    const due = 12340 - preview.maxRedeem!.valueMinor;
    await till.waitForToPay(yuan(due));

    // F9: the payment step, what is due after points.
    await till.openPayment();
    expect(await till.text('payment-remaining')).toBe(`CN¥${yuan(due)}`);
    // Alt+3: WeChat Pay; the amount starts at what is left; the cashier charges 30.00 on the phone.
    await till.chooseTender(3, 'WECHAT');
    expect(await page.locator('#payment-amount').inputValue()).toBe(yuan(due));
    await page.locator('#payment-amount').fill('30.00');
    await page.locator('#payment-reference').focus();
    // The transaction number from the customer's phone, scanned at keyboard-wedge speed, lands in the reference field.
    await till.scanWedge(WECHAT_TRANSACTION);
    await expect.poll(() => page.locator('#payment-reference').inputValue()).toBe(WECHAT_TRANSACTION);
    await page.keyboard.press('Enter');
    await page.getByTestId('payment-lines').filter({ hasText: 'WeChat Pay' }).waitFor();
    const left = due - 3000;
    await page.getByTestId('payment-remaining').filter({ hasText: `CN¥${yuan(left)}` }).waitFor();
    await display.getByTestId('customer-payment').waitFor();
    await display.getByTestId('customer-remaining').filter({ hasText: yuan(left) }).waitFor();

    // Alt+1: cash; the quick-cash keys offer the exact amount, then the notes above it; Alt+W takes the second.
    await till.chooseTender(1, 'CASH');
    const quick = page.getByTestId('quick-cash-1');
    await quick.waitFor();
    const handed = Math.round(Number((await quick.innerText()).split('\n')[0]!.replace(/[^\d.]/g, '')) * 100);
    expect(handed).toBeGreaterThan(left);
    await till.screenshot('21a-payment-cash-keys', { fullPage: false });
    await page.keyboard.press('Alt+W');
    await page.getByTestId('payment-change').filter({ hasText: `CN¥${yuan(handed - left)}` }).waitFor();
    await display.getByTestId('customer-change').filter({ hasText: yuan(handed - left) }).waitFor();
    expect(await display.getByTestId('customer-tenders').innerText()).toContain('WeChat Pay');
    await till.screenshot('21-payment', { fullPage: false });
    await display.screenshot({ path: path.join(SCREENSHOT_DIR, '21c-customer-display-payment.png') });

    // The payment step fits a 1024x768 counter screen too.
    await page.setViewportSize({ width: 1024, height: 768 });
    const complete = await page.getByTestId('complete-sale').boundingBox();
    expect(complete!.x + complete!.width).toBeLessThanOrEqual(1024);
    expect(complete!.y + complete!.height).toBeLessThanOrEqual(768);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
    for (const k of ['Alt+1', 'Alt+3', 'F9', 'Esc']) expect(await page.locator('kbd', { hasText: k }).count(), k).toBeGreaterThan(0);
    await till.screenshot('21b-payment-1024x768', { fullPage: false });
    await page.setViewportSize({ width: 1366, height: 768 });

    await page.keyboard.press('F9');
    await page.getByTestId('receipt').waitFor();
    expect(await till.text('receipt-tender-WECHAT')).toContain('WeChat Pay');
    expect(await till.text('receipt-tender-WECHAT')).toContain(WECHAT_TRANSACTION);
    expect(await till.text('receipt-cash-tendered')).toBe(`CN¥${yuan(handed)}`);
    expect(await till.text('receipt-change')).toBe(`CN¥${yuan(handed - left)}`);
    expect(await till.text('done-change')).toBe(`Give change: CN¥${yuan(handed - left)}`);
    await display.getByTestId('customer-done').waitFor();
    expect(await display.getByTestId('customer-change').innerText()).toContain(yuan(handed - left));
    await display.getByTestId('customer-balance').waitFor();
    await till.screenshot('21d-payment-receipt', { fullPage: false });

    const sale = await call('sales.get', { receiptNo: await till.text('receipt-no') });
    expect(sale.redeemedPoints).toBe(preview.maxRedeem!.points);
    expect(sale.tenders).toEqual([
      { tenderNo: 1, code: 'WECHAT', kind: 'wallet', amountMinor: 3000, tenderedMinor: 3000, changeMinor: 0, reference: WECHAT_TRANSACTION },
      { tenderNo: 2, code: 'CASH', kind: 'cash', amountMinor: left, tenderedMinor: handed, changeMinor: handed - left, reference: null },
    ]);
    cashInMinor += left;
    await page.keyboard.press('Alt+N');
    await display.getByTestId('customer-idle').waitFor();
    await display.close();
  });

  let cardReceipt = '';
  it('a card sale above the refund threshold, refunded: the core asks for a manager, the screen asks for the reason and the PIN, the same refund goes through', async () => {
    await till.addAmount('250.00', 2);
    await till.waitForToPay('250.00');
    await till.openPayment();
    await till.chooseTender(2, 'CARD');
    // The payment step in Simplified Chinese (the reference field is labelled by the tender's own words).
    await till.chooseLanguage('zh-Hans');
    await page.getByText('卡号后四位').waitFor();
    await till.screenshot('22a-payment-zh-Hans', { fullPage: false });
    await till.chooseLanguage('en');
    await page.locator('#payment-reference').focus();
    await page.keyboard.type('4321', { delay: 120 }); // the card's last four digits, typed from the slip
    await page.keyboard.press('Enter');
    await page.getByTestId('payment-taken').filter({ hasText: 'CN¥250.00' }).waitFor();
    await page.keyboard.press('F9');
    await page.getByTestId('receipt').waitFor();
    cardReceipt = await till.text('receipt-no');
    await page.keyboard.press('Alt+N');

    await page.keyboard.press('F6');
    await page.locator('#refund-receipt').fill(cardReceipt);
    await page.keyboard.press('Enter');
    await page.getByTestId('refund-sale-tenders').filter({ hasText: 'Bank card CN¥250.00' }).waitFor();
    await page.getByRole('button', { name: 'Everything left' }).click();
    await page.getByTestId('refund-submit').click();
    await page.getByTestId('refund-needs-approval').waitFor();
    expect(await till.alertText()).toBe('A manager must approve this refund. Type the reason first, then ask a manager.');
    await expect.poll(() => page.evaluate<string | null>('document.activeElement && document.activeElement.getAttribute("data-testid")')).toBe('refund-reason');
    // (Filled, not typed: this run's keyboard-wedge timing takes any burst under 150 ms a key for a scan.)
    await page.getByTestId('refund-reason').fill('Wrong size');
    await page.keyboard.press('Enter');
    const prompt = page.getByRole('dialog', { name: 'Manager approval' });
    await prompt.waitFor();
    expect(await till.text('approval-purpose')).toBe(`Approve the refund of receipt ${cardReceipt}: Wrong size (recorded in the audit log).`);
    await prompt.getByLabel('Manager PIN', { exact: true }).fill(MANAGER.pin);
    await prompt.getByRole('button', { name: /^Approve/ }).click();
    await page.getByTestId('refund-result').waitFor();
    expect(await till.text('refund-tender-CARD')).toContain('Back to Bank card');
    expect(await till.text('refund-tender-CARD')).toContain('CN¥250.00');
    await till.screenshot('22-refund-approved', { fullPage: false });
    const sold = await call('sales.get', { receiptNo: cardReceipt });
    const refunds = headless.terminal.ctx.raw.prepare('SELECT idempotency_key, approved_by, reason FROM refund WHERE sale_id = ?').all(sold.id) as { idempotency_key: string; approved_by: string | null; reason: string | null }[];
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ reason: 'Wrong size' });
    expect(refunds[0]!.approved_by).not.toBeNull();
  });

  it('a pay-out with its reason and a manager\'s PIN (Alt+2 on the drawer screen)', async () => {
    await page.keyboard.press('F5');
    await page.keyboard.press('Alt+2');
    const form = page.getByTestId('move-payOut');
    await form.waitFor();
    await form.getByLabel('Amount').fill('15.00');
    await form.getByLabel('Reason *').fill('Window cleaner');
    await page.keyboard.press('Enter');
    const prompt = page.getByRole('dialog', { name: 'Manager approval' });
    await prompt.waitFor();
    expect(await till.text('approval-purpose')).toBe('Take CN¥15.00 out of the drawer: Window cleaner (recorded in the audit log).');
    await prompt.getByLabel('Manager PIN', { exact: true }).fill(MANAGER.pin);
    await prompt.getByRole('button', { name: /^Approve/ }).click();
    await page.getByTestId('notice-text').filter({ hasText: 'Pay-out recorded.' }).waitFor();
    cashInMinor -= 1500;
  });

  it('the blind close: the count goes in without the expected cash; only the answer shows it, and the shortage', async () => {
    const expected = 26000 + cashInMinor;
    const counted = expected - 1030; // CN¥10.30 short
    await page.keyboard.press('Alt+5');
    const form = page.getByTestId('count-close');
    await form.waitFor();
    await till.fillCount(countOf(counted));
    await page.getByTestId('count-total').filter({ hasText: `CN¥${yuan(counted)}` }).waitFor();
    // Blind: nothing on the screen says what the drawer should hold.
    expect(await page.locator('main').innerText()).not.toContain(yuan(expected));
    expect(await page.getByTestId('close-result').count()).toBe(0);
    await till.screenshot('23-drawer-close-count', { fullPage: false });
    // The count and its button fit a 1024x768 screen too.
    await page.setViewportSize({ width: 1024, height: 768 });
    const submit = await page.getByTestId('count-submit').boundingBox();
    expect(submit!.y + submit!.height).toBeLessThanOrEqual(768);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
    await till.screenshot('23b-drawer-close-count-1024x768', { fullPage: false });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('count-submit').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('close-result').waitFor();
    expect(await till.text('close-counted')).toBe(`CN¥${yuan(counted)}`);
    expect(await till.text('close-expected')).toBe(`CN¥${yuan(expected)}`);
    expect(await till.text('close-over-short')).toBe('CN¥10.30');
    expect(await page.getByTestId('close-result').innerText()).toContain('Short');
    await page.getByTestId('drawer-status').filter({ hasText: 'Drawer not open' }).waitFor();
    await till.screenshot('24-drawer-closed-short', { fullPage: false });
  });

  it('a manager reads the X (tenders, the drawer with its shortage, the refund with its approver), then closes the day with a Z', async () => {
    await till.signOut();
    await till.signIn(MANAGER.name, MANAGER.pin);
    await till.signedInAs();
    await page.keyboard.press('F8');
    await page.getByRole('tab', { name: 'Day (X / Z)' }).click();
    const tenders = page.getByTestId('table-day-tenders');
    await tenders.waitFor();
    expect(await tenders.innerText()).toContain('WeChat Pay');
    expect(await tenders.innerText()).toContain('Bank card');
    expect(await page.getByTestId('table-day-drawers').innerText()).toContain('\u2212CN¥10.30');
    const refundRow = page.getByTestId('table-day-refunds').locator('tr', { hasText: cardReceipt });
    expect(await refundRow.innerText()).toContain(MANAGER.name);
    expect(await refundRow.innerText()).toContain('Wrong size');
    await till.screenshot('25-x-report');

    await page.getByTestId('day-close').click();
    const dialog = page.getByRole('dialog', { name: 'Close the business day?' });
    await dialog.waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('z-shown').filter({ hasText: 'Z report no. 1' }).waitFor();
    expect(await page.getByTestId('table-day-summary').innerText()).toContain('Z number');
    await page.getByTestId('table-z-list').waitFor();
    await till.screenshot('26-z-report');
    const zs = await call('reports.zList', {});
    expect(zs.map((z) => z.zNo)).toEqual([1]);
    expect(zs[0]!.drawers[0]).toMatchObject({ overShortMinor: -1030, payOutsMinor: 1500 });
    expect(watched.pageErrors).toEqual([]);
    expect(watched.cspViolations).toEqual([]);
  });
});
