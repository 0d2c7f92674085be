/**
 * What every scanner source (serial, USB HID POS, and the renderer's keyboard-wedge detector
 * when it reports to main) gives the terminal: raw scans, errors and status changes.
 * Classification (member card / product / unknown) happens later, in src-shared/cards.
 */

export type ScanSourceKind = 'serial' | 'hid-pos' | 'keyboard-wedge';

export interface ScanEvent {
  /** The decoded text of one scan, terminator removed, otherwise untouched (classifyScan cleans it). */
  raw: string;
  source: ScanSourceKind;
  /** Epoch milliseconds when the scan was complete. */
  at: number;
  /** AIM symbology identifier when the device reports it separately (HID POS), e.g. ']E0'. */
  symbology?: string;
  /** Which configured device it came from. */
  deviceId?: string;
}

export type ScanErrorCode =
  /** Bytes arrived but the terminator never did within the inter-byte timeout: half a scan, discarded. */
  | 'partial_scan'
  /** More bytes than `maxLength` without a terminator: discarded up to the next terminator. */
  | 'overlong_scan'
  /** A HID report that does not fit the HID POS layout. */
  | 'bad_report'
  /** The port or device reported an I/O error. */
  | 'io_error';

export interface ScanErrorEvent {
  code: ScanErrorCode;
  /** English, for the cashier's message line and logs; the UI translates by `code`. */
  message: string;
  source: ScanSourceKind;
  at: number;
  /** How many bytes were discarded, when that applies. */
  discardedBytes?: number;
  deviceId?: string;
}

export type ScanSourceState =
  /** Created, not started. */
  | 'idle'
  /** Opening the port/device. */
  | 'connecting'
  /** Open and listening. */
  | 'ready'
  /** Was open (or configured) but the device is gone; retrying. */
  | 'disconnected'
  /** This kind of source cannot work on this machine (module failed to load, no permission...). */
  | 'unavailable'
  /** Stopped by the app. */
  | 'stopped';

export interface ScanSourceStatus {
  state: ScanSourceState;
  /** English explanation for the device screen, e.g. "Waiting for /dev/ttyACM0 to come back". */
  message: string;
  source: ScanSourceKind;
  at: number;
  deviceId?: string;
}

export interface ScanSourceEvents extends Record<string, unknown> {
  scan: ScanEvent;
  error: ScanErrorEvent;
  status: ScanSourceStatus;
}

export interface ScanSource {
  readonly kind: ScanSourceKind;
  readonly deviceId: string;
  /** Starts listening. Never rejects because a device is missing: it reports that through status and retries. */
  start(): Promise<void>;
  /** Stops listening and releases the device. */
  stop(): Promise<void>;
  status(): ScanSourceStatus;
  on<K extends keyof ScanSourceEvents>(event: K, listener: (payload: ScanSourceEvents[K]) => void): () => void;
}
