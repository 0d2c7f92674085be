/**
 * Pure parsing of USB HID POS barcode-scanner input reports (usage page 0x8C, "Bar Code
 * Scanner", HID Point of Sale Usage Tables 1.02), as Honeywell, Zebra, Datalogic and
 * Access-IS scanners send them in "HID POS" mode.
 *
 * Layout of a scanned-data report as node-hid (hidapi) returns it, i.e. with the report id
 * as byte 0 (Access-IS LSR118 manual; @point-of-sale/webhid-barcode-scanner uses the same
 * layout shifted by one because WebHID strips the id):
 *
 *   byte 0        report id (2)
 *   byte 1        number of data bytes in this report (0..56)
 *   bytes 2..4    AIM symbology identifier, e.g. ']E0' (or zeros when the scanner sends none)
 *   bytes 5..60   data
 *   bytes 61..62  vendor specific (extra symbology id)
 *   byte 63       1 when more reports of the same scan follow, 0 on the last one
 *
 * Long scans (a URL in a QR code) span several reports; HidPosScanAssembler joins them.
 */
import { TextDecoder } from 'node:util';

export const HID_POS_USAGE_PAGE = 0x8c;
/** Usage "Bar Code Scanner" on page 0x8C. */
export const HID_POS_USAGE_SCANNER = 0x02;

export interface HidPosLayout {
  /** hidapi/node-hid include the report id as byte 0 for numbered reports; WebHID does not. */
  includesReportId: boolean;
  /** Id of the scanned-data input report. Default 2. */
  reportId: number;
  /** Report size as received, report id byte included when present. Default 64. */
  reportLength: number;
}

export const NODE_HID_LAYOUT: HidPosLayout = { includesReportId: true, reportId: 2, reportLength: 64 };
export const WEBHID_LAYOUT: HidPosLayout = { includesReportId: false, reportId: 2, reportLength: 63 };

export interface HidPosReport {
  reportId: number | null;
  /** AIM symbology id (']Q1'), or '' when the scanner sent none. */
  symbology: string;
  data: Uint8Array;
  moreFollows: boolean;
}

export type HidPosParseResult =
  | { ok: true; report: HidPosReport }
  /** other_report: a different input report of the device (not scan data), safe to ignore. */
  | { ok: false; kind: 'other_report' | 'malformed'; message: string };

/** Bytes at the end of the report after the data area (two vendor bytes + the "more" flag). */
const TRAILER = 3;
const SYMBOLOGY_BYTES = 3;

/** Maximum data bytes one report carries under `layout` (56 for 64-byte node-hid reports). */
export function hidPosDataCapacity(layout: HidPosLayout = NODE_HID_LAYOUT): number {
  const header = (layout.includesReportId ? 1 : 0) + 1 + SYMBOLOGY_BYTES;
  return layout.reportLength - header - TRAILER;
}

function symbologyText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0) continue;
    if (b < 0x20 || b > 0x7e) return '';
    s += String.fromCharCode(b);
  }
  return s;
}

export function parseHidPosReport(bytes: Uint8Array, layout: HidPosLayout = NODE_HID_LAYOUT): HidPosParseResult {
  let offset = 0;
  let reportId: number | null = null;
  if (layout.includesReportId) {
    if (bytes.length === 0) return { ok: false, kind: 'malformed', message: 'Empty HID report' };
    reportId = bytes[0] ?? 0;
    if (reportId !== layout.reportId) {
      return { ok: false, kind: 'other_report', message: `Report id ${reportId} is not scanned data (${layout.reportId})` };
    }
    offset = 1;
  }
  if (bytes.length < layout.reportLength) {
    return {
      ok: false,
      kind: 'malformed',
      message: `HID POS report is ${bytes.length} bytes, expected ${layout.reportLength}`,
    };
  }
  const length = bytes[offset] ?? 0;
  const capacity = hidPosDataCapacity(layout);
  if (length > capacity) {
    return {
      ok: false,
      kind: 'malformed',
      message: `HID POS report claims ${length} data bytes but holds at most ${capacity}`,
    };
  }
  const symStart = offset + 1;
  const dataStart = symStart + SYMBOLOGY_BYTES;
  const more = bytes[layout.reportLength - 1] ?? 0;
  if (more > 1) {
    return { ok: false, kind: 'malformed', message: `HID POS "more data" flag is ${more}, expected 0 or 1` };
  }
  return {
    ok: true,
    report: {
      reportId,
      symbology: symbologyText(bytes.subarray(symStart, dataStart)),
      data: bytes.slice(dataStart, dataStart + length),
      moreFollows: more === 1,
    },
  };
}

export type AssembledScan =
  | { type: 'scan'; symbology: string; data: Uint8Array; reports: number }
  | { type: 'pending' }
  | { type: 'overflow'; discarded: number };

/** Joins the reports of one scan ("more data follows" = 1 on all but the last). */
export class HidPosScanAssembler {
  private parts: Uint8Array[] = [];
  private size = 0;
  private symbology = '';

  /** `maxBytes`: longest scan accepted (a QR code holds at most 7089 bytes). */
  constructor(private readonly maxBytes = 8192) {}

  get pendingBytes(): number {
    return this.size;
  }

  get pendingReports(): number {
    return this.parts.length;
  }

  push(report: HidPosReport): AssembledScan {
    if (this.parts.length === 0) this.symbology = report.symbology;
    this.parts.push(report.data);
    this.size += report.data.length;
    if (this.size > this.maxBytes) {
      const discarded = this.reset();
      return { type: 'overflow', discarded };
    }
    if (report.moreFollows) return { type: 'pending' };
    const data = new Uint8Array(this.size);
    let off = 0;
    for (const p of this.parts) {
      data.set(p, off);
      off += p.length;
    }
    const reports = this.parts.length;
    const symbology = this.symbology;
    this.reset();
    return { type: 'scan', symbology, data, reports };
  }

  /** Drops a scan whose last report never came; returns the bytes dropped. */
  reset(): number {
    const n = this.size;
    this.parts = [];
    this.size = 0;
    this.symbology = '';
    return n;
  }
}

const utf8 = new TextDecoder('utf-8');

/** Scan data as text (UTF-8; invalid bytes become U+FFFD, which classifyScan rejects). */
export function decodeScanData(data: Uint8Array): string {
  return utf8.decode(data);
}

/**
 * The raw scan string as a scanner with AIM identifiers enabled would type it: the AIM id
 * (when it is a proper ']xy' id) followed by the data.
 */
export function scanText(symbology: string, data: Uint8Array): string {
  const aim = /^\][A-Za-z][0-9A-Za-z]$/.test(symbology) ? symbology : '';
  return aim + decodeScanData(data);
}
