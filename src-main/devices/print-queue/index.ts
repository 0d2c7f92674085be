export { PrintQueue, enqueueReport } from './print-queue';
export { PrintWorker, classifyPrinterStatus, type PrinterLike, type PrinterStateReport, type PrintWorkerOptions } from './print-worker';
export {
  INTERRUPTED_MESSAGE,
  insertPrintJob,
  jobById,
  listJobs,
  markInterruptedJobs,
  parseDocument,
  toJobDto,
  type NewPrintJob,
  type PrintJobRow,
} from './print-job.repo';
export { buildSaleReceipt, buildRefundReceipt, buildTestPage, asReprint, formatLocalTime, receiptWords, type ReceiptSettings } from './receipt-builder';
