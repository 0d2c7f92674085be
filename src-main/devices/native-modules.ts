/**
 * Lazy loading of the native device modules. node-hid's Linux build needs libudev.so.1 and
 * libusb-1.0.so.0 at load time, and serialport's binding needs a glibc >= 2.28 prebuild; if
 * either fails to load, only the sources that need it are disabled, with a clear message,
 * and the till keeps trading with the others.
 */
import type * as SerialPortModule from 'serialport';
import { errorMessage } from './printer/transport';

export type LoadResult<T> = { ok: true; module: T } | { ok: false; message: string };

export type SerialPortModuleType = typeof SerialPortModule;
export type SerialPortClass = SerialPortModuleType['SerialPort'];

let serialPortPromise: Promise<LoadResult<SerialPortModuleType>> | null = null;

/** Loads `serialport` once; later calls share the result. */
export function loadSerialPortModule(): Promise<LoadResult<SerialPortModuleType>> {
  serialPortPromise ??= import('serialport').then(
    (mod): LoadResult<SerialPortModuleType> => ({ ok: true, module: mod }),
    (err: unknown): LoadResult<SerialPortModuleType> => ({
      ok: false,
      message: `Serial devices are unavailable: the serialport module could not be loaded (${errorMessage(err)}). Other devices still work.`,
    }),
  );
  return serialPortPromise;
}

/** Turns an open() error on a serial device into advice a shop owner can act on. */
export function explainSerialOpenError(path: string, err: unknown): string {
  const msg = errorMessage(err);
  if (/EACCES|Permission denied/i.test(msg)) {
    return `No permission to open ${path}: add the till's user to the 'dialout' group or install the udev rule from docs/hardware.md (${msg})`;
  }
  if (/ENOENT|No such file/i.test(msg)) {
    return `${path} is not there: the device is unplugged or switched off (${msg})`;
  }
  if (/EBUSY|lock|Resource temporarily unavailable/i.test(msg)) {
    return `${path} is in use by another program (ModemManager probes ttyACM devices; see docs/hardware.md) (${msg})`;
  }
  return `Cannot open ${path}: ${msg}`;
}
