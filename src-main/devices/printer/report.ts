/**
 * Lays out a ReportDoc (end-of-day summary, test page) for an ESC/POS printer: the same header
 * and column rules as receipts, label/value rows, no QR code.
 */
import type { ReportDoc } from '../../../src-shared/receipt/report-doc';
import type { CutMode } from './commands';
import { EscPosEncoder } from './encoder';
import { twoColumns, wrapText } from './layout';
import type { PrinterProfile } from './profile';

export interface RenderReportOptions {
  profile: PrinterProfile;
  cut?: CutMode | 'none';
  feedBeforeCut?: number;
  /** Label for the terminal and time rows (default English). */
  labels?: { terminal: string; time: string; printedBy: string };
}

export function renderReport(doc: ReportDoc, options: RenderReportOptions): Uint8Array {
  const enc = new EscPosEncoder(options.profile);
  const m = enc.codec;
  const C = options.profile.columns;
  const labels = options.labels ?? { terminal: 'Terminal', time: 'Time', printedBy: 'Printed by' };
  const rows = (left: string, right: string): void => {
    for (const l of twoColumns(left, right, C, m)) enc.line(l);
  };
  const wrapped = (text: string, columns = C): void => {
    for (const l of wrapText(text, columns, m)) enc.line(l);
  };
  const rule = (): void => {
    enc.line('-'.repeat(C));
  };

  enc.initialize();
  enc.align('center').bold(true).size(2, 2);
  wrapped(doc.store.name, Math.floor(C / 2));
  enc.size(1, 1).bold(false);
  for (const a of doc.store.addressLines) wrapped(a);
  if (doc.store.phone !== undefined && doc.store.phone !== '') wrapped(doc.store.phone);
  enc.bold(true);
  wrapped(doc.title);
  enc.bold(false).align('left');
  rule();
  rows(labels.terminal, doc.terminal);
  rows(labels.time, doc.time);
  if (doc.printedBy !== undefined) rows(labels.printedBy, doc.printedBy);
  for (const section of doc.sections) {
    rule();
    if (section.heading !== undefined) {
      enc.bold(true);
      wrapped(section.heading);
      enc.bold(false);
    }
    for (const r of section.rows) {
      if (r.bold === true) enc.bold(true);
      if (r.value === '') wrapped(r.label);
      else rows(r.label, r.value);
      if (r.bold === true) enc.bold(false);
    }
  }
  rule();
  enc.align('center');
  for (const f of doc.footer) wrapped(f);
  enc.align('left');
  const cut = options.cut ?? 'partial';
  if (cut === 'none') enc.feed(options.feedBeforeCut ?? 4);
  else enc.cut(cut, options.feedBeforeCut ?? 4);
  return enc.encode();
}
