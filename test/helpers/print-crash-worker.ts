/**
 * Child process for the print-queue crash test: a till whose printer takes the receipt's bytes
 * and never confirms them (as if the power went while it printed). Once the job is marked
 * `printing` and its bytes are on their way, it prints `printing <receiptNo>` and waits to be
 * killed with SIGKILL.
 */
import { randomUUID } from 'node:crypto';
import { createTerminal } from '../../src-main/terminal/create-terminal';
import { DEMO_STAFF } from '../../src-main/seed/demo';
import type { PrinterTransport } from '../../src-main/devices/printer/transport';

let announce: (() => void) | null = null;

const stuck: PrinterTransport = {
  kind: 'serial',
  target: '/dev/ttyUSB9 @ 38400',
  canReadStatus: true,
  isOpen: false,
  async open() {
    (this as { isOpen: boolean }).isOpen = true;
  },
  write() {
    announce?.();
    return new Promise<void>(() => undefined);
  },
  async request() {
    return 0x12;
  },
  onAsb: () => () => undefined,
  async close() {},
};

async function main(): Promise<void> {
  const dataDir = process.argv[2]!;
  const t = await createTerminal({ dataDir, pinKdfCost: 1024, seedDemo: { members: 0, paymentsAtTill: false }, devices: { env: { createPrinterTransport: () => stuck, idlePollMs: 0 } } });
  const call = async (method: string, input: unknown) => {
    const r = await t.dispatch(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as Record<string, unknown>;
  };
  const staff = (await call('staff.list', {})) as unknown as { id: string; name: string }[];
  const cashier = DEMO_STAFF[0];
  const manager = DEMO_STAFF.find((s) => s.role === 'manager')!;
  await call('session.signIn', { staffId: staff.find((s) => s.name === cashier.name)!.id, pin: cashier.pin });
  const approval = { staffId: staff.find((s) => s.name === manager.name)!.id, pin: manager.pin };
  await call('devices.configure', { config: { printer: { connection: { transport: 'serial', path: '/dev/ttyUSB9', baudRate: 38400 } } }, approval });
  let receiptNo = '';
  const printing = new Promise<void>((resolve) => {
    announce = resolve;
  });
  const sale = await call('checkout.complete', {
    idempotencyKey: randomUUID(),
    lines: [{ lineNo: 1, category: 'tea', description: 'Oolong', quantity: 1, unitPriceMinor: 2500 }],
    redeemPoints: 0,
  });
  receiptNo = String(sale.receiptNo);
  await printing;
  console.log(`printing ${receiptNo}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
