/**
 * The devices area of the PosApi: device lists and configuration, status, test print and test
 * scan, the print queue, reprints and the cashier's decisions on jobs that need checking.
 */
import type { DevicesOutputs } from '../../src-shared/api/contract-devices';
import { classifyScan } from '../../src-shared/cards/classify';
import { maskCardCode } from '../../src-shared/privacy/mask';
import { DomainError } from '../../src-shared/errors/domain-error';
import { appendAudit } from '../core/audit.repo';
import type { CoreContext } from '../core/context';
import type { AreaHandlers } from '../core/handlers';
import type { DeviceManager } from './device-manager';
import { buildTestPage } from './print-queue/receipt-builder';

export type DeviceHandlers = AreaHandlers<keyof DevicesOutputs>;

export function createDeviceHandlers({ ctx, devices }: { ctx: CoreContext; devices: DeviceManager }): DeviceHandlers {
  const queue = devices.queue;
  return {
    'devices.list': () => devices.list(),
    'devices.configure': async ({ config }, { staff: by, approver }) => {
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
    'devices.testPrint': async ({ waitMs }, { staff: by }) => {
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
      const [status, jobs] = await Promise.all([devices.status(), queue.list(limit, states)]);
      return { printer: status.printer, jobs };
    },
    'printer.reprint': ({ receiptNo }, { staff }) => queue.reprint(receiptNo, staff),
    'printer.resolveJob': ({ jobId, action }, { staff }) => queue.resolve(jobId, action, staff),
  };
}
