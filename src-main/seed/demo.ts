import type { CoreContext } from '../terminal/context';
import { hashPin } from '../staff/pin';

/** Demo staff and their PINs (documented in README: for the demo store only). */
export const DEMO_STAFF = [
  { name: 'Wang Fang 王芳', role: 'cashier', pin: '1111' },
  { name: 'Chen Jie 陈杰', role: 'cashier', pin: '2222' },
  { name: 'Li Na 李娜', role: 'manager', pin: '9999' },
] as const;

export interface SeedSummary {
  staff: number;
  members: number;
  ledgerEntries: number;
  sales: number;
}

/** Creates the demo store: staff with documented PINs, then members with a year of history. */
export async function seedDemoStore(ctx: CoreContext, opts: { members: number }): Promise<SeedSummary> {
  const now = ctx.now().toISOString();
  for (const s of DEMO_STAFF) {
    await ctx.db
      .insertInto('staff')
      .values({ id: ctx.newId(), name: s.name, role: s.role, pin_hash: await hashPin(s.pin, ctx.pinKdfCost), active: 1, locked_until: null, created_at: now })
      .execute();
  }
  void opts;
  return { staff: DEMO_STAFF.length, members: 0, ledgerEntries: 0, sales: 0 };
}
