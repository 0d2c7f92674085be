import { describe, expect, it } from 'vitest';
import {
  classifyScan,
  ean13CheckDigit,
  ean13Valid,
  luhnCheckDigit,
  MAX_SCAN_LENGTH,
  type ScanResult,
} from '../../../src-shared/cards';

const CARD = '4000123456789017';
const CARD2 = '6228480000001237';
const BAD_LUHN = '4000123456789018';
const EAN = '6901234567892';

function card(source: string, code = CARD): ScanResult {
  return { kind: 'member_card', source, code } as ScanResult;
}

function rejection(raw: string): { reason: string; message: string } {
  const r = classifyScan(raw);
  if (r.kind !== 'unknown') throw new Error(`expected a rejection for ${JSON.stringify(raw)}, got ${JSON.stringify(r)}`);
  expect(r.raw).toBe(raw);
  expect(r.message.length).toBeGreaterThan(10);
  return { reason: r.reason, message: r.message };
}

describe('classifyScan: printed card numbers', () => {
  it('accepts 16 digits typed with spaces or dashes', () => {
    expect(classifyScan('4000 1234 5678 9017')).toEqual(card('printed'));
    expect(classifyScan('4000-1234-5678-9017')).toEqual(card('printed'));
    expect(classifyScan(' 6228 4800-0000 1237 ')).toEqual(card('printed', CARD2));
  });

  it('reports bare digits typed by the cashier as printed when told so', () => {
    expect(classifyScan(CARD, { manualEntry: true })).toEqual(card('printed'));
  });

  it('folds full-width digits typed under a Chinese input method', () => {
    expect(classifyScan('４０００１２３４５６７８９０１７')).toEqual(card('barcode'));
    expect(classifyScan('４０００ １２３４ ５６７８ ９０１７')).toEqual(card('printed'));
  });
});

describe('classifyScan: Code 128 and QR', () => {
  it('reads bare digits from a scanner as a barcode', () => {
    expect(classifyScan(CARD)).toEqual(card('barcode'));
    expect(classifyScan(`${CARD}\r\n`)).toEqual(card('barcode'));
    expect(classifyScan(`\t${CARD}\r`)).toEqual(card('barcode'));
  });

  it('strips AIM symbology identifiers and uses them for the source', () => {
    expect(classifyScan(`]C0${CARD}`)).toEqual(card('barcode'));
    expect(classifyScan(`]Q1${CARD}`)).toEqual(card('qr'));
    expect(classifyScan(`]Q1TSM1:${CARD}\r`)).toEqual(card('qr'));
    expect(classifyScan(`]E0${EAN}`)).toEqual({ kind: 'product', ean13: EAN });
  });

  it('reads the TSM1: QR payload in any case', () => {
    expect(classifyScan(`TSM1:${CARD}`)).toEqual(card('qr'));
    expect(classifyScan(`tsm1:${CARD}`)).toEqual(card('qr'));
    expect(classifyScan(`Tsm1: ${CARD} `)).toEqual(card('qr'));
  });

  it('reads a card URL ending in /c/<16 digits>', () => {
    expect(classifyScan(`https://tillsmith.example/c/${CARD}`)).toEqual(card('qr'));
    expect(classifyScan(`HTTPS://TILLSMITH.EXAMPLE/app/c/${CARD}/`)).toEqual(card('qr'));
    expect(classifyScan(`http://t.example/c/${CARD}?src=poster#top`)).toEqual(card('qr'));
  });

  it('rejects QR payloads that carry no card number', () => {
    expect(rejection('TSM1:').reason).toBe('unrecognised');
    expect(rejection('TSM1:hello').reason).toBe('unrecognised');
    expect(rejection('https://tillsmith.example/c/abc').reason).toBe('unrecognised');
    expect(rejection('https://example.com/promo').reason).toBe('unrecognised');
    expect(rejection(`TSM1:${BAD_LUHN}`).reason).toBe('bad_luhn');
    expect(rejection('TSM1:400012345678901').reason).toBe('bad_length');
    expect(rejection(`https://tillsmith.example/c/${CARD}0`).reason).toBe('bad_length');
  });
});

describe('classifyScan: magnetic stripe track 2', () => {
  it('strips the sentinels and ignores the discretionary data and LRC', () => {
    expect(classifyScan(`;${CARD}=2912101000000?`)).toEqual(card('track2'));
    expect(classifyScan(`;${CARD}=?`)).toEqual(card('track2'));
    expect(classifyScan(`;${CARD}=29121010?:\r`)).toEqual(card('track2')); // ':' = LRC noise
    expect(classifyScan(`;${CARD}?`)).toEqual(card('track2'));
  });

  it('finds track 2 after a track 1', () => {
    expect(classifyScan(`%B${CARD}^MEMBER/TILLSMITH^2912?;${CARD}=2912?`)).toEqual(card('track2'));
  });

  it('rejects read errors, track 1 alone, and bad numbers', () => {
    const e = rejection(';E?');
    expect(e.reason).toBe('unrecognised');
    expect(e.message).toMatch(/swipe/i);
    expect(rejection(`%B${CARD}^MEMBER/TILLSMITH^2912?`).message).toMatch(/track 2/);
    expect(rejection(`;${BAD_LUHN}=2912?`).reason).toBe('bad_luhn');
    expect(rejection(';4000123456789=2912?').reason).toBe('bad_length');
    expect(rejection(';ABC=1?').reason).toBe('unrecognised');
  });
});

describe('classifyScan: NFC UIDs', () => {
  it('accepts 4, 7 and 10 byte UIDs in any notation and canonicalises them', () => {
    expect(classifyScan('04:a2:3b:1c')).toEqual(card('nfc', 'NFC:04A23B1C'));
    expect(classifyScan('04 A2 3B 1C 5D 6E 80')).toEqual(card('nfc', 'NFC:04A23B1C5D6E80'));
    expect(classifyScan('04-a2-3b-1c-5d-6e-80-91-a2-b3')).toEqual(card('nfc', 'NFC:04A23B1C5D6E8091A2B3'));
    expect(classifyScan('nfc:04a23b1c')).toEqual(card('nfc', 'NFC:04A23B1C'));
    expect(classifyScan('NFC: 04:A2:3B:1C\r\n')).toEqual(card('nfc', 'NFC:04A23B1C'));
    expect(classifyScan('NFC:12345678')).toEqual(card('nfc', 'NFC:12345678'));
    expect(classifyScan('04a23b1c5d6e80')).toEqual(card('nfc', 'NFC:04A23B1C5D6E80'));
  });

  it('gives every notation of the same UID the same code', () => {
    const codes = ['04:A2:3B:1C', '04a23b1c', 'NFC:04A23B1C', '04 a2 3b 1c', 'nfc:04-A2-3B-1C'].map((s) => {
      const r = classifyScan(s);
      return r.kind === 'member_card' ? r.code : r.kind;
    });
    expect(new Set(codes)).toEqual(new Set(['NFC:04A23B1C']));
  });

  it('rejects other lengths and non-hex ids', () => {
    expect(rejection('04:A2:3B').reason).toBe('bad_length');
    expect(rejection('NFC:04A23B1C5D').reason).toBe('bad_length');
    expect(rejection('NFC:04A23B1').reason).toBe('bad_length');
    expect(rejection('NFC:ZZ:A2:3B:1C').reason).toBe('unrecognised');
    expect(rejection('NFC:').reason).toBe('unrecognised');
  });
});

describe('classifyScan: EAN-13 products', () => {
  it('accepts valid EAN-13 codes', () => {
    expect(classifyScan(EAN)).toEqual({ kind: 'product', ean13: EAN });
    expect(classifyScan('9780201379624\r')).toEqual({ kind: 'product', ean13: '9780201379624' });
    expect(classifyScan('6 901234 567892')).toEqual({ kind: 'product', ean13: EAN });
  });

  it('rejects a wrong check digit', () => {
    const r = rejection('6901234567893');
    expect(r.reason).toBe('bad_ean_checksum');
    expect(r.message).toMatch(/check digit/);
  });

  it('computes and checks EAN-13 check digits', () => {
    expect(ean13CheckDigit('690123456789')).toBe('2');
    expect(ean13Valid(EAN)).toBe(true);
    expect(ean13Valid('690123456789')).toBe(false);
    expect(() => ean13CheckDigit('12')).toThrow(RangeError);
  });
});

describe('classifyScan: rejections', () => {
  it('empty', () => {
    expect(rejection('').reason).toBe('empty');
    expect(rejection('  \r\n\t').reason).toBe('empty');
    expect(rejection('\u0002\u0003').reason).toBe('empty');
    expect(rejection(']C0').reason).toBe('empty');
  });

  it('bad_luhn', () => {
    const r = rejection(BAD_LUHN);
    expect(r.reason).toBe('bad_luhn');
    expect(r.message).toMatch(/check digit/);
    expect(rejection('4000 1234 5678 9018').reason).toBe('bad_luhn');
  });

  it('bad_length', () => {
    const r = rejection('400012345678901');
    expect(r.reason).toBe('bad_length');
    expect(r.message).toContain('15');
    expect(rejection('40001234567890177').reason).toBe('bad_length');
    expect(rejection('12345').reason).toBe('bad_length');
    expect(rejection('x'.repeat(MAX_SCAN_LENGTH + 1)).reason).toBe('bad_length');
  });

  it('control_characters: garbage bytes inside a scan', () => {
    expect(rejection(`4000\u0000123456789017`).reason).toBe('control_characters');
    expect(rejection(`\ufffd\ufffd${CARD}`).reason).toBe('control_characters');
    expect(rejection(`${CARD.slice(0, 8)}\u001b${CARD.slice(8)}`).reason).toBe('control_characters');
  });

  it('unrecognised', () => {
    expect(rejection('hello world').reason).toBe('unrecognised');
    expect(rejection('ABC-123').reason).toBe('unrecognised');
    expect(rejection('会员卡').reason).toBe('unrecognised');
  });

  it('never throws on arbitrary input', () => {
    let seed = 42;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = `0123456789abcdefABCDEF :;=?%^-/]QCE\r\n\t\u0000\ufffdTSMNFC一`;
    for (let i = 0; i < 2000; i += 1) {
      let s = '';
      const len = rnd() % 40;
      for (let j = 0; j < len; j += 1) s += alphabet[rnd() % alphabet.length];
      const r = classifyScan(s);
      expect(['member_card', 'product', 'unknown']).toContain(r.kind);
      if (r.kind === 'member_card' && r.source !== 'nfc') expect(r.code).toMatch(/^\d{16}$/);
    }
  });

  it('accepts every valid card number generated with luhnCheckDigit', () => {
    for (const prefix of ['600000000000000', '622848000000123', '880000000000004']) {
      const n = prefix + luhnCheckDigit(prefix);
      expect(classifyScan(n)).toEqual(card('barcode', n));
    }
  });
});
