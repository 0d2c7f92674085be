import type { StateCreator } from 'zustand/vanilla';
import type { PosApi } from '../../src-shared/api/contract';
import type { TransportKind } from '../api/transports';
import type { ApprovalSlice } from './approval.slice';
import type { CheckoutSlice } from './checkout.slice';
import type { DrawerSlice } from './drawer.slice';
import type { MembersSlice } from './members.slice';
import type { MoneySlice } from './money.slice';
import type { NavSlice } from './nav.slice';
import type { RefundSlice } from './refund.slice';
import type { ReportsSlice } from './reports.slice';
import type { SessionSlice } from './session.slice';
import type { SettingsSlice } from './settings.slice';
import type { StaffAdminSlice } from './staff-admin.slice';
import type { StatusSlice } from './status.slice';
import type { TerminalSlice } from './terminal.slice';

/** A small key/value store (localStorage in the page, a Map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What the store needs from outside, injected so tests use the in-memory transport and fixed clocks. */
export interface StoreDeps {
  api: PosApi;
  transportKind: TransportKind;
  /** A fresh idempotency key (a UUIDv7 in the page: time-ordered, so the till appends it to its key indexes). */
  newKey?: () => string;
  /** Wall clock in epoch ms (idle lock). */
  now?: () => number;
  /** Where settings and the sale in progress survive a reload; null: nowhere. */
  storage?: KeyValueStorage | null;
}

export interface ResolvedDeps {
  api: PosApi;
  transportKind: TransportKind;
  newKey: () => string;
  now: () => number;
  storage: KeyValueStorage | null;
}

export type AppState = TerminalSlice &
  SessionSlice &
  SettingsSlice &
  StatusSlice &
  NavSlice &
  ApprovalSlice &
  MoneySlice &
  DrawerSlice &
  CheckoutSlice &
  RefundSlice &
  MembersSlice &
  ReportsSlice &
  StaffAdminSlice;

export type SliceCreator<S> = (deps: ResolvedDeps) => StateCreator<AppState, [], [], S>;
