import { parseArgs } from 'node:util';
import path from 'node:path';
import { isDomainError } from '../../src-shared/errors/domain-error';
import { BridgeFileError } from './bridge-file';
import { defaultDataDir } from './config';
import { startHeadless } from './headless';

/**
 * npm run terminal -- --headless --data-dir DIR [--port N] [--token T] [--seed-members N]
 * Starts the terminal core without Electron and prints the URL of its loopback API. Without
 * --token (and --port) it uses the data folder's token (and last port): see bridge-file.ts.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      headless: { type: 'boolean', default: true },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      token: { type: 'string' },
      'seed-members': { type: 'string' },
      'static-dir': { type: 'string' },
    },
  });
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`--port must be 0..65535, got ${values.port}`);
  const seed = values['seed-members'] !== undefined ? { members: Number(values['seed-members']) } : false;
  const t = await startHeadless({ dataDir, port, token: values.token, seedDemo: seed, staticDir: values['static-dir'] ?? null });
  console.log(`Tillsmith terminal (headless) listening on ${t.url}`);
  console.log(`  data folder: ${dataDir}`);
  for (const note of t.notes) console.log(`  note: ${note}`);
  console.log(`  API: POST ${t.url}/api/<method> with "Authorization: Bearer ${values.token ? '<your token>' : t.token}"`);
  const stop = () => {
    void t.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  if (isDomainError(e)) console.error(`Cannot start the terminal: ${e.message} [${e.code}]`);
  else if (e instanceof BridgeFileError) console.error(`Cannot start the terminal: ${e.message}`);
  else console.error('Cannot start the terminal:', e);
  process.exit(1);
});
