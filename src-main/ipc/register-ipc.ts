import type { Result } from '../../src-shared/api/dto';
import type { Dispatch } from '../core/dispatcher';
import { POS_EVENT_CHANNEL, POS_INVOKE_CHANNEL, type PosEventMessage } from './channels';
import type { TrustedSenders } from './trusted-senders';

/** The parts of Electron's frame and event objects the sender check reads. */
export interface FrameLike {
  readonly processId: number;
  readonly routingId: number;
}
export interface InvokeEventLike {
  readonly sender: { readonly id: number; readonly mainFrame: FrameLike };
  readonly senderFrame: FrameLike | null;
}
/** Electron's `ipcMain` satisfies this; tests pass a fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface RegisteredIpc {
  /** Sends a core event to every trusted window (`window.pos.on(event, cb)` in the renderer). */
  emit(event: string, payload: unknown): void;
  /** Removes the handler (on quit, or between tests). */
  dispose(): void;
}

const FORBIDDEN: Result<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This window is not allowed to use the till.', details: {} },
};

/**
 * Registers the single `pos:invoke` handler: the sender must be a web contents we created and
 * the call must come from its main frame (not an iframe); then the shared dispatcher checks the
 * method against the contract, parses the input and runs the handler. Never throws to the
 * renderer: failures come back as `{ ok: false, error }`.
 */
export function registerIpc(opts: {
  ipcMain: IpcMainLike;
  dispatch: Dispatch;
  trusted: TrustedSenders;
  log?: (message: string) => void;
}): RegisteredIpc {
  const log = opts.log ?? ((m: string) => console.warn(`[tillsmith] ${m}`));
  opts.ipcMain.handle(POS_INVOKE_CHANNEL, async (event, method, input) => {
    if (!isTrustedCall(event, opts.trusted)) {
      log(`refused a call to ${String(method)} from an untrusted sender (web contents ${event.sender.id})`);
      return FORBIDDEN;
    }
    return opts.dispatch(method, input);
  });
  return {
    emit(event, payload) {
      const message: PosEventMessage = { event, payload };
      for (const target of opts.trusted.live()) target.send(POS_EVENT_CHANNEL, message);
    },
    dispose() {
      opts.ipcMain.removeHandler(POS_INVOKE_CHANNEL);
    },
  };
}

export function isTrustedCall(event: InvokeEventLike, trusted: TrustedSenders): boolean {
  if (!trusted.isTrusted(event.sender)) return false;
  const frame = event.senderFrame;
  const main = event.sender.mainFrame;
  return frame !== null && frame.processId === main.processId && frame.routingId === main.routingId;
}
