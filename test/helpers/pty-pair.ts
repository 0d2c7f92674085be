/**
 * A real serial link for tests: socat joins two pseudo-terminals back to back, so whatever is
 * written to one end can be read at the other, through the kernel's tty layer and serialport's
 * native binding, exactly as with a USB-serial cable (except that ptys ignore the baud rate
 * and have no modem lines).
 *
 *   const pair = await openPtyPair();      // pair.a, pair.b: '/dev/pts/N'
 *   ...
 *   await pair.close();                    // kills socat (by its pid) and waits for it to exit
 *
 * With `links`, socat also creates symlinks (stable names), so a test can kill the pair and
 * open a new one under the same names to simulate unplugging and replugging a device.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export const SOCAT = '/usr/bin/socat';

export interface PtyPair {
  /** Path a test should open for end A (the symlink when `links` was given). */
  a: string;
  b: string;
  /** The /dev/pts/N devices behind the two ends. */
  ptyA: string;
  ptyB: string;
  pid: number;
  /** Kills socat: both ends see a hang-up, as when a USB device is unplugged. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** Symlink paths for the two ends, e.g. `${dir}/scanner` and `${dir}/device`. */
  links?: { a: string; b: string };
  /** How long to wait for socat to report its ptys before failing. Default 5000 ms. */
  startTimeoutMs?: number;
}

const live = new Set<ChildProcess>();

function ptyAddress(link: string | undefined): string {
  return link === undefined ? 'pty,raw,echo=0' : `pty,raw,echo=0,link=${link}`;
}

export function openPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const child = spawn(SOCAT, ['-d', '-d', ptyAddress(options.links?.a), ptyAddress(options.links?.b)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      live.delete(child);
      resolve();
    });
  });

  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  return new Promise<PtyPair>((resolve, reject) => {
    const ptys: string[] = [];
    let stderr = '';
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void close().then(() => reject(new Error(`socat: ${why}\n${stderr}`)));
    };
    // A bound on failure only; success is signalled by socat's own messages.
    const timer = setTimeout(() => fail('did not report two ptys in time'), options.startTimeoutMs ?? 5000);
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) => fail(`exited early (code ${String(code)}, signal ${String(signal)})`));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      for (const m of chunk.matchAll(/PTY is (\/dev\/pts\/\d+)/g)) {
        if (m[1] !== undefined) ptys.push(m[1]);
      }
      // socat prints "starting data transfer loop" once both ends (and their links) exist.
      if (!settled && ptys.length >= 2 && stderr.includes('starting data transfer loop')) {
        settled = true;
        clearTimeout(timer);
        const [ptyA = '', ptyB = ''] = ptys;
        resolve({
          a: options.links?.a ?? ptyA,
          b: options.links?.b ?? ptyB,
          ptyA,
          ptyB,
          pid: child.pid ?? -1,
          close,
        });
      }
    });
  });
}

/** Kills any socat this module started and that a test forgot to close (use in afterAll). */
export async function closeAllPtyPairs(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            resolve();
            return;
          }
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}
