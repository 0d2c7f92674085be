/**
 * Events the terminal core pushes to the UI: over Electron IPC (`window.pos.on`) and over the
 * HTTP bridge's event stream (`GET /api/events`, server-sent events). Names are `area.pastTense`
 * or `area.status`. Areas add their events to this map.
 */
import type { DisplayStateDto } from './contract-reports';

export interface ScanReceivedEvent {
  /** The raw code as the scanner sent it (the UI passes it to `members.scan`). */
  raw: string;
  source: 'hid-pos' | 'serial' | 'keyboard';
  /** Epoch milliseconds. */
  at: number;
}

export interface DeviceStatusEvent {
  device: 'printer' | 'scanner';
  id: string;
  state: 'ready' | 'connecting' | 'unavailable' | 'error' | 'paper_out' | 'paper_near_end' | 'cover_open' | 'offline' | 'printing';
  /** English, for the cashier's status line (the UI may translate by `state`). */
  message: string;
  /** A one-off problem (half a scan, garbage bytes): show the message; the device's state is unchanged. */
  transient?: boolean;
  /** Printer only: jobs waiting, and jobs the cashier must check (printing when the till stopped). */
  queued?: number;
  needsCheck?: number;
}

export interface PosEvents {
  'scan.received': ScanReceivedEvent;
  'devices.status': DeviceStatusEvent;
  /** Something changed that screens showing members or sales should refresh. */
  'ledger.changed': { memberIds: string[] };
  /** The customer display's state changed (reports area: `display.update`). */
  'display.changed': DisplayStateDto;
}

export type PosEventName = keyof PosEvents;

export const POS_EVENT_NAMES: readonly PosEventName[] = ['scan.received', 'devices.status', 'ledger.changed', 'display.changed'];
