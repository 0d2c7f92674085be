export type {
  ScanEvent,
  ScanErrorCode,
  ScanErrorEvent,
  ScanSource,
  ScanSourceEvents,
  ScanSourceKind,
  ScanSourceState,
  ScanSourceStatus,
  ScanDetails,
  ScanErrorDetails,
} from './scan-source';
export { ScanSourceBase } from './scan-source';
export { ScanLineAssembler, type ScanTerminator, type AssemblerOutput } from './line-assembler';
export { SerialScanner, type SerialScannerOptions } from './serial-scanner';
export {
  HID_POS_USAGE_PAGE,
  HID_POS_USAGE_SCANNER,
  NODE_HID_LAYOUT,
  WEBHID_LAYOUT,
  HidPosScanAssembler,
  decodeScanData,
  hidPosDataCapacity,
  parseHidPosReport,
  scanText,
  type AssembledScan,
  type HidPosLayout,
  type HidPosParseResult,
  type HidPosReport,
} from './hid-pos-report';
export {
  HidPosScanner,
  loadNodeHid,
  type HidDeviceInfo,
  type HidDeviceLike,
  type HidLoadResult,
  type HidModuleLike,
  type HidPosScannerOptions,
} from './hid-pos-scanner';
