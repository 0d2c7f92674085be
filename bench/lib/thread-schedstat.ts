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
