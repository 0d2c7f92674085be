import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { isDomainError } from '../../../src-shared/errors/domain-error';
import { decodeCatalogueBytes, textDecoderGb18030, type Gb18030Decoder } from '../../../src-shared/catalogue/text-encoding';

const utf8 = (s: string) => new TextEncoder().encode(s);
const gb = (s: string) => new Uint8Array(iconv.encode(s, 'gb18030'));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
/** What the core may pass instead of the TextDecoder: iconv-lite's GB18030. */
const iconvGb18030: Gb18030Decoder = (bytes) => iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');

function refusal(bytes: Uint8Array): { reason: unknown; details: Record<string, unknown> } {
  try {
    decodeCatalogueBytes(bytes);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    expect(e.code).toBe('CATALOGUE_FILE_UNREADABLE');
    return { reason: e.details.reason, details: e.details };
  }
  throw new Error('expected CATALOGUE_FILE_UNREADABLE');
}

const TEXT = 'sku,name_zh_hans\r\nTEA-1,西湖龙井茶\r\nTEA-2,龍井 € ü 𠮷\r\n';

describe('decodeCatalogueBytes', () => {
  it('reads UTF-8 with and without a byte order mark', () => {
    expect(decodeCatalogueBytes(utf8(TEXT))).toEqual({ encoding: 'utf-8', bom: false, text: TEXT });
    expect(decodeCatalogueBytes(utf8(`\ufeff${TEXT}`))).toEqual({ encoding: 'utf-8', bom: true, text: TEXT });
    expect(decodeCatalogueBytes(new Uint8Array())).toEqual({ encoding: 'utf-8', bom: false, text: '' });
  });

  it('reads GB18030 (and so GBK and GB2312), as Excel on Chinese Windows saves CSV', () => {
    expect(decodeCatalogueBytes(gb(TEXT))).toEqual({ encoding: 'gb18030', bom: false, text: TEXT });
    expect(decodeCatalogueBytes(new Uint8Array(iconv.encode('名称,价格\r\n大米,59.90\r\n', 'gbk'))).text).toBe('名称,价格\r\n大米,59.90\r\n');
    expect(decodeCatalogueBytes(gb(TEXT), iconvGb18030).text).toBe(TEXT);
  });

  it('refuses a file whose lines are in two encodings, naming a line of each', () => {
    const mixed = concat(utf8('sku,name\r\nA,龙井茶\r\n'), gb('B,铁观音\r\n'));
    expect(refusal(mixed)).toMatchObject({ reason: 'mixed_encodings', details: { utf8Line: 2, otherLine: 3 } });
    // A byte order mark says UTF-8: a GB18030 line after it is a mix too.
    expect(refusal(concat(utf8('\ufeffsku\r\n'), gb('大米\r\n')))).toMatchObject({ reason: 'mixed_encodings', details: { utf8Line: 1, otherLine: 2 } });
  });

  it('refuses UTF-16, spreadsheets and bytes that are no text', () => {
    expect(refusal(new Uint8Array([0xff, 0xfe, 0x73, 0x00]))).toMatchObject({ reason: 'utf16' });
    expect(refusal(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]))).toMatchObject({ reason: 'spreadsheet' });
    expect(refusal(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]))).toMatchObject({ reason: 'spreadsheet' });
    expect(refusal(concat(gb('sku\r\n大米\r\n'), new Uint8Array([0x41, 0xff, 0x0d, 0x0a])))).toMatchObject({ reason: 'undecodable', details: { line: 3 } });
  });

  it('decodes GB18030 as iconv-lite does, for any text (property)', () => {
    const han = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c));
    const any = fc.string({ unit: fc.oneof(fc.constantFrom(...'，。、「」￥—…€ü大米龙井茶鐵觀音𠮷'), han, fc.constantFrom(...'abc,"\r\n 0123')), maxLength: 200 });
    fc.assert(
      fc.property(any, (s) => {
        const bytes = gb(s);
        expect(textDecoderGb18030(bytes)).toBe(iconvGb18030(bytes));
      }),
      { numRuns: 500 },
    );
    // A catalogue row has a few Chinese characters at least: then the detection reads it back.
    const row = fc.tuple(fc.string({ unit: han, minLength: 4, maxLength: 30 }), any).map(([name, rest]) => `SKU-1,${name},${rest}`);
    fc.assert(
      fc.property(row, (s) => {
        expect(decodeCatalogueBytes(gb(s)).text).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it('finds mixed lines as a strict UTF-8 decoder would (property)', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    const isUtf8 = (b: Uint8Array) => {
      try {
        return strict.decode(b);
      } catch {
        return null;
      }
    };
    const line = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'龙井茶abc€é𠮷，'), maxLength: 8 }).map(utf8),
      fc.string({ unit: fc.constantFrom(...'龙井茶大米abc'), maxLength: 8 }).map(gb),
      fc.uint8Array({ maxLength: 8 }).map((b) => b.map((x) => (x === 0x0a ? 0x20 : x))),
      // Overlong forms, surrogates and code points past U+10FFFF that a loose validator would let through.
      fc.constantFrom(new Uint8Array([0xc0, 0xaf]), new Uint8Array([0xe0, 0x80, 0xaf]), new Uint8Array([0xed, 0xa0, 0x80]), new Uint8Array([0xf4, 0x90, 0x80, 0x80]), new Uint8Array([0xe4, 0xb8])),
    );
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        const bytes = concat(...lines.flatMap((l, i) => (i === 0 ? [l] : [new Uint8Array([0x0a]), l])));
        if (isUtf8(bytes) !== null) return;
        const kinds = lines.map((l) => {
          const text = isUtf8(l);
          return text === null ? 'other' : /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(text) ? 'cjk' : 'plain';
        });
        const utf8Line = kinds.indexOf('cjk') + 1;
        const otherLine = kinds.indexOf('other') + 1;
        let outcome: unknown;
        try {
          outcome = decodeCatalogueBytes(bytes).encoding;
        } catch (e) {
          outcome = isDomainError(e) ? e.details : e;
        }
        if (utf8Line > 0 && otherLine > 0) expect(outcome).toEqual({ reason: 'mixed_encodings', utf8Line, otherLine });
        else expect(outcome).not.toMatchObject({ reason: 'mixed_encodings' });
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a few characters that happen to be valid UTF-8 as the GB18030 they are', () => {
    expect(decodeCatalogueBytes(gb('一')).text).toBe('一');
    expect(decodeCatalogueBytes(gb('sku,name\r\nA-1,一\r\n'))).toMatchObject({ encoding: 'gb18030', text: 'sku,name\r\nA-1,一\r\n' });
    // The price of that rule: a file of Cyrillic or Greek alone is taken for GB18030 (its UTF-8
    // bytes are clean GB18030 Chinese). With any character from U+0800 up it stays UTF-8.
    expect(decodeCatalogueBytes(utf8('Чай')).encoding).toBe('gb18030');
    expect(decodeCatalogueBytes(utf8('Чай €'))).toMatchObject({ encoding: 'utf-8', text: 'Чай €' });
    expect(decodeCatalogueBytes(utf8('Café, Müller'))).toMatchObject({ encoding: 'utf-8', text: 'Café, Müller' });
  });
});
