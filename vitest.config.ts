import { defineConfig } from 'vitest/config';

/**
 * Three projects, one per test folder; `vitest run` (npm test) runs all three, `--project NAME`
 * one of them. Each project inherits the options below (`extends: true`).
 *   unit         test/unit: rules, parsing, encoders, stores; no database, no child process
 *   integration  test/integration: real SQLite files, PostgreSQL, pseudo-terminals, child processes
 *   e2e          test/e2e: the till in Chromium (and Electron when installed); only this project
 *                runs the global setup that builds out/renderer
 */
export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts', 'test/integration/**/*.test.tsx'] } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/e2e/**/*.test.tsx'],
          // Builds out/renderer once (if missing or stale) before the first browser test starts.
          globalSetup: ['test/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
