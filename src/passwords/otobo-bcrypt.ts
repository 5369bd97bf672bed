/**
 * OTOBO's bcrypt format, `BCRYPT:<cost>:<16-char salt>:<31-char hash>`. The salt characters are the 16 raw
 * salt bytes, so the value is a standard `$2a$` hash written differently (see otobo-behaviour.md §8.1).
 */
import bcrypt from 'bcryptjs';
import { ALPHANUMERIC, randomString } from './generate';

/** bcrypt only uses the first 72 bytes of a password. */
export const BCRYPT_MAX_PASSWORD_BYTES = 72;

const MIN_COST = 4;
const MAX_COST = 31;
const SALT_LENGTH = 16;
const CHECKSUM_LENGTH = 31;
const OTOBO_BCRYPT = /^BCRYPT:(\d+):([\x20-\x7e]{16}):([./A-Za-z0-9]{31})$/;

const STANDARD_BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BCRYPT_BASE64 = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Hashes a password the way OTOBO's `bcrypt` CryptType does. Throws a RangeError for a password over
 * 72 UTF-8 bytes (bcrypt would silently ignore the rest) or a cost outside bcrypt's 4…31.
 */
export async function hashPassword(password: string, cost: number): Promise<string> {
  checkHashInput(password, cost);
  const salt = randomString(SALT_LENGTH, ALPHANUMERIC);
  const standard = await bcrypt.hash(password, standardSalt(cost, salt));
  return `BCRYPT:${cost}:${salt}:${standard.slice(-CHECKSUM_LENGTH)}`;
}

/** hashPassword's RangeErrors, checked alone: the hashing pool refuses bad input before queueing it. */
export function checkHashInput(password: string, cost: number): void {
  if (Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_PASSWORD_BYTES) {
    throw new RangeError(`Password is longer than ${BCRYPT_MAX_PASSWORD_BYTES} bytes`);
  }
  if (!isValidCost(cost)) throw new RangeError(`bcrypt cost must be an integer from ${MIN_COST} to ${MAX_COST}`);
}

/** The equivalent standard `$2a$` hash of an OTOBO `BCRYPT:` value, or null if it is malformed. */
export function toStandardBcrypt(stored: string): string | null {
  const match = OTOBO_BCRYPT.exec(stored);
  if (!match) return null;
  const [, cost = '', salt = '', checksum = ''] = match;
  const costNumber = Number(cost);
  return isValidCost(costNumber) ? standardSalt(costNumber, salt) + checksum : null;
}

function isValidCost(cost: number): boolean {
  return Number.isInteger(cost) && cost >= MIN_COST && cost <= MAX_COST;
}

/** `$2a$<cost>$` + the 22-character bcrypt-base64 encoding of the 16 salt bytes. */
function standardSalt(cost: number, salt: string): string {
  return `$2a$${String(cost).padStart(2, '0')}$${bcryptBase64(Buffer.from(salt, 'ascii'))}`;
}

/** bcrypt's base64 is ordinary unpadded base64 with a different alphabet. */
function bcryptBase64(bytes: Buffer): string {
  return bytes
    .toString('base64')
    .replace(/=+$/, '')
    .replace(/./g, (char) => BCRYPT_BASE64.charAt(STANDARD_BASE64.indexOf(char)));
}
