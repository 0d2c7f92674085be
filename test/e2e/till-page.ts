import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/lib/build';

/** Where the e2e run saves a screenshot of each main screen (named in the README's Tests section). */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'screenshots');

/** Debian's Chromium: the only browser the tests use (never a downloaded one). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** A page in Chromium that records its uncaught errors and its Content-Security-Policy violations. */
export interface WatchedPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
  cspViolations: string[];
}

export async function openWatchedPage(contextOptions: BrowserContextOptions): Promise<WatchedPage> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const context = await browser.newContext(contextOptions);
  await context.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI));",
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.text().startsWith('CSP-VIOLATION')) cspViolations.push(m.text());
  });
  return { browser, context, page, pageErrors, cspViolations };
}

/**
 * The till as a cashier and a manager use it, in English (the page model switches the language
 * first). Every step waits for what it expects to see; nothing sleeps.
 */
export class TillPage {
  constructor(readonly page: Page) {}

  /** The sign-in form or the signed-in status bar, whichever comes first. */
  async waitUntilReady(): Promise<void> {
    await this.page.locator('form.signin').or(this.page.getByTestId('signed-in-as')).first().waitFor();
  }

  async chooseLanguage(locale: 'en' | 'zh-Hans' | 'zh-Hant'): Promise<void> {
    await this.page.getByTestId('language-switch').selectOption(locale);
    await this.page.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
  }

  /** Picks the staff member and types the PIN on the keyboard (or taps it on the pad). */
  async signIn(staffName: string, pin: string, opts: { pad?: boolean } = {}): Promise<void> {
    const form = this.page.locator('form.signin');
    await form.waitFor();
    await form.getByRole('button', { name: new RegExp(escape(staffName)) }).click();
    const field = form.getByLabel('PIN', { exact: true });
    await field.fill('');
    if (opts.pad) {
      for (const d of pin) await form.getByRole('button', { name: d, exact: true }).click();
    } else {
      await field.fill(pin);
    }
    await form.getByRole('button', { name: /^Sign in/ }).click();
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    await this.page.locator('form.signin').waitFor();
  }

  async alertText(): Promise<string> {
    const alert = this.page.getByRole('alert').first();
    await alert.waitFor();
    return (await alert.innerText()).trim();
  }

  async signedInAs(): Promise<string> {
    const bar = this.page.getByTestId('signed-in-as');
    await bar.waitFor();
    return (await bar.innerText()).trim();
  }

  /** A scanner in keyboard-wedge mode: the code at 5 ms a key, then Enter. */
  async scanWedge(code: string): Promise<void> {
    await this.page.keyboard.type(code, { delay: 5 });
    await this.page.keyboard.press('Enter');
  }

  async memberCard(): Promise<{ name: string; phone: string; tier: string; balance: string }> {
    const card = this.page.getByTestId('member-card');
    await card.waitFor();
    return {
      name: (await card.getByTestId('member-name').innerText()).trim(),
      phone: (await card.getByTestId('member-phone').innerText()).trim(),
      tier: (await card.getByTestId('tier-badge').innerText()).trim(),
      balance: (await card.getByTestId('member-balance').innerText()).trim(),
    };
  }

  /** Quick amount: F3, the amount, then Alt+<n> for the n-th category. */
  async addAmount(amount: string, categoryIndex: number): Promise<void> {
    await this.page.keyboard.press('F3');
    const field = this.page.locator('#amount-input');
    await field.fill(amount);
    await this.page.keyboard.press(`Alt+${categoryIndex}`);
    await this.page.locator('#amount-input[value=""]').waitFor();
  }

  async text(testId: string): Promise<string> {
    const el = this.page.getByTestId(testId);
    await el.waitFor();
    return (await el.innerText()).trim();
  }

  /** Waits until the totals show this amount to pay (the core's preview has answered). */
  async waitForToPay(text: string): Promise<void> {
    await this.page.getByTestId('total-pay').filter({ hasText: text }).waitFor();
  }

  /** F5, the float (or a count) typed by denomination in fen, Enter; waits until the header says the drawer is open. */
  async openDrawer(counts: Record<number, number>): Promise<void> {
    await this.page.keyboard.press('F5');
    const form = this.page.getByTestId('count-open');
    await form.waitFor();
    await this.fillCount(counts);
    await this.page.keyboard.press('Enter');
    await this.page.getByTestId('drawer-status').filter({ hasText: 'Drawer open' }).waitFor();
  }

  /** Types a count by denomination (fen) into the drawer screen's grid, the running total updating as it goes. */
  async fillCount(counts: Record<number, number>): Promise<void> {
    for (const [denomination, n] of Object.entries(counts)) await this.page.getByTestId(`count-${denomination}`).fill(String(n));
  }

  /** F9 opens the payment step (waits for the panel). */
  async openPayment(): Promise<void> {
    await this.page.keyboard.press('F9');
    await this.page.getByTestId('payment-panel').waitFor();
  }

  /** Alt+n chooses the n-th tender; waits until it is chosen and its first field has the focus. */
  async chooseTender(n: number, code: string): Promise<void> {
    await this.page.keyboard.press(`Alt+${n}`);
    await this.page.locator(`[data-testid="tender-${code}"][aria-pressed="true"]`).waitFor();
    await this.page.locator('#payment-reference:focus, #payment-amount:focus').waitFor();
  }

  /** The whole amount due in cash, as a cashier does it: F9, Alt+1 (cash), Enter (the amount left), F9; waits for the receipt. */
  async payExactCash(): Promise<void> {
    await this.openPayment();
    await this.chooseTender(1, 'CASH');
    await this.page.keyboard.press('Enter');
    await this.page.getByTestId('payment-change').waitFor();
    await this.page.keyboard.press('F9');
    await this.page.getByTestId('receipt').waitFor();
  }

  async screen(name: 'Checkout' | 'Drawer' | 'Refund' | 'Members' | 'Reports' | 'Settings'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();
  }

  async screenshot(name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: opts.fullPage ?? true });
    return file;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
