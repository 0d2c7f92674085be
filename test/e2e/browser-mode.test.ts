import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Input, Method, Outputs } from '../../src-shared/api/contract';
import type { MemberDto } from '../../src-shared/api/dto';
import { DEMO_STAFF } from '../../src-main/seed/demo';
import { startHeadless } from '../../src-main/terminal/headless';
import { ensureRendererBuilt } from '../../scripts/lib/build';
import { TillPage } from './till-page';

/**
 * Browser mode end to end: the terminal core behind the loopback bridge (fresh data folder,
 * small demo store), the built renderer served by the bridge, Debian's Chromium driven by
 * playwright-core. A cashier signs in and looks a member up.
 */
const CHROMIUM = '/usr/bin/chromium';
const CASHIER = DEMO_STAFF.find((s) => s.role === 'cashier')!;
const CASHIER_LABEL = `${CASHIER.name} (${CASHIER.role})`;

type Headless = Awaited<ReturnType<typeof startHeadless>>;
let headless: Headless;
let browser: Browser;
let context: BrowserContext;
let dataDir: string;
let known: MemberDto;

async function call<M extends Method>(method: M, input: Input<M>): Promise<Outputs[M]> {
  const r = await headless.terminal.dispatch(method, input);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
  return r.value as Outputs[M];
}

beforeAll(async () => {
  expect(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)`).toBe(true);
  const { outDir } = await ensureRendererBuilt();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillsmith-e2e-browser-'));
  headless = await startHeadless({ dataDir, staticDir: outDir, seedDemo: { members: 50 }, pinKdfCost: 1024 });

  // A member we know, registered through the API by another cashier who then signs out.
  const other = DEMO_STAFF.find((s) => s.role === 'cashier' && s.name !== CASHIER.name)!;
  const staff = await call('staff.list', {});
  await call('session.signIn', { staffId: staff.find((s) => s.name === other.name)!.id, pin: other.pin });
  known = await call('members.register', {
    idempotencyKey: randomUUID(),
    phone: '13912345678',
    name: 'Zhao Lei 赵磊',
    consentTerms: true,
    consentMarketing: false,
  });
  await call('session.signOut', {});

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await headless?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('browser mode (Debian Chromium + loopback bridge)', () => {
  it('without the token the page says how to open it', async () => {
    const page = await context.newPage();
    await page.goto(`${headless.url}/`);
    const till = new TillPage(page);
    expect(await till.alertText()).toContain('#token=');
    await page.close();
  });

  it('shows the terminal, signs a cashier in, and finds a member with masked details', async () => {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    const cspViolations: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.text().startsWith('CSP-VIOLATION')) cspViolations.push(m.text());
    });
    await page.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP-VIOLATION ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));",
    });
    const url = new URL(headless.url);
    url.hash = `token=${encodeURIComponent(headless.token)}`;
    await page.goto(url.href);
    const till = new TillPage(page);
    await till.waitUntilReady();

    // the token is taken from the fragment and removed from the address bar
    expect(page.url()).not.toContain('token=');

    // terminal information
    const info = await call('terminal.info', {});
    expect(await till.terminalField('Terminal')).toBe(info.terminalId);
    expect(await till.terminalField('Data folder')).toBe(dataDir);
    expect(await till.terminalField('Store')).toContain(info.storeName);
    expect(await till.terminalField('Connectivity')).toBe('Standalone (no central server)');
    expect(await till.terminalField('Link')).toBe('Browser (loopback bridge)');

    // a wrong PIN is shown as words, then the right one signs in
    await till.signIn(CASHIER_LABEL, '0000');
    expect(await till.alertText()).toBe('That PIN is not right. Try again.');
    await till.signIn(CASHIER_LABEL, CASHIER.pin);
    expect(await till.signedInAs()).toBe(`Signed in: ${CASHIER_LABEL}`);

    // nothing found
    await till.search('no such person zzz');
    expect(await till.statusText()).toBe('No member matches "no such person zzz".');

    // the known member by phone: masked name and phone, tier, balance
    await till.search('13912345678');
    const rows = await till.results();
    expect(rows).toEqual([
      {
        Name: known.maskedName ?? '(no name)',
        Phone: known.maskedPhone ?? '(none)',
        Tier: known.tier.charAt(0).toUpperCase() + known.tier.slice(1),
        Points: known.balance.toLocaleString('en-US'),
        Status: 'Active',
      },
    ]);
    expect(rows[0]!.Name).not.toContain('赵磊');
    expect(rows[0]!.Phone).not.toContain('13912345678');

    const shot = await till.screenshot('browser-mode');
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    expect(pageErrors).toEqual([]);
    expect(cspViolations, 'the page must run under its Content-Security-Policy without violations').toEqual([]);

    // the session lives in the core: a reload keeps the cashier signed in (token kept in sessionStorage)
    await page.reload();
    expect(await till.signedInAs()).toBe(`Signed in: ${CASHIER_LABEL}`);
    await page.close();
  });
});
