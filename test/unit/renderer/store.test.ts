import { describe, expect, it } from 'vitest';
import type { PosHandlers } from '../../../src-shared/api/contract';
import type { MemberSummaryDto } from '../../../src-shared/api/dto';
import { DomainError } from '../../../src-shared/errors/domain-error';
import { createPosClient } from '../../../src-renderer/api/client';
import { memoryTransport } from '../../../src-renderer/api/memory-transport';
import { createAppStore } from '../../../src-renderer/state/store';
import { CASHIER, INFO, MANAGER, MEMBER, SUMMARY } from './fixtures';

function setup(overrides: Partial<PosHandlers> = {}) {
  let signedIn: typeof CASHIER | null = null;
  const handlers: Partial<PosHandlers> = {
    'terminal.info': async () => INFO,
    'staff.list': async () => [CASHIER, MANAGER],
    'session.current': async () => ({ staff: signedIn }),
    'session.signIn': async ({ staffId, pin }) => {
      if (pin !== '1111') throw new DomainError('INVALID_PIN', 'Wrong PIN.', { attemptsLeft: 4 });
      signedIn = staffId === CASHIER.id ? CASHIER : MANAGER;
      return { staff: signedIn };
    },
    'session.signOut': async () => {
      signedIn = null;
      return { staff: null };
    },
    'members.find': async ({ query }) => (query === 'nobody' ? [] : [SUMMARY]),
    'members.scan': async ({ raw }) => {
      if (raw === '6222000000001234') return { kind: 'member', member: MEMBER, code: raw };
      if (raw === '6901234567892') return { kind: 'product', ean13: raw };
      if (raw === 'garbage') throw new DomainError('UNRECOGNISED_SCAN', 'That code is not a card.', {});
      return { kind: 'unknown_card', code: raw, maskedCode: '6222 **** **** 9999', activatable: true };
    },
    ...overrides,
  };
  const transport = memoryTransport(handlers);
  const store = createAppStore({ api: createPosClient(transport), transportKind: transport.kind });
  return { store, transport };
}

describe('the app store', () => {
  it('appStarted loads terminal info, the staff list and the current session', async () => {
    const { store, transport } = setup();
    expect(store.getState().terminal.status).toBe('starting');
    await store.getState().appStarted();
    const s = store.getState();
    expect(s.terminal).toEqual({ transport: 'memory', status: 'ready', info: INFO, error: null });
    expect(s.session.staffList).toEqual([CASHIER, MANAGER]);
    expect(s.session.current).toBeNull();
    expect(transport.calls.map((c) => c.method).sort()).toEqual(['session.current', 'staff.list', 'terminal.info']);
  });

  it('an unreachable core leaves the terminal unreachable with a readable message', async () => {
    const { store } = setup({
      'terminal.info': async () => {
        throw new DomainError('DATABASE_TOO_NEW', 'This database was written by a newer Tillsmith. Update the till.', {});
      },
    });
    await store.getState().appStarted();
    expect(store.getState().terminal.status).toBe('unreachable');
    expect(store.getState().terminal.error).toEqual({ code: 'DATABASE_TOO_NEW', message: 'This database was written by a newer Tillsmith. Update the till.' });
  });

  it('signs in with a PIN, shows a wrong PIN as words, and signs out clearing the lookup', async () => {
    const { store } = setup();
    await store.getState().appStarted();

    await store.getState().staffSignInSubmitted(CASHIER.id, '');
    expect(store.getState().session.error?.message).toBe('Type your PIN.');

    await store.getState().staffSignInSubmitted(CASHIER.id, '2222');
    expect(store.getState().session).toMatchObject({ current: null, status: 'idle', error: { code: 'INVALID_PIN', message: 'That PIN is not right. Try again.' } });

    await store.getState().staffSignInSubmitted(CASHIER.id, '1111');
    expect(store.getState().session).toMatchObject({ current: CASHIER, status: 'idle', error: null });

    await store.getState().memberSearchSubmitted('5678');
    expect(store.getState().members.results).toEqual([SUMMARY]);
    await store.getState().signOutRequested();
    expect(store.getState().session.current).toBeNull();
    expect(store.getState().members.results).toEqual([]);
  });

  it('member search: results, nothing found, empty query, and errors', async () => {
    const { store, transport } = setup();
    await store.getState().memberSearchSubmitted('  5678 ');
    expect(store.getState().members).toMatchObject({ status: 'done', mode: 'find', query: '5678', results: [SUMMARY], error: null });
    expect(transport.calls.at(-1)).toEqual({ method: 'members.find', input: { query: '5678', by: 'auto' } });

    await store.getState().memberSearchSubmitted('nobody');
    expect(store.getState().members).toMatchObject({ status: 'done', results: [] });

    const before = transport.calls.length;
    await store.getState().memberSearchSubmitted('   ');
    expect(store.getState().members.error?.code).toBe('INVALID_INPUT');
    expect(transport.calls.length).toBe(before);
  });

  it('scans: a member card shows the member, other codes say what they are', async () => {
    const { store } = setup();
    await store.getState().memberCodeScanned('6222000000001234');
    expect(store.getState().members).toMatchObject({ status: 'done', mode: 'scan', results: [MEMBER], scan: { kind: 'member' } });

    await store.getState().memberCodeScanned('6901234567892');
    expect(store.getState().members).toMatchObject({ results: [], scan: { kind: 'product', ean13: '6901234567892' } });

    await store.getState().memberCodeScanned('6222000000009999');
    expect(store.getState().members.scan).toMatchObject({ kind: 'unknown_card', activatable: true });

    await store.getState().memberCodeScanned('garbage');
    expect(store.getState().members).toMatchObject({ status: 'error', error: { code: 'UNRECOGNISED_SCAN', message: 'That code is not a member card.' } });
  });

  it('a slow earlier lookup never overwrites a later one', async () => {
    let releaseSlow: (v: MemberSummaryDto[]) => void = () => undefined;
    const { store } = setup({
      'members.find': ({ query }) =>
        query === 'slow' ? new Promise<MemberSummaryDto[]>((r) => (releaseSlow = r)) : Promise.resolve([{ ...SUMMARY, id: 'fast' }]),
    });
    const slow = store.getState().memberSearchSubmitted('slow');
    await store.getState().memberSearchSubmitted('fast');
    releaseSlow([{ ...SUMMARY, id: 'slow' }]);
    await slow;
    expect(store.getState().members).toMatchObject({ query: 'fast', results: [{ id: 'fast' }] });

    const slowAgain = store.getState().memberSearchSubmitted('slow');
    store.getState().memberLookupCleared();
    releaseSlow([{ ...SUMMARY, id: 'slow' }]);
    await slowAgain;
    expect(store.getState().members).toMatchObject({ status: 'idle', results: [] });
  });
});
