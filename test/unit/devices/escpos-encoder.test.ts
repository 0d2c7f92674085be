import { describe, expect, it } from 'vitest';
import {
  EscPosEncoder,
  PROFILE_58MM_GB18030,
  PROFILE_80MM_BIG5,
  PROFILE_80MM_GB18030,
  PROFILE_80MM_LATIN,
  PrinterTextCodec,
  escpos,
  withoutRealtimeCommands,
  type PrinterProfile,
} from '../../../src-main/devices/printer';
import { decodeEscPos } from '../../helpers/escpos-decoder';

const hex = (b: Uint8Array | readonly number[]): string => Buffer.from(Uint8Array.from(b)).toString('hex');
const GBK_PROFILE: PrinterProfile = { ...PROFILE_80MM_GB18030, cjkEncoding: 'gbk' };

describe('ESC/POS command bytes', () => {
  it('initialise, character set, code table, Chinese mode', () => {
    expect(hex(escpos.initialize())).toBe('1b40');
    expect(hex(escpos.internationalCharset(0))).toBe('1b5200');
    expect(hex(escpos.codeTable(19))).toBe('1b7413');
    expect(hex(escpos.chineseModeOn())).toBe('1c26');
    expect(hex(escpos.chineseModeOff())).toBe('1c2e');
  });

  it('alignment, bold, size, line feeds', () => {
    expect(hex(escpos.align('left'))).toBe('1b6100');
    expect(hex(escpos.align('center'))).toBe('1b6101');
    expect(hex(escpos.align('right'))).toBe('1b6102');
    expect(hex(escpos.bold(true))).toBe('1b4501');
    expect(hex(escpos.bold(false))).toBe('1b4500');
    expect(hex(escpos.characterSize(2, 2))).toBe('1d2111');
    expect(hex(escpos.characterSize(1, 1))).toBe('1d2100');
    expect(hex(escpos.characterSize(2, 1))).toBe('1d2110');
    expect(hex(escpos.chineseCharacterMode(true, true))).toBe('1c210c');
    expect(hex(escpos.lineFeed())).toBe('0a');
    expect(hex(escpos.feedLines(4))).toBe('1b6404');
    expect(() => escpos.characterSize(9, 1)).toThrow(RangeError);
  });

  it('QR code: model, size, error correction, store, print (bytes as receipt-printer-encoder 4.0.1 emits them)', () => {
    expect(hex(escpos.qrModel(2))).toBe('1d286b040031413200');
    expect(hex(escpos.qrModel(1))).toBe('1d286b040031413100');
    expect(hex(escpos.qrModuleSize(6))).toBe('1d286b03003143' + '06');
    expect(hex(escpos.qrErrorCorrection('L'))).toBe('1d286b0300314530');
    expect(hex(escpos.qrErrorCorrection('M'))).toBe('1d286b0300314531');
    expect(hex(escpos.qrErrorCorrection('Q'))).toBe('1d286b0300314532');
    expect(hex(escpos.qrErrorCorrection('H'))).toBe('1d286b0300314533');
    expect(hex(escpos.qrStore(new TextEncoder().encode('R-1')))).toBe('1d286b0600315030' + '522d31');
    expect(hex(escpos.qrPrint())).toBe('1d286b0300315130');
  });

  it('QR store length spans two bytes for long data and is bounded', () => {
    const data = new Uint8Array(300).fill(0x41);
    const bytes = escpos.qrStore(data);
    expect(bytes.slice(0, 5)).toEqual([0x1d, 0x28, 0x6b, (303 & 0xff), 303 >> 8]);
    expect(bytes.length).toBe(8 + 300);
    expect(() => escpos.qrStore(new Uint8Array(0))).toThrow(RangeError);
    expect(() => escpos.qrStore(new Uint8Array(escpos.QR_MAX_BYTES + 1))).toThrow(RangeError);
    expect(() => escpos.qrModuleSize(17)).toThrow(RangeError);
  });

  it('cut, drawer kick, real-time status, raster header', () => {
    expect(hex(escpos.cut('full'))).toBe('1d5600');
    expect(hex(escpos.cut('partial'))).toBe('1d5601');
    expect(hex(escpos.drawerKick())).toBe('1b700032fa');
    expect(hex(escpos.drawerKick(5, 50, 100))).toBe('1b70011932');
    expect(() => escpos.drawerKick(2, 1000, 500)).toThrow(RangeError);
    expect(hex(escpos.realtimeStatus(1))).toBe('100401');
    expect(hex(escpos.realtimeStatus(4))).toBe('100404');
    expect(hex(escpos.rasterImageHeader(72, 300))).toBe('1d76300048002c01');
  });
});

describe('EscPosEncoder', () => {
  it('initialises a Chinese-mode printer with ESC @, ESC R 0, FS &', () => {
    expect(hex(new EscPosEncoder(PROFILE_80MM_GB18030).initialize().encode())).toBe('1b401b52001c26');
  });

  it('initialises a single-byte printer with FS . and its code table', () => {
    expect(hex(new EscPosEncoder(PROFILE_80MM_LATIN).initialize().encode())).toBe('1b401b52001c2e1b7413');
    expect(hex(new EscPosEncoder({ ...PROFILE_80MM_LATIN, codePage: 'cp437' }).initialize().encode())).toBe(
      '1b401b52001c2e1b7400',
    );
  });

  it('double size also sets FS ! in Chinese mode only', () => {
    expect(hex(new EscPosEncoder(PROFILE_80MM_GB18030).size(2, 2).encode())).toBe('1d21111c210c');
    expect(hex(new EscPosEncoder(PROFILE_80MM_LATIN).size(2, 2).encode())).toBe('1d2111');
  });

  it('builds a small job in order', () => {
    const bytes = new EscPosEncoder(PROFILE_80MM_GB18030)
      .initialize()
      .align('center')
      .bold(true)
      .line('Hi')
      .bold(false)
      .qr('R-1', { size: 4, errorCorrection: 'Q' })
      .openDrawer()
      .cut('partial', 3)
      .encode();
    expect(hex(bytes)).toBe(
      [
        '1b401b52001c26',
        '1b6101',
        '1b4501',
        '48690a',
        '1b4500',
        '1d286b040031413200',
        '1d286b0300314304',
        '1d286b0300314532',
        '1d286b0600315030522d31',
        '1d286b0300315130',
        '1b700032fa',
        '1b6403',
        '1d5601',
      ].join(''),
    );
  });

  it('writes a raster image as GS v 0 + data', () => {
    const data = new Uint8Array(2 * 3).fill(0xaa);
    const bytes = new EscPosEncoder(PROFILE_80MM_LATIN).raster({ widthDots: 16, heightDots: 3, data }).encode();
    expect(hex(bytes)).toBe('1d763000020003' + '00' + 'aa'.repeat(6));
    expect(() =>
      new EscPosEncoder(PROFILE_80MM_LATIN).raster({ widthDots: 16, heightDots: 4, data }),
    ).toThrow(RangeError);
  });

  it('never lets raster data carry a real-time command (DLE EOT, DLE ENQ, DLE DC4): one dot is left white', () => {
    // 0x10 0x04 n would be answered as a status query, 0x10 0x14 0x01 kicks the drawer.
    const data = Uint8Array.from([0x10, 0x04, 0x01, 0xff, 0x10, 0x14, 0x01, 0x10, 0x05, 0x02, 0x10, 0x41, 0x10, 0x10, 0x04, 0x10]);
    const copy = Uint8Array.from(data);
    const bytes = new EscPosEncoder(PROFILE_80MM_LATIN).raster({ widthDots: 16, heightDots: 8, data }).encode();
    const body = bytes.subarray(8);
    expect(hex(body)).toBe(hex([0x00, 0x04, 0x01, 0xff, 0x00, 0x14, 0x01, 0x00, 0x05, 0x02, 0x10, 0x41, 0x10, 0x00, 0x04, 0x10]));
    for (let i = 0; i + 1 < body.length; i++) {
      expect(body[i] === 0x10 && [0x04, 0x05, 0x14].includes(body[i + 1] ?? 0)).toBe(false);
    }
    expect(data).toEqual(copy); // the caller's bitmap is not changed
    const clean = Uint8Array.from([0x10, 0x41, 0x04, 0x10]);
    expect(withoutRealtimeCommands(clean)).toBe(clean);
  });
});

describe('Automatic Status Back (GS a)', () => {
  it('GS a n bytes: drawer, online, error and paper', () => {
    expect(hex(escpos.automaticStatusBack(escpos.ASB_ALL))).toBe('1d610f');
    expect(hex(escpos.automaticStatusBack(0))).toBe('1d6100');
    expect(() => escpos.automaticStatusBack(256)).toThrow(RangeError);
  });

  it('is switched on again after ESC @ when the profile supports it, and only then', () => {
    expect(hex(new EscPosEncoder({ ...PROFILE_80MM_GB18030, autoStatusBack: true }).initialize().encode())).toBe('1b401b52001c26' + '1d610f');
    expect(hex(new EscPosEncoder(PROFILE_80MM_GB18030).initialize().encode())).toBe('1b401b52001c26');
    const decoded = decodeEscPos(new EscPosEncoder({ ...PROFILE_80MM_LATIN, autoStatusBack: true }).initialize().encode(), { cjkEncoding: 'gb18030' });
    expect(decoded.events).toContainEqual({ type: 'asb', n: 0x0f });
    expect(decoded.unknown).toEqual([]);
  });
});

describe('PrinterTextCodec', () => {
  it('encodes Simplified Chinese in GB18030 and GBK as two bytes, two columns each', () => {
    for (const p of [PROFILE_80MM_GB18030, GBK_PROFILE]) {
      const c = new PrinterTextCodec(p);
      const e = c.encode('你好 收银');
      expect(hex(e.bytes)).toBe('c4e3bac320cad5d2f8');
      expect(e.width).toBe(9);
      expect(e.replaced).toBe(0);
    }
  });

  it('encodes Traditional Chinese in Big5', () => {
    const c = new PrinterTextCodec(PROFILE_80MM_BIG5);
    const e = c.encode('收銀台');
    expect(hex(e.bytes)).toBe('a6acbbc8a578');
    expect(e.width).toBe(6);
  });

  it('folds the half-width ¥ to the two-byte full-width ￥ in Chinese mode', () => {
    expect(hex(new PrinterTextCodec(PROFILE_80MM_GB18030).encode('¥12.50').bytes)).toBe('a3a4' + '31322e3530');
    expect(hex(new PrinterTextCodec(GBK_PROFILE).encode('¥').bytes)).toBe('a3a4');
    expect(hex(new PrinterTextCodec(PROFILE_80MM_BIG5).encode('¥').bytes)).toBe('a244');
    expect(new PrinterTextCodec(PROFILE_80MM_GB18030).width('¥12.50')).toBe(7);
    // never the 4-byte GB18030 form 81 30 84 36, never a lone byte >= 0x80
    expect(hex(new PrinterTextCodec(PROFILE_80MM_GB18030).encode('¥').bytes)).not.toContain('81308436');
  });

  it('keeps ¥ single-byte in a code page when Chinese mode is off', () => {
    expect(hex(new PrinterTextCodec({ ...PROFILE_80MM_LATIN, codePage: 'cp437' }).encode('¥').bytes)).toBe('9d');
    expect(hex(new PrinterTextCodec(PROFILE_80MM_LATIN).encode('¥').bytes)).toBe('be');
    expect(hex(new PrinterTextCodec(PROFILE_80MM_LATIN).encode('￥').bytes)).toBe('be');
    expect(hex(new PrinterTextCodec(PROFILE_80MM_LATIN).encode('café €').bytes)).toBe('63616682' + '20' + 'd5');
  });

  it('prints what it cannot encode as ? and counts it', () => {
    const gb = new PrinterTextCodec(PROFILE_80MM_GB18030);
    const e = gb.encode('a😀b');
    expect(hex(e.bytes)).toBe('613f62');
    expect(e.replaced).toBe(1);
    expect(gb.canPrint('a😀b')).toBe(false);
    // Big5-HKSCS-only codes (iconv-lite maps é to 88 6d) are not in printer fonts
    expect(hex(new PrinterTextCodec(PROFILE_80MM_BIG5).encode('é').bytes)).toBe('3f');
    // simplified characters have no Big5 code
    expect(new PrinterTextCodec(PROFILE_80MM_BIG5).encode('银').replaced).toBe(1);
    // Chinese text on a printer without Chinese mode
    expect(hex(new PrinterTextCodec(PROFILE_80MM_LATIN).encode('你好').bytes)).toBe('3f3f');
  });

  it('allows four-byte GB18030 only when the profile says so', () => {
    const four = new PrinterTextCodec({ ...PROFILE_80MM_GB18030, allowGb18030FourByte: true });
    expect(hex(four.encode('😀').bytes)).toBe('9439fc36');
    expect(four.width('😀')).toBe(2);
  });

  it('folds € to EUR in Chinese mode (GBK would send the lone byte 0x80)', () => {
    expect(hex(new PrinterTextCodec(GBK_PROFILE).encode('€5').bytes)).toBe('455552' + '35');
  });

  it('never lets control characters from data reach the printer', () => {
    const c = new PrinterTextCodec(PROFILE_80MM_GB18030);
    const e = c.encode('Tea\u001dV\u0000\u001b@\n\u0010\u0004\u0001');
    expect([...e.bytes].every((b) => b >= 0x20)).toBe(true);
    expect(hex(e.bytes)).toBe('546561' + '2056' + '20' + '2040' + '20' + '202020');
  });

  it('normalises decomposed accents before encoding', () => {
    expect(hex(new PrinterTextCodec(PROFILE_80MM_LATIN).encode('cafe\u0301').bytes)).toBe('63616682');
  });
});

describe('GB18030 and Big5 round trip through the test decoder', () => {
  const samples: Array<[PrinterProfile, 'gb18030' | 'gbk' | 'big5', string]> = [
    [PROFILE_80MM_GB18030, 'gb18030', '滨江路便利店 农夫山泉 550ml ￥4.00 谢谢惠顾！'],
    [GBK_PROFILE, 'gbk', '会员积分余额：1234（金卡）'],
    [PROFILE_80MM_BIG5, 'big5', '收銀員：陳小明 點數餘額 1234 謝謝光臨！'],
    [PROFILE_58MM_GB18030, 'gb18030', 'ＡＢＣ全角字母 · — “引号” …'],
  ];
  for (const [profile, enc, text] of samples) {
    it(`${enc}: ${text}`, () => {
      const bytes = new EscPosEncoder(profile).initialize().line(text).encode();
      const decoded = decodeEscPos(bytes, { cjkEncoding: enc });
      expect(decoded.text).toEqual([text]);
      expect(decoded.lines[0]?.columns).toBe(new PrinterTextCodec(profile).width(text));
      expect(decoded.unknown).toEqual([]);
    });
  }
});
