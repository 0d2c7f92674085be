export * as escpos from './commands';
export type { Alignment, CutMode, QrErrorCorrection } from './commands';
export { EscPosEncoder, withoutRealtimeCommands, type MonoBitmap, type QrOptions } from './encoder';
export { PrinterTextCodec, type EncodedChar, type EncodedText } from './text-codec';
export { wrapText, twoColumns, padEnd, padStart, centre, type TextMeasure } from './layout';
export {
  CODE_TABLE_NUMBER,
  PROFILE_58MM_GB18030,
  PROFILE_80MM_BIG5,
  PROFILE_80MM_GB18030,
  PROFILE_80MM_LATIN,
  type CjkEncoding,
  type PrinterProfile,
  type SingleByteCodePage,
} from './profile';
export {
  renderReceipt,
  isWideCodePoint,
  LABELS_EN,
  LABELS_ZH_HANS,
  LABELS_ZH_HANT,
  type ReceiptLabels,
  type RenderReceiptOptions,
  type TextRasteriser,
  type TextRasterOptions,
} from './receipt';
export { LineWriter, layoutMeasure } from './line-writer';
export {
  CjkRasterFallback,
  NOTO_SANS_CJK_PATHS,
  defaultRasterFace,
  describeRasterReport,
  type CjkRasterFallbackOptions,
} from './raster/cjk-raster-fallback';
export { FontTextRasteriser, rasteriseGlyph, type RasterReport } from './raster/text-line-rasteriser';
export { RasterFontError, type RasterFontErrorCode } from './raster/raster-font-error';
export { loadOutlineFont, type OutlineFont, type OutlineGlyph } from './raster/outline-font';
export { DotGrid } from './raster/dot-grid';
export {
  parseStatusReplies,
  parseAsbFrame,
  queryPrinterStatus,
  StatusReplyReader,
  isRealtimeStatusByte,
  isAsbHeader,
  isAsbBodyByte,
  isFlowControlByte,
  type PrinterStatus,
  type PrinterStatusAnswered,
  type PrinterStatusUnanswered,
  type PrinterStatusReplies,
  type StatusChannel,
} from './status';
export {
  PrinterTransportError,
  type PrinterTransport,
  type PrinterTransportKind,
  type PrinterTransportErrorCode,
} from './transport';
export { SerialPrinterTransport, type SerialPrinterOptions } from './serial-transport';
export { TcpPrinterTransport, type TcpPrinterOptions } from './tcp-transport';
export { UsbLpPrinterTransport, type UsbLpPrinterOptions } from './usb-lp-transport';
export { ReceiptPrinter, type ReceiptPrinterOptions } from './printer';
export { renderReport, type RenderReportOptions } from './report';
