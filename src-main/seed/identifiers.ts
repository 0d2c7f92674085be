import { luhnCheckDigit } from '../../src-shared/cards';
import { HEX_BYTE } from '../../src-shared/sync/hex';
import type { Rng } from './prng';

/**
 * Phone numbers, card numbers and ids for the demo store. Phones and cards are derived from
 * the member's index through a keyed bijection (a small Feistel network), so they are unique
 * by construction, look random, and spread evenly over their last four digits.
 */

/** A bijection on [0, 10^(2*halfDigits)) (balanced Feistel network, 4 rounds). */
function feistel(x: number, halfDigits: number, key: number): number {
  const m = 10 ** halfDigits;
  let l = Math.floor(x / m);
  let r = x % m;
  for (let round = 0; round < 4; round++) {
    let f = Math.imul(r ^ (key + round * 0x9e37), 0x45d9f3b);
    f = Math.imul(f ^ (f >>> 16), 0x45d9f3b);
    f = (f ^ (f >>> 16)) >>> 0;
    const next = (l + f) % m;
    l = r;
    r = next;
  }
  return l * m + r;
}

/** Largest member index the identifier scheme supports (10 million members). */
export const MAX_DEMO_MEMBERS = 10_000_000;

const CN_MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '145', '147', '150', '151', '152', '153', '155',
  '156', '157', '158', '159', '166', '170', '173', '175', '176', '177', '178', '180', '181', '182', '183', '184', '185',
  '186', '187', '188', '189', '191', '193', '195', '196', '198', '199',
];

/** E.164 mobile number of member `index`: mostly +86 1xx xxxx xxxx, some Hong Kong +852. */
export function demoPhone(index: number, rng: Rng, hongKong: boolean): string {
  if (hongKong) {
    let body = feistel(index, 4, 0x852);
    while (body >= 10_000_000) body = feistel(body, 4, 0x852); // cycle-walk into 7 digits
    return `+852${rng.pick(['5', '6', '9'])}${String(body).padStart(7, '0')}`;
  }
  return `+86${rng.pick(CN_MOBILE_PREFIXES)}${String(feistel(index, 4, 0x86)).padStart(8, '0')}`;
}

/**
 * 16-digit printed card number with a Luhn check digit: 62228 + 10 digits + check digit.
 * `slot` (0..3) tells a member's cards apart.
 */
export function demoCardNumber(index: number, slot: number): string {
  const first15 = `62228${String(feistel(index * 4 + slot, 5, 0xca4d)).padStart(10, '0')}`;
  return first15 + luhnCheckDigit(first15);
}

/** Canonical code of a 7-byte NFC tag UID (NXP tags start with 04). */
export function demoNfcCode(index: number, rng: Rng): string {
  const tail = (rng.u32() & 0xffff).toString(16).padStart(4, '0');
  return `NFC:04${(index + 1).toString(16).padStart(8, '0')}${tail}`.toUpperCase();
}

function hex32(n: number): string {
  return HEX_BYTE[(n >>> 24) & 0xff]! + HEX_BYTE[(n >>> 16) & 0xff]! + HEX_BYTE[(n >>> 8) & 0xff]! + HEX_BYTE[n & 0xff]!;
}

/**
 * UUIDv7 ids minted in insertion order (48-bit milliseconds counted from `baseMs`, 4096 ids per
 * millisecond in the 12-bit sequence field, 62 seeded random bits). Like ids minted by an import,
 * they carry the time the row was written, not the historical instant in `created_at`; because
 * they increase in insertion order, every id index is appended to, which keeps the bulk load fast
 * and the indexes compact.
 */
export class IdMinter {
  private n = 0;
  constructor(
    private readonly baseMs: number,
    private readonly rng: Rng,
  ) {}

  next(): string {
    const ms = this.baseMs + Math.floor(this.n / 4096);
    const seq = this.n % 4096;
    this.n++;
    const msHex = ms.toString(16).padStart(12, '0');
    const r1 = this.rng.u32();
    const r2 = this.rng.u32();
    const variant = 0x8000 | ((r1 >>> 16) & 0x3fff);
    return (
      `${msHex.slice(0, 8)}-${msHex.slice(8, 12)}-7${seq.toString(16).padStart(3, '0')}-` +
      `${variant.toString(16)}-${HEX_BYTE[r1 & 0xff]!}${HEX_BYTE[(r1 >>> 8) & 0xff]!}${hex32(r2)}`
    );
  }

  get count(): number {
    return this.n;
  }
}
