import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';

/**
 * Explicit entries: our layout (`src-main/`, `src-renderer/`) is not electron-vite's
 * `src/<scope>` convention, so main and preload name their inputs and the renderer its root.
 * Output: out/main (ESM, package.json is `type: module`), out/preload/index.cjs (one CommonJS
 * bundle: a sandboxed preload cannot load ES modules or other files), out/renderer.
 */
const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/** Native modules: loaded from node_modules at run time, never bundled (and rebuilt for Electron's ABI). */
const NATIVE_MODULES = ['better-sqlite3', 'node-hid', 'serialport', /^@serialport\//];

export default defineConfig({
  main: {
    build: {
      outDir: `${repoRoot}out/main`,
      // Every `dependencies` entry stays external (electron-vite's default); natives are named too.
      externalizeDeps: true,
      rollupOptions: {
        // The reports' worker thread is its own entry: out/main/reports-worker.js (src-main/reports/reports-runner.ts).
        input: { index: `${repoRoot}src-main/index.ts`, 'reports-worker': `${repoRoot}src-main/reports/reports-worker.ts` },
        external: NATIVE_MODULES,
      },
    },
  },
  preload: {
    build: {
      outDir: `${repoRoot}out/preload`,
      // Bundle everything the preload imports (it only imports `electron` and local constants):
      // a sandboxed preload may only require('electron'), 'events', 'timers' and 'url'.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: `${repoRoot}src-main/preload/index.ts` },
        output: {
          format: 'cjs',
          entryFileNames: '[name].cjs',
          inlineDynamicImports: true,
        },
      },
    },
  },
  renderer: rendererConfig,
});
