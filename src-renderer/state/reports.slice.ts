import type {
  ChurnRiskReportDto,
  EndOfDayDto,
  ExceptionsReportDto,
  MembersReportDto,
  PointsReportDto,
  ReportPeriod,
  SalesReportDto,
} from '../../src-shared/api/contract-reports';
import type { DayReportDto, ZReportDto } from '../../src-shared/api/contract-money';
import { businessDateOf } from '../../src-shared/domain/dates';
import { describeError, isLinkFailure, localError, type UiError } from '../i18n/errors';
import type { SliceCreator } from './types';

export const REPORT_TABS = ['sales', 'points', 'members', 'churn', 'exceptions', 'endOfDay', 'day', 'zReports'] as const;
export type ReportTab = (typeof REPORT_TABS)[number];
export const PERIODS: readonly ReportPeriod[] = ['today', 'yesterday', 'week', 'month', 'custom'];

export interface ReportData {
  sales: SalesReportDto | null;
  points: PointsReportDto | null;
  members: MembersReportDto | null;
  churn: ChurnRiskReportDto | null;
  exceptions: ExceptionsReportDto | null;
  endOfDay: EndOfDayDto | null;
  /** The X report: the business day so far. */
  day: DayReportDto | null;
  /** The till's Z reports, newest first. */
  zList: ZReportDto[] | null;
}

/** Closing the day: asked for (confirm), being made; the Z shown (just made, or picked from the list). */
export interface DayCloseState {
  confirming: boolean;
  sending: boolean;
  /** The Z's idempotency key: kept until the Z is confirmed, so a retry after a lost answer cannot close twice. */
  key: string;
  error: UiError | null;
  shown: ZReportDto | null;
}

/** Tabs that report on the business day (X) or list the Z reports: no period to choose. */
export function tabHasPeriod(tab: ReportTab): boolean {
  return tab !== 'day' && tab !== 'zReports';
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
  dayClose: DayCloseState;
}

export interface ReportsSlice {
  reports: ReportsState;
  reportTabChosen(tab: ReportTab): Promise<void>;
  reportPeriodChosen(period: ReportPeriod, from?: string, to?: string): Promise<void>;
  reportRequested(): Promise<void>;
  /** The end-of-day summary on the receipt printer (the print queue keeps it across restarts). */
  endOfDayPrintRequested(): Promise<void>;
  reportsReset(): void;
  /** "Close the day (Z)": asks to confirm first. */
  dayCloseRequested(): void;
  dayCloseCancelled(): void;
  /** Confirmed: the Z is made (numbered, immutable) and shown with its number. */
  dayCloseConfirmed(): Promise<void>;
  /** A Z from the list, shown in full. */
  zReportShown(zNo: number | null): void;
}

const EMPTY: ReportData = { sales: null, points: null, members: null, churn: null, exceptions: null, endOfDay: null, day: null, zList: null };
const NO_DAY_CLOSE: DayCloseState = { confirming: false, sending: false, key: '', error: null, shown: null };
export const initialReports: ReportsState = { tab: 'sales', period: 'today', from: '', to: '', status: 'idle', error: null, data: EMPTY, dayClose: NO_DAY_CLOSE };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The end-of-day summary is for one day: the custom range's last day, yesterday, or today. */
export function endOfDayDate(r: Pick<ReportsState, 'period' | 'to'>, nowMs: number, timeZone: string): string {
  const today = businessDateOf(new Date(nowMs).toISOString(), timeZone);
  if (r.period === 'custom' && DATE.test(r.to)) return r.to;
  if (r.period === 'yesterday') return businessDateOf(new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString(), 'UTC');
  return today;
}

export const createReportsSlice: SliceCreator<ReportsSlice> = ({ api, now, newKey }) => (set, get) => {
  const patch = (p: Partial<ReportsState>): void => set({ reports: { ...get().reports, ...p } });
  const patchClose = (p: Partial<DayCloseState>): void => patch({ dayClose: { ...get().reports.dayClose, ...p } });
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
          case 'day':
            data.day = await api['reports.x']({});
            break;
          case 'zReports':
            data.zList = await api['reports.zList']({ limit: 30 });
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
    dayCloseRequested() {
      const d = get().reports.dayClose;
      if (d.sending) return;
      // A key kept from a Z whose answer was lost is used again: the core answers with that Z.
      patchClose({ confirming: true, error: null, key: d.key || newKey() });
    },
    dayCloseCancelled() {
      if (get().reports.dayClose.sending) return;
      patchClose({ confirming: false, error: null });
    },
    async dayCloseConfirmed() {
      const d = get().reports.dayClose;
      if (d.sending || !d.confirming) return;
      patchClose({ sending: true, error: null });
      try {
        const z = await api['day.close']({ idempotencyKey: d.key });
        patchClose({ confirming: false, sending: false, key: '', shown: z });
        get().noticeShown('notice.dayClosed', { zNo: z.zNo ?? 0 }, 'success');
        patch({ tab: 'zReports' });
        await get().reportRequested();
      } catch (e) {
        // Refused (a drawer still open, the day already closed): nothing was made, the next try is a new Z.
        patchClose({ sending: false, error: describeError(e), ...(isLinkFailure(e) ? {} : { key: newKey() }) });
      }
    },
    zReportShown(zNo) {
      const z = zNo === null ? null : (get().reports.data.zList?.find((x) => x.zNo === zNo) ?? null);
      patchClose({ shown: z });
    },
  };
};
