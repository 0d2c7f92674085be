/**
 * The till's UI speed in browser mode (the built renderer, the loopback bridge, Debian's Chromium
 * driven by playwright-core), on a seeded demo store:
 *
 *   1. cold start to the checkout screen: the core opens the database, the page loads, a cashier
 *      signs in (real PIN hashing), the checkout screen is ready for a scan;
 *   2. scan to member panel: a card typed at keyboard-wedge speed (5 ms a key) then Enter, until
 *      the member panel shows that member (timed in the page: Enter keydown -> panel text);
 *   3. "complete" to next customer ready: F9 on a priced basket until the receipt is shown, then
 *      the next-customer key until the empty sale has the focus in the scan field.
 *
 *   npx tsx bench/ui.bench.ts [--members 20000] [--runs 30] [--data-dir DIR]
 *
 * Without --data-dir a temporary demo store with --members members is seeded first (not timed in
 * the figures). For 1,000,000 members use the seed helper's bulk path once and point at it:
 *   npm run seed -- --data-dir /tmp/till-1m --members 1000000
 *   npx tsx bench/ui.bench.ts --data-dir /tmp/till-1m
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { ensureRendererBuilt, REPO_ROOT } from '../scripts/lib/build';
import { DEMO_STAFF } from '../src-main/seed/demo';
import { DATABASE_FILE } from '../src-main/terminal/config';
import { createTerminal } from '../src-main/terminal/create-terminal';
import { startHeadless } from '../src-main/terminal/headless';
import { maskPhone } from '../src-shared/privacy/mask';

const CHROMIUM = '/usr/bin/chromium';

interface Stats {
  runs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  const r = (v: number) => Math.round(v * 10) / 10;
  return { runs: s.length, medianMs: r(at(0.5)), p95Ms: r(at(0.95)), minMs: r(s[0]!), maxMs: r(s[s.length - 1]!) };
}

/**
 * Page-side timing, in page time: a capture-phase keydown listener records when each key went
 * down; `arm` installs a mutation observer that resolves with the time from that key to the
 * moment the expected state is on screen. Armed before the key is pressed, read after.
 */
const PAGE_PROBE = `
window.__bench = {
  keyAt: {},
  pending: null,
  arm(kind, selector, expected, code) {
    this.pending = new Promise((resolve) => {
      const ok = () => {
        if (kind === 'text') { const el = document.querySelector(selector); return !!el && el.textContent.trim() === expected; }
        if (kind === 'exists') return !!document.querySelector(selector);
        return !document.querySelector('[data-testid="receipt"]') && !document.querySelector('table.lines tbody tr') && document.activeElement && document.activeElement.id === 'member-query';
      };
      const check = () => {
        if (!(code in window.__bench.keyAt) || !ok()) return;
        obs.disconnect();
        document.removeEventListener('focusin', check);
        resolve(performance.now() - window.__bench.keyAt[code]);
      };
      const obs = new MutationObserver(check);
      obs.observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
      document.addEventListener('focusin', check);
      delete window.__bench.keyAt[code];
    });
  },
};
window.addEventListener('keydown', (e) => { window.__bench.keyAt[e.code] = performance.now(); }, true);
`;

async function arm(page: Page, kind: 'text' | 'exists' | 'ready', selector: string, expected: string, code: string): Promise<void> {
  await page.evaluate(`window.__bench.arm(${JSON.stringify(kind)}, ${JSON.stringify(selector)}, ${JSON.stringify(expected)}, ${JSON.stringify(code)})`);
}

async function measured(page: Page): Promise<number> {
  return page.evaluate<number>('window.__bench.pending');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      members: { type: 'string', default: '20000' },
      runs: { type: 'string', default: '30' },
      'data-dir': { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  let dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : '';
  let temporary = false;
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  const { outDir } = await ensureRendererBuilt();

  if (!dataDir) {
    const members = Number(values.members);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tillsmith-ui-bench-'));
    temporary = true;
    console.log(`[ui bench] seeding a demo store with ${members.toLocaleString('en')} members in ${dataDir} ...`);
    const t0 = performance.now();
    const seeding = await createTerminal({ dataDir, seedDemo: { members, paymentsAtTill: false } });
    await seeding.close();
    console.log(`[ui bench] seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else if (!fs.existsSync(path.join(dataDir, DATABASE_FILE))) {
    throw new Error(`${dataDir} has no ${DATABASE_FILE}: seed it first (npm run seed -- --data-dir ${dataDir} --members N)`);
  }

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    // 1. Cold start: core + page + sign-in, until the scan field is ready.
    const coldStart = performance.now();
    const headless = await startHeadless({ dataDir, staticDir: outDir });
    const coreReady = performance.now();
    const memberCount = Number(headless.terminal.ctx.raw.prepare('SELECT count(*) FROM member').pluck().get());
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript({ content: `localStorage.setItem('tillsmith.settings', JSON.stringify({ language: 'en', customerLanguage: 'same', idleLockMinutes: 0 }));${PAGE_PROBE}` });
    const url = new URL(headless.url);
    url.hash = `token=${encodeURIComponent(headless.token)}`;
    await page.goto(url.href);
    await page.locator('form.signin').waitFor();
    const signInShown = performance.now();
    const cashier = DEMO_STAFF.find((s) => s.role === 'cashier')!;
    await page.locator('form.signin').getByRole('button', { name: new RegExp(cashier.name) }).click();
    await page.locator('form.signin').getByLabel('PIN', { exact: true }).fill(cashier.pin);
    await page.keyboard.press('Enter');
    await page.locator('#member-query:focus').waitFor();
    const checkoutReady = performance.now();

    // 2. Scan to member panel, over different members with printed cards.
    const cards = headless.terminal.ctx.raw
      .prepare(
        `SELECT c.code, m.phone FROM card c JOIN member m ON m.id = c.member_id
         WHERE c.status = 'active' AND c.kind = 'printed' AND m.status = 'active' AND m.phone IS NOT NULL
         AND m.seq IN (SELECT seq FROM member ORDER BY random() LIMIT ${runs * 4})
         LIMIT ${runs + 1}`,
      )
      .all() as { code: string; phone: string }[];
    const scan = await scanToPanel(page, cards);

    // 3. Complete to next customer ready.
    const complete = await completeToNext(page, cards, runs);

    // 4. Each report for this month, as a manager sees it (click to table shown).
    const reportTimes = await reportsSpeed(page);

    const result = {
      when: new Date().toISOString(),
      members: memberCount,
      dataDir,
      coldStart: {
        coreStartMs: round(coreReady - coldStart),
        pageToSignInMs: round(signInShown - coreReady),
        signInToCheckoutMs: round(checkoutReady - signInShown),
        totalMs: round(checkoutReady - coldStart),
      },
      scanToMemberPanel: scan,
      completeToReceipt: complete.receipt,
      nextCustomerReady: complete.next,
      completeToNextCustomerReady: complete.total,
      reportsThisMonthMs: reportTimes,
    };
    console.log('');
    console.log(`UI speed in browser mode, ${memberCount.toLocaleString('en')} members (Chromium ${browser.version()}):`);
    console.log(`  cold start to checkout screen   ${result.coldStart.totalMs} ms (core ${result.coldStart.coreStartMs} ms, page to sign-in ${result.coldStart.pageToSignInMs} ms, sign-in to checkout ${result.coldStart.signInToCheckoutMs} ms)`);
    console.log(`  scan to member panel            median ${scan.medianMs} ms, p95 ${scan.p95Ms} ms (min ${scan.minMs}, max ${scan.maxMs}; ${scan.runs} scans, from Enter)`);
    console.log(`  "complete" to receipt shown     median ${complete.receipt.medianMs} ms, p95 ${complete.receipt.p95Ms} ms`);
    console.log(`  next customer key to ready      median ${complete.next.medianMs} ms, p95 ${complete.next.p95Ms} ms`);
    console.log(`  "complete" to next customer     median ${complete.total.medianMs} ms, p95 ${complete.total.p95Ms} ms (the two above, without the cashier's own key press)`);
    console.log(`  reports (this month, click to table)  ${Object.entries(reportTimes).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
    const outFile = path.join(REPO_ROOT, 'bench', 'results', `ui-${memberCount}.json`);
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, JSON.stringify(result, null, 2));
    console.log(`  (written to ${path.relative(REPO_ROOT, outFile)})`);
    await page.close();
    await headless.close();
  } finally {
    await browser.close();
    if (temporary) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function scanToPanel(page: Page, cards: { code: string; phone: string }[]): Promise<Stats> {
  const times: number[] = [];
  let last = '';
  // The first scan warms the page up (code paths, fonts) and is not counted.
  for (const [i, c] of cards.entries()) {
    const expected = maskPhone(c.phone)!;
    if (expected === last) continue;
    last = expected;
    await page.keyboard.type(c.code, { delay: 5 });
    await arm(page, 'text', '[data-testid="member-phone"]', expected, 'Enter');
    await page.keyboard.press('Enter');
    const ms = await measured(page);
    if (i > 0) times.push(ms);
  }
  return stats(times);
}

async function completeToNext(page: Page, cards: { code: string; phone: string }[], runs: number): Promise<{ receipt: Stats; next: Stats; total: Stats }> {
  const receipt: number[] = [];
  const next: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const c = cards[i % cards.length]!;
    await page.keyboard.type(c.code, { delay: 5 });
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="member-phone"]', { hasText: maskPhone(c.phone)! }).waitFor();
    await page.keyboard.press('F3');
    const amount = `${10 + i}.50`;
    await page.locator('#amount-input').fill(amount);
    await page.keyboard.press('Enter');
    await page.getByTestId('total-pay').filter({ hasText: amount }).waitFor();
    await page.getByTestId('earn-preview').waitFor();
    await arm(page, 'exists', '[data-testid="receipt"]', '', 'F9');
    await page.keyboard.press('F9');
    const r = await measured(page);
    await arm(page, 'ready', '', '', 'KeyN');
    await page.keyboard.press('Alt+N');
    const n = await measured(page);
    if (i > 0) {
      receipt.push(r);
      next.push(n);
    }
  }
  return { receipt: stats(receipt), next: stats(next), total: stats(receipt.map((r, k) => r + next[k]!)) };
}

async function reportsSpeed(page: Page): Promise<Record<string, number>> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  const manager = DEMO_STAFF.find((s) => s.role === 'manager')!;
  await page.locator('form.signin').getByRole('button', { name: new RegExp(manager.name) }).click();
  await page.locator('form.signin').getByLabel('PIN', { exact: true }).fill(manager.pin);
  await page.keyboard.press('Enter');
  await page.getByTestId('signed-in-as').waitFor();
  await page.keyboard.press('F8');
  await page.getByTestId('table-sales-summary').waitFor({ timeout: 120_000 });
  const out: Record<string, number> = {};
  const tabs = [
    ['Sales', 'table-sales-summary'],
    ['Points', 'table-points-summary'],
    ['Members', 'table-members-summary'],
    ['Churn risk', 'table-churn'],
    ['Exceptions', 'table-exceptions-summary'],
    ['End of day', 'table-eod-summary'],
  ] as const;
  // "This month" on the sales tab first, then every tab for the month.
  let t0 = performance.now();
  await page.getByRole('button', { name: 'This month' }).click();
  // The month's range (first day – today) replaces today's date once the report has answered.
  await page.getByTestId('report-range').filter({ hasText: '–' }).waitFor({ timeout: 120_000 });
  out.Sales = round(performance.now() - t0);
  for (const [label, table] of tabs.slice(1)) {
    t0 = performance.now();
    await page.getByRole('tab', { name: label }).click();
    await page.getByTestId(table).waitFor({ timeout: 120_000 });
    out[label] = round(performance.now() - t0);
  }
  return out;
}

function round(v: number): number {
  return Math.round(v);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
