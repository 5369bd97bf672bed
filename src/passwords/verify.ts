import { createHash, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { toStandardBcrypt } from './otobo-bcrypt';
import { desCrypt, md5Crypt, type Md5CryptMagic } from './unix-crypt';

const MD5_CRYPT = /^(\$1\$|\$apr1\$)([^$]+)\$/;
const STANDARD_BCRYPT = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;
const SHA1_HEX = /^[0-9a-f]{40}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const SHA512_HEX = /^[0-9a-f]{128}$/;

/**
 * Checks a password against a stored OTOBO password hash. Like OTOBO's CustomerAuth::DB, the format is
 * detected from the stored value, so every CryptType OTOBO may have used over time keeps working.
 *
 * OTOBO's `plain` CryptType (comparing against a clear-text stored password) is deliberately not supported:
 * a stored value is only ever treated as a hash, so a plain-text password column never grants a login.
 */
export async function verifyPassword(
  password: string,
  stored: string | null | undefined,
): Promise<boolean> {
  if (password === '' || !stored) return false;
  return matchesStored(password, stored);
}

function matchesStored(password: string, stored: string): boolean | Promise<boolean> {
  if (stored.length === 13) return desCryptMatches(password, stored.slice(0, 2), stored);

  const md5 = MD5_CRYPT.exec(stored);
  if (md5) return safeEqual(md5Crypt(password, md5[2] ?? '', md5[1] as Md5CryptMagic), stored);

  if (stored.startsWith('BCRYPT:')) return bcryptMatches(password, toStandardBcrypt(stored));
  // Not something OTOBO writes (it would misread it as MD5-crypt), but a standard bcrypt hash is safe to accept.
  if (STANDARD_BCRYPT.test(stored)) return bcryptMatches(password, stored);

  if (SHA256_HEX.test(stored)) return safeEqual(hexDigest('sha256', password), stored);
  if (SHA512_HEX.test(stored)) return safeEqual(hexDigest('sha512', password), stored);
  if (SHA1_HEX.test(stored)) return safeEqual(hexDigest('sha1', password), stored);

  // OTOBO falls back to crypt() salted with the login, but a DES result is always 13 characters,
  // which were handled above: nothing else can match.
  return false;
}

function desCryptMatches(password: string, salt: string, stored: string): boolean {
  const hash = desCrypt(password, salt);
  return hash !== null && safeEqual(hash, stored);
}

/** bcryptjs's compare is itself constant-time. */
async function bcryptMatches(password: string, standardHash: string | null): Promise<boolean> {
  return standardHash !== null && bcrypt.compare(password, standardHash);
}

function hexDigest(algorithm: 'sha1' | 'sha256' | 'sha512', password: string): string {
  return createHash(algorithm).update(password, 'utf8').digest('hex');
}

/** Constant-time string comparison (only the lengths, which the formats fix anyway, can leak). */
function safeEqual(computed: string, stored: string): boolean {
  const a = Buffer.from(computed, 'utf8');
  const b = Buffer.from(stored, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
