/**
 * Child process for the crash test: trades in a loop on a data folder until it is killed.
 * Before each checkout it writes the idempotency key it is about to use to `inflight.txt`,
 * and on start it first retries that key, as a till does after a power cut.
 * Prints `ready` once, then `op <n>` after each committed operation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTerminal } from '../../src-main/terminal/create-terminal';
import { DEMO_STAFF } from '../../src-main/seed/demo';

async function main(): Promise<void> {
  const dataDir = process.argv[2]!;
  const t = await createTerminal({ dataDir, pinKdfCost: 1024, seedDemo: { members: 0, paymentsAtTill: false } });
  const call = async (method: string, input: unknown) => {
    const r = await t.dispatch(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as Record<string, unknown>;
  };
  const staff = (await call('staff.list', {})) as unknown as { id: string; name: string }[];
  const cashier = staff.find((s) => s.name === DEMO_STAFF[0].name)!;
  const managerDemo = DEMO_STAFF.find((s) => s.role === 'manager')!;
  // Redemptions this frequent trip the velocity rule: a manager approves them (as at a real till).
  const approval = { staffId: staff.find((s) => s.name === managerDemo.name)!.id, pin: managerDemo.pin };
  await call('session.signIn', { staffId: cashier.id, pin: DEMO_STAFF[0].pin });

  const members: string[] = [];
  for (let i = 0; i < 5; i++) {
    const phone = `1390000${String(i).padStart(4, '0')}`;
    const found = (await call('members.find', { query: phone, by: 'phone' })) as unknown as { id: string }[];
    if (found[0]) members.push(found[0].id);
    else members.push((await call('members.register', { idempotencyKey: `reg-${phone}`, phone, consentTerms: true, consentMarketing: false })).id as string);
  }
  const inflightFile = path.join(dataDir, 'inflight.json');
  const saleOf = (memberId: string, n: number) => ({
    memberId,
    lines: [
      { lineNo: 1, category: 'grocery', quantity: 1 + (n % 3), unitPriceMinor: 1234 + n },
      { lineNo: 2, category: 'eco', quantity: 1, unitPriceMinor: 8000 },
    ],
    redeemPoints: 0,
  });
  if (fs.existsSync(inflightFile)) {
    const pending = JSON.parse(fs.readFileSync(inflightFile, 'utf8')) as Record<string, unknown>;
    await call('checkout.complete', pending); // committed before the kill: replayed; else: done now
  }
  console.log('ready');
  for (let n = 0; ; n++) {
    const memberId = members[n % members.length]!;
    const info = (await call('members.get', { memberId })) as { balance: number };
    const redeem = info.balance >= 200 && n % 2 === 0;
    const input = { idempotencyKey: randomUUID(), ...saleOf(memberId, n), redeemPoints: redeem ? 100 : 0, ...(redeem ? { approval } : {}) };
    // Atomic (write + rename), so a kill never leaves half a key behind.
    fs.writeFileSync(`${inflightFile}.tmp`, JSON.stringify(input));
    fs.renameSync(`${inflightFile}.tmp`, inflightFile);
    const sale = await call('checkout.complete', input);
    if (n % 4 === 3) {
      await call('refunds.create', { idempotencyKey: randomUUID(), saleId: sale.id, lines: [{ lineNo: 1, quantity: 1 }] });
    }
    console.log(`op ${n}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
