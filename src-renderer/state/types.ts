import type { StateCreator } from 'zustand/vanilla';
import type { PosApi } from '../../src-shared/api/contract';
import type { TransportKind } from '../api/transports';
import type { MembersSlice } from './members.slice';
import type { SessionSlice } from './session.slice';
import type { TerminalSlice } from './terminal.slice';

/** What the store needs from outside: the API client (injected, so tests use the in-memory transport). */
export interface StoreDeps {
  api: PosApi;
  transportKind: TransportKind;
}

export type AppState = TerminalSlice & SessionSlice & MembersSlice;

export type SliceCreator<S> = (deps: StoreDeps) => StateCreator<AppState, [], [], S>;
