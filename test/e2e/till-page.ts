import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/lib/build';

/** The minimal till page, as a cashier uses it. Every step waits for what it expects to see. */
export class TillPage {
  constructor(readonly page: Page) {}

  async waitUntilReady(): Promise<void> {
    await this.page.getByRole('form', { name: 'Staff sign-in' }).or(this.page.getByTestId('signed-in-as')).first().waitFor();
  }

  async terminalField(name: string): Promise<string> {
    const panel = this.page.getByLabel('Terminal', { exact: true });
    await panel.waitFor();
    const value = panel.locator('div').filter({ has: this.page.locator('dt').getByText(name, { exact: true }) }).locator('dd');
    return (await value.innerText()).trim();
  }

  async signIn(staffLabel: string, pin: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Staff sign-in' });
    await form.waitFor();
    await form.getByLabel('Staff member').selectOption({ label: staffLabel });
    await form.getByLabel('PIN').fill(pin);
    await form.getByRole('button', { name: 'Sign in' }).click();
  }

  /** The text of the alert shown after an action that fails. */
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

  async search(query: string): Promise<void> {
    const lookup = this.page.getByRole('region', { name: 'Member lookup' });
    await lookup.getByLabel('Card, phone, last 4 digits or name').fill(query);
    await lookup.getByRole('button', { name: 'Search' }).click();
  }

  /** Rows of the results table as { column header: cell text }. */
  async results(): Promise<Record<string, string>[]> {
    const table = this.page.getByRole('table', { name: 'Members found' });
    await table.waitFor();
    const headers = (await table.locator('thead th').allInnerTexts()).map((t) => t.trim());
    const rows = await table.locator('tbody tr').all();
    const out: Record<string, string>[] = [];
    for (const row of rows) {
      const cells = (await row.locator('td').allInnerTexts()).map((t) => t.trim());
      out.push(Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ''])));
    }
    return out;
  }

  async statusText(): Promise<string> {
    const status = this.page.getByRole('region', { name: 'Member lookup' }).getByRole('status');
    await status.waitFor();
    return (await status.innerText()).trim();
  }

  async screenshot(name: string): Promise<string> {
    const dir = path.join(REPO_ROOT, 'test-results', 'screenshots');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }
}
