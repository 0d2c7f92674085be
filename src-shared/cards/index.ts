export { luhnValid, luhnCheckDigit, maskCardNumber } from './luhn';
// A scan is a card or a product: the EAN-13 check digit (all GS1 check digits are in ../barcodes) is part of this API too.
export { ean13Valid, ean13CheckDigit } from '../barcodes/gtin';
export {
  classifyScan,
  MAX_SCAN_LENGTH,
  CARD_NUMBER_LENGTH,
  NFC_UID_BYTES,
} from './classify';
export type { ScanResult, ScanRejectReason, MemberCardSource, ClassifyOptions } from './classify';
export { isCheckedCode, mayBeginCheckedCode } from './checked-code';
