/**
 * What every scanner source (serial, USB HID POS, and the renderer's keyboard-wedge detector
 * when it reports to main) gives the terminal: raw scans, errors and status changes.
 * Classification (member card / product / unknown) happens later, in src-shared/cards.
 */
import { TypedEvents } from '../typed-events';

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

/** What a source says about a scan; the base adds the source kind, the time and the device id. */
export type ScanDetails = Omit<ScanEvent, 'source' | 'at' | 'deviceId'>;
/** What a source says about a problem; the base adds the source kind, the time and the device id. */
export type ScanErrorDetails = Omit<ScanErrorEvent, 'source' | 'at' | 'deviceId'>;

/**
 * The plumbing every device-backed source shares (serial, HID POS): typed events, the current
 * status (emitted only when it changes), and scan, error and status events stamped with the
 * source kind, the time and the device id. Subclasses open the device and parse its bytes.
 */
export abstract class ScanSourceBase<K extends ScanSourceKind> implements ScanSource {
  private readonly events = new TypedEvents<ScanSourceEvents>();
  private current: ScanSourceStatus;

  protected constructor(
    readonly kind: K,
    readonly deviceId: string,
    protected readonly now: () => number,
    initialMessage: string,
  ) {
    this.current = this.makeStatus('idle', initialMessage);
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  on<E extends keyof ScanSourceEvents>(event: E, listener: (payload: ScanSourceEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  status(): ScanSourceStatus {
    return this.current;
  }

  private makeStatus(state: ScanSourceState, message: string): ScanSourceStatus {
    return { state, message, source: this.kind, at: this.now(), deviceId: this.deviceId };
  }

  protected setStatus(state: ScanSourceState, message: string): void {
    if (this.current.state === state && this.current.message === message) return;
    this.current = this.makeStatus(state, message);
    this.events.emit('status', this.current);
  }

  protected emitScan(details: ScanDetails): void {
    this.events.emit('scan', { ...details, source: this.kind, at: this.now(), deviceId: this.deviceId });
  }

  protected emitError(details: ScanErrorDetails): void {
    this.events.emit('error', { ...details, source: this.kind, at: this.now(), deviceId: this.deviceId });
  }
}
