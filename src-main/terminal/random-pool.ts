import { randomFillSync } from 'node:crypto';

/**
 * Cryptographically random bytes, drawn from a buffer filled a few kilobytes at a time: a
 * checkout makes about ten ids, and a call into the OS for 8 bytes each time costs more than the
 * rest of making the id. Every byte is handed out once; the returned array is the caller's own copy.
 */
export function pooledRandomBytes(poolSize = 4096, fill: (buffer: Uint8Array) => void = (b) => void randomFillSync(b)): (n: number) => Uint8Array {
  let pool = new Uint8Array(0);
  let offset = 0;
  return (n) => {
    if (n > poolSize) {
      const large = new Uint8Array(n);
      fill(large);
      return large;
    }
    if (offset + n > pool.length) {
      pool = new Uint8Array(poolSize);
      fill(pool);
      offset = 0;
    }
    const out = pool.slice(offset, offset + n);
    offset += n;
    return out;
  };
}
