export { formatMinor, ensureMaskedPhone, assertWhole } from './receipt-doc';
export type {
  ReceiptDoc,
  ReceiptLine,
  ReceiptTotals,
  ReceiptMember,
  ReceiptStore,
  ReceiptCurrency,
} from './receipt-doc';
export type { ReportDoc, ReportRow, ReportSection, PrintDocument } from './report-doc';
