import { DomainError } from '../errors/domain-error';
import type { BusinessDate, Instant } from './types';

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

/**
 * Milliseconds since the epoch of an ISO instant; DomainError INVALID_INPUT when unparseable.
 * `field` names it in the error (a function, when the name is costly to build and rarely needed).
 */
export function instantMs(at: Instant, field: string | (() => string) = 'instant'): number {
  const ms = typeof at === 'string' ? (canonicalIsoMs(at) ?? Date.parse(at)) : Number.NaN;
  if (!Number.isFinite(ms)) {
    const name = typeof field === 'function' ? field() : field;
    throw new DomainError('INVALID_INPUT', `${name} is not a valid ISO-8601 instant.`, { field: name, value: at });
  }
  return ms;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `YYYY-MM-DDTHH:mm:ss.sssZ`, the form every stored instant has (Date#toISOString), read
 * directly, much faster than Date.parse (lots and velocity windows read hundreds per
 * checkout). Anything else, including a day the month does not have or a year before 100 (which
 * Date.UTC reads as 19xx), is left to Date.parse (null).
 */
export function canonicalIsoMs(s: string): number | null {
  if (s.length !== 24 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return null;
  if (s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const milli = digits(s, 20, 3);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]! || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0) {
    return null;
  }
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, milli);
}

/** The decimal number in s[from, from + count), or -1 if any of it is not a digit. */
function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
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

const QUARTER_HOUR_MS = 15 * 60_000;
/** The last answer per zone, by quarter hour: every zone's offset, and every change of it, falls on a quarter hour. */
const lastBusinessDate = new Map<string, { quarter: number; date: BusinessDate }>();

/** The store-local business date (`YYYY-MM-DD`) of an instant, using Intl with an IANA zone. */
export function businessDateOf(at: Instant, timeZone: string): BusinessDate {
  const ms = instantMs(at, 'at');
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  const last = lastBusinessDate.get(timeZone);
  if (last !== undefined && last.quarter === quarter) return last.date;
  const date = localDateOf(ms, timeZone);
  lastBusinessDate.set(timeZone, { quarter, date });
  return date;
}

function localDateOf(ms: number, timeZone: string): BusinessDate {
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
