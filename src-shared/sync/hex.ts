/** Two lower-case hex digits of every byte value. */
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of bytes[from, to). */
export function bytesToHex(bytes: Uint8Array, from = 0, to = bytes.length): string {
  let s = '';
  for (let i = from; i < to; i++) s += HEX_BYTE[bytes[i]!]!;
  return s;
}
