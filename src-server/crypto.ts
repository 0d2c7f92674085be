import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** A terminal token: 32 random bytes, base64url. Only its sha256 is stored. */
export function newTerminalToken(): string {
  return randomBytes(32).toString('base64url');
}

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** A one-time enrolment code, 15 base32 characters (75 bits) in groups: `7KQ2M-XW9DA-3PFZC`. */
export function newEnrolmentCode(): string {
  const bytes = randomBytes(15);
  let out = '';
  for (let i = 0; i < 15; i++) {
    out += CODE_ALPHABET[bytes[i]! & 31];
    if (i === 4 || i === 9) out += '-';
  }
  return out;
}

/** What is hashed: upper case, without spaces and dashes; I/L read as 1, O as 0 (typing mistakes). */
export function normaliseEnrolmentCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}

export function hashEnrolmentCode(code: string): string {
  return sha256Hex(`enrolment:${normaliseEnrolmentCode(code)}`);
}

export function hashToken(token: string): string {
  return sha256Hex(`token:${token}`);
}

/** Constant-time comparison of two secrets (through their hashes, so lengths never leak). */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The cost the tills use for staff PINs (src-main/staff/pin.ts: PRODUCTION_PIN_COST). */
export const PIN_COST = 2 ** 15;

/**
 * A staff PIN set by head office, hashed exactly as a till hashes it (`scrypt$N$r$p$salt$hash`,
 * src-main/staff/pin.ts), so every till of the store can check it. Only the hash is stored and sent.
 */
export function hashPin(pin: string, cost = PIN_COST): Promise<string> {
  const salt = randomBytes(16);
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, 32, { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(`scrypt$${cost}$8$1$${salt.toString('base64')}$${key.toString('base64')}`),
    );
  });
}
