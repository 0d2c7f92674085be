import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Input, Method, Outputs } from '../../src-shared/api/contract';
import { DomainError } from '../../src-shared/errors/domain-error';
import type { Connectivity } from '../../src-main/core/context';
import { createTerminal, type Terminal } from '../../src-main/terminal/create-terminal';
import { DEMO_STAFF } from '../../src-main/seed/demo';

/** A settable wall clock for tests. */
export class TestClock {
  constructor(private t: number = Date.parse('2026-06-15T02:00:00.000Z')) {}
  now = (): Date => new Date(this.t);
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export function tempDir(prefix = 'tillsmith-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestTerminal {
  terminal: Terminal;
  clock: TestClock;
  dataDir: string;
  /** Calls a method through the dispatcher (schemas included); throws DomainError on failure. */
  call<M extends Method>(method: M, input: Input<M>): Promise<Outputs[M]>;
  staffId(role: 'cashier' | 'manager'): Promise<string>;
  managerApproval(): Promise<{ staffId: string; pin: string }>;
  signInCashier(): Promise<void>;
  setConnectivity(c: Connectivity): void;
  close(): Promise<void>;
}

export const key = (): string => randomUUID();

export async function openTestTerminal(opts: { dataDir?: string; clock?: TestClock; seedMembers?: number } = {}): Promise<TestTerminal> {
  const dataDir = opts.dataDir ?? tempDir();
  const clock = opts.clock ?? new TestClock();
  let connectivity: Connectivity = 'standalone';
  const terminal = await createTerminal({
    dataDir,
    now: clock.now,
    pinKdfCost: 1024,
    // A till beside another register: sales need no tenders (the money tests switch payments on).
    seedDemo: { members: opts.seedMembers ?? 0, paymentsAtTill: false },
    connectivity: () => connectivity,
  });
  const call = async <M extends Method>(method: M, input: Input<M>): Promise<Outputs[M]> => {
    const r = await terminal.dispatch(method, input);
    if (r.ok) return r.value as Outputs[M];
    throw new DomainError(r.error.code, r.error.message, r.error.details ?? {});
  };
  const staffId = async (role: 'cashier' | 'manager') => {
    const list = await call('staff.list', {});
    const demo = DEMO_STAFF.find((d) => d.role === role)!;
    const s = list.find((x) => x.name === demo.name);
    if (!s) throw new Error(`no ${role}`);
    return s.id;
  };
  return {
    terminal,
    clock,
    dataDir,
    call,
    staffId,
    managerApproval: async () => ({ staffId: await staffId('manager'), pin: DEMO_STAFF.find((s) => s.role === 'manager')!.pin }),
    signInCashier: async () => {
      await call('session.signIn', { staffId: await staffId('cashier'), pin: DEMO_STAFF[0].pin });
    },
    setConnectivity: (c) => {
      connectivity = c;
    },
    close: () => terminal.close(),
  };
}

/** Expects a promise to fail with a DomainError of the given code; returns the error. */
export async function expectCode(p: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError && e.code === code) return e;
    throw new Error(`expected ${code}, got ${e instanceof DomainError ? `${e.code}: ${e.message}` : String(e)}`);
  }
  throw new Error(`expected ${code}, but it succeeded`);
}
