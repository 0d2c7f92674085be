/**
 * Events the terminal core pushes to the UI: over Electron IPC (`window.pos.on`) and over the
 * HTTP bridge's event stream (`GET /api/events`, server-sent events). Names are `area.pastTense`
 * or `area.status`. Areas add their events to this map.
 */
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
  state: 'ready' | 'unavailable' | 'error' | 'paper_out' | 'paper_near_end' | 'cover_open' | 'offline' | 'printing';
  message: string;
}

export interface PosEvents {
  'scan.received': ScanReceivedEvent;
  'devices.status': DeviceStatusEvent;
  /** Something changed that screens showing members or sales should refresh. */
  'ledger.changed': { memberIds: string[] };
}

export type PosEventName = keyof PosEvents;

export const POS_EVENT_NAMES: readonly PosEventName[] = ['scan.received', 'devices.status', 'ledger.changed'];
