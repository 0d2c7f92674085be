import { describe, expect, it } from 'vitest';
import { creditExpiry, deriveLots, expiringWithin, planExpiry } from '../../../src-shared/domain/lots';
import type { EntryKind, LedgerFact } from '../../../src-shared/domain/types';
import { expectDomainError, RULES } from './fixtures';

function credit(id: string, points: number, at: string, kind: EntryKind = 'earn'): LedgerFact {
  return { id, kind, points, at, expiresAt: creditExpiry(at, RULES), targetEntryId: null };
}
function debit(id: string, points: number, at: string, targetEntryId: string | null = null, kind: EntryKind = 'redeem'): LedgerFact {
  return { id, kind, points: -points, at, expiresAt: null, targetEntryId };
}

describe('creditExpiry: points expire 12 months after they were earned', () => {
  it('adds twelve months', () => {
    expect(creditExpiry('2026-11-22T10:00:00.000Z', RULES)).toBe('2027-11-22T10:00:00.000Z');
    expect(creditExpiry('2028-02-29T10:00:00.000Z', RULES)).toBe('2029-02-28T10:00:00.000Z');
  });
});

describe('deriveLots', () => {
  it('consumes the oldest points first (FIFO)', () => {
    const state = deriveLots([
      credit('a', 100, '2026-01-10T00:00:00.000Z'),
      credit('b', 200, '2026-02-10T00:00:00.000Z'),
      credit('c', 300, '2026-03-10T00:00:00.000Z'),
      debit('r1', 250, '2026-04-01T00:00:00.000Z'),
    ]);
    expect(state.balance).toBe(350);
    expect(state.debt).toBe(0);
    expect(state.lots.map((l) => [l.entryId, l.remaining, l.original])).toEqual([
      ['b', 50, 200],
      ['c', 300, 300],
    ]);
    expect(state.lots[0]?.expiresAt).toBe('2027-02-10T00:00:00.000Z');
  });

  it('orders facts by (at, id) whatever order they arrive in', () => {
    const facts = [
      debit('r1', 150, '2026-04-01T00:00:00.000Z'),
      credit('b', 200, '2026-02-10T00:00:00.000Z'),
      credit('a', 100, '2026-01-10T00:00:00.000Z'),
    ];
    expect(deriveLots(facts)).toEqual(deriveLots([...facts].reverse()));
    expect(deriveLots(facts).lots.map((l) => [l.entryId, l.remaining])).toEqual([['b', 150]]);
  });

  it('breaks ties at the same instant by id', () => {
    const at = '2026-04-01T00:00:00.000Z';
    // 'd1' (a debit) sorts before 'e1' (the credit): the debit makes debt, the credit repays it.
    const state = deriveLots([credit('e1', 100, at), debit('d1', 40, at)]);
    expect(state).toMatchObject({ balance: 60, debt: 0 });
    expect(state.lots).toEqual([
      { entryId: 'e1', earnedAt: at, expiresAt: '2027-04-01T00:00:00.000Z', original: 100, remaining: 60 },
    ]);
  });

  it('a debit naming a lot takes from it first', () => {
    const state = deriveLots([
      credit('a', 100, '2026-01-10T00:00:00.000Z'),
      credit('b', 200, '2026-02-10T00:00:00.000Z'),
      debit('x', 150, '2026-03-01T00:00:00.000Z', 'b', 'reverse'),
    ]);
    expect(state.lots.map((l) => [l.entryId, l.remaining])).toEqual([
      ['a', 100],
      ['b', 50],
    ]);
  });

  it('a targeted debit larger than its lot continues with the oldest lots', () => {
    const state = deriveLots([
      credit('a', 100, '2026-01-10T00:00:00.000Z'),
      credit('b', 200, '2026-02-10T00:00:00.000Z'),
      credit('c', 300, '2026-03-10T00:00:00.000Z'),
      debit('x', 250, '2026-04-01T00:00:00.000Z', 'b', 'reverse'),
    ]);
    expect(state.lots.map((l) => [l.entryId, l.remaining])).toEqual([
      ['a', 50],
      ['c', 300],
    ]);
  });

  it('a targeted debit of an exhausted lot falls back to FIFO', () => {
    const state = deriveLots([
      credit('a', 100, '2026-01-10T00:00:00.000Z'),
      credit('b', 200, '2026-02-10T00:00:00.000Z'),
      debit('r', 100, '2026-03-01T00:00:00.000Z'),
      debit('x', 50, '2026-03-02T00:00:00.000Z', 'a', 'expire'),
    ]);
    expect(state.lots.map((l) => [l.entryId, l.remaining])).toEqual([['b', 150]]);
  });

  it('an overdraft becomes debt that later credits repay first', () => {
    const overdrawn = deriveLots([credit('a', 100, '2026-01-10T00:00:00.000Z'), debit('r', 300, '2026-01-11T00:00:00.000Z')]);
    expect(overdrawn).toEqual({ lots: [], debt: 200, balance: -200 });

    const repaid = deriveLots([
      credit('a', 100, '2026-01-10T00:00:00.000Z'),
      debit('r', 300, '2026-01-11T00:00:00.000Z'),
      credit('b', 150, '2026-01-12T00:00:00.000Z'),
      credit('c', 500, '2026-01-13T00:00:00.000Z'),
    ]);
    expect(repaid.balance).toBe(450);
    expect(repaid.debt).toBe(0);
    expect(repaid.lots.map((l) => [l.entryId, l.original, l.remaining])).toEqual([['c', 500, 450]]);
  });

  it('uses points expiring first, then earned first', () => {
    const late: LedgerFact = { id: 'late', kind: 'adjust', points: 100, at: '2026-01-01T00:00:00.000Z', expiresAt: '2027-06-01T00:00:00.000Z', targetEntryId: null };
    const early: LedgerFact = { id: 'early', kind: 'reverse', points: 100, at: '2026-02-01T00:00:00.000Z', expiresAt: '2026-12-01T00:00:00.000Z', targetEntryId: null };
    const state = deriveLots([late, early, debit('r', 50, '2026-03-01T00:00:00.000Z')]);
    expect(state.lots.map((l) => [l.entryId, l.remaining])).toEqual([
      ['early', 50],
      ['late', 100],
    ]);
  });

  it('ignores zero-point facts', () => {
    const zero: LedgerFact = { id: 'z', kind: 'adjust', points: 0, at: '2026-01-01T00:00:00.000Z', expiresAt: null, targetEntryId: null };
    expect(deriveLots([zero])).toEqual({ lots: [], debt: 0, balance: 0 });
  });

  it('rejects a credit without expiry, fractional points and duplicate ids', () => {
    expectDomainError(
      () => deriveLots([{ id: 'a', kind: 'earn', points: 10, at: '2026-01-01T00:00:00.000Z', expiresAt: null, targetEntryId: null }]),
      'INVALID_INPUT',
    );
    expectDomainError(() => deriveLots([credit('a', 10.5, '2026-01-01T00:00:00.000Z')]), 'INVALID_INPUT');
    expectDomainError(
      () => deriveLots([credit('a', 10, '2026-01-01T00:00:00.000Z'), credit('a', 10, '2026-01-02T00:00:00.000Z')]),
      'INVALID_INPUT',
    );
  });
});

describe('expiry', () => {
  const state = deriveLots([
    credit('a', 100, '2025-11-01T00:00:00.000Z'), // expires 2026-11-01
    credit('b', 200, '2025-12-01T00:00:00.000Z'), // expires 2026-12-01
    credit('c', 300, '2025-12-20T00:00:00.000Z'), // expires 2026-12-20
    credit('d', 400, '2026-06-01T00:00:00.000Z'), // expires 2027-06-01
  ]);

  it('tells the cashier about points expiring within 30 days', () => {
    const soon = expiringWithin(state, '2026-11-22T00:00:00.000Z', RULES.expiry.warnDays);
    expect(soon.points).toBe(500);
    expect(soon.firstExpiry).toBe('2026-12-01T00:00:00.000Z');
    expect(soon.lots.map((l) => l.entryId)).toEqual(['b', 'c']);
    // The window end is inclusive, already-expired lots are not "expiring".
    expect(expiringWithin(state, '2026-11-20T00:00:00.000Z', 30).points).toBe(500); // c expires exactly at the end
    expect(expiringWithin(state, '2026-11-19T23:59:59.999Z', 30).points).toBe(200);
    expect(expiringWithin(state, '2026-10-31T00:00:00.000Z', 30).lots.map((l) => l.entryId)).toEqual(['a']);
    expect(expiringWithin(state, '2026-11-01T00:00:00.000Z', 30).lots.map((l) => l.entryId)).toEqual(['b']);
    expect(expiringWithin(state, '2026-11-21T00:00:00.000Z', 1).points).toBe(0);
    expect(expiringWithin(state, '2026-11-21T00:00:00.000Z', 1).firstExpiry).toBeNull();
  });

  it('plans the expiry of every lot past its date, oldest first', () => {
    expect(planExpiry(state, '2026-12-01T00:00:00.000Z')).toEqual([
      { lotEntryId: 'a', points: 100, expiresAt: '2026-11-01T00:00:00.000Z' },
      { lotEntryId: 'b', points: 200, expiresAt: '2026-12-01T00:00:00.000Z' },
    ]);
    expect(planExpiry(state, '2026-10-31T23:59:59.999Z')).toEqual([]);
  });

  it('expires only what is left of a partly used lot, and writing the expiry empties it', () => {
    const facts = [credit('a', 100, '2025-11-01T00:00:00.000Z'), debit('r', 30, '2026-01-01T00:00:00.000Z')];
    const steps = planExpiry(deriveLots(facts), '2026-11-02T00:00:00.000Z');
    expect(steps).toEqual([{ lotEntryId: 'a', points: 70, expiresAt: '2026-11-01T00:00:00.000Z' }]);
    const after = deriveLots([
      ...facts,
      ...steps.map((s, i) => debit(`x${String(i)}`, s.points, '2026-11-02T00:00:00.000Z', s.lotEntryId, 'expire')),
    ]);
    expect(after).toEqual({ lots: [], debt: 0, balance: 0 });
  });
});
