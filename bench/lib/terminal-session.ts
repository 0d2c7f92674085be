import { DEMO_STAFF } from '../../src-main/seed/demo';
import type { Terminal } from '../../src-main/terminal/create-terminal';

/** Calls `t.dispatch` as the UI does (input schemas included) and throws on a refusal, with its code. */
export type BenchCall = (method: string, input: unknown) => Promise<unknown>;

export function benchCaller(t: Terminal): BenchCall {
  return async (method, input) => {
    const r = await t.dispatch(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
}

/** Signs in the demo store's first cashier, or its manager, with the documented PIN. */
export async function signInDemoStaff(call: BenchCall, role: 'cashier' | 'manager'): Promise<void> {
  const person = DEMO_STAFF.find((s) => s.role === role)!;
  const staff = (await call('staff.list', {})) as { id: string; name: string }[];
  await call('session.signIn', { staffId: staff.find((s) => s.name === person.name)!.id, pin: person.pin });
}
