import type {
  ChurnRiskReportDto,
  EndOfDayDto,
  ExceptionsReportDto,
  MembersReportDto,
  PointsReportDto,
  ReportPeriod,
  SalesReportDto,
} from '../../src-shared/api/contract-reports';
import { businessDateOf } from '../../src-shared/domain/dates';
import { describeError, localError, type UiError } from '../i18n/errors';
import type { SliceCreator } from './types';

export const REPORT_TABS = ['sales', 'points', 'members', 'churn', 'exceptions', 'endOfDay'] as const;
export type ReportTab = (typeof REPORT_TABS)[number];
export const PERIODS: readonly ReportPeriod[] = ['today', 'yesterday', 'week', 'month', 'custom'];

export interface ReportData {
  sales: SalesReportDto | null;
  points: PointsReportDto | null;
  members: MembersReportDto | null;
  churn: ChurnRiskReportDto | null;
  exceptions: ExceptionsReportDto | null;
  endOfDay: EndOfDayDto | null;
}

export interface ReportsState {
  tab: ReportTab;
  period: ReportPeriod;
  /** Custom range (YYYY-MM-DD). */
  from: string;
  to: string;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: UiError | null;
  data: ReportData;
}

export interface ReportsSlice {
  reports: ReportsState;
  reportTabChosen(tab: ReportTab): Promise<void>;
  reportPeriodChosen(period: ReportPeriod, from?: string, to?: string): Promise<void>;
  reportRequested(): Promise<void>;
  /** The end-of-day summary on the receipt printer (the print queue keeps it across restarts). */
  endOfDayPrintRequested(): Promise<void>;
  reportsReset(): void;
}

const EMPTY: ReportData = { sales: null, points: null, members: null, churn: null, exceptions: null, endOfDay: null };
export const initialReports: ReportsState = { tab: 'sales', period: 'today', from: '', to: '', status: 'idle', error: null, data: EMPTY };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The end-of-day summary is for one day: the custom range's last day, yesterday, or today. */
export function endOfDayDate(r: Pick<ReportsState, 'period' | 'to'>, nowMs: number, timeZone: string): string {
  const today = businessDateOf(new Date(nowMs).toISOString(), timeZone);
  if (r.period === 'custom' && DATE.test(r.to)) return r.to;
  if (r.period === 'yesterday') return businessDateOf(new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString(), 'UTC');
  return today;
}

export const createReportsSlice: SliceCreator<ReportsSlice> = ({ api, now }) => (set, get) => {
  const patch = (p: Partial<ReportsState>): void => set({ reports: { ...get().reports, ...p } });
  let ticket = 0;
  return {
    reports: initialReports,
    async reportTabChosen(tab) {
      patch({ tab, error: null });
      await get().reportRequested();
    },
    async reportPeriodChosen(period, from, to) {
      if (period === 'custom') {
        const f = from ?? get().reports.from;
        const t = to ?? get().reports.to;
        if (!DATE.test(f) || !DATE.test(t)) return patch({ period, from: f, to: t, status: 'error', error: localError('reports.customRangeNeeded') });
        if (f > t) return patch({ period, from: f, to: t, status: 'error', error: localError('reports.rangeBackwards') });
        patch({ period, from: f, to: t });
      } else {
        patch({ period });
      }
      await get().reportRequested();
    },
    async reportRequested() {
      const r = get().reports;
      const range = r.period === 'custom' ? { period: r.period, from: r.from, to: r.to } : { period: r.period };
      const mine = ++ticket;
      patch({ status: 'loading', error: null });
      try {
        const data: Partial<ReportData> = {};
        switch (r.tab) {
          case 'sales':
            data.sales = await api['reports.sales'](range);
            break;
          case 'points':
            data.points = await api['reports.points'](range);
            break;
          case 'members':
            data.members = await api['reports.members'](range);
            break;
          case 'churn':
            data.churn = await api['reports.churnRisk']({ silentDays: 90, limit: 50 });
            break;
          case 'exceptions':
            data.exceptions = await api['reports.exceptions'](range);
            break;
          case 'endOfDay':
            data.endOfDay = await api['reports.endOfDay']({ date: endOfDayDate(r, now(), get().terminal.info?.timeZone ?? 'Asia/Shanghai') });
            break;
        }
        if (mine === ticket) patch({ status: 'ready', data: { ...get().reports.data, ...data } });
      } catch (e) {
        if (mine === ticket) patch({ status: 'error', error: describeError(e) });
      }
    },
    async endOfDayPrintRequested() {
      const r = get().reports;
      try {
        const job = await api['reports.printEndOfDay']({ date: endOfDayDate(r, now(), get().terminal.info?.timeZone ?? 'Asia/Shanghai') });
        get().noticeShown('notice.eodPrinted', { state: job.state }, 'success');
      } catch (e) {
        const err = describeError(e);
        get().noticeShown(err.key, err.params, 'warning');
      }
    },
    reportsReset() {
      ticket++;
      set({ reports: initialReports });
    },
  };
};
