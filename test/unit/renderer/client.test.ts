import { afterEach, describe, expect, it } from 'vitest';
import { METHODS, type PosHandlers } from '../../../src-shared/api/contract';
import { DomainError } from '../../../src-shared/errors/domain-error';
import { createDispatcher, type Dispatch } from '../../../src-main/core/dispatcher';
import type { CoreHandlers } from '../../../src-main/core/handlers';
import type { StaffGate } from '../../../src-main/core/ports';
import { startHttpBridge, type HttpBridge } from '../../../src-main/bridge/http-bridge';
import { createPosClient, isPosApiError, PosApiError } from '../../../src-renderer/api/client';
import { describeError } from '../../../src-renderer/i18n/errors';
import { translate } from '../../../src-renderer/i18n';
import { memoryTransport } from '../../../src-renderer/api/memory-transport';
import {
  httpTransport,
  ipcTransport,
  takeBridgeToken,
  TOKEN_STORAGE_KEY,
  type TokenEnvironment,
  type Transport,
} from '../../../src-renderer/api/transports';
import type { PosBridge } from '../../../src-main/preload/pos-bridge';
import { CASHIER, INFO, MEMBER, SUMMARY } from './fixtures';

/** Handlers shared by the in-memory and HTTP tests: one succeeds, some fail as the core would. */
/** The dispatcher's view of the till: a cashier is signed in (access checks pass for staff methods). */
const signedInCashier: StaffGate = {
  requireStaff: () => ({ id: CASHIER.id, name: CASHIER.name, role: 'cashier', pin_hash: '', active: 1, failed_attempts: 0, locked_until: null, created_at: '2026-01-01T00:00:00.000Z' }),
  approveAsManager: () => Promise.reject(new DomainError('MANAGER_PIN_REQUIRED', 'This needs a manager.')),
};

function fakeHandlers(): Partial<PosHandlers> {
  return {
    'terminal.info': async () => INFO,
    'staff.list': async () => [CASHIER],
    'session.signIn': async ({ staffId, pin }) => {
      if (pin !== '1111') throw new DomainError('INVALID_PIN', 'Wrong PIN.', { attemptsLeft: 4, staffId });
      return { staff: CASHIER, endedBecause: null };
    },
    'members.find': async ({ query, by, limit }) => {
      if (query === 'boom') throw new Error('disk on fire');
      return by === 'auto' && limit === 20 ? [SUMMARY] : [];
    },
    'members.get': async ({ memberId }) => {
      if (memberId !== MEMBER.id) throw new DomainError('MEMBER_NOT_FOUND', 'There is no such member.', { memberId });
      return MEMBER;
    },
  };
}

async function expectApiError(p: Promise<unknown>): Promise<PosApiError> {
  const e: unknown = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(isPosApiError(e), `expected a PosApiError, got ${String(e)}`).toBe(true);
  return e as PosApiError;
}

/** The same behaviour must hold whatever the transport. */
function clientContract(name: string, makeTransport: () => Promise<Transport>) {
  describe(`createPosClient over ${name}`, () => {
    it('unwraps a successful result into the value', async () => {
      const api = createPosClient(await makeTransport());
      expect(await api['terminal.info']({})).toEqual(INFO);
      expect(await api['session.signIn']({ staffId: CASHIER.id, pin: '1111' })).toEqual({ staff: CASHIER, endedBecause: null });
    });

    it('applies the schema defaults before the handler runs', async () => {
      const api = createPosClient(await makeTransport());
      expect(await api['members.find']({ query: '5678' })).toEqual([SUMMARY]);
    });

    it('throws a PosApiError carrying the domain error code, message and details', async () => {
      const api = createPosClient(await makeTransport());
      const e = await expectApiError(api['session.signIn']({ staffId: CASHIER.id, pin: '2222' }));
      expect(e).toBeInstanceOf(Error);
      expect(e.toPayload()).toEqual({ code: 'INVALID_PIN', message: 'Wrong PIN.', details: { attemptsLeft: 4, staffId: CASHIER.id } });
      const missing = await expectApiError(api['members.get']({ memberId: 'nobody' }));
      expect(missing.code).toBe('MEMBER_NOT_FOUND');
      expect(missing.details).toEqual({ memberId: 'nobody' });
    });

    it('rejects input the contract does not allow, before any handler runs', async () => {
      const api = createPosClient(await makeTransport());
      const e = await expectApiError(api['session.signIn']({ staffId: CASHIER.id, pin: '12' }));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message).toContain('pin');
      expect(e.details).toMatchObject({ issues: [{ path: 'pin' }] });
    });

    it('reports an unexpected failure as INTERNAL', async () => {
      const api = createPosClient(await makeTransport());
      const e = await expectApiError(api['members.find']({ query: 'boom' }));
      expect(e.code).toBe('INTERNAL');
    });
  });
}

// ------------------------------------------------------------------ in memory

clientContract('the in-memory transport', async () => memoryTransport(fakeHandlers()));

describe('the in-memory transport', () => {
  it('offers every contract method, is read-only, and is not mistaken for a promise', async () => {
    const t = memoryTransport({});
    const api = createPosClient(t);
    for (const m of METHODS) expect(typeof api[m], m).toBe('function');
    expect(api['members.find']).toBe(api['members.find']);
    expect('then' in api).toBe(false);
    expect((api as unknown as Record<string, unknown>).then).toBeUndefined();
    // awaiting the client itself must not call anything
    expect(await Promise.resolve(api)).toBe(api);
    expect(t.calls).toEqual([]);
    expect(() => {
      (api as unknown as Record<string, unknown>)['members.find'] = () => 'hijacked';
    }).toThrow(TypeError);
  });

  it('answers UNKNOWN_METHOD for a method without a handler, and for names outside the contract', async () => {
    const t = memoryTransport({});
    const e = await expectApiError(createPosClient(t)['rules.current']({}));
    expect(e.code).toBe('UNKNOWN_METHOD');
    const raw = await t.invoke('no.such' as never, {});
    expect(raw).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('clones values like a real transport, records calls and delivers events', async () => {
    const t = memoryTransport(fakeHandlers());
    const info = await createPosClient(t)['terminal.info']({});
    expect(info).toEqual(INFO);
    expect(info).not.toBe(INFO);
    expect(t.calls).toEqual([{ method: 'terminal.info', input: {} }]);

    const seen: unknown[] = [];
    const off = t.on('sync.completed', (p) => seen.push(p));
    t.emit('sync.completed', { pushed: 1 });
    t.emit('other', 'ignored');
    off();
    t.emit('sync.completed', { pushed: 2 });
    expect(seen).toEqual([{ pushed: 1 }]);
  });
});

// ------------------------------------------------------------------ IPC (window.pos)

describe('the IPC transport', () => {
  it('passes calls and subscriptions straight to window.pos', async () => {
    const dispatch = createDispatcher({ handlers: fakeHandlers() as unknown as CoreHandlers, gate: signedInCashier, log: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    const subscriptions: string[] = [];
    const bridge: PosBridge = {
      invoke: (method, input) => dispatch(method, input) as never,
      on: (event) => {
        subscriptions.push(event);
        return () => undefined;
      },
    };
    const t = ipcTransport(bridge);
    expect(t.kind).toBe('ipc');
    const api = createPosClient(t);
    expect(await api['staff.list']({})).toEqual([CASHIER]);
    expect((await expectApiError(api['members.get']({ memberId: 'x' }))).code).toBe('MEMBER_NOT_FOUND');
    t.on('sync.completed', () => undefined);
    expect(subscriptions).toEqual(['sync.completed']);
  });

  it('turns a rejected IPC call into BRIDGE_UNREACHABLE', async () => {
    const bridge: PosBridge = { invoke: () => Promise.reject(new Error('channel closed')), on: () => () => undefined };
    const e = await expectApiError(createPosClient(ipcTransport(bridge))['terminal.info']({}));
    expect(e.code).toBe('BRIDGE_UNREACHABLE');
    expect(e.details).toMatchObject({ method: 'terminal.info', cause: 'channel closed' });
  });
});

// ------------------------------------------------------------------ HTTP bridge

describe('the HTTP transport against the real loopback bridge', () => {
  const TOKEN = 'test-token-0123456789';
  let bridge: HttpBridge | null = null;
  let calls = 0;

  async function startBridge(): Promise<HttpBridge> {
    const dispatch = createDispatcher({ handlers: fakeHandlers() as unknown as CoreHandlers, gate: signedInCashier, log: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    const counting: Dispatch = (m, i) => {
      calls++;
      return dispatch(m, i);
    };
    bridge = await startHttpBridge({ dispatch: counting, token: TOKEN, port: 0 });
    return bridge;
  }

  afterEach(async () => {
    await bridge?.close();
    bridge = null;
    calls = 0;
  });

  clientContract('the HTTP bridge', async () => {
    await bridge?.close();
    const b = await startBridge();
    return httpTransport({ baseUrl: `${b.url}/`, token: TOKEN });
  });

  it('rejects a wrong token with a message that says what to do', async () => {
    const b = await startBridge();
    const api = createPosClient(httpTransport({ baseUrl: b.url, token: 'wrong-token' }));
    const e = await expectApiError(api['terminal.info']({}));
    expect(e.code).toBe('BRIDGE_TOKEN_REJECTED');
    expect(e.message).toContain('npm start');
    expect(calls).toBe(0);
  });

  it('does not call the bridge at all without a token', async () => {
    const b = await startBridge();
    const e = await expectApiError(createPosClient(httpTransport({ baseUrl: b.url, token: null }))['terminal.info']({}));
    expect(e.code).toBe('BRIDGE_TOKEN_MISSING');
    expect(calls).toBe(0);
  });

  it('reports BRIDGE_UNREACHABLE when the core has stopped', async () => {
    const b = await startBridge();
    const api = createPosClient(httpTransport({ baseUrl: b.url, token: TOKEN }));
    expect(await api['staff.list']({})).toEqual([CASHIER]);
    await b.close();
    bridge = null;
    const e = await expectApiError(api['staff.list']({}));
    expect(e.code).toBe('BRIDGE_UNREACHABLE');
    const d = describeError(e);
    expect(translate('en', d.key, d.params)).toMatch(/not answering/);
  });

  it('reports BAD_RESPONSE for an answer that is not a result envelope', async () => {
    const html = httpTransport({
      baseUrl: 'http://127.0.0.1:1',
      token: TOKEN,
      fetch: async () => ({ status: 200, json: async () => ({ hello: 'world' }) }),
    });
    expect((await expectApiError(createPosClient(html)['terminal.info']({}))).code).toBe('BAD_RESPONSE');
    const notJson = httpTransport({
      baseUrl: 'http://127.0.0.1:1',
      token: TOKEN,
      fetch: async () => ({ status: 502, json: () => Promise.reject(new SyntaxError('Unexpected token <')) }),
    });
    const e = await expectApiError(createPosClient(notJson)['terminal.info']({}));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.details).toEqual({ method: 'terminal.info', status: 502 });
  });

  it('posts JSON to /api/<method> with the bearer token', async () => {
    const seen: { url: string; init: { method: string; headers: Record<string, string>; body: string } }[] = [];
    const t = httpTransport({
      baseUrl: 'http://127.0.0.1:5199/',
      token: 'abc',
      fetch: async (url, init) => {
        seen.push({ url, init });
        return { status: 200, json: async () => ({ ok: true, value: [] }) };
      },
    });
    await createPosClient(t)['members.find']({ query: 'li' });
    expect(seen).toEqual([
      {
        url: 'http://127.0.0.1:5199/api/members.find',
        init: { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer abc' }, body: '{"query":"li"}' },
      },
    ]);
  });
});

// ------------------------------------------------------------------ the token in the URL fragment

describe('takeBridgeToken', () => {
  function env(hash: string, stored: Record<string, string> = {}) {
    const storage = new Map(Object.entries(stored));
    const replaced: string[] = [];
    const e: TokenEnvironment = {
      hash,
      pathname: '/',
      search: '?lang=zh',
      storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
      replaceUrl: (u) => void replaced.push(u),
    };
    return { e, storage, replaced };
  }

  it('takes the token from #token=, keeps it in session storage and removes it from the address bar', () => {
    const { e, storage, replaced } = env('#token=s3cr%2Bt&view=members');
    expect(takeBridgeToken(e)).toBe('s3cr+t');
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('s3cr+t');
    expect(replaced).toEqual(['/?lang=zh#view=members']);
  });

  it('reads the stored token after a reload (no fragment) and leaves the address alone', () => {
    const { e, replaced } = env('', { [TOKEN_STORAGE_KEY]: 'kept' });
    expect(takeBridgeToken(e)).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('a new fragment token replaces the stored one; no token anywhere gives null', () => {
    const fresh = env('#token=new', { [TOKEN_STORAGE_KEY]: 'old' });
    expect(takeBridgeToken(fresh.e)).toBe('new');
    expect(fresh.storage.get(TOKEN_STORAGE_KEY)).toBe('new');
    expect(fresh.replaced).toEqual(['/?lang=zh']);
    expect(takeBridgeToken(env('#other=1').e)).toBeNull();
    expect(takeBridgeToken({ ...env('').e, storage: null })).toBeNull();
  });

  it('still returns the token when storage refuses to store it', () => {
    const { e } = env('#token=t');
    const refusing: TokenEnvironment = {
      ...e,
      storage: {
        getItem: () => null,
        setItem: () => {
          throw new Error('QuotaExceededError');
        },
      },
    };
    expect(takeBridgeToken(refusing)).toBe('t');
  });
});

describe('describeError', () => {
  const words = (e: unknown, locale: 'en' | 'zh-Hans' = 'en') => {
    const d = describeError(e);
    return translate(locale, d.key, d.params);
  };
  it('gives cashier words (with the next step) for every code, in the screen language, and never leaks a raw exception', () => {
    expect(words(new PosApiError({ code: 'INVALID_PIN', message: 'x' }))).toBe('That PIN is not right. Try again.');
    expect(words(new PosApiError({ code: 'INVALID_PIN', message: 'x' }), 'zh-Hans')).toBe('密码不正确，请重试。');
    expect(describeError(new PosApiError({ code: 'MEMBER_BLOCKED', message: 'This member is blocked.' }))).toEqual({
      code: 'MEMBER_BLOCKED',
      key: 'error.MEMBER_BLOCKED',
      params: { detail: 'This member is blocked.' },
      coreMessage: 'This member is blocked.',
    });
    expect(words(new PosApiError({ code: 'INVALID_INPUT', message: 'query: Too small' }))).toBe('Something typed is not right (query: Too small). Correct it and try again.');
    expect(words(new PosApiError({ code: 'REDEMPTION_ABOVE_BILL_CAP', message: 'x', details: { maxPoints: 2000 } }))).toContain('at most 2,000 pts');
    expect(describeError(new TypeError('x is undefined'))).toMatchObject({ code: 'UNEXPECTED', key: 'error.UNEXPECTED' });
    expect(words(new TypeError('x is undefined'))).toBe('Something went wrong on this screen. Try again; if it repeats, call support.');
  });
});
