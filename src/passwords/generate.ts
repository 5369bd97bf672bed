import { randomInt } from 'node:crypto';

export const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const MIN_LENGTH = 8;
// bcrypt ignores everything after 72 bytes, so a longer generated password would only pretend to be stronger.
const MAX_LENGTH = 72;
const REQUIRED_CLASSES = [/[0-9]/, /[a-z]/, /[A-Z]/];

/** `length` characters drawn uniformly (and cryptographically securely) from `alphabet`. */
export function randomString(length: number, alphabet: string): string {
  return Array.from({ length }, () => alphabet.charAt(randomInt(alphabet.length))).join('');
}

/**
 * A random `[0-9A-Za-z]` password with at least one digit, one lower-case and one upper-case letter
 * (OTOBO's default password policy requires a digit).
 */
export function generatePassword(length: number): string {
  if (!Number.isInteger(length) || length < MIN_LENGTH || length > MAX_LENGTH) {
    throw new RangeError(`Password length must be an integer from ${MIN_LENGTH} to ${MAX_LENGTH}, got ${length}`);
  }
  // Redrawing until every class is present keeps all valid passwords equally likely (no fixed positions);
  // even at length 8 about three draws in four succeed.
  for (;;) {
    const candidate = randomString(length, ALPHANUMERIC);
    if (REQUIRED_CLASSES.every((characterClass) => characterClass.test(candidate))) return candidate;
  }
}
