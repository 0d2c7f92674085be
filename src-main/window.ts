import { BrowserWindow, screen, type WebPreferences } from 'electron';
import type { TrustedSenders } from './ipc/trusted-senders';

/**
 * The only web preferences a Tillsmith window gets. Frozen so nobody flips `sandbox` off
 * "just for a moment" (the electron-vite template ships `sandbox: false`; we do not).
 */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} as const satisfies WebPreferences);

/** Where the renderer comes from: the built files, or electron-vite's dev server. */
export type RendererLocation = { kind: 'file'; file: string } | { kind: 'url'; url: string };

export function createMainWindow(opts: {
  preloadPath: string;
  renderer: RendererLocation;
  trusted: TrustedSenders;
}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Tillsmith',
    backgroundColor: '#f4f5f7',
    autoHideMenuBar: true,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: opts.preloadPath },
  });
  const contents = win.webContents;
  const id = contents.id;
  opts.trusted.add(contents);
  contents.once('destroyed', () => opts.trusted.remove(id));
  win.once('ready-to-show', () => win.show());

  const loading = opts.renderer.kind === 'file' ? win.loadFile(opts.renderer.file) : win.loadURL(opts.renderer.url);
  loading.catch((e: unknown) => console.error('[tillsmith] the window could not load the user interface:', e));
  return win;
}

/**
 * The customer display: the same renderer with `?view=customer` (basket, total, tier, points; no
 * personal data), full screen on the second monitor. It reads the display state from the core
 * and follows `display.changed`, so it is a trusted sender like the main window.
 */
export function createCustomerDisplayWindow(opts: { preloadPath: string; renderer: RendererLocation; trusted: TrustedSenders }): BrowserWindow | null {
  const primary = screen.getPrimaryDisplay();
  const second = screen.getAllDisplays().find((d) => d.id !== primary.id);
  if (!second && process.env.TILLSMITH_CUSTOMER_DISPLAY !== '1') return null;
  const bounds = (second ?? primary).bounds;
  const win = new BrowserWindow({
    x: bounds.x,
    y: bounds.y,
    width: second ? bounds.width : 1024,
    height: second ? bounds.height : 768,
    fullscreen: Boolean(second),
    show: false,
    title: 'Tillsmith – customer display',
    backgroundColor: '#0f1a30',
    autoHideMenuBar: true,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: opts.preloadPath },
  });
  const contents = win.webContents;
  const id = contents.id;
  opts.trusted.add(contents);
  contents.once('destroyed', () => opts.trusted.remove(id));
  win.once('ready-to-show', () => win.showInactive());
  const loading =
    opts.renderer.kind === 'file' ? win.loadFile(opts.renderer.file, { query: { view: 'customer' } }) : win.loadURL(`${opts.renderer.url.replace(/[?#].*$/, '')}?view=customer`);
  loading.catch((e: unknown) => console.error('[tillsmith] the customer display could not load:', e));
  return win;
}
