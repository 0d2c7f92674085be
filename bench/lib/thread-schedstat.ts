import fs from 'node:fs';

/**
 * How long the calling thread has so far been runnable but waiting while other tasks held the CPU,
 * in ms (/proc/thread-self/schedstat, Linux; its second field). It is brought up to date each time
 * the thread gets a CPU, so the difference around a call made on this thread is exact. (The first
 * field, time on a CPU, is not: for a running thread it lags until the next tick or switch.)
 */
export function threadRunQueueWaitMs(): number {
  return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6;
}

/**
 * CPU time so far of each of this process's threads other than the calling one, in ms, by thread
 * id (/proc/self/task/<tid>/schedstat, first field: exact for a thread that is not running at the
 * time of the read). The difference around a call says how much of this process's own background
 * work (V8's compiler and GC helpers, libuv's pool, worker threads) ran meanwhile.
 */
export function otherThreadsCpuMs(): Map<string, number> {
  const self = fs.readlinkSync('/proc/thread-self').split('/').pop();
  const out = new Map<string, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    if (tid === self) continue;
    try {
      out.set(tid, Number(fs.readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/** CPU ms other threads got between two `otherThreadsCpuMs()` readings. */
export function otherThreadsCpuBetween(before: Map<string, number>, after: Map<string, number>): number {
  let ms = 0;
  for (const [tid, now] of after) ms += now - (before.get(tid) ?? 0);
  return ms;
}
