import type { ReportPeriod, ReportRangeDto } from '../../src-shared/api/contract-reports';
import { MAX_REPORT_DAYS } from '../../src-shared/api/contract-reports';
import { businessDateOf, dateOrdinal, daysBetweenDates } from '../../src-shared/domain/dates';
import { DomainError } from '../../src-shared/errors/domain-error';

/**
 * Report ranges: business dates in the store's time zone, and the UTC instants that bound them
 * (for tables keyed by instant, such as the audit log and registrations).
 */

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function dateOfOrdinal(n: number): string {
  const d = new Date(n * DAY_MS);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

export function addDaysToDate(date: string, days: number): string {
  return dateOfOrdinal(dateOrdinal(date) + days);
}

/** Monday of the ISO week that holds `date`. */
export function mondayOf(date: string): string {
  const n = dateOrdinal(date);
  const weekday = (new Date(n * DAY_MS).getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  return dateOfOrdinal(n - weekday);
}

/** The business dates a period covers, as of `today`. */
export function resolvePeriod(period: ReportPeriod, today: string, custom: { from?: string; to?: string }): { from: string; to: string } {
  switch (period) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const y = addDaysToDate(today, -1);
      return { from: y, to: y };
    }
    case 'week':
      return { from: mondayOf(today), to: today };
    case 'month':
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case 'custom': {
      if (!custom.from || !custom.to) throw new DomainError('INVALID_INPUT', 'A custom range needs a first and a last day.', { field: 'from' });
      // dateOrdinal also rejects dates that do not exist (2026-02-30).
      dateOrdinal(custom.from, 'from');
      dateOrdinal(custom.to, 'to');
      if (custom.from > custom.to) throw new DomainError('INVALID_INPUT', 'The first day is after the last day.', { field: 'to' });
      const days = daysBetweenDates(custom.from, custom.to) + 1;
      if (days > MAX_REPORT_DAYS) {
        throw new DomainError('INVALID_INPUT', `A report covers at most ${MAX_REPORT_DAYS} days.`, { field: 'from', days, max: MAX_REPORT_DAYS });
      }
      return { from: custom.from, to: custom.to };
    }
  }
}

/** Local time minus UTC, in milliseconds, at instant `ms` in `timeZone`. */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(ms / 1000) * 1000;
}

/** The UTC instant (ms) at which business date `date` starts in `timeZone` (local midnight). */
export function startOfBusinessDate(date: string, timeZone: string): number {
  const utcMidnight = dateOrdinal(date) * DAY_MS;
  const first = utcMidnight - zoneOffsetMs(utcMidnight, timeZone);
  const second = utcMidnight - zoneOffsetMs(first, timeZone);
  return second;
}

export interface ResolvedRange extends ReportRangeDto {
  /** [startMs, endMs): the instants of the range in the store's time zone. */
  startIso: string;
  endIso: string;
}

export function resolveRange(
  input: { period: ReportPeriod; from?: string; to?: string },
  env: { now: Date; timeZone: string; currency: string },
): ResolvedRange {
  const today = businessDateOf(env.now.toISOString(), env.timeZone);
  const { from, to } = resolvePeriod(input.period, today, input);
  return {
    period: input.period,
    from,
    to,
    days: daysBetweenDates(from, to) + 1,
    timeZone: env.timeZone,
    currency: env.currency,
    generatedAt: env.now.toISOString(),
    startIso: new Date(startOfBusinessDate(from, env.timeZone)).toISOString(),
    endIso: new Date(startOfBusinessDate(addDaysToDate(to, 1), env.timeZone)).toISOString(),
  };
}

/** The public part of a resolved range. */
export function rangeDto(r: ResolvedRange): ReportRangeDto {
  return { period: r.period, from: r.from, to: r.to, days: r.days, timeZone: r.timeZone, currency: r.currency, generatedAt: r.generatedAt };
}

/** Every date from `from` to `to`, inclusive. */
export function datesOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let n = dateOrdinal(from); n <= dateOrdinal(to); n++) out.push(dateOfOrdinal(n));
  return out;
}
