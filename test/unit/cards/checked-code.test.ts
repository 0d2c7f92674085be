import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCheckedCode, luhnCheckDigit, mayBeginCheckedCode } from '../../../src-shared/cards';

const CARD = '6222020000000015';

describe('checked codes (what a split scan may be rejoined into)', () => {
  it('member card numbers whose Luhn digit holds, bare, as a TSM1: QR payload, on track 2, after an AIM id', () => {
    for (const code of [CARD, `TSM1:${CARD}`, `tsm1:${CARD}`, `;${CARD}=2912?`, `;${CARD}?`, `;${CARD}=2912?x`, `]C0${CARD}`, `]Q1${CARD}`]) {
      expect(isCheckedCode(code), code).toBe(true);
    }
    for (const code of ['6222020000000016', `TSM1:6222020000000016`, `;${CARD}=2912`, '622202000000001', '62220200000000155']) {
      expect(isCheckedCode(code), code).toBe(false);
    }
  });

  it('product barcodes whose GS1 digit holds: EAN-13, UPC-A, EAN-8', () => {
    for (const code of ['6901234567892', '036000291452', '96385074', ']E06901234567892']) expect(isCheckedCode(code), code).toBe(true);
    for (const code of ['6901234567891', '036000291453', '96385075']) expect(isCheckedCode(code), code).toBe(false);
  });

  it('never NFC ids, words or Code 128 payloads without a check digit', () => {
    for (const code of ['NFC:04A1B2C3D4E5F6', '04A1B2C3D4E5F6', 'hello world', 'ABC-123', '', '123456', 'https://t.example/c/6222020000000015']) {
      expect(isCheckedCode(code), code).toBe(false);
    }
  });

  it('every proper prefix of a checked code may begin one', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{15}$/), fc.constantFrom('', 'TSM1:', ';', ']C0'), (first15, before) => {
        const card = first15 + luhnCheckDigit(first15);
        const code = before === ';' ? `;${card}=4912?` : before + card;
        expect(isCheckedCode(code)).toBe(true);
        for (let n = 0; n < code.length - 1; n++) expect(mayBeginCheckedCode(code.slice(0, n)), code.slice(0, n)).toBe(true);
      }),
    );
  });

  it('words, 16 complete digits and finished track 2 data begin none (a person typing letters is not held)', () => {
    for (const p of ['w', 'wa', 'a1', 'TSX', 'TSM1:12a', CARD, `;${CARD}=12?`, `;${CARD}x`, '1 2', '-']) expect(mayBeginCheckedCode(p), p).toBe(false);
    for (const p of ['', '6', ']', ']C', 'T', 'ts', 'TSM1', 'TSM1:', ';', `;${CARD}`, `;${CARD}=`]) expect(mayBeginCheckedCode(p), p).toBe(true);
  });
});
