import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc, HlcClock, nodeIdOf, parseHlc } from '../../../src-shared/sync/hlc';
import { createUuidV7, deterministicUuid, UUID_V7_RE, uuidV7Millis } from '../../../src-shared/sync/ids';
import { sha256Hex } from '../../../src-shared/sync/sha256';

describe('sha256', () => {
  it('matches node:crypto on any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
      }),
    );
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('ids', () => {
  it('UUIDv7 ids sort in creation order, even within one millisecond, and encode the time', () => {
    let t = 1_750_000_000_000;
    const next = createUuidV7({ now: () => t, randomBytes: (n) => new Uint8Array(n).fill(0xab) });
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 1000 === 0) t += 1;
      ids.push(next());
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 10)) expect(id).toMatch(UUID_V7_RE);
    expect(uuidV7Millis(ids[0]!)).toBe(1_750_000_000_001);
  });

  it('lays out time, version, sequence, variant and random bits as RFC 9562 says', () => {
    const rnd = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 200) % 256);
    const next = createUuidV7({ now: () => 0x0123456789ab, randomBytes: rnd });
    // 48-bit time | 7 + 12-bit sequence | variant 10 + 62 random bits (0xc8 & 0x3f | 0x80 = 0x88).
    expect(next()).toBe('01234567-89ab-7000-88ed-12375c81a6cb');
    expect(next()).toBe('01234567-89ab-7001-88ed-12375c81a6cb');
  });

  it('deterministic ids are stable, distinct per key, and well-formed', () => {
    expect(deterministicUuid('birthday:m1:2026')).toBe(deterministicUuid('birthday:m1:2026'));
    expect(deterministicUuid('birthday:m1:2026')).not.toBe(deterministicUuid('birthday:m1:2027'));
    expect(deterministicUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('hybrid logical clock', () => {
  const node = nodeIdOf('019ec901-d100-7007-bef6-fa2891180792');

  it('is strictly monotonic when the wall clock stalls or goes backwards', () => {
    let now = 1_000_000;
    const c = new HlcClock({ node, now: () => now });
    const a = c.send();
    const b = c.send();
    now -= 50_000; // the clock was set back
    const d = c.send();
    expect(compareHlc(a, b)).toBe(-1);
    expect(compareHlc(b, d)).toBe(-1);
    expect(parseHlc(d)!.millis).toBe(1_000_000);
  });

  it('moves past a remote timestamp and reports one too far in the future, but never refuses', () => {
    const drift: number[] = [];
    const now = 1_000_000;
    const c = new HlcClock({ node, now: () => now, maxDriftMs: 60_000, onDrift: (ms) => drift.push(ms) });
    const other = new HlcClock({ node: 'aaaaaaaaaaaaaaaa', now: () => now + 3_600_000 });
    const remote = other.send();
    const after = c.receive(remote);
    expect(compareHlc(remote, after)).toBe(-1);
    expect(drift).toEqual([3_600_000]);
    expect(compareHlc(after, c.send())).toBe(-1);
  });

  it('survives counter overflow within one millisecond', () => {
    const c = new HlcClock({ node, now: () => 5 });
    let prev = c.send();
    for (let i = 0; i < 70_000; i++) {
      const next = c.send();
      expect(next > prev).toBe(true);
      prev = next;
    }
  });

  it('restores from its last timestamp after a restart', () => {
    const c1 = new HlcClock({ node, now: () => 10_000 });
    const last = c1.send();
    const c2 = new HlcClock({ node, now: () => 9_000, last });
    expect(compareHlc(last, c2.send())).toBe(-1);
  });
});
