import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  businessDateOf,
  canonicalIsoMs,
  daysBetweenDates,
  instantMs,
  monthOf,
  previousMonth,
} from '../../../src-shared/domain/dates';
import { expectDomainError } from './fixtures';

describe('businessDateOf', () => {
  it('uses the store time zone, not UTC', () => {
    // 16:30 UTC is 00:30 the next day in Shanghai (UTC+8).
    expect(businessDateOf('2026-11-22T16:30:00.000Z', 'Asia/Shanghai')).toBe('2026-11-23');
    expect(businessDateOf('2026-11-22T15:59:59.999Z', 'Asia/Shanghai')).toBe('2026-11-22');
    expect(businessDateOf('2026-11-22T16:30:00.000Z', 'UTC')).toBe('2026-11-22');
    expect(businessDateOf('2026-01-01T03:00:00.000Z', 'America/New_York')).toBe('2025-12-31');
  });

  it('rejects bad instants and zones', () => {
    expectDomainError(() => businessDateOf('yesterday', 'UTC'), 'INVALID_INPUT');
    expectDomainError(() => businessDateOf('2026-11-22T00:00:00Z', 'Mars/Olympus_Mons'), 'INVALID_INPUT');
  });
});

describe('businessDateOf over a running clock', () => {
  /** The local date straight from Intl, with no memo: what businessDateOf must always answer. */
  const formats = new Map<string, Intl.DateTimeFormat>();
  const intlDate = (ms: number, timeZone: string): string => {
    if (!formats.has(timeZone)) formats.set(timeZone, new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }));
    const parts = formats.get(timeZone)!.formatToParts(new Date(ms));
    const get = (type: string) => parts.find((p) => p.type === type)!.value;
    return `${get('year')}-${get('month')}-${get('day')}`;
  };
  // Zones with whole-hour, half-hour (Lord Howe's DST moves by 30 min) and 45-minute offsets.
  const zones = ['Asia/Shanghai', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'Europe/London'];

  it('answers what Intl answers every 5 minutes around local midnight and DST changes', () => {
    for (const timeZone of zones) {
      // Through the 2026 DST changes of both hemispheres, 5 minutes at a time (every quarter hour included).
      for (const day of ['2026-03-08', '2026-03-29', '2026-04-05', '2026-10-04', '2026-11-01', '2026-12-31']) {
        const start = Date.parse(`${day}T00:00:00.000Z`) - 86_400_000;
        for (let ms = start; ms < start + 2 * 86_400_000; ms += 5 * 60_000) {
          expect(businessDateOf(new Date(ms).toISOString(), timeZone)).toBe(intlDate(ms, timeZone));
        }
      }
    }
  });

  it('answers what Intl answers for instants in any order, across zones', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') }), fc.constantFrom(...zones)), { maxLength: 20 }), (calls) => {
        for (const [ms, timeZone] of calls) expect(businessDateOf(new Date(ms).toISOString(), timeZone)).toBe(intlDate(ms, timeZone));
      }),
    );
  });
});

describe('instantMs', () => {
  it('reads canonical instants exactly as Date.parse does', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString();
        expect(canonicalIsoMs(iso)).toBe(Date.parse(iso));
        expect(instantMs(iso)).toBe(d.getTime());
      }),
    );
  });

  it('agrees with Date.parse on near-misses: a changed character, a day the month lacks, another form', () => {
    const base = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    fc.assert(
      fc.property(base, fc.nat(23), fc.constantFrom('0', '9', '3', '-', ':', 'T', 'Z', '.', ' ', 'x'), (iso, at, c) => {
        const s = iso.slice(0, at) + c + iso.slice(at + 1);
        const fast = canonicalIsoMs(s);
        // Where the fast path answers, it answers what Date.parse does; otherwise Date.parse decides.
        if (fast !== null) expect(fast).toBe(Date.parse(s));
        const parsed = Date.parse(s);
        if (Number.isFinite(parsed)) expect(instantMs(s)).toBe(parsed);
        else expectDomainError(() => instantMs(s), 'INVALID_INPUT');
      }),
    );
    for (const s of ['2026-02-29T00:00:00.000Z', '2024-02-30T00:00:00.000Z', '2026-04-31T12:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-11-22T24:00:00.000Z']) {
      expect(canonicalIsoMs(s)).toBeNull();
    }
    expect(canonicalIsoMs('2024-02-29T23:59:59.999Z')).toBe(Date.parse('2024-02-29T23:59:59.999Z'));
    expect(canonicalIsoMs('2026-11-22T08:00:00+08:00')).toBeNull();
    expect(instantMs('2026-11-22T08:00:00+08:00')).toBe(Date.parse('2026-11-22T00:00:00.000Z'));
  });

  it('names the field in its error, building the name only when it fails', () => {
    let built = 0;
    const name = () => {
      built++;
      return 'fact abc at';
    };
    expect(instantMs('2026-11-22T00:00:00.000Z', name)).toBe(Date.parse('2026-11-22T00:00:00.000Z'));
    expect(built).toBe(0);
    expect(() => instantMs('soon', name)).toThrow(/fact abc at is not a valid ISO-8601 instant/);
    expect(built).toBe(1);
  });
});

describe('months', () => {
  it('monthOf and previousMonth', () => {
    expect(monthOf('2026-11-22')).toBe('2026-11');
    expect(previousMonth('2026-11')).toBe('2026-10');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expectDomainError(() => previousMonth('2026-13'), 'INVALID_INPUT');
    expectDomainError(() => previousMonth('Nov 2026'), 'INVALID_INPUT');
  });

  it('addMonths clamps the day to the end of the month and keeps the time', () => {
    expect(addMonths('2026-01-31T10:00:00.000Z', 1)).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths('2028-01-31T10:00:00.000Z', 1)).toBe('2028-02-29T10:00:00.000Z');
    expect(addMonths('2028-02-29T23:59:59.999Z', 12)).toBe('2029-02-28T23:59:59.999Z');
    expect(addMonths('2026-11-22T08:00:00.000Z', 12)).toBe('2027-11-22T08:00:00.000Z');
    expect(addMonths('2026-03-31T00:00:00.000Z', -1)).toBe('2026-02-28T00:00:00.000Z');
    expect(addMonths('2026-12-15T00:00:00.000Z', 1)).toBe('2027-01-15T00:00:00.000Z');
  });
});

describe('days', () => {
  it('addDays adds whole 24h days', () => {
    expect(addDays('2026-11-22T10:00:00.000Z', 30)).toBe('2026-12-22T10:00:00.000Z');
    expect(addDays('2026-03-01T00:00:00.000Z', -1)).toBe('2026-02-28T00:00:00.000Z');
  });

  it('daysBetweenDates counts calendar days, signed', () => {
    expect(daysBetweenDates('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetweenDates('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetweenDates('2026-11-22', '2026-11-20')).toBe(-2);
    expect(daysBetweenDates('2026-11-22', '2026-11-22')).toBe(0);
    expectDomainError(() => daysBetweenDates('2026-02-30', '2026-03-01'), 'INVALID_INPUT');
  });
});
