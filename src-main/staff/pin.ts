import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Staff PINs are hashed with scrypt (memory-hard, slow on purpose): a stolen database does not
 * give away 4-digit PINs in a second. Stored as `scrypt$N$r$p$<salt b64>$<hash b64>`, so the cost
 * can be raised later without breaking old hashes.
 */
export const PRODUCTION_PIN_COST = 2 ** 15;

function scryptAsync(pin: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPin(pin: string, cost = PRODUCTION_PIN_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(pin, salt, cost, 8, 1);
  return `scrypt$${cost}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(pin, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}
