import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BenchServer {
  url: string;
  child: ChildProcess;
  close(): Promise<void>;
}

/** The central server as in production: its own process (`src-server/cli.ts serve`) on 127.0.0.1, rate limits off. */
export async function spawnServer(databaseUrl: string, adminToken: string): Promise<BenchServer> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-server/cli.ts', 'serve', '--listen', '127.0.0.1:0', '--database', databaseUrl, '--no-rate-limit', '--log-level', 'warn'], {
    cwd: root,
    env: { ...process.env, TILLSMITH_ADMIN_TOKEN: adminToken },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Tillsmith server on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  return {
    url,
    child,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
