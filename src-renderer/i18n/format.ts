/**
 * Numbers, money, points, percentages and dates through Intl, in the screen's language.
 * Money arrives as integer minor units and is turned into a decimal string (never a float) before
 * Intl formats it; input typed by the cashier is parsed back to minor units the same way.
 */
export type Locale = 'zh-Hans' | 'zh-Hant' | 'en';

/** The BCP 47 tags Intl gets for each screen language. */
export const INTL_LOCALE: Record<Locale, string> = { 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW', en: 'en-US' };

export interface Formatter {
  locale: Locale;
  money(minor: number): string;
  /** Money without the currency sign (tables, inputs). */
  amount(minor: number): string;
  points(n: number): string;
  number(n: number): string;
  /** Basis points (10000 = 100%) as a percentage with one decimal. */
  percentBp(bp: number): string;
  /** `YYYY-MM-DD` business date, or an ISO instant shown as a date in the store's time zone. */
  date(value: string): string;
  dateTime(iso: string): string;
  time(iso: string): string;
  /** Short month + day for chart axes. */
  dayShort(date: string): string;
  /** Compact money and numbers for chart axes (¥12K, 1.2万). */
  moneyCompact(minor: number): string;
  numberCompact(n: number): string;
  minorDigits: number;
}

const cache = new Map<string, Formatter>();

/** The number of decimals the currency uses (2 for CNY, 0 for JPY). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** 12345 with 2 digits -> "123.45"; -5 -> "-0.05". Exact for any safe integer. */
export function minorToDecimalString(minor: number, digits: number): string {
  const negative = minor < 0;
  const abs = Math.abs(Math.trunc(minor)).toString();
  if (digits === 0) return `${negative ? '-' : ''}${abs}`;
  const padded = abs.padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/**
 * What the cashier typed ("12", "12.5", "12.50", "1,234.5", "¥8") as minor units; null when it is
 * not an amount or has more decimals than the currency allows.
 */
export function parseMoneyInput(text: string, digits: number): number | null {
  const cleaned = text.trim().replace(/[\s,，]/g, '').replace(/^[¥￥$€£]|^(CN¥|HK\$|NT\$)/, '').replace(/。/g, '.');
  const m = /^(\d{1,12})(?:[.．](\d*))?$/.exec(cleaned);
  if (!m) return null;
  const whole = m[1]!;
  const frac = m[2] ?? '';
  if (frac.length > digits) return null;
  const minor = Number(whole) * 10 ** digits + (frac === '' ? 0 : Number(frac.padEnd(digits, '0')));
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Whole points typed by the cashier; null when not a whole non-negative number. */
export function parsePointsInput(text: string): number | null {
  const cleaned = text.trim().replace(/[\s,，]/g, '');
  if (!/^\d{1,9}$/.test(cleaned)) return null;
  return Number(cleaned);
}

export function createFormatter(locale: Locale, currency: string, timeZone: string): Formatter {
  const key = `${locale}|${currency}|${timeZone}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const tag = INTL_LOCALE[locale];
  const digits = currencyDigits(currency);
  const moneyFmt = new Intl.NumberFormat(tag, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  const amountFmt = new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const intFmt = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  const pctFmt = new Intl.NumberFormat(tag, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const dateFmt = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const dayShortFmt = new Intl.DateTimeFormat(tag, { month: 'numeric', day: 'numeric', timeZone: 'UTC' });
  const instantDateFmt = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'short', day: 'numeric', timeZone });
  const dateTimeFmt = new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, hourCycle: 'h23' });
  const timeFmt = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone, hourCycle: 'h23' });
  const moneyCompactFmt = new Intl.NumberFormat(tag, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 });
  const numberCompactFmt = new Intl.NumberFormat(tag, { notation: 'compact', maximumFractionDigits: 1 });
  const asDecimal = (minor: number): Intl.StringNumericLiteral => minorToDecimalString(minor, digits) as Intl.StringNumericLiteral;
  const businessDate = (value: string): Date | null => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  };
  const f: Formatter = {
    locale,
    minorDigits: digits,
    money: (minor) => moneyFmt.format(asDecimal(minor)),
    amount: (minor) => amountFmt.format(asDecimal(minor)),
    points: (n) => intFmt.format(n),
    number: (n) => intFmt.format(n),
    percentBp: (bp) => pctFmt.format(bp / 10000),
    date: (value) => {
      const d = businessDate(value);
      if (d) return dateFmt.format(d);
      const ms = Date.parse(value);
      return Number.isFinite(ms) ? instantDateFmt.format(new Date(ms)) : value;
    },
    dateTime: (iso) => {
      const ms = Date.parse(iso);
      return Number.isFinite(ms) ? dateTimeFmt.format(new Date(ms)) : iso;
    },
    time: (iso) => {
      const ms = Date.parse(iso);
      return Number.isFinite(ms) ? timeFmt.format(new Date(ms)) : iso;
    },
    moneyCompact: (minor) => moneyCompactFmt.format(asDecimal(minor)),
    numberCompact: (n) => numberCompactFmt.format(n),
    dayShort: (date) => {
      const d = businessDate(date);
      return d ? dayShortFmt.format(d) : date;
    },
  };
  cache.set(key, f);
  return f;
}
