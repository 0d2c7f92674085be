export {
  GTIN_LENGTHS,
  gtinCheckDigit,
  gtinValid,
  ean13Valid,
  ean13CheckDigit,
  ean8Valid,
  ean8CheckDigit,
  upcAValid,
  upcACheckDigit,
} from './gtin';
