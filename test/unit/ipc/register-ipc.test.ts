import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src-shared/api/dto';
import { POS_EVENT_CHANNEL, POS_INVOKE_CHANNEL } from '../../../src-main/ipc/channels';
import { registerIpc, type InvokeEventLike, type IpcMainLike } from '../../../src-main/ipc/register-ipc';
import { TrustedSenders, type TrustedTarget } from '../../../src-main/ipc/trusted-senders';

/** A fake ipcMain: records the handler so the test can invoke it like Electron would. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => void handlers.delete(channel),
  };
  return { ipc, handlers };
}

function fakeWebContents(id: number) {
  const sent: { channel: string; args: unknown[] }[] = [];
  let destroyed = false;
  const mainFrame = { processId: 10 + id, routingId: 1 };
  const target: TrustedTarget & { mainFrame: typeof mainFrame } = {
    id,
    mainFrame,
    send: (channel, ...args) => void sent.push({ channel, args }),
    isDestroyed: () => destroyed,
  };
  return { target, sent, destroy: () => (destroyed = true), mainFrameEvent: (): InvokeEventLike => ({ sender: target, senderFrame: mainFrame }) };
}

describe('registerIpc', () => {
  it('dispatches calls from a trusted window main frame and refuses everything else', async () => {
    const { ipc, handlers } = fakeIpcMain();
    const calls: unknown[][] = [];
    const trusted = new TrustedSenders();
    const logs: string[] = [];
    registerIpc({
      ipcMain: ipc,
      trusted,
      log: (m) => logs.push(m),
      dispatch: async (method, input) => {
        calls.push([method, input]);
        return { ok: true, value: 'pong' };
      },
    });
    const handler = handlers.get(POS_INVOKE_CHANNEL)!;
    const ours = fakeWebContents(1);
    const stranger = fakeWebContents(2);
    trusted.add(ours.target);

    expect(await handler(ours.mainFrameEvent(), 'terminal.info', {})).toEqual({ ok: true, value: 'pong' });
    expect(calls).toEqual([['terminal.info', {}]]);

    const forbidden = (await handler(stranger.mainFrameEvent(), 'terminal.info', {})) as Result<unknown>;
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const fromIframe = (await handler({ sender: ours.target, senderFrame: { processId: 99, routingId: 7 } }, 'terminal.info', {})) as Result<unknown>;
    expect(fromIframe).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const noFrame = (await handler({ sender: ours.target, senderFrame: null }, 'terminal.info', {})) as Result<unknown>;
    expect(noFrame).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    trusted.remove(1);
    expect(await handler(ours.mainFrameEvent(), 'terminal.info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(calls).toHaveLength(1);
    expect(logs).toHaveLength(4);
  });

  it('emits events only to live trusted windows, and dispose removes the handler', () => {
    const { ipc, handlers } = fakeIpcMain();
    const trusted = new TrustedSenders();
    const a = fakeWebContents(1);
    const b = fakeWebContents(2);
    trusted.add(a.target);
    trusted.add(b.target);
    const registered = registerIpc({ ipcMain: ipc, trusted, dispatch: async () => ({ ok: true, value: null }) });
    b.destroy();
    registered.emit('sync.completed', { pushed: 3 });
    expect(a.sent).toEqual([{ channel: POS_EVENT_CHANNEL, args: [{ event: 'sync.completed', payload: { pushed: 3 } }] }]);
    expect(b.sent).toEqual([]);
    expect(trusted.isTrusted({ id: 2 })).toBe(false);

    registered.dispose();
    expect(handlers.has(POS_INVOKE_CHANNEL)).toBe(false);
    // registering again after dispose works (no "second handler" error)
    registerIpc({ ipcMain: ipc, trusted, dispatch: async () => ({ ok: true, value: null }) });
    expect(handlers.has(POS_INVOKE_CHANNEL)).toBe(true);
  });
});
