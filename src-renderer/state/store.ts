import { createStore, type StoreApi } from 'zustand/vanilla';
import { createMembersSlice } from './members.slice';
import { createSessionSlice } from './session.slice';
import { createTerminalSlice } from './terminal.slice';
import type { AppState, StoreDeps } from './types';

export type { AppState, StoreDeps } from './types';
export type AppStore = StoreApi<AppState>;

/**
 * One store, slices combined here (middlewares, if any, only here). A vanilla store so it can
 * be created per test and provided to React through context.
 */
export function createAppStore(deps: StoreDeps): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createTerminalSlice(deps)(...a),
    ...createSessionSlice(deps)(...a),
    ...createMembersSlice(deps)(...a),
  }));
}
