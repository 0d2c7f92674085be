/**
 * Child process for helper-thread-priority.test.ts: lowers its helper threads' priority (with
 * `chrt` from argv[2] if given), then prints the result and every thread's scheduling policy and
 * nice value as the kernel reports them (/proc/self/task/<tid>/stat fields 41 and 19).
 */
import fs from 'node:fs';
import { yieldHelperThreadsToMain } from '../../src-main/terminal/helper-thread-priority';

const result = yieldHelperThreadsToMain(process.argv[2] ? { chrt: process.argv[2] } : {});
const threads = fs.readdirSync('/proc/self/task').map((tid) => {
  // The name in parentheses may contain spaces; the fields after it are space-separated.
  const fields = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { tid: Number(tid), nice: Number(fields[16]), policy: Number(fields[38]) };
});
console.log(JSON.stringify({ pid: process.pid, result, threads }));
