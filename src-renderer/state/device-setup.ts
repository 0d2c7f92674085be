// Types only: the zod schemas stay out of the page (zod probes `new Function`, which the page's CSP forbids).
import type { DeviceConfig, DeviceConfigInput, PrinterConfig, ScannerConfig } from '../../src-shared/api/contract-devices';
import { localError, type UiError } from '../i18n/errors';

/**
 * The device set-up form (Settings, managers): what a store manager chooses, and how it becomes
 * the `devices.configure` settings. Pure functions, so the form is tested without a browser.
 * Everything the form does not show (receipt header lines, cut, cash drawer, other scanners a
 * technician added, keyboard-wedge timings...) is kept from the settings in force.
 */
export interface DeviceForm {
  /** Keyboard scanners always work; a USB HID POS or serial scanner is added to them. */
  scanner: 'keyboard' | 'hid-pos' | 'serial';
  /** USB ids as `vendor:product` in hex (as `lsusb` shows them), e.g. `0c2e:0b6a`. */
  hidIds: string;
  scannerPath: string;
  scannerBaud: number;
  scannerTerminator: 'CR' | 'LF' | 'CRLF';
  printer: 'none' | 'serial' | 'tcp' | 'usb-lp';
  printerPath: string;
  printerBaud: number;
  printerHost: string;
  printerPort: string;
  usbPath: string;
  paperWidth: 58 | 80;
  encoding: PrinterConfig['encoding'];
  /** The printer has a Chinese font (Chinese mode on); off: text is printed as images where needed. */
  chineseMode: boolean;
  language: PrinterConfig['language'];
}

export const BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;
export const SCANNER_ID = 'counter-scanner';

export const EMPTY_DEVICE_FORM: DeviceForm = {
  scanner: 'keyboard',
  hidIds: '',
  scannerPath: '',
  scannerBaud: 9600,
  scannerTerminator: 'CR',
  printer: 'none',
  printerPath: '',
  printerBaud: 38400,
  printerHost: '',
  printerPort: '9100',
  usbPath: '',
  paperWidth: 80,
  encoding: 'gb18030',
  chineseMode: true,
  language: 'zh-Hans',
};

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** The form as the settings in force fill it (the first scanner is the one the form edits). */
export function formFromConfig(config: DeviceConfig | null): DeviceForm {
  const f: DeviceForm = { ...EMPTY_DEVICE_FORM };
  const sc = config?.scanners[0];
  if (sc?.type === 'serial') Object.assign(f, { scanner: 'serial', scannerPath: sc.path, scannerBaud: sc.baudRate, scannerTerminator: sc.terminator });
  if (sc?.type === 'hid-pos') {
    Object.assign(f, { scanner: 'hid-pos', hidIds: sc.vendorId !== undefined ? `${hex4(sc.vendorId)}:${hex4(sc.productId ?? 0)}` : (sc.path ?? '') });
  }
  const p = config?.printer;
  if (p) {
    Object.assign(f, { paperWidth: p.paperWidth, encoding: p.encoding, chineseMode: p.chineseMode, language: p.language });
    const c = p.connection;
    if (c.transport === 'serial') Object.assign(f, { printer: 'serial', printerPath: c.path, printerBaud: c.baudRate });
    if (c.transport === 'tcp') Object.assign(f, { printer: 'tcp', printerHost: c.host, printerPort: String(c.port) });
    if (c.transport === 'usb-lp') Object.assign(f, { printer: 'usb-lp', usbPath: c.path });
  }
  return f;
}

export type FormResult = { ok: true; config: DeviceConfigInput } | { ok: false; error: UiError; field: keyof DeviceForm };

const isDevicePath = (p: string): boolean => /^\/\S+$/.test(p);

/** The settings to send, or the first problem in words (with the field to fix). */
export function configFromForm(form: DeviceForm, current: DeviceConfig | null): FormResult {
  const fail = (field: keyof DeviceForm, key: Parameters<typeof localError>[0]): FormResult => ({ ok: false, error: localError(key), field });
  const kept = current?.scanners.slice(1) ?? [];
  const keptId = current?.scanners[0]?.id ?? SCANNER_ID;
  const id = kept.some((s) => s.id === keptId) ? SCANNER_ID : keptId;
  let scanner: ScannerConfig | null = null;
  if (form.scanner === 'serial') {
    const path = form.scannerPath.trim();
    if (!isDevicePath(path)) return fail('scannerPath', 'deviceSetup.pathRequired');
    scanner = { id, type: 'serial', path, baudRate: form.scannerBaud, terminator: form.scannerTerminator };
  } else if (form.scanner === 'hid-pos') {
    const ids = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(form.hidIds.trim());
    const path = form.hidIds.trim();
    if (ids) scanner = { id, type: 'hid-pos', vendorId: parseInt(ids[1]!, 16), productId: parseInt(ids[2]!, 16) };
    else if (isDevicePath(path)) scanner = { id, type: 'hid-pos', path };
    else return fail('hidIds', 'deviceSetup.hidIdsRequired');
  }

  let printer: DeviceConfigInput['printer'] = null;
  if (form.printer !== 'none') {
    let connection: PrinterConfig['connection'];
    const before = current?.printer?.connection;
    if (form.printer === 'serial') {
      const path = form.printerPath.trim();
      if (!isDevicePath(path)) return fail('printerPath', 'deviceSetup.pathRequired');
      connection = {
        transport: 'serial',
        path,
        baudRate: form.printerBaud,
        rtscts: before?.transport === 'serial' ? before.rtscts : false,
        xonxoff: before?.transport === 'serial' ? before.xonxoff : false,
      };
    } else if (form.printer === 'tcp') {
      const host = form.printerHost.trim();
      const port = Number(form.printerPort.trim());
      if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(host)) return fail('printerHost', 'deviceSetup.hostRequired');
      if (!Number.isInteger(port) || port < 1 || port > 65_535) return fail('printerPort', 'deviceSetup.portInvalid');
      connection = { transport: 'tcp', host, port };
    } else {
      const path = form.usbPath.trim();
      if (!isDevicePath(path)) return fail('usbPath', 'deviceSetup.pathRequired');
      connection = { transport: 'usb-lp', path };
    }
    const base = current?.printer ?? null;
    printer = {
      ...(base ?? {}),
      connection,
      paperWidth: form.paperWidth,
      encoding: form.encoding,
      chineseMode: form.chineseMode,
      language: form.language,
    };
    // Columns set by a technician for one paper width do not fit the other.
    if (base && base.paperWidth !== form.paperWidth) delete printer.columns;
  }

  // The core checks the whole with the contract's schema (INVALID_INPUT lists what is wrong).
  return { ok: true, config: { scanners: scanner ? [scanner, ...kept] : kept, printer, keyboardWedge: current?.keyboardWedge ?? {} } };
}
