import type { PrintJobDto, PrinterStatusDto } from '../../../src-shared/api/contract-devices';
import { classifyScan } from '../../../src-shared/cards/classify';
import { maskCardCode } from '../../../src-shared/privacy/mask';
import type { Params } from '../../i18n/errors';
import type { MessageKey } from '../../i18n/messages/en';
import type { TestScanResult } from '../../state/staff-admin.slice';
import { deviceSummary } from '../status/status-view';

/** A result in words for a store manager: what happened and what to do. */
export interface Words {
  key: MessageKey;
  params: Params;
  tone: 'success' | 'warning';
}

/** The printer's state in words ("Printer: out of paper"), or null without a printer. */
export function printerStateKey(p: PrinterStatusDto | null): MessageKey | null {
  if (!p) return null;
  return deviceSummary({ printer: { device: 'printer', id: p.target, state: p.state, message: p.message } }, true).printer.key;
}

/** What the test page's job says, with the printer's state when it did not print. */
export function testPrintWords(job: PrintJobDto, printer: PrinterStatusDto | null, t: (key: MessageKey) => string): Words {
  switch (job.state) {
    case 'printed':
      return { key: 'deviceSetup.testPrinted', params: {}, tone: 'success' };
    case 'needs_check':
      return { key: 'deviceSetup.testNeedsCheck', params: {}, tone: 'warning' };
    case 'failed_permanently':
      return { key: 'deviceSetup.testFailed', params: {}, tone: 'warning' };
    case 'cancelled':
      return { key: 'deviceSetup.testCancelled', params: {}, tone: 'warning' };
    case 'queued':
    case 'printing': {
      const state = printerStateKey(printer);
      return { key: 'deviceSetup.testWaiting', params: { printer: state ? t(state) : t('printer.unknown') }, tone: 'warning' };
    }
  }
}

/** What the scanner read, in words: a member card (masked), a product, or why the code is not right. */
export function testScanWords(scan: TestScanResult, t: (key: MessageKey) => string): Words {
  const c = classifyScan(scan.raw);
  const via = t(scan.source === 'keyboard' ? 'deviceSetup.viaKeyboard' : scan.source === 'hid-pos' ? 'deviceSetup.viaHid' : 'deviceSetup.viaSerial');
  if (c.kind === 'member_card') return { key: 'deviceSetup.scanCard', params: { card: maskCardCode(c.code), via }, tone: 'success' };
  if (c.kind === 'product') return { key: 'deviceSetup.scanProduct', params: { code: c.ean13, via }, tone: 'success' };
  switch (c.reason) {
    case 'bad_luhn':
    case 'bad_ean_checksum':
      return { key: 'deviceSetup.scanMisread', params: { via }, tone: 'warning' };
    case 'control_characters':
      return { key: 'deviceSetup.scanGarbled', params: { via }, tone: 'warning' };
    default:
      return { key: 'deviceSetup.scanUnknown', params: { via }, tone: 'warning' };
  }
}
