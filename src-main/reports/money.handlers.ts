import { DomainError } from '../../src-shared/errors/domain-error';
import { findTenderType } from '../../src-shared/tenders/tender-types';
import type { CoreContext } from '../core/context';
import { enqueueReport, type PrintQueue } from '../devices/print-queue';
import { formatLocalTime, terminalLabel } from '../devices/print-queue/receipt-builder';
import { dayReportDoc } from './day-report-doc';
import type { AreaHandlers } from '../core/handlers';
import { checkDaySummary, storedDaySummary, type DaySummaryRow } from '../ledger/day-summary.repo';
import type { DrawerService } from '../ledger/drawer.service';
import type { TenderSettings } from '../ledger/tender-settings';
import type { DayCloseService } from './day-close.service';

type MoneyMethods =
  | 'tenders.config' | 'tenders.setConfig' | 'drawer.status' | 'drawer.open' | 'drawer.payIn' | 'drawer.payOut' | 'drawer.pickup'
  | 'drawer.noSale' | 'drawer.close' | 'reports.x' | 'day.close' | 'reports.zList' | 'reports.checkSummaries' | 'reports.printDay';

export interface MoneyHandlerDeps {
  ctx: CoreContext;
  settings: TenderSettings;
  drawer: DrawerService;
  dayClose: DayCloseService;
  /** The receipt printer's queue (absent in tools that run without devices). */
  printQueue?: PrintQueue | null;
}

/** Taking the money: the store's tenders, the cash drawer session, and closing the day (X and Z). */
export function createMoneyHandlers({ ctx, settings, drawer, dayClose, printQueue = null }: MoneyHandlerDeps): AreaHandlers<MoneyMethods> {
  return {
    'tenders.config': () => settings.dto(),
    'tenders.setConfig': (input, { staff }) => settings.set(input, staff),
    'drawer.status': () => drawer.status(),
    'drawer.open': (input, { staff }) => drawer.open(input, staff),
    'drawer.payIn': ({ approval: _a, ...input }, { staff, approver }) => drawer.move('pay_in', input, staff, approver),
    'drawer.payOut': ({ approval: _a, ...input }, { staff, approver }) => drawer.move('pay_out', input, staff, approver),
    'drawer.pickup': (input, { staff }) => drawer.move('pickup', input, staff, null),
    'drawer.noSale': ({ approval: _a, ...input }, { staff, approver }) => drawer.move('no_sale', input, staff, approver),
    'drawer.close': (input, { staff }) => drawer.close(input, staff),
    'reports.x': () => dayClose.x(),
    'day.close': (input, { staff }) => dayClose.z(input, staff),
    'reports.zList': ({ limit }) => dayClose.list(limit),
    'reports.printDay': async ({ zNo }, { staff: by }) => {
      if (!printQueue) throw new DomainError('DEVICE_NOT_CONFIGURED', 'No receipt printer is set up on this till. Set one up in Settings, or print the page instead.');
      const report = zNo === undefined ? await dayClose.x() : await dayClose.byNumber(zNo);
      const printer = printQueue.printerSettings;
      const language = printer?.language ?? 'zh-Hans';
      const { config } = await settings.get();
      const names = new Map((await ctx.db.selectFrom('staff').select(['id', 'name']).execute()).map((s) => [s.id, s.name]));
      const doc = dayReportDoc(report, {
        language,
        time: formatLocalTime(ctx.now().toISOString(), ctx.timeZone),
        terminal: printer ? terminalLabel(ctx, printer) : ctx.terminalId.slice(-6).toUpperCase(),
        printedBy: by.name,
        headerLines: printer?.headerLines ?? [],
        tenderName: (code) => findTenderType(config, code)?.names[language] ?? code,
        staffName: (id) => names.get(id) ?? id,
      });
      return enqueueReport(printQueue, doc, by.id);
    },
    'reports.checkSummaries': async ({ from = '0000-01-01', to = '9999-12-31' }) => {
      const rows = storedDaySummary(ctx.raw, from, to).length;
      const diff = checkDaySummary(ctx.raw, from, to);
      const numbers = (r: DaySummaryRow | null) =>
        r && { saleCount: r.sale_count, saleMinor: r.sale_minor, refundCount: r.refund_count, refundMinor: r.refund_minor, points: r.points };
      return {
        from,
        to,
        rowsChecked: rows,
        mismatchCount: diff.length,
        mismatches: diff.slice(0, 20).map((d) => {
          const r = (d.expected ?? d.stored)!;
          return { businessDate: r.business_date, dim: r.dim, key: r.key, expected: numbers(d.expected), stored: numbers(d.stored) };
        }),
      };
    },
  };
}
