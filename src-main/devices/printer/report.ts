/**
 * Lays out a ReportDoc (end-of-day summary, test page) for an ESC/POS printer: the same header
 * and column rules as receipts, label/value rows, no QR code. On a printer without a Chinese
 * font, lines it cannot print as text are pictures (rasterFallback), as on receipts.
 */
import type { ReportDoc } from '../../../src-shared/receipt/report-doc';
import type { CutMode } from './commands';
import { EscPosEncoder } from './encoder';
import { LineWriter, type TextRasteriser } from './line-writer';
import type { PrinterProfile } from './profile';

export interface RenderReportOptions {
  profile: PrinterProfile;
  cut?: CutMode | 'none';
  feedBeforeCut?: number;
  /** Label for the terminal and time rows (default English). */
  labels?: { terminal: string; time: string; printedBy: string };
  /** Used for lines the printer cannot print as text (only when given), as in renderReceipt. */
  rasterFallback?: TextRasteriser;
}

export function renderReport(doc: ReportDoc, options: RenderReportOptions): Uint8Array {
  const enc = new EscPosEncoder(options.profile);
  const out = new LineWriter(enc, options.rasterFallback);
  const C = out.columns;
  const labels = options.labels ?? { terminal: 'Terminal', time: 'Time', printedBy: 'Printed by' };

  enc.initialize();
  out.align('center').bold(true).size(2, 2);
  out.wrapped(doc.store.name, Math.floor(C / 2));
  out.size(1, 1).bold(false);
  for (const a of doc.store.addressLines) out.wrapped(a);
  if (doc.store.phone !== undefined && doc.store.phone !== '') out.wrapped(doc.store.phone);
  out.bold(true);
  out.wrapped(doc.title);
  out.bold(false).align('left');
  out.rule();
  out.rows(labels.terminal, doc.terminal);
  out.rows(labels.time, doc.time);
  if (doc.printedBy !== undefined) out.rows(labels.printedBy, doc.printedBy);
  for (const section of doc.sections) {
    out.rule();
    if (section.heading !== undefined) {
      out.bold(true);
      out.wrapped(section.heading);
      out.bold(false);
    }
    for (const r of section.rows) {
      if (r.bold === true) out.bold(true);
      if (r.value === '') out.wrapped(r.label);
      else out.rows(r.label, r.value);
      if (r.bold === true) out.bold(false);
    }
  }
  out.rule();
  out.align('center');
  for (const f of doc.footer) out.wrapped(f);
  out.align('left');
  const cut = options.cut ?? 'partial';
  if (cut === 'none') enc.feed(options.feedBeforeCut ?? 4);
  else enc.cut(cut, options.feedBeforeCut ?? 4);
  return enc.encode();
}
