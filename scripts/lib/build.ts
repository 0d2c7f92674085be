import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Build helpers shared by `npm start` and the e2e tests: the browser-mode renderer build
 * (out/renderer, rebuilt only when missing or older than its sources) and the Electron binary probe.
 */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_OUT_DIR = path.join(REPO_ROOT, 'out', 'renderer');
const RENDERER_CONFIG = path.join(REPO_ROOT, 'vite.renderer.config.ts');
/** What the renderer bundle is made from. */
const SOURCES = ['src-renderer', 'src-shared', 'vite.renderer.config.ts', 'package-lock.json'];

function newestMtime(p: string): number {
  const full = path.join(REPO_ROOT, p);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(full, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export function rendererBuildState(outDir = RENDERER_OUT_DIR): 'missing' | 'stale' | 'fresh' {
  const index = path.join(outDir, 'index.html');
  if (!fs.existsSync(index)) return 'missing';
  const builtAt = fs.statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > builtAt) ? 'stale' : 'fresh';
}

export async function ensureRendererBuilt(opts: { force?: boolean; log?: (m: string) => void } = {}): Promise<{ outDir: string; built: boolean }> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const state = rendererBuildState();
  if (state === 'fresh' && !opts.force) return { outDir: RENDERER_OUT_DIR, built: false };
  log(`[tillsmith] building the renderer (${opts.force ? 'forced' : state}) -> ${path.relative(REPO_ROOT, RENDERER_OUT_DIR)}`);
  // A child process with NODE_ENV=production: under vitest NODE_ENV is 'test', which would
  // give React's development build and the dev JSX runtime.
  const viteBin = path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [viteBin, 'build', '--config', RENDERER_CONFIG, '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`vite build failed (${signal ?? `exit code ${code}`})`))));
  });
  return { outDir: RENDERER_OUT_DIR, built: true };
}

/** The Electron executable if `require('electron')` resolves to one that exists, with the reason when not. */
export async function findElectronBinary(): Promise<{ path: string } | { path: null; reason: string }> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  let resolved: unknown;
  try {
    resolved = require('electron');
  } catch (e) {
    const pkgDir = path.join(REPO_ROOT, 'node_modules', 'electron');
    if (fs.existsSync(pkgDir) && !fs.existsSync(path.join(pkgDir, 'path.txt'))) {
      return { path: null, reason: 'the electron package has no binary (node_modules/electron/path.txt is missing: installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)' };
    }
    return { path: null, reason: `require('electron') failed: ${(e as Error).message.split('\n')[0]}` };
  }
  if (typeof resolved !== 'string') return { path: null, reason: "require('electron') did not return a path" };
  if (!fs.existsSync(resolved)) return { path: null, reason: `the Electron executable ${resolved} does not exist` };
  return { path: resolved };
}
