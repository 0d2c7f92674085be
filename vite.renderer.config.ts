import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

/**
 * The renderer's build, shared by `electron.vite.config.ts` (Electron) and by
 * `vite build -c vite.renderer.config.ts` (browser mode, no Electron binary needed).
 * `base: './'` keeps asset URLs relative so the same output loads from `file://`
 * (Electron) and from the loopback HTTP bridge (browser mode).
 */
const repoRoot = fileURLToPath(new URL('.', import.meta.url));

export const RENDERER_ROOT = `${repoRoot}src-renderer`;
export const RENDERER_OUT_DIR = `${repoRoot}out/renderer`;

/**
 * Dev server only: React Refresh injects an inline module script and HMR uses a WebSocket, which
 * the page's Content-Security-Policy (index.html) forbids. Relax exactly those two while serving;
 * builds keep the strict policy.
 */
const devServerCsp: Plugin = {
  name: 'tillsmith:dev-server-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws://127.0.0.1:* ws://localhost:*"),
};

/** `vite -c vite.renderer.config.ts` against a running terminal: TILLSMITH_BRIDGE_URL=http://127.0.0.1:PORT, open with #token=... */
const bridgeUrl = process.env.TILLSMITH_BRIDGE_URL;

export const rendererConfig: UserConfig = {
  root: RENDERER_ROOT,
  base: './',
  publicDir: false,
  plugins: [react(), devServerCsp],
  build: {
    outDir: RENDERER_OUT_DIR,
    emptyOutDir: true,
    // Electron 40 ships Chromium 144; Debian's Chromium is newer. ES2022 suits both.
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    rollupOptions: {
      input: `${RENDERER_ROOT}/index.html`,
      onwarn(warning, defaultHandler) {
        // zod ships comments Rollup cannot use as annotations; harmless and noisy.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
        defaultHandler(warning);
      },
    },
  },
  server: { host: '127.0.0.1', ...(bridgeUrl ? { proxy: { '/api': bridgeUrl } } : {}) },
};

export default defineConfig(rendererConfig);
