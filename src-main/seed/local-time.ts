import { businessDateOf } from '../../src-shared/domain/dates';

const DAY_MS = 86_400_000;
const BUCKET_MS = 15 * 60_000; // zone offsets and their changes fall on quarter hours

/**
 * Fast store-local calendar for the seeder: business dates of instants (memoised per quarter
 * hour, computed with the same `businessDateOf` the services use) and the instants at which the
 * store's local days start.
 */
export class LocalCalendar {
  private readonly dates = new Map<number, string>();
  private readonly starts = new Map<string, number>();
  private readonly wall: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.wall = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** The business date (`YYYY-MM-DD`, store time zone) of an instant in epoch milliseconds. */
  dateOf(ms: number): string {
    const bucket = Math.floor(ms / BUCKET_MS);
    let d = this.dates.get(bucket);
    if (d === undefined) {
      d = businessDateOf(new Date(bucket * BUCKET_MS).toISOString(), this.timeZone);
      this.dates.set(bucket, d);
    }
    return d;
  }

  /** Local wall-clock time minus UTC at an instant, in ms. */
  offsetMs(ms: number): number {
    const parts = this.wall.formatToParts(new Date(ms));
    const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? '0');
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return asUtc - Math.floor(ms / 1000) * 1000;
  }

  /** The instant at which local business date `date` (YYYY-MM-DD) starts (offset taken at local noon). */
  dayStartMs(date: string): number {
    let start = this.starts.get(date);
    if (start === undefined) {
      const utcMidnight = Date.parse(`${date}T00:00:00.000Z`);
      start = utcMidnight - this.offsetMs(utcMidnight + DAY_MS / 2);
      this.starts.set(date, start);
    }
    return start;
  }
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
