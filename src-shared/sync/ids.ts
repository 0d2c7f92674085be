import { bytesToHex } from './hex';
import { sha256Hex } from './sha256';
/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version, 12 bits of a monotonic sequence,
 * variant, 62 random bits. Ids made by one generator sort in creation order, also within
 * one millisecond. Pure: the caller injects the clock and the random source.
 */
export interface UuidV7Source {
  now: () => number;
  randomBytes: (n: number) => Uint8Array;
}

export function createUuidV7(source: UuidV7Source): () => string {
  let lastMs = -1;
  let seq = 0;
  return () => {
    let ms = source.now();
    if (ms <= lastMs) {
      ms = lastMs;
      seq += 1;
      if (seq > 0xfff) {
        ms = lastMs + 1;
        seq = 0;
      }
    } else {
      seq = 0;
    }
    lastMs = ms;
    const rnd = source.randomBytes(8);
    const b = new Uint8Array(16);
    let t = ms;
    for (let i = 5; i >= 0; i--) {
      b[i] = t % 256;
      t = Math.floor(t / 256);
    }
    b[6] = 0x70 | ((seq >> 8) & 0x0f);
    b[7] = seq & 0xff;
    b[8] = 0x80 | (rnd[0]! & 0x3f);
    for (let i = 9; i < 16; i++) b[i] = rnd[i - 8]!;
    return formatUuid(b);
  };
}

/** 8-4-4-4-12 lower-case hex of 16 bytes. */
function formatUuid(b: Uint8Array): string {
  return `${bytesToHex(b, 0, 4)}-${bytesToHex(b, 4, 6)}-${bytesToHex(b, 6, 8)}-${bytesToHex(b, 8, 10)}-${bytesToHex(b, 10, 16)}`;
}

export const UUID_V7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Milliseconds encoded in a UUIDv7. */
export function uuidV7Millis(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

/**
 * A UUID (version 8, RFC 9562 "custom") derived from a key with SHA-256. Entries that may happen
 * only once per member and occasion (a birthday bonus per year, a welcome bonus, a referral bonus,
 * a merge transfer) get their id from their idempotency key, so two terminals that each made one
 * while offline made the SAME entry, and the union of ledgers counts it once.
 */
export function deterministicUuid(key: string): string {
  const hex = sha256Hex(`tillsmith:${key}`).slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The id of the sale a terminal made with idempotency key `key`. Derived, so a retried checkout
 * finds its sale by primary key and the key needs no index of its own; the terminal is part of
 * it, so two tills given the same key still make two sales. When the key is a UUIDv7 (the till's
 * page mints those when a sale starts) the id keeps its 48-bit time, so new sales append to the
 * id index instead of landing on random pages; the rest comes from SHA-256 (version 8, RFC 9562).
 */
export function saleIdFromKey(terminalId: string, key: string): string {
  const derived = deterministicUuid(`sale:${terminalId}:${key}`);
  if (!UUID_V7_RE.test(key)) return derived;
  return `${key.slice(0, 13)}${derived.slice(13)}`;
}

/** The smallest UUIDv7 of a millisecond: ids minted at `ms` or later sort at or above it. */
export function uuidV7Floor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}
