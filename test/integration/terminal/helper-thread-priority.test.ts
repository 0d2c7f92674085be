import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HelperThreadPriority } from '../../../src-main/terminal/helper-thread-priority';

const CHILD = path.resolve(__dirname, '../../helpers/thread-priority-child.ts');
const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

interface ChildReport {
  pid: number;
  result: HelperThreadPriority;
  threads: { tid: number; nice: number; policy: number }[];
}

/** Runs the child in a fresh Node process (its own threads, not the test runner's). */
function runChild(chrt?: string, env: Record<string, string> = {}): ChildReport {
  const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD, ...(chrt ? [chrt] : [])], {
    encoding: 'utf8',
    env: { ...process.env, TILLSMITH_HELPER_THREADS: '', ...env },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildReport;
}

describe.runIf(process.platform === 'linux')('yieldHelperThreadsToMain (real threads, read back from /proc)', () => {
  it('puts every helper thread under SCHED_IDLE and leaves the main thread as it was', () => {
    const { pid, result, threads } = runChild();
    expect(result.applied).toBe('idle');
    // Node starts V8's platform workers before any JavaScript runs.
    expect(result.threads.length).toBeGreaterThanOrEqual(2);
    expect(result.threads).not.toContain(pid);
    const main = threads.find((t) => t.tid === pid)!;
    expect(main).toMatchObject({ policy: SCHED_OTHER, nice: 0 });
    for (const tid of result.threads) expect(threads.find((t) => t.tid === tid)?.policy).toBe(SCHED_IDLE);
  });

  it('falls back to nice 19 when chrt cannot run, still leaving the main thread alone', () => {
    const { pid, result, threads } = runChild('/nonexistent/chrt');
    expect(result.applied).toBe('nice');
    expect(result.reason).toMatch(/chrt failed/);
    expect(result.threads.length).toBeGreaterThanOrEqual(2);
    expect(threads.find((t) => t.tid === pid)).toMatchObject({ policy: SCHED_OTHER, nice: 0 });
    for (const tid of result.threads) expect(threads.find((t) => t.tid === tid)).toMatchObject({ policy: SCHED_OTHER, nice: 19 });
  });

  it('changes nothing with TILLSMITH_HELPER_THREADS=normal', () => {
    const { result, threads } = runChild(undefined, { TILLSMITH_HELPER_THREADS: 'normal' });
    expect(result).toMatchObject({ applied: 'unchanged', threads: [], reason: 'TILLSMITH_HELPER_THREADS=normal' });
    expect(threads.length).toBeGreaterThanOrEqual(3);
    for (const t of threads) expect(t).toMatchObject({ policy: SCHED_OTHER, nice: 0 });
  });
});
