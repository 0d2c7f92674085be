import fs from 'node:fs';

/**
 * The calling thread's scheduler account so far (/proc/thread-self/schedstat, Linux): time on a CPU
 * and time runnable but waiting while another task held the CPU, in ms. Around a timed call, the
 * rest of its time was blocked (I/O: fsync, page reads). On a CPU includes time a hypervisor took
 * the vCPU away, which the guest cannot see.
 */
export function threadSchedstat(): { onCpuMs: number; waitMs: number } {
  const [onCpuNs, waitNs] = fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
  return { onCpuMs: onCpuNs! / 1e6, waitMs: waitNs! / 1e6 };
}
