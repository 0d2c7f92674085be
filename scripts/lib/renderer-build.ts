import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Builds the renderer for browser mode (out/renderer) when it is missing or older than its sources. */
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
  const { build } = await import('vite');
  // Pin NODE_ENV: under vitest it is 'test', which would bundle React's development build.
  await build({ configFile: RENDERER_CONFIG, logLevel: 'warn', mode: 'production', define: { 'process.env.NODE_ENV': JSON.stringify('production') } });
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
    return { path: null, reason: `require('electron') failed: ${(e as Error).message.split('\n')[0]}` };
  }
  if (typeof resolved !== 'string') return { path: null, reason: "require('electron') did not return a path" };
  if (!fs.existsSync(resolved)) return { path: null, reason: `the Electron executable ${resolved} does not exist` };
  return { path: resolved };
}
