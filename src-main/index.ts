import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, dialog, ipcMain, session, type BrowserWindow } from 'electron';
import { isDomainError } from '../src-shared/errors/domain-error';
import { createTerminal, type Terminal } from './terminal/create-terminal';
import { DATABASE_FILE } from './terminal/config';
import { registerIpc, type RegisteredIpc } from './ipc/register-ipc';
import { TrustedSenders } from './ipc/trusted-senders';
import { installAppGuards, installSessionGuards, isSameDocument } from './security';
import { createCustomerDisplayWindow, createMainWindow, type RendererLocation } from './window';

/**
 * Electron composition root: lifecycle, one instance per data folder, the terminal core,
 * IPC, the window. No business logic here.
 *
 * Data folder: `--data-dir DIR`, else $TILLSMITH_DATA_DIR, else Electron's userData.
 * A fresh data folder gets the demo store ($TILLSMITH_DEMO_MEMBERS members, default 2000).
 */
const DEMO_MEMBERS_ON_FRESH_DATABASE = demoMemberCount(process.env.TILLSMITH_DEMO_MEMBERS);

const here = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(here, '../preload/index.cjs');
const renderer: RendererLocation =
  !app.isPackaged && process.env.ELECTRON_RENDERER_URL
    ? { kind: 'url', url: process.env.ELECTRON_RENDERER_URL }
    : { kind: 'file', file: path.join(here, '../renderer/index.html') };
const rendererUrl = renderer.kind === 'url' ? renderer.url : pathToFileURL(renderer.file).href;

const explicitDataDir = flagValue(process.argv, '--data-dir') ?? process.env.TILLSMITH_DATA_DIR ?? null;
if (explicitDataDir) {
  // Keep Chromium's profile (and with it the single-instance lock) inside that data folder,
  // so two tills with different folders (e.g. parallel e2e tests) do not block each other.
  app.setPath('userData', path.join(path.resolve(explicitDataDir), 'electron'));
}
const dataDir = explicitDataDir ? path.resolve(explicitDataDir) : app.getPath('userData');

let terminal: Terminal | null = null;
let ipc: RegisteredIpc | null = null;
let mainWindow: BrowserWindow | null = null;
let closing: Promise<void> | null = null;
const trusted = new TrustedSenders();

if (!app.requestSingleInstanceLock()) {
  console.log('[tillsmith] another Tillsmith window is already open for this data folder; focusing it.');
  app.quit();
} else {
  installAppGuards({ isAllowedUrl: (url) => isSameDocument(url, rendererUrl) });

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => app.quit());

  app.on('before-quit', (event) => {
    if (!terminal) return;
    event.preventDefault();
    closing ??= shutdown().finally(() => {
      terminal = null;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      dialog.showErrorBox('Tillsmith cannot start', startupMessage(e));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  installSessionGuards(session.defaultSession);
  fs.mkdirSync(dataDir, { recursive: true });
  const fresh = !fs.existsSync(path.join(dataDir, DATABASE_FILE));
  terminal = await createTerminal({
    dataDir,
    appVersion: app.getVersion(),
    seedDemo: fresh ? { members: DEMO_MEMBERS_ON_FRESH_DATABASE } : false,
  });
  console.log(`[tillsmith] Electron shell started; data folder ${terminal.dataDir}${fresh ? ' (new, demo store seeded)' : ''}`);
  ipc = registerIpc({ ipcMain, dispatch: terminal.dispatch, trusted });
  const forward = ipc;
  terminal.events.onAny((event, payload) => forward.emit(event, payload));
  mainWindow = createMainWindow({ preloadPath, renderer, trusted });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  // A second monitor facing the customer (or TILLSMITH_CUSTOMER_DISPLAY=1): the customer display.
  createCustomerDisplayWindow({ preloadPath, renderer, trusted });
}

async function shutdown(): Promise<void> {
  ipc?.dispose();
  ipc = null;
  try {
    await terminal?.close();
  } catch (e) {
    console.error('[tillsmith] error while closing the terminal:', e);
  }
}

function startupMessage(e: unknown): string {
  if (isDomainError(e)) return `${e.message}\n\n(${e.code})\nData folder: ${dataDir}`;
  const text = e instanceof Error ? e.message : String(e);
  if (/NODE_MODULE_VERSION|ERR_DLOPEN_FAILED|was compiled against a different Node\.js version/.test(text)) {
    return `A native module (better-sqlite3, node-hid or serialport) was built for Node, not for Electron.\nRun: npm run rebuild:electron\n\n${text}`;
  }
  return `${text}\n\nData folder: ${dataDir}`;
}

function demoMemberCount(raw: string | undefined): number {
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(n) && n >= 0 ? n : 2000;
}

/** `--name value` or `--name=value`. */
function flagValue(argv: readonly string[], name: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === name) return argv[i + 1] ?? null;
    if (arg?.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return null;
}
