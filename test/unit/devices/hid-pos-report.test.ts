/**
 * HID POS report parsing on fixed report bytes. No virtual HID device is available here
 * (no uhid/uinput in this kernel, no /dev/hidraw*): see fixtures/hid-pos-reports.ts.
 */
import { describe, expect, it } from 'vitest';
import { classifyScan } from '../../../src-shared/cards';
import {
  HidPosScanAssembler,
  WEBHID_LAYOUT,
  decodeScanData,
  hidPosDataCapacity,
  parseHidPosReport,
  scanText,
  type HidPosReport,
} from '../../../src-main/devices/scanners';
import * as fx from './fixtures/hid-pos-reports';

function ok(bytes: Uint8Array): HidPosReport {
  const r = parseHidPosReport(bytes);
  if (!r.ok) throw new Error(r.message);
  return r.report;
}

describe('parseHidPosReport', () => {
  it('fixtures are 64-byte reports', () => {
    for (const f of [fx.EAN13_SINGLE, fx.CODE128_CARD_SINGLE, fx.QR_URL_PART1, fx.QR_URL_PART2, fx.NO_AIM_CARD, fx.QR_UTF8_SINGLE]) {
      expect(f.length).toBe(64);
    }
    expect(hidPosDataCapacity()).toBe(56);
    expect(hidPosDataCapacity(WEBHID_LAYOUT)).toBe(56);
  });

  it('reads report id, symbology, data and the more-data flag', () => {
    const r = ok(fx.EAN13_SINGLE);
    expect(r.reportId).toBe(2);
    expect(r.symbology).toBe(']E0');
    expect(decodeScanData(r.data)).toBe('6901234567892');
    expect(r.moreFollows).toBe(false);

    const p1 = ok(fx.QR_URL_PART1);
    expect(p1.symbology).toBe(']Q1');
    expect(p1.data.length).toBe(56);
    expect(p1.moreFollows).toBe(true);
  });

  it('returns an empty symbology when the scanner sends none', () => {
    const r = ok(fx.NO_AIM_CARD);
    expect(r.symbology).toBe('');
    expect(scanText(r.symbology, r.data)).toBe('6228480000001237');
  });

  it('decodes UTF-8 data', () => {
    expect(decodeScanData(ok(fx.QR_UTF8_SINGLE).data)).toBe('会员卡:01');
  });

  it('ignores other reports of the device', () => {
    const r = parseHidPosReport(fx.OTHER_REPORT);
    expect(r).toMatchObject({ ok: false, kind: 'other_report' });
  });

  it('rejects malformed reports with a message', () => {
    for (const [bytes, pattern] of [
      [fx.BAD_LENGTH, /claims 64 data bytes/],
      [fx.TRUNCATED, /20 bytes, expected 64/],
      [fx.BAD_MORE_FLAG, /more data/],
      [new Uint8Array(0), /Empty/],
    ] as const) {
      const r = parseHidPosReport(bytes);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.kind).toBe('malformed');
        expect(r.message).toMatch(pattern);
      }
    }
  });

  it('parses the WebHID layout (no report id byte)', () => {
    const r = parseHidPosReport(fx.EAN13_SINGLE.subarray(1), WEBHID_LAYOUT);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.report.reportId).toBeNull();
      expect(r.report.symbology).toBe(']E0');
      expect(decodeScanData(r.report.data)).toBe('6901234567892');
    }
  });
});

describe('HidPosScanAssembler', () => {
  it('passes single-report scans straight through', () => {
    const a = new HidPosScanAssembler();
    const out = a.push(ok(fx.CODE128_CARD_SINGLE));
    expect(out.type).toBe('scan');
    if (out.type === 'scan') {
      expect(out.reports).toBe(1);
      const raw = scanText(out.symbology, out.data);
      expect(raw).toBe(']C04000123456789017');
      expect(classifyScan(raw)).toEqual({ kind: 'member_card', source: 'barcode', code: '4000123456789017' });
    }
  });

  it('joins a scan split over two reports', () => {
    const a = new HidPosScanAssembler();
    expect(a.push(ok(fx.QR_URL_PART1))).toEqual({ type: 'pending' });
    expect(a.pendingBytes).toBe(56);
    const out = a.push(ok(fx.QR_URL_PART2));
    expect(out.type).toBe('scan');
    if (out.type === 'scan') {
      expect(out.reports).toBe(2);
      expect(out.symbology).toBe(']Q1');
      expect(decodeScanData(out.data)).toBe(fx.QR_URL_TEXT);
      expect(classifyScan(scanText(out.symbology, out.data))).toEqual({
        kind: 'member_card',
        source: 'qr',
        code: '4000123456789017',
      });
    }
    expect(a.pendingBytes).toBe(0);
  });

  it('discards a scan that grows past maxBytes', () => {
    const a = new HidPosScanAssembler(100);
    expect(a.push(ok(fx.QR_URL_PART1)).type).toBe('pending');
    expect(a.push(ok(fx.QR_URL_PART1))).toEqual({ type: 'overflow', discarded: 112 });
    expect(a.pendingBytes).toBe(0);
  });

  it('reset drops a half scan and reports its size', () => {
    const a = new HidPosScanAssembler();
    a.push(ok(fx.QR_URL_PART1));
    expect(a.reset()).toBe(56);
    const out = a.push(ok(fx.EAN13_SINGLE));
    expect(out.type).toBe('scan');
  });
});
