import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from '../../../src-main/terminal/random-pool';
import { createUuidV7, UUID_V7_RE } from '../../../src-shared/sync/ids';

describe('pooledRandomBytes', () => {
  /** A source that numbers every byte it produces, so reuse or skipping shows. */
  function countingSource() {
    let next = 0;
    let fills = 0;
    return {
      fill: (b: Uint8Array) => {
        fills++;
        for (let i = 0; i < b.length; i++) b[i] = next++ % 256;
      },
      fills: () => fills,
    };
  }

  it('hands out every byte of the pool once, in copies the pool never touches again', () => {
    const src = countingSource();
    const random = pooledRandomBytes(16, src.fill);
    const a = random(10);
    const b = random(6);
    expect([...a]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...b]).toEqual([10, 11, 12, 13, 14, 15]);
    expect(src.fills()).toBe(1);
    const c = random(4); // the pool is used up: a new one is filled, the old bytes are not reused
    expect([...c]).toEqual([16, 17, 18, 19]);
    expect(src.fills()).toBe(2);
    a[0] = 99;
    expect([...random(2)]).toEqual([20, 21]);
    expect([...b]).toEqual([10, 11, 12, 13, 14, 15]);
  });

  it('does not split a request across pools, and serves requests larger than the pool directly', () => {
    const src = countingSource();
    const random = pooledRandomBytes(8, src.fill);
    expect([...random(6)]).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...random(4)]).toEqual([8, 9, 10, 11]); // bytes 6 and 7 are dropped, never handed out
    expect(random(20)).toHaveLength(20);
    expect(src.fills()).toBe(3);
  });

  it('gives UUIDv7 ids that are well formed and distinct', () => {
    const newId = createUuidV7({ now: () => 1_760_000_000_000, randomBytes: pooledRandomBytes() });
    const ids = Array.from({ length: 5000 }, newId);
    for (const id of ids) expect(id).toMatch(UUID_V7_RE);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
