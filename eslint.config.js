import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = { group: ['node:*'], message: 'src-shared and the renderer are pure: no Node built-ins.' };

const coreRestrictedPaths = [{ name: 'react', message: 'No React in the core.' }];
const coreRestrictedPatterns = [{ group: ['**/src-renderer/**'], message: 'The core does not import the renderer.' }];
const above = (...areas) => areas;
/** Each area of src-main and the areas it must not import (everything above it). */
const coreLayers = [
  { area: 'db', mayNotImport: above('core', 'ledger', 'staff', 'sync', 'devices', 'reports', 'seed', 'terminal', 'bridge', 'ipc') },
  { area: 'core', mayNotImport: above('ledger', 'staff', 'sync', 'devices', 'reports', 'seed', 'terminal', 'bridge', 'ipc') },
  { area: 'ledger', mayNotImport: above('staff', 'sync', 'devices', 'reports', 'seed', 'terminal', 'bridge', 'ipc') },
  { area: 'staff', mayNotImport: above('ledger', 'sync', 'devices', 'reports', 'seed', 'terminal', 'bridge', 'ipc') },
  { area: 'sync', mayNotImport: above('devices', 'reports', 'seed', 'terminal', 'bridge', 'ipc') },
  { area: 'devices', mayNotImport: above('sync', 'reports', 'seed', 'terminal', 'bridge', 'ipc') },
  { area: 'reports', mayNotImport: above('sync', 'seed', 'terminal', 'bridge', 'ipc') },
  // The demo seed writes through the ledger's repos; only its command line starts a terminal.
  { area: 'seed', ignores: ['src-main/seed/cli.ts'], mayNotImport: above('sync', 'devices', 'reports', 'terminal', 'bridge', 'ipc') },
  // The transports know the dispatcher (core) and nothing of the areas behind it.
  { area: 'bridge', mayNotImport: above('ledger', 'staff', 'sync', 'devices', 'reports', 'seed', 'terminal', 'ipc') },
  { area: 'ipc', mayNotImport: above('ledger', 'staff', 'sync', 'devices', 'reports', 'seed', 'terminal') },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'bench/results/**', 'bench/_*', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'kysely', 'better-sqlite3', 'react', 'serialport', 'node-hid', 'iconv-lite'].map((name) => ({ name, message: 'src-shared is pure TypeScript shared by all three programs.' })),
        patterns: [nodeBuiltins, { group: ['**/src-main/**', '**/src-renderer/**', '**/src-server/**'], message: 'src-shared imports no program code.' }],
      }],
      'no-restricted-globals': ['error', { name: 'Buffer', message: 'src-shared has no Buffer: use Uint8Array.' }, { name: 'process', message: 'src-shared has no process.' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Inject the clock.' }, { object: 'Math', property: 'random', message: 'Inject the random source.' }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer talks to the core only through PosApi.' }],
        patterns: [nodeBuiltins, { regex: '(^|/)src-(main|server)/(?!preload/pos-bridge$)', message: 'The renderer imports only src-shared (and the preload bridge type).' }],
      }],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: coreRestrictedPaths, patterns: coreRestrictedPatterns }] },
  },
  // Inside the terminal core, imports point one way (docs/architecture.md, "Layers"):
  // db <- core <- ledger, staff <- sync, devices <- reports <- terminal (the composition root).
  ...coreLayers.map(({ area, files, ignores, mayNotImport }) => ({
    files: files ?? [`src-main/${area}/**/*.ts`],
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': ['error', {
        paths: coreRestrictedPaths,
        patterns: [...coreRestrictedPatterns, { regex: `^(\\.\\./)+(${mayNotImport.join('|')})(/|$)`, message: `src-main/${area} does not import ${mayNotImport.join(', ')} (layers: docs/architecture.md).` }],
      }],
    },
  })),
  {
    files: ['src-server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'react'].map((name) => ({ name, message: 'The central server has no UI.' })),
        patterns: [{ group: ['**/src-main/**', '**/src-renderer/**'], message: 'The server imports only src-shared (and migrations/server).' }],
      }],
    },
  },
  {
    files: ['migrations/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src-*/**'], message: 'Migrations are frozen: they import no app code.' }] }],
    },
  },
);
