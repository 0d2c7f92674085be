export { luhnValid, luhnCheckDigit, maskCardNumber } from './luhn';
export {
  classifyScan,
  ean13Valid,
  ean13CheckDigit,
  MAX_SCAN_LENGTH,
  CARD_NUMBER_LENGTH,
  NFC_UID_BYTES,
} from './classify';
export type { ScanResult, ScanRejectReason, MemberCardSource, ClassifyOptions } from './classify';
