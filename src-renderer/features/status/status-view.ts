import type { Params } from '../../i18n/errors';
import type { MessageKey } from '../../i18n/messages/en';
import type { DeviceView, StatusState } from '../../state/status.slice';

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

/** Connectivity in words: what it means for the cashier. */
export function connectivityKey(c: StatusState['connectivity']): { label: MessageKey; hint: MessageKey; tone: Tone } {
  switch (c) {
    case 'online':
      return { label: 'status.online', hint: 'status.onlineHint', tone: 'good' };
    case 'offline':
      return { label: 'status.offline', hint: 'status.offlineHint', tone: 'warn' };
    case 'standalone':
      return { label: 'status.standalone', hint: 'status.standaloneHint', tone: 'neutral' };
    default:
      return { label: 'status.checking', hint: 'status.checking', tone: 'neutral' };
  }
}

const TONES: Record<string, Tone> = {
  ready: 'good',
  printing: 'good',
  connecting: 'warn',
  paper_near_end: 'warn',
  paper_out: 'bad',
  cover_open: 'bad',
  offline: 'bad',
  unavailable: 'bad',
  error: 'bad',
};

const PRINTER_KEYS: Record<string, MessageKey> = {
  ready: 'printer.ready',
  printing: 'printer.printing',
  connecting: 'printer.connecting',
  paper_near_end: 'printer.paperNearEnd',
  paper_out: 'printer.paperOut',
  cover_open: 'printer.coverOpen',
  offline: 'printer.offline',
  unavailable: 'printer.unavailable',
  error: 'printer.error',
};

const SCANNER_KEYS: Record<string, MessageKey> = {
  ready: 'scanner.ready',
  connecting: 'scanner.connecting',
  offline: 'scanner.offline',
  unavailable: 'scanner.unavailable',
  error: 'scanner.error',
};

export interface DeviceLine {
  key: MessageKey;
  tone: Tone;
  message: string;
}

const RANK: Record<Tone, number> = { bad: 3, warn: 2, good: 1, neutral: 0 };
const toneOf = (state: string): Tone => TONES[state] ?? 'bad';

/** The worst state of each kind of device, in words ("Printer: out of paper"). */
export function deviceSummary(devices: Record<string, DeviceView>, known: boolean): { printer: DeviceLine; scanner: DeviceLine } {
  const worst = (kind: 'printer' | 'scanner'): DeviceView | null => {
    let pick: DeviceView | null = null;
    for (const d of Object.values(devices)) {
      if (d.device === kind && (!pick || RANK[toneOf(d.state)] > RANK[toneOf(pick.state)])) pick = d;
    }
    return pick;
  };
  const p = worst('printer');
  const sc = worst('scanner');
  return {
    printer: p
      ? { key: PRINTER_KEYS[p.state] ?? 'printer.error', tone: toneOf(p.state), message: p.message }
      : { key: known ? 'printer.none' : 'printer.unknown', tone: 'neutral', message: '' },
    scanner: sc
      ? { key: SCANNER_KEYS[sc.state] ?? 'scanner.error', tone: toneOf(sc.state), message: sc.message }
      : { key: 'scanner.keyboardOnly', tone: 'neutral', message: '' },
  };
}

/** Last sync and changes waiting, from the sync agent; "not set up" on a standalone till. */
export function syncSummary(s: Pick<StatusState, 'sync' | 'connectivity'>, time: (iso: string) => string): { key: MessageKey; params: Params; tone: Tone } {
  const sync = s.sync;
  if (!sync || sync.state === 'standalone') return { key: 'status.syncNotSetUp', params: {}, tone: 'neutral' };
  if (sync.clockWarning) return { key: 'status.clockWarning', params: {}, tone: 'warn' };
  // A new till loading the store's members from head office: trading goes on meanwhile.
  if (sync.bootstrap) return { key: 'status.syncBootstrapping', params: { members: sync.bootstrap.membersLoaded }, tone: 'warn' };
  const last = sync.lastSuccessAt ? time(sync.lastSuccessAt) : '—';
  const tone: Tone = sync.problems > 0 ? 'warn' : s.connectivity === 'offline' ? 'warn' : 'neutral';
  return { key: sync.pending > 0 ? 'status.syncWaiting' : 'status.syncDone', params: { time: last, pending: sync.pending }, tone };
}
