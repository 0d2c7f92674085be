import { createStore, type StoreApi } from 'zustand/vanilla';
import { createApprovalSlice } from './approval.slice';
import { createCheckoutSlice } from './checkout.slice';
import { createDrawerSlice } from './drawer.slice';
import { createMembersSlice } from './members.slice';
import { createMoneySlice } from './money.slice';
import { createNavSlice } from './nav.slice';
import { createRefundSlice } from './refund.slice';
import { createReportsSlice } from './reports.slice';
import { createSessionSlice } from './session.slice';
import { watchSessionEnd } from './session-watch';
import { createSettingsSlice } from './settings.slice';
import { createStaffAdminSlice } from './staff-admin.slice';
import { createStatusSlice } from './status.slice';
import { createTerminalSlice } from './terminal.slice';
import type { AppState, ResolvedDeps, StoreDeps } from './types';

export type { AppState, StoreDeps } from './types';
export type AppStore = StoreApi<AppState>;

let fallbackKeys = 0;
/** Unique enough for tests without crypto; the page passes time-ordered UUIDv7 keys (main.tsx). */
function defaultKey(): string {
  fallbackKeys++;
  return `key-${Date.now().toString(36)}-${fallbackKeys.toString(36).padStart(4, '0')}`;
}

/**
 * One store, slices combined here (middlewares, if any, only here). A vanilla store so it can
 * be created per test and provided to React through context. All I/O goes through `deps.api`.
 */
export function createAppStore(deps: StoreDeps): AppStore {
  let store: AppStore | null = null;
  const d: ResolvedDeps = {
    api: watchSessionEnd(deps.api, (reason) => void store?.getState().sessionEndedByCore(reason)),
    transportKind: deps.transportKind,
    newKey: deps.newKey ?? defaultKey,
    now: deps.now ?? (() => Date.now()),
    storage: deps.storage ?? null,
  };
  store = createStore<AppState>()((...a) => ({
    ...createTerminalSlice(d)(...a),
    ...createSettingsSlice(d)(...a),
    ...createStatusSlice(d)(...a),
    ...createSessionSlice(d)(...a),
    ...createNavSlice(d)(...a),
    ...createApprovalSlice(d)(...a),
    ...createMoneySlice(d)(...a),
    ...createDrawerSlice(d)(...a),
    ...createCheckoutSlice(d)(...a),
    ...createRefundSlice(d)(...a),
    ...createMembersSlice(d)(...a),
    ...createReportsSlice(d)(...a),
    ...createStaffAdminSlice(d)(...a),
  }));
  return store;
}
