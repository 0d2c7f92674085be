import { describe, expect, it } from 'vitest';
import { ScanLineAssembler, type AssemblerOutput } from '../../../src-main/devices/scanners';

const enc = new TextEncoder();
const dec = new TextDecoder();

function lines(outs: AssemblerOutput[]): string[] {
  return outs.map((o) => (o.type === 'line' ? dec.decode(o.bytes) : `<overlong ${o.discarded}>`));
}

describe('ScanLineAssembler', () => {
  it('splits on CR and ignores the LF of a CRLF scanner', () => {
    const a = new ScanLineAssembler({ terminator: 'CR', maxLength: 64 });
    expect(lines(a.push(enc.encode('6901234567892\r\n4000123456789017\r\n')))).toEqual([
      '6901234567892',
      '4000123456789017',
    ]);
    expect(a.pendingBytes).toBe(0);
  });

  it('joins a scan that arrives in several chunks', () => {
    const a = new ScanLineAssembler({ terminator: 'CR', maxLength: 64 });
    expect(a.push(enc.encode('69012'))).toEqual([]);
    expect(a.pendingBytes).toBe(5);
    expect(lines(a.push(enc.encode('34567892\r')))).toEqual(['6901234567892']);
  });

  it('LF and CRLF terminators strip the CR', () => {
    const lf = new ScanLineAssembler({ terminator: 'LF', maxLength: 64 });
    expect(lines(lf.push(enc.encode('abc\ndef\r\n')))).toEqual(['abc', 'def']);
    const crlf = new ScanLineAssembler({ terminator: 'CRLF', maxLength: 64 });
    expect(lines(crlf.push(enc.encode('abc\r\n\r\ndef\r\n')))).toEqual(['abc', 'def']);
  });

  it('with CRLF, a CR-only scanner never completes a scan (the timeout will discard it)', () => {
    const a = new ScanLineAssembler({ terminator: 'CRLF', maxLength: 64 });
    expect(a.push(enc.encode('abc\r'))).toEqual([]);
    expect(a.pendingBytes).toBe(4);
    expect(a.discardPending()).toBe(4);
  });

  it('never emits empty scans', () => {
    const a = new ScanLineAssembler({ terminator: 'CR', maxLength: 64 });
    expect(a.push(enc.encode('\r\r\n\r'))).toEqual([]);
  });

  it('discards an overlong scan up to the next terminator, then carries on', () => {
    const a = new ScanLineAssembler({ terminator: 'CR', maxLength: 8 });
    expect(lines(a.push(enc.encode('0123456789ABCDEF\rOK123\r')))).toEqual(['<overlong 9>', 'OK123']);
  });

  it('keeps garbage bytes inside a scan for the classifier to reject', () => {
    const a = new ScanLineAssembler({ terminator: 'CR', maxLength: 64 });
    const out = a.push(Uint8Array.from([0xff, 0xfe, 0x31, 0x0d]));
    expect(out).toHaveLength(1);
    expect(out[0]?.type === 'line' ? [...out[0].bytes] : []).toEqual([0xff, 0xfe, 0x31]);
  });

  it('rejects a nonsensical maxLength', () => {
    expect(() => new ScanLineAssembler({ terminator: 'CR', maxLength: 0 })).toThrow(RangeError);
  });
});
