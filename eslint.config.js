import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = { group: ['node:*'], message: 'src-shared and the renderer are pure: no Node built-ins.' };

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
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'react', message: 'No React in the core.' }], patterns: [{ group: ['**/src-renderer/**'], message: 'The core does not import the renderer.' }] }],
    },
  },
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
