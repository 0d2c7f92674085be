/**
 * `npm start`: the Electron shell when the Electron binary is installed, otherwise browser mode
 * (the terminal core behind the loopback HTTP bridge, opened in Chromium as an app window).
 *
 *   npm start -- [--data-dir DIR] [--port N] [--no-open]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BRIDGE_FILE, BridgeFileError } from '../src-main/terminal/bridge-file';
import { DATABASE_FILE, defaultDataDir } from '../src-main/terminal/config';
import { REPO_ROOT, ensureRendererBuilt, findElectronBinary } from './lib/build';

const CHROMIUM = '/usr/bin/chromium';
const DEMO_MEMBERS = 2000;

interface Options {
  dataDir: string;
  /** Default: the port of the last start on this data folder when it is free. */
  port: number | undefined;
  open: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { dataDir: defaultDataDir(), port: undefined, open: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') fail(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--data-dir':
        opts.dataDir = path.resolve(value());
        break;
      case '--port': {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) fail('--port must be a whole number from 0 to 65535');
        opts.port = p;
        break;
      }
      case '--no-open':
        opts.open = false;
        break;
      case '--help':
      case '-h':
        console.log('usage: npm start -- [--data-dir DIR] [--port N] [--no-open]');
        process.exit(0);
        break;
      default:
        fail(`unknown option ${arg} (try --help)`);
    }
  }
  return opts;
}

function fail(message: string): never {
  console.error(`[tillsmith] ${message}`);
  process.exit(2);
}

async function startElectron(electronPath: string, opts: Options): Promise<void> {
  console.log(`[tillsmith] mode: Electron shell (Electron binary found at ${electronPath})`);
  console.log(`[tillsmith] data folder: ${opts.dataDir}`);
  console.log('[tillsmith] building main, preload and renderer with electron-vite ...');
  const { build } = await import('electron-vite');
  await build({ root: REPO_ROOT, logLevel: 'warn' });
  console.log('[tillsmith] note: native modules must be built for Electron (npm run rebuild:electron); Node tests need them rebuilt for Node afterwards.');
  const child = spawn(electronPath, [REPO_ROOT, `--data-dir=${opts.dataDir}`], { stdio: 'inherit', cwd: REPO_ROOT });
  forwardSignals(child);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function startBrowserMode(reason: string, opts: Options): Promise<void> {
  console.log(`[tillsmith] mode: browser (${reason})`);
  const { outDir } = await ensureRendererBuilt();
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const fresh = !fs.existsSync(path.join(opts.dataDir, DATABASE_FILE));
  if (fresh) console.log(`[tillsmith] new data folder: creating the demo store with ${DEMO_MEMBERS} members (this takes a moment) ...`);

  const { startHeadless } = await import('../src-main/terminal/headless');
  const headless = await startHeadless({
    dataDir: opts.dataDir,
    port: opts.port,
    staticDir: outDir,
    seedDemo: fresh ? { members: DEMO_MEMBERS } : false,
  });
  const url = new URL(headless.url);
  url.pathname = '/';
  url.hash = `token=${encodeURIComponent(headless.token)}`;

  console.log(`[tillsmith] data folder: ${opts.dataDir}${fresh ? ' (new, demo store seeded)' : ''}`);
  console.log(`[tillsmith] log: ${path.join(opts.dataDir, 'logs')} (JSON lines)`);
  for (const note of headless.notes) console.log(`[tillsmith] note: ${note}`);
  console.log(`[tillsmith] terminal core listening on ${headless.url} (loopback only)`);
  console.log(`[tillsmith] open: ${url.href}`);
  const customerUrl = new URL(url.href);
  customerUrl.search = '?view=customer';
  console.log(`[tillsmith] customer display (second screen): ${customerUrl.href}`);
  console.log(`[tillsmith] both addresses stay the same after a restart (token and port in ${path.join(opts.dataDir, BRIDGE_FILE)}, mode 0600): bookmark them`);
  const { DEMO_STAFF, demoScanCodes } = await import('../src-main/seed/demo');
  const demo = await demoScanCodes(headless.terminal.ctx);
  if (demo !== null) {
    console.log(`[tillsmith] demo staff PINs: ${DEMO_STAFF.map((s) => `${s.name} ${s.pin}`).join(', ')}`);
    const points = (n: number): string => n.toLocaleString('en');
    console.log(`[tillsmith] demo member cards (scan, or type at F2 and press Enter): ${demo.cards.map((c) => `${c.code} (${points(c.points)} points)`).join(', ')}`);
    console.log(`[tillsmith] demo product barcodes (at checkout): ${demo.products.map((p) => `${p.sku} ${p.description} ${(p.unitPriceMinor / 100).toFixed(2)}`).join(', ')}`);
  }

  let browser: ChildProcess | null = null;
  const display = process.env.DISPLAY || process.env.WAYLAND_DISPLAY;
  if (!opts.open) console.log('[tillsmith] not opening a browser (--no-open)');
  else if (!fs.existsSync(CHROMIUM)) console.log(`[tillsmith] not opening a browser: ${CHROMIUM} is not installed; open the address above yourself`);
  else if (!display) console.log('[tillsmith] not opening a browser: no display (DISPLAY / WAYLAND_DISPLAY unset); open the address above yourself');
  else {
    console.log(`[tillsmith] opening ${CHROMIUM} --app=...`);
    browser = spawn(
      CHROMIUM,
      [`--app=${url.href}`, '--no-first-run', '--disable-background-networking', `--user-data-dir=${path.join(opts.dataDir, 'chromium-profile')}`],
      { stdio: 'ignore' },
    );
    browser.on('error', (e) => console.error(`[tillsmith] could not start Chromium: ${e.message}`));
    browser.on('exit', (code) => {
      if (code) console.log(`[tillsmith] Chromium exited with code ${code}; the till keeps running: open the address above yourself`);
      else console.log('[tillsmith] the Chromium window was closed; the till keeps running until Ctrl+C');
    });
  }
  console.log('[tillsmith] press Ctrl+C to stop');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`[tillsmith] ${signal}: closing the terminal ...`);
    if (browser && browser.exitCode === null) browser.kill('SIGTERM');
    headless.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error('[tillsmith] error while closing:', e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function forwardSignals(child: ChildProcess): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const electron = await findElectronBinary();
  if (electron.path !== null) await startElectron(electron.path, opts);
  else await startBrowserMode(`no Electron binary: ${electron.reason}`, opts);
}

main().catch((e: unknown) => {
  if (e instanceof BridgeFileError) console.error(`[tillsmith] could not start: ${e.message}`);
  else console.error('[tillsmith] could not start:', e);
  process.exit(1);
});
