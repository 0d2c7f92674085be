import { z } from 'zod';
import type { MethodSpec } from './access';

/**
 * The devices area of the PosApi contract (method name -> zod input schema) and its outputs:
 * scanners, the receipt printer and its persistent print queue, and the keyboard-wedge
 * settings the renderer uses. contract.ts merges every area into the one contract.
 * See docs/hardware.md.
 */

const approval = z.object({ staffId: z.string().min(1).max(100), pin: z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits') });
const deviceId = z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9._:-]+$/, 'a device id is letters, digits and . _ : -');
const devicePath = z.string().trim().min(1).max(200).regex(/^\//, 'a device path is absolute, e.g. /dev/ttyACM0');
const usbId = z.number().int().min(0).max(0xffff);
const filePath = z.string().trim().min(1).max(400).regex(/^\//, 'a file path is absolute, e.g. /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc');

export const serialScannerConfigSchema = z.object({
  id: deviceId,
  type: z.literal('serial'),
  path: devicePath,
  baudRate: z.number().int().min(1200).max(921_600).default(9600),
  terminator: z.enum(['CR', 'LF', 'CRLF']).default('CR'),
});

export const hidScannerConfigSchema = z
  .object({
    id: deviceId,
    type: z.literal('hid-pos'),
    vendorId: usbId.optional(),
    productId: usbId.optional(),
    /** A hidraw path instead of ids. */
    path: devicePath.optional(),
  })
  .refine((v) => v.path !== undefined || v.vendorId !== undefined, { message: 'give vendorId (and productId) or path', path: ['vendorId'] });

export const scannerConfigSchema = z.union([serialScannerConfigSchema, hidScannerConfigSchema]);

export const printerConnectionSchema = z.discriminatedUnion('transport', [
  z.object({
    transport: z.literal('serial'),
    path: devicePath,
    baudRate: z.number().int().min(1200).max(921_600).default(38_400),
    rtscts: z.boolean().default(false),
    xonxoff: z.boolean().default(false),
  }),
  z.object({
    transport: z.literal('tcp'),
    host: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:_-]+$/, 'a host name or IP address'),
    port: z.number().int().min(1).max(65_535).default(9100),
  }),
  z.object({ transport: z.literal('usb-lp'), path: devicePath }),
]);

export const RECEIPT_LANGUAGES = ['en', 'zh-Hans', 'zh-Hant'] as const;

export const printerConfigSchema = z.object({
  connection: printerConnectionSchema,
  /** 80 mm paper: 48 columns; 58 mm: 32. `columns` overrides (42 for 512-dot Epson heads). */
  paperWidth: z.union([z.literal(80), z.literal(58)]).default(80),
  columns: z.number().int().min(24).max(64).optional(),
  /** The printer's Chinese font encoding (see its self-test page). */
  encoding: z.enum(['gb18030', 'gbk', 'big5']).default('gb18030'),
  /** FS & (Chinese mode on) for printers with a Chinese font; false for US/EU models. */
  chineseMode: z.boolean().default(true),
  /** Single-byte code page used when Chinese mode is off. */
  codePage: z.enum(['cp437', 'cp850', 'cp858']).default('cp437'),
  /**
   * Chinese mode off (no Chinese font): lines with Chinese are printed as images drawn with this
   * outline font (.otf/.ttf/.ttc). Default: Noto Sans CJK (Debian's fonts-noto-cjk), face
   * NotoSansMonoCJKsc-Regular (NotoSansMonoCJKtc-Regular for zh-Hant receipts).
   */
  rasterFont: z.object({ path: filePath.optional(), face: z.string().trim().min(1).max(100).optional() }).optional(),
  /** The printer supports Automatic Status Back (GS a): switched on at connect, so paper out and cover open show at once. */
  autoStatusBack: z.boolean().optional(),
  language: z.enum(RECEIPT_LANGUAGES).default('zh-Hans'),
  cut: z.enum(['partial', 'full', 'none']).default('partial'),
  /** Kick the cash drawer at the end of each sale receipt. */
  openDrawer: z.boolean().default(false),
  /** Print a receipt for every sale and refund (jobs are written in the sale's transaction). */
  autoPrint: z.boolean().default(true),
  /** Printed under the store name (address, phone). */
  headerLines: z.array(z.string().max(64)).max(4).default([]),
  footerLines: z.array(z.string().max(64)).max(4).default([]),
  /** Terminal name printed on receipts; defaults to the start of the terminal id. */
  terminalLabel: z.string().trim().max(20).optional(),
});

export const keyboardWedgeConfigSchema = z.object({
  enabled: z.boolean().default(true),
  /** Longest gap between two keys of one scan. Scanners type at 10 to 100 ms per key; people at 100+. */
  maxInterKeyMs: z.number().int().min(5).max(300).default(50),
  /** Shortest scan (without the terminator). */
  minLength: z.number().int().min(2).max(64).default(6),
  /** What ends a scan; `none`: a fast burst ends when the keys stop for `timeoutMs`. */
  terminator: z.enum(['Enter', 'Tab', 'EnterOrTab', 'none']).default('Enter'),
  /** With terminator `none`: silence that ends a scan. Otherwise: silence after which a burst is given back as typing. */
  timeoutMs: z.number().int().min(20).max(2000).default(150),
});

export const DEFAULT_KEYBOARD_WEDGE: KeyboardWedgeConfig = {
  enabled: true,
  maxInterKeyMs: 50,
  minLength: 6,
  terminator: 'Enter',
  timeoutMs: 150,
};

export const deviceConfigSchema = z
  .object({
    scanners: z.array(scannerConfigSchema).max(8).default([]),
    printer: printerConfigSchema.nullable().default(null),
    keyboardWedge: keyboardWedgeConfigSchema.prefault({}),
  })
  .refine((v) => new Set(v.scanners.map((s) => s.id)).size === v.scanners.length, { message: 'scanner ids must be unique', path: ['scanners'] });

export type ScannerConfig = z.output<typeof scannerConfigSchema>;
export type PrinterConnectionConfig = z.output<typeof printerConnectionSchema>;
export type PrinterConfig = z.output<typeof printerConfigSchema>;
export type KeyboardWedgeConfig = z.output<typeof keyboardWedgeConfigSchema>;
export type DeviceConfig = z.output<typeof deviceConfigSchema>;
export type DeviceConfigInput = z.input<typeof deviceConfigSchema>;

export const PRINT_JOB_KINDS = ['receipt', 'refund_receipt', 'reprint', 'test', 'end_of_day'] as const;
export type PrintJobKind = (typeof PRINT_JOB_KINDS)[number];
export const PRINT_JOB_STATES = ['queued', 'printing', 'printed', 'needs_check', 'failed_permanently', 'cancelled'] as const;
export type PrintJobState = (typeof PRINT_JOB_STATES)[number];

export const devicesContract = {
  'devices.list': { access: 'staff', writes: false, input: z.object({}).strict() },
  'devices.configure': { access: 'approval', writes: true, input: z.object({ config: deviceConfigSchema, approval }) },
  'devices.status': { access: 'none', writes: false, input: z.object({}).strict() },
  'devices.testPrint': { access: 'staff', writes: false, input: z.object({ waitMs: z.number().int().min(0).max(30_000).default(10_000) }) },
  'devices.testScan': { access: 'staff', writes: false, input: z.object({ timeoutMs: z.number().int().min(100).max(60_000).default(15_000) }) },
  'printer.queue': { access: 'staff', writes: false,
    input: z.object({
      limit: z.number().int().min(1).max(200).default(20),
      states: z.array(z.enum(PRINT_JOB_STATES)).max(PRINT_JOB_STATES.length).optional(),
    }),
  },
  'printer.reprint': { access: 'staff', writes: true, input: z.object({ receiptNo: z.string().trim().min(1).max(100).optional() }) },
  'printer.resolveJob': { access: 'staff', writes: true, input: z.object({ jobId: z.string().min(1).max(100), action: z.enum(['printed', 'reprint', 'cancel']) }) },
} as const satisfies Record<string, MethodSpec>;

// ------------------------------------------------------------------------------------- outputs

/** Where a device stands, as the cashier sees it. */
export type DeviceState = 'ready' | 'connecting' | 'offline' | 'unavailable' | 'paper_out' | 'paper_near_end' | 'cover_open' | 'error' | 'printing';

export type ModuleAvailability<T> = { available: true; items: T[] } | { available: false; reason: string; items: [] };

export interface SerialPortInfoDto {
  path: string;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
  pnpId: string | null;
}

export interface HidDeviceInfoDto {
  path: string | null;
  vendorId: number;
  productId: number;
  product: string | null;
  manufacturer: string | null;
  usagePage: number | null;
  usage: number | null;
  /** Usage page 0x8C: a HID POS bar code scanner. */
  hidPos: boolean;
}

export interface DeviceListDto {
  serialPorts: ModuleAvailability<SerialPortInfoDto>;
  hidDevices: ModuleAvailability<HidDeviceInfoDto>;
  /** USB printer-class devices (/dev/usb/lp*). */
  usbPrinters: string[];
}

export interface ScannerStatusDto {
  id: string;
  type: 'serial' | 'hid-pos';
  state: DeviceState;
  message: string;
  lastScanAt: string | null;
}

export interface PrinterStatusDto {
  target: string;
  state: DeviceState;
  message: string;
  /** Jobs waiting to print, and jobs the cashier must check (printing when the till stopped). */
  queued: number;
  needsCheck: number;
  checkedAt: string | null;
}

export interface DevicesStatusDto {
  config: DeviceConfig;
  scanners: ScannerStatusDto[];
  printer: PrinterStatusDto | null;
  /** Jobs needing a decision even when no printer is configured now. */
  needsCheck: number;
}

export interface PrintJobDto {
  id: string;
  kind: PrintJobKind;
  state: PrintJobState;
  /** What it is, for the queue screen: 'Receipt 20260615-0001', 'Test page'... */
  title: string;
  receiptNo: string | null;
  saleId: string | null;
  refundId: string | null;
  reprintOf: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  printedAt: string | null;
}

export interface PrintQueueDto {
  printer: PrinterStatusDto | null;
  jobs: PrintJobDto[];
}

export interface TestScanDto {
  raw: string;
  source: 'serial' | 'hid-pos';
  deviceId: string;
  at: string;
  /** What classifyScan made of it. */
  classified: { kind: 'member_card' | 'product' | 'unknown'; detail: string };
}

export interface DevicesOutputs {
  'devices.list': DeviceListDto;
  'devices.configure': DevicesStatusDto;
  'devices.status': DevicesStatusDto;
  'devices.testPrint': PrintJobDto;
  'devices.testScan': TestScanDto;
  'printer.queue': PrintQueueDto;
  'printer.reprint': PrintJobDto;
  'printer.resolveJob': PrintJobDto;
}
