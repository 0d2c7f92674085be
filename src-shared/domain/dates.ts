import { DomainError } from '../errors/domain-error';
import type { BusinessDate, Instant } from './types';

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

/** Milliseconds since the epoch of an ISO instant; DomainError INVALID_INPUT when unparseable. */
export function instantMs(at: Instant, field = 'instant'): number {
  const ms = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new DomainError('INVALID_INPUT', `${field} is not a valid ISO-8601 instant.`, { field, value: at });
  }
  return ms;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` business date; DomainError INVALID_INPUT when malformed. */
export function dateOrdinal(date: BusinessDate, field = 'date'): number {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (!m) throw new DomainError('INVALID_INPUT', `${field} must be YYYY-MM-DD.`, { field, value: date });
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const check = new Date(0);
  check.setUTCFullYear(y, mo - 1, d);
  const ms = check.getTime();
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new DomainError('INVALID_INPUT', `${field} is not a calendar date.`, { field, value: date });
  }
  return ms / DAY_MS;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        calendar: 'gregory',
        numberingSystem: 'latn',
      });
    } catch {
      throw new DomainError('INVALID_INPUT', 'Unknown time zone.', { timeZone });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The store-local business date (`YYYY-MM-DD`) of an instant, using Intl with an IANA zone. */
export function businessDateOf(at: Instant, timeZone: string): BusinessDate {
  const ms = instantMs(at, 'at');
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const year = get('year').padStart(4, '0');
  return `${year}-${get('month')}-${get('day')}`;
}

/** `YYYY-MM` of a business date. */
export function monthOf(date: BusinessDate): string {
  return date.slice(0, 7);
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const m = typeof month === 'string' ? MONTH_RE.exec(month) : null;
  const y = Number(m?.[1]);
  const mo = Number(m?.[2]);
  if (!m || mo < 1 || mo > 12) {
    throw new DomainError('INVALID_INPUT', 'Month must be YYYY-MM.', { value: month });
  }
  const py = mo === 1 ? y - 1 : y;
  const pm = mo === 1 ? 12 : mo - 1;
  return `${String(py).padStart(4, '0')}-${String(pm).padStart(2, '0')}`;
}

/** Adds calendar months to an instant in UTC; the day is clamped to the month's end (Jan 31 + 1 = Feb 28/29). */
export function addMonths(at: Instant, months: number): Instant {
  if (!Number.isSafeInteger(months)) {
    throw new DomainError('INVALID_INPUT', 'Months must be a whole number.', { months });
  }
  const d = new Date(instantMs(at, 'at'));
  const totalMonths = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  const out = new Date(
    Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()),
  );
  // Date.UTC maps years 0..99 to 1900..1999; set the year explicitly.
  out.setUTCFullYear(year, month, day);
  return out.toISOString();
}

/** Adds whole days (86 400 000 ms each) to an instant. */
export function addDays(at: Instant, days: number): Instant {
  if (!Number.isSafeInteger(days)) {
    throw new DomainError('INVALID_INPUT', 'Days must be a whole number.', { days });
  }
  return new Date(instantMs(at, 'at') + days * DAY_MS).toISOString();
}

/** Whole days from business date `a` to business date `b` (b - a; negative if b is earlier). */
export function daysBetweenDates(a: BusinessDate, b: BusinessDate): number {
  return dateOrdinal(b, 'b') - dateOrdinal(a, 'a');
}
