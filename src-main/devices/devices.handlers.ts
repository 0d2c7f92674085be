/**
 * The devices area of the PosApi: device lists and configuration, status, test print and test
 * scan, the print queue, reprints and the cashier's decisions on jobs that need checking.
 */
import type { PosHandlers } from '../../src-shared/api/contract';
import type { DevicesOutputs } from '../../src-shared/api/contract-devices';
import { classifyScan } from '../../src-shared/cards/classify';
import { maskCardCode } from '../../src-shared/privacy/mask';
import { DomainError } from '../../src-shared/errors/domain-error';
import { appendAudit } from '../staff/audit.repo';
import type { Session, StaffService } from '../staff/staff.service';
import type { CoreContext } from '../terminal/context';
import type { DeviceManager } from './device-manager';
import { buildTestPage } from './print-queue/receipt-builder';

export type DeviceHandlers = Pick<PosHandlers, keyof DevicesOutputs>;

export function createDeviceHandlers(deps: { ctx: CoreContext; devices: DeviceManager; session: Session; staff: StaffService }): DeviceHandlers {
  const { ctx, devices, session, staff } = deps;
  const queue = devices.queue;
  return {
    'devices.list': async () => (session.require(), devices.list()),
    'devices.configure': async ({ config, approval }) => {
      const by = session.require();
      const approver = await staff.approveAsManager(approval);
      await devices.configure(config);
      await appendAudit(ctx.db, ctx, {
        action: 'devices.configure',
        staffId: by.id,
        approvedBy: approver.id,
        subjectType: 'devices',
        subjectId: 'config',
        details: { scanners: config.scanners.map((s) => s.id), printer: config.printer?.connection.transport ?? null },
      });
      return devices.status();
    },
    'devices.status': () => devices.status(),
    'devices.testPrint': async ({ waitMs }) => {
      const by = session.require();
      const printer = queue.printerSettings;
      if (printer === null) {
        throw new DomainError('DEVICE_NOT_CONFIGURED', 'No receipt printer is set up on this till. A manager can set one up under Devices.', {});
      }
      const job = await queue.enqueue({
        kind: 'test',
        document: { type: 'report', report: buildTestPage(ctx, printer, devices.printerTarget() ?? '', by.name) },
        staffId: by.id,
      });
      return queue.waitForJob(job.id, waitMs);
    },
    'devices.testScan': async ({ timeoutMs }) => {
      session.require();
      const scan = await devices.nextScan(timeoutMs);
      const c = classifyScan(scan.raw);
      const detail =
        c.kind === 'member_card' ? `member card (${c.source}) ${maskCardCode(c.code)}` : c.kind === 'product' ? `product barcode ${c.ean13}` : c.message;
      return {
        raw: scan.raw,
        source: scan.source === 'hid-pos' ? 'hid-pos' : 'serial',
        deviceId: scan.deviceId,
        at: new Date(scan.at).toISOString(),
        classified: { kind: c.kind, detail },
      };
    },
    'printer.queue': async ({ limit, states }) => {
      session.require();
      const [status, jobs] = await Promise.all([devices.status(), queue.list(limit, states)]);
      return { printer: status.printer, jobs };
    },
    'printer.reprint': async ({ receiptNo }) => queue.reprint(receiptNo, session.require()),
    'printer.resolveJob': async ({ jobId, action }) => queue.resolve(jobId, action, session.require()),
  };
}
