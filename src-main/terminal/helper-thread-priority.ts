import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

/** What `yieldHelperThreadsToMain` did. */
export interface HelperThreadPriority {
  /** `idle`: all under SCHED_IDLE; `nice`: some or all at nice 19 (`chrt` failed); `unchanged`: not Linux, or nothing could be set. */
  readonly applied: 'idle' | 'nice' | 'unchanged';
  /** Thread ids whose priority was lowered. */
  readonly threads: readonly number[];
  /** Why nothing (or less than SCHED_IDLE) was applied. */
  readonly reason?: string;
}

export interface HelperThreadOptions {
  /** The `chrt` program (util-linux); default `chrt` on the PATH. */
  readonly chrt?: string;
  /** `normal` leaves every thread as it is; default `$TILLSMITH_HELPER_THREADS`. */
  readonly mode?: string;
}

/**
 * Lets the main thread, which runs the checkout, always win a CPU over this process's own helper
 * threads: V8's compiler and garbage-collector workers and libuv's pool.
 *
 * Why. On a 2-vCPU till, V8 compiles hot functions and marks and scavenges the heap on helper
 * threads while the main thread waits for the disk (the checkout's COMMIT). When the COMMIT
 * returns, the kernel often queues the main thread behind a helper on the same vCPU, even with
 * the other vCPU idle, and the checkout waits for the helper's time slice: 2-5 ms at p95-p99 of
 * checkouts 600 ms apart at 1M members (`perf sched` and bench/checkout-anatomy.bench.ts, session 9).
 * A waking normal task preempts a SCHED_IDLE one (in the traces nearly always at once), and a CPU
 * running only such tasks counts as idle when the kernel places a waking task, so the helpers now
 * mostly run in the gaps. It is not a strict priority: on this VM's kernel (EEVDF, HZ=250) a helper
 * that shares the main thread's vCPU still now and then keeps it to the next tick (session 10).
 * They never starve a till: between customers the CPUs are idle, and V8 does a job's work on the
 * main thread itself when it waits for one (a scavenge, a compile it needs).
 *
 * Which threads. Those of this process, other than the caller, that carry the main thread's name:
 * threads that never named themselves (V8's platform workers, libuv's pool). Chromium names its
 * threads (`Chrome_IOThread`, ...), so under Electron its I/O and IPC threads keep their priority.
 * Threads started later (worker threads) inherit the caller's own priority. Call it once, from
 * the main thread, at start-up. Linux only; elsewhere, or with `TILLSMITH_HELPER_THREADS=normal`, it
 * changes nothing. It never throws.
 */
export function yieldHelperThreadsToMain(options: HelperThreadOptions = {}): HelperThreadPriority {
  if ((options.mode ?? process.env.TILLSMITH_HELPER_THREADS) === 'normal') return { applied: 'unchanged', threads: [], reason: 'TILLSMITH_HELPER_THREADS=normal' };
  if (process.platform !== 'linux') return { applied: 'unchanged', threads: [], reason: `not supported on ${process.platform}` };
  let helpers: number[];
  try {
    helpers = unnamedHelperThreads();
  } catch (e) {
    return { applied: 'unchanged', threads: [], reason: `cannot list threads: ${(e as Error).message}` };
  }
  if (helpers.length === 0) return { applied: 'unchanged', threads: [], reason: 'no helper threads' };
  const chrt = options.chrt ?? 'chrt';
  const idle: number[] = [];
  const niced: number[] = [];
  let chrtError: string | null = null;
  for (const tid of helpers) {
    if (chrtError === null) {
      try {
        execFileSync(chrt, ['--idle', '--pid', '0', String(tid)], { stdio: 'ignore', timeout: 5000 });
        idle.push(tid);
        continue;
      } catch (e) {
        if (!fs.existsSync(`/proc/self/task/${tid}`)) continue; // the thread ended meanwhile
        chrtError = (e as Error).message.split('\n')[0]!;
      }
    }
    // Without chrt: the lowest nice value, which the kernel weighs too, though less strictly.
    try {
      os.setPriority(tid, 19);
      niced.push(tid);
    } catch {
      // the thread ended meanwhile
    }
  }
  if (chrtError === null) return { applied: 'idle', threads: idle };
  if (niced.length === 0 && idle.length === 0) return { applied: 'unchanged', threads: [], reason: `chrt failed (${chrtError}) and nice could not be set` };
  return { applied: 'nice', threads: [...idle, ...niced], reason: `chrt failed (${chrtError}); ${niced.length} set to nice 19 instead` };
}

/** This process's threads other than the calling one that share the main thread's name. */
function unnamedHelperThreads(): number[] {
  const taskDir = '/proc/self/task';
  const self = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  const name = (tid: string) => fs.readFileSync(`${taskDir}/${tid}/comm`, 'utf8').trim();
  const mainName = name(String(process.pid));
  const out: number[] = [];
  for (const tid of fs.readdirSync(taskDir)) {
    if (Number(tid) === self || Number(tid) === process.pid) continue;
    try {
      if (name(tid) === mainName) out.push(Number(tid));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/** One line for the start-up log. */
export function describeHelperThreadPriority(r: HelperThreadPriority): string {
  const what = r.applied === 'idle' ? 'SCHED_IDLE' : r.applied === 'nice' ? 'nice 19' : 'unchanged';
  return `helper threads (V8 compiler and GC, libuv): ${what}${r.threads.length ? ` (${r.threads.length})` : ''}${r.reason ? `: ${r.reason}` : ''}`;
}
