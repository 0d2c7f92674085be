/**
 * One place where scans reach the screen: codes from the core's scanners (`scan.received`,
 * serial and USB HID POS) and keyboard-wedge scans detected in this window go to the same
 * handler. Call it once, in the app root:
 *
 *   useScanner({ onScan: (raw) => store.getState().checkoutCodeScanned(raw) });
 *
 * By default it listens to the core through the page's own transport (Electron IPC or the
 * loopback bridge's event stream) and reads the keyboard-wedge timings from `devices.status`.
 */
import { useEffect, useRef, useState } from 'react';
import type { KeyboardWedgeConfig } from '../../src-shared/api/contract-devices';
import type { Result } from '../../src-shared/api/dto';
import { selectTransport } from '../api/select-transport';
import type { Transport } from '../api/transports';
import { attachKeyboardWedge } from './keyboard-wedge';
import { DEFAULT_WEDGE_SETTINGS, type WedgeSettings } from './wedge-detector';

export type ScanOrigin = 'keyboard' | 'serial' | 'hid-pos';

/** What the hook needs of a transport: core events and one call. */
export type ScanEventSource = Pick<Transport, 'on' | 'invoke'>;

let shared: ScanEventSource | null = null;
/** The page's transport (a second handle on the same IPC bridge or loopback event stream). */
function defaultSource(): ScanEventSource {
  shared ??= selectTransport();
  return shared;
}

export interface UseScannerOptions {
  onScan: (raw: string, origin: ScanOrigin) => void;
  /** Where `scan.received` and the wedge settings come from; default: the page's transport. */
  source?: ScanEventSource;
  /** Fixed keyboard-wedge settings (tests); default: the core's `devices.status`. */
  wedge?: (WedgeSettings & { enabled: boolean }) | null;
}

export function useScanner(options: UseScannerOptions): void {
  const onScan = useRef(options.onScan);
  onScan.current = options.onScan;
  const [source] = useState<ScanEventSource>(() => options.source ?? defaultSource());
  const [wedge, setWedge] = useState<(WedgeSettings & { enabled: boolean }) | null>(options.wedge ?? null);

  // The core's scanners.
  useEffect(
    () =>
      source.on('scan.received', (payload) => {
        const p = payload as { raw?: unknown; source?: unknown };
        if (typeof p.raw !== 'string') return;
        const origin: ScanOrigin = p.source === 'hid-pos' ? 'hid-pos' : p.source === 'keyboard' ? 'keyboard' : 'serial';
        onScan.current(p.raw, origin);
      }),
    [source],
  );

  // The keyboard-wedge settings from the core (once; defaults until they arrive).
  useEffect(() => {
    if (options.wedge) return;
    let live = true;
    source.invoke('devices.status', {}).then(
      (r: Result<unknown>) => {
        if (!live || !r.ok) return;
        const k = (r.value as { config?: { keyboardWedge?: KeyboardWedgeConfig } }).config?.keyboardWedge;
        if (k) setWedge(k);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [source, options.wedge]);

  // Keyboard-wedge scans typed into this window.
  const settings = wedge ?? { ...DEFAULT_WEDGE_SETTINGS, enabled: true };
  const { enabled, maxInterKeyMs, minLength, terminator, timeoutMs } = settings;
  useEffect(() => {
    if (!enabled) return;
    const w = attachKeyboardWedge(window, (scan) => onScan.current(scan.raw, 'keyboard'), { maxInterKeyMs, minLength, terminator, timeoutMs });
    return () => w.detach();
  }, [enabled, maxInterKeyMs, minLength, terminator, timeoutMs]);
}
