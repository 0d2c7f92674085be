import { useCallback, useState } from 'react';
import type { ReportPeriod } from '../../../src-shared/api/contract-reports';
import type { ZReportDto } from '../../../src-shared/api/contract-money';
import { BarChart, LineChart } from '../../components/Charts';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { ErrorText, StatusText } from '../../components/Messages';
import type { MessageKey } from '../../i18n/messages/en';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../state/context';
import { PERIODS, REPORT_TABS, tabHasPeriod, type ReportData, type ReportTab } from '../../state/reports.slice';
import { tenderName } from '../../state/money.slice';
import type { Translate } from '../../i18n';
import { categoryKey } from '../checkout/categories';
import { downloadCsv } from './download';
import {
  churnTables,
  dayReportTables,
  zListTable,
  type DayReportNames,
  endOfDayTables,
  exceptionsTables,
  membersTables,
  pointsTables,
  renderCell,
  RFM_KEYS,
  salesTables,
  tableToCsv,
  TIER_KEYS,
  type Table,
} from './report-view';

const TAB_KEYS: Record<ReportTab, MessageKey> = {
  sales: 'reports.tab.sales',
  points: 'reports.tab.points',
  members: 'reports.tab.members',
  churn: 'reports.tab.churn',
  exceptions: 'reports.tab.exceptions',
  endOfDay: 'reports.tab.endOfDay',
  day: 'reports.tab.day',
  zReports: 'reports.tab.zReports',
};
const PERIOD_KEYS: Record<ReportPeriod, MessageKey> = {
  today: 'reports.period.today',
  yesterday: 'reports.period.yesterday',
  week: 'reports.period.week',
  month: 'reports.period.month',
  custom: 'reports.period.custom',
};

/** The manager's reports: a period, a report, charts where looking beats reading, tables, CSV, print. */
export function ReportsScreen() {
  const { t, fmt, locale } = useI18n();
  const r = useAppStore((s) => s.reports);
  const config = useAppStore((s) => s.money.config);
  const staffList = useAppStore((s) => s.session.staffList);
  const requestClose = useAppStore((s) => s.dayCloseRequested);
  const showZ = useAppStore((s) => s.zReportShown);
  const chooseTab = useAppStore((s) => s.reportTabChosen);
  const choosePeriod = useAppStore((s) => s.reportPeriodChosen);
  const refresh = useAppStore((s) => s.reportRequested);
  const printEod = useAppStore((s) => s.endOfDayPrintRequested);
  const [from, setFrom] = useState(r.from);
  const [to, setTo] = useState(r.to);
  const category = useCallback(
    (c: string) => {
      const k = categoryKey(c);
      return k ? t(k) : c;
    },
    [t],
  );

  const names: DayReportNames = {
    tender: (code) => tenderName(config, code, locale),
    staff: (id) => (id ? (staffList.find((x) => x.id === id)?.name ?? r.data.day?.staff.find((x) => x.staffId === id)?.name ?? id.slice(-6)) : '—'),
  };
  const tables = tablesFor(r.tab, r.data, t, category, names, r.dayClose.shown);
  const rangeText = rangeOf(r.tab, r.data);

  return (
    <div className="reports">
      <div className="reports-toolbar">
        <div role="tablist" aria-label={t('reports.title')} className="tabs">
          {REPORT_TABS.map((tab) => (
            <button key={tab} role="tab" type="button" aria-selected={r.tab === tab} onClick={() => void chooseTab(tab)}>
              {t(TAB_KEYS[tab])}
            </button>
          ))}
        </div>
        {tabHasPeriod(r.tab) && (
          <div className="periods" role="group" aria-label={t('reports.period')}>
            {PERIODS.filter((p) => p !== 'custom').map((p) => (
              <button key={p} type="button" aria-pressed={r.period === p} onClick={() => void choosePeriod(p)}>
                {t(PERIOD_KEYS[p])}
              </button>
            ))}
            <form
              className="custom-range"
              onSubmit={(e) => {
                e.preventDefault();
                void choosePeriod('custom', from, to);
              }}
            >
              <label className="field compact">
                <span>{t('reports.from')}</span>
                <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
              </label>
              <label className="field compact">
                <span>{t('reports.to')}</span>
                <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
              </label>
              <button type="submit" aria-pressed={r.period === 'custom'}>
                {t('reports.period.custom')}
              </button>
            </form>
          </div>
        )}
        <div className="button-row">
          <Button onClick={() => void refresh()}>{t('reports.refresh')}</Button>
          <Button
            onClick={() => downloadCsv(`tillsmith-${r.tab}-${rangeText.replace(/[^\d-]+/g, '_') || 'report'}.csv`, tableToCsv(tables, fmt.minorDigits))}
            disabled={tables.length === 0}
            data-testid="csv-export"
          >
            {t('reports.csv')}
          </Button>
          <Button onClick={() => window.print()} disabled={tables.length === 0}>
            {t('reports.print')}
          </Button>
          {r.tab === 'endOfDay' && (
            <Button onClick={() => void printEod()} disabled={!r.data.endOfDay} data-testid="eod-receipt-print">
              {t('reports.eod.printReceipt')}
            </Button>
          )}
          {r.tab === 'day' && (
            <Button tone="danger" onClick={requestClose} disabled={!r.data.day} data-testid="day-close">
              {t('day.close')}
            </Button>
          )}
        </div>
      </div>

      <section className="panel report-body" role="tabpanel" aria-label={t(TAB_KEYS[r.tab])} aria-busy={r.status === 'loading'} data-testid={`report-${r.tab}`}>
        <header className="print-header">
          <h2>{t(TAB_KEYS[r.tab])}</h2>
          {rangeText && <p className="muted" data-testid="report-range">{rangeText}</p>}
        </header>
        {r.status === 'loading' && <StatusText>{t('reports.loading')}</StatusText>}
        {r.error && <ErrorText testId="report-error">{t(r.error.key, r.error.params)}</ErrorText>}
        {r.status !== 'loading' && !r.error && <Charts tab={r.tab} />}
        {r.tab === 'day' && r.data.day && <p className="muted small">{t('day.xNote', { date: fmt.date(r.data.day.businessDate) })}</p>}
        {r.tab === 'zReports' && r.data.zList && r.data.zList.length > 0 && (
          <ul className="chips z-chips" aria-label={t('day.zList')}>
            {r.data.zList.map((z) => (
              <li key={z.id}>
                <button type="button" className="chip" aria-pressed={r.dayClose.shown?.zNo === z.zNo} onClick={() => showZ(r.dayClose.shown?.zNo === z.zNo ? null : z.zNo)} data-testid={`z-chip-${z.zNo}`}>
                  {t('day.zChip', { zNo: z.zNo ?? 0, date: fmt.date(z.businessDate) })}
                </button>
              </li>
            ))}
          </ul>
        )}
        {r.tab === 'zReports' && r.dayClose.shown && (
          <h3 data-testid="z-shown">{t('day.zTitle', { zNo: r.dayClose.shown.zNo ?? 0, date: fmt.date(r.dayClose.shown.businessDate) })}</h3>
        )}
        {tables.map((tb) => (
          <ReportTable key={tb.id} table={tb} />
        ))}
        {r.tab === 'exceptions' && r.data.exceptions && <p className="muted small">{t('exceptions.refusedNote')}</p>}
        {r.tab === 'members' && r.data.members && <p className="muted small">{t('reports.members.clvNote')}</p>}
        {r.tab === 'endOfDay' && r.data.endOfDay && <p className="muted small">{t('reports.eod.printNote')}</p>}
      </section>
      <DayCloseDialog />
    </div>
  );

  function rangeOf(tab: ReportTab, d: ReportData): string {
    const range =
      tab === 'sales' ? d.sales?.range : tab === 'points' ? d.points?.range : tab === 'members' ? d.members?.range : tab === 'exceptions' ? d.exceptions?.range : null;
    if (range) return range.from === range.to ? fmt.date(range.from) : `${fmt.date(range.from)} – ${fmt.date(range.to)}`;
    if (tab === 'endOfDay' && d.endOfDay) return `${d.endOfDay.storeName} · ${fmt.date(d.endOfDay.date)}`;
    if (tab === 'churn' && d.churn) return fmt.date(d.churn.asOf);
    if (tab === 'day' && d.day) return `${d.day.storeName} · ${fmt.date(d.day.businessDate)}`;
    return '';
  }
}

/** "Close the day (Z)": what it means, then the Z itself (numbered, immutable, once per day). */
function DayCloseDialog() {
  const { t, fmt } = useI18n();
  const d = useAppStore((s) => s.reports.dayClose);
  const day = useAppStore((s) => s.reports.data.day);
  const confirm = useAppStore((s) => s.dayCloseConfirmed);
  const cancel = useAppStore((s) => s.dayCloseCancelled);
  if (!d.confirming) return null;
  return (
    <Dialog title={t('day.confirmTitle')} onClose={cancel} className="day-close-dialog">
      <p className="approval-purpose" data-testid="day-close-text">
        {t('day.confirmText', { date: day ? fmt.date(day.businessDate) : '' })}
      </p>
      {d.error && <ErrorText testId="day-close-error">{t(d.error.key, d.error.params)}</ErrorText>}
      <form
        className="button-row"
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        <Button type="submit" tone="danger" shortcut="Enter" disabled={d.sending} data-autofocus data-testid="day-close-confirm">
          {d.sending ? t('day.closing') : t('day.close')}
        </Button>
        <Button onClick={cancel} shortcut="Esc" disabled={d.sending}>
          {t('common.cancel')}
        </Button>
      </form>
    </Dialog>
  );
}

function tablesFor(tab: ReportTab, d: ReportData, t: Translate, category: (c: string) => string, names: DayReportNames, shownZ: ZReportDto | null): Table[] {
  switch (tab) {
    case 'day':
      return d.day ? dayReportTables(d.day, t, names) : [];
    case 'zReports':
      return d.zList ? [...(shownZ ? dayReportTables(shownZ, t, names) : []), zListTable(d.zList, t, names)] : [];
    case 'sales':
      return d.sales ? salesTables(d.sales, t, category) : [];
    case 'points':
      return d.points ? pointsTables(d.points, t) : [];
    case 'members':
      return d.members ? membersTables(d.members, t) : [];
    case 'churn':
      return d.churn ? churnTables(d.churn, t) : [];
    case 'exceptions':
      return d.exceptions ? exceptionsTables(d.exceptions, t) : [];
    case 'endOfDay':
      return d.endOfDay ? endOfDayTables(d.endOfDay, t) : [];
  }
}

function ReportTable({ table }: { table: Table }) {
  const { t, fmt } = useI18n();
  return (
    <table className="report-table" aria-label={table.title} data-testid={`table-${table.id}`}>
      <caption>{table.title}</caption>
      <thead>
        <tr>
          {table.columns.map((c, i) => (
            <th key={`${c}-${i}`} scope="col" className={i > 0 ? 'num' : undefined}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.length === 0 ? (
          <tr>
            <td colSpan={table.columns.length} className="muted">
              {t('reports.empty')}
            </td>
          </tr>
        ) : (
          table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((c, j) => (
                <td key={j} className={(c.kind !== 'text' && c.kind !== 'date' && c.kind !== 'datetime') || (table.columns.length === 2 && j === 1) ? 'num' : undefined}>
                  {renderCell(c, fmt)}
                </td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

function Charts({ tab }: { tab: ReportTab }) {
  const { t, fmt } = useI18n();
  const d = useAppStore((s) => s.reports.data);
  const money = (v: number): string => fmt.money(Math.round(v));
  const count = (v: number): string => fmt.number(Math.round(v));
  const moneyTick = (v: number): string => fmt.moneyCompact(Math.round(v));
  const countTick = (v: number): string => fmt.numberCompact(Math.round(v));
  if (tab === 'sales' && d.sales) {
    const s = d.sales;
    return (
      <div className="charts">
        <BarChart
          title={t('reports.sales.byDay')}
          labels={s.byDay.map((x) => fmt.dayShort(x.date))}
          series={[
            { name: t('reports.sales.paid'), values: s.byDay.map((x) => x.paidMinor) },
            { name: t('reports.sales.memberPaid'), values: s.byDay.map((x) => x.memberPaidMinor) },
          ]}
          format={money}
          tick={moneyTick}
        />
        <BarChart
          title={t('reports.sales.byCategory')}
          labels={s.byCategory.map((c) => {
            const k = categoryKey(c.category);
            return k ? t(k) : c.category;
          })}
          series={[{ name: t('reports.sales.paid'), values: s.byCategory.map((c) => c.paidMinor) }]}
          format={money}
          tick={moneyTick}
        />
      </div>
    );
  }
  if (tab === 'points' && d.points) {
    const p = d.points;
    return (
      <div className="charts">
        <LineChart
          title={t('reports.points.byDay')}
          labels={p.byDay.map((x) => fmt.dayShort(x.date))}
          series={[
            { name: t('reports.points.issued'), values: p.byDay.map((x) => x.issued) },
            { name: t('reports.points.redeemed'), values: p.byDay.map((x) => x.redeemed) },
            { name: t('reports.points.expired'), values: p.byDay.map((x) => x.expired) },
          ]}
          format={count}
          tick={countTick}
        />
        <BarChart
          title={t('reports.points.liabilityByTier')}
          labels={p.liability.byTier.map((x) => t(TIER_KEYS[x.tier]!))}
          series={[{ name: t('reports.points.liabilityValue'), values: p.liability.byTier.map((x) => x.valueMinor) }]}
          format={money}
          tick={moneyTick}
        />
      </div>
    );
  }
  if (tab === 'members' && d.members) {
    const m = d.members;
    return (
      <div className="charts">
        <BarChart title={t('reports.members.tiers')} labels={m.tiers.map((x) => t(TIER_KEYS[x.tier]!))} series={[{ name: t('reports.members.count'), values: m.tiers.map((x) => x.members) }]} format={count} tick={countTick} />
        <BarChart
          title={t('reports.members.rfm', { days: m.rfm.windowDays })}
          labels={m.rfm.segments.map((s) => t(RFM_KEYS[s.segment]))}
          series={[{ name: t('reports.members.count'), values: m.rfm.segments.map((s) => s.members) }]}
          format={count}
          tick={countTick}
        />
      </div>
    );
  }
  return null;
}
