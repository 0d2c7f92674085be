import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { POS_EVENT_CHANNEL, POS_INVOKE_CHANNEL, isPosEventMessage } from '../ipc/channels';
import type { PosBridge } from './pos-bridge';

/**
 * Sandboxed preload, built as one CommonJS file. It exposes `window.pos` with exactly two
 * functions over two fixed channels; never `ipcRenderer` itself, `send`, or `process`.
 * Main validates the method and input and checks the sender.
 */
const bridge: PosBridge = {
  invoke: (method, input) => ipcRenderer.invoke(POS_INVOKE_CHANNEL, method, input),
  on: (event, callback) => {
    if (typeof event !== 'string' || typeof callback !== 'function') {
      throw new TypeError('pos.on(event, callback) needs an event name and a function');
    }
    const listener = (_e: IpcRendererEvent, message: unknown): void => {
      if (isPosEventMessage(message) && message.event === event) callback(message.payload);
    };
    ipcRenderer.on(POS_EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(POS_EVENT_CHANNEL, listener);
    };
  },
};

contextBridge.exposeInMainWorld('pos', Object.freeze(bridge));
