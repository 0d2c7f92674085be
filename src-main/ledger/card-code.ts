import { classifyScan, type ScanResult } from '../../src-shared/cards';
import { DomainError } from '../../src-shared/errors/domain-error';

/** The canonical card code of something typed or scanned, or a typed error saying what is wrong. */
export function requireCardCode(input: string, manualEntry = true): { code: string; kind: 'printed' | 'nfc' } {
  const r: ScanResult = classifyScan(input, { manualEntry });
  if (r.kind === 'member_card') return { code: r.code, kind: r.source === 'nfc' ? 'nfc' : 'printed' };
  if (r.kind === 'product') {
    throw new DomainError('UNRECOGNISED_SCAN', 'That is a product barcode, not a member card.', { reason: 'product' });
  }
  if (r.reason === 'bad_luhn') {
    throw new DomainError('INVALID_CARD_NUMBER', 'That card number is not valid (check digit wrong). Scan the card again or retype the 16 digits.', {
      reason: r.reason,
    });
  }
  throw new DomainError('UNRECOGNISED_SCAN', `${r.message} Scan the card again or type its number.`, { reason: r.reason });
}
