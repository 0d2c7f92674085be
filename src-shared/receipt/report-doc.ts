/**
 * A printed report (end-of-day summary, test page) as plain data: a title, the store header and
 * sections of label/value rows. Like ReceiptDoc, every string is final text and the printer
 * layer only lays it out (src-main/devices/printer/report.ts).
 */
import type { ReceiptDoc, ReceiptStore } from './receipt-doc';

export interface ReportRow {
  label: string;
  /** Printed flush right; empty for a label-only line. */
  value: string;
  bold?: boolean;
}

export interface ReportSection {
  heading?: string;
  rows: ReportRow[];
}

export interface ReportDoc {
  /** Printed centred, bold, double size, e.g. 'End of day' / '日结报表'. */
  title: string;
  store: ReceiptStore;
  terminal: string;
  /** Already formatted in the store's time zone. */
  time: string;
  /** Who printed it, e.g. the manager's name. */
  printedBy?: string;
  sections: ReportSection[];
  /** One printed line per entry (centred). */
  footer: string[];
}

/** What a print job holds: a receipt or a report, never printer bytes. */
export type PrintDocument =
  | { type: 'receipt'; receipt: ReceiptDoc }
  | { type: 'report'; report: ReportDoc };
