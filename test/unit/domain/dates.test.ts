import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  businessDateOf,
  daysBetweenDates,
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
