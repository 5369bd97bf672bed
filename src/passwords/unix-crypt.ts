/**
 * The legacy crypt(3) algorithms an OTOBO database may hold (CryptTypes `md5`, `apr1` and `crypt`), written
 * from the algorithms' published descriptions. Verification only: we never store these formats.
 * Passwords and salts are hashed as UTF-8 bytes, as OTOBO does.
 */
import { createHash } from 'node:crypto';

/** crypt(3)'s base-64 alphabet (bcrypt uses a different order). */
const CRYPT64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// ---------------------------------------------------------------------------------------------------------
// MD5-crypt (`$1$`) and Apache's variant (`$apr1$`), which differs only in the magic string mixed in.

export type Md5CryptMagic = '$1$' | '$apr1$';

const MD5_SALT_MAX_BYTES = 8;
const MD5_ROUNDS = 1000;
const MD5_LENGTH = 16;
const NUL = Buffer.alloc(1);
// Digest bytes taken three at a time (4 output characters each); byte 11 alone gives the last 2.
const MD5_OUTPUT_TRIPLES: ReadonlyArray<readonly [number, number, number]> = [
  [0, 6, 12],
  [1, 7, 13],
  [2, 8, 14],
  [3, 9, 15],
  [4, 10, 5],
];

/** `<magic><salt>$<22 chars>`; only the first 8 bytes of the salt count. */
export function md5Crypt(password: string, salt: string, magic: Md5CryptMagic): string {
  const key = Buffer.from(password, 'utf8');
  const saltBytes = Buffer.from(salt, 'utf8').subarray(0, MD5_SALT_MAX_BYTES);
  const digest = stretch(initialDigest(key, saltBytes, magic), key, saltBytes);
  return `${magic}${saltBytes.toString('utf8')}$${encodeMd5Digest(digest)}`;
}

function initialDigest(key: Buffer, salt: Buffer, magic: Md5CryptMagic): Buffer {
  const alternate = createHash('md5').update(key).update(salt).update(key).digest();
  const hash = createHash('md5').update(key).update(magic).update(salt);
  for (let left = key.length; left > 0; left -= MD5_LENGTH) {
    hash.update(alternate.subarray(0, Math.min(left, MD5_LENGTH)));
  }
  // Each bit of the key length, lowest first, adds a NUL (bit set) or the key's first byte (bit clear).
  for (let bits = key.length; bits > 0; bits >>= 1) hash.update(bits & 1 ? NUL : key.subarray(0, 1));
  return hash.digest();
}

/** The deliberately slow part: each round rehashes the digest with key and salt in a round-dependent order. */
function stretch(initial: Buffer, key: Buffer, salt: Buffer): Buffer {
  let digest = initial;
  for (let round = 0; round < MD5_ROUNDS; round++) {
    const odd = round % 2 === 1;
    const hash = createHash('md5').update(odd ? key : digest);
    if (round % 3 !== 0) hash.update(salt);
    if (round % 7 !== 0) hash.update(key);
    digest = hash.update(odd ? digest : key).digest();
  }
  return digest;
}

function encodeMd5Digest(digest: Buffer): string {
  const byte = (index: number): number => digest.readUInt8(index);
  const triples = MD5_OUTPUT_TRIPLES.map(([a, b, c]) =>
    littleEndianCrypt64((byte(a) << 16) | (byte(b) << 8) | byte(c), 4),
  );
  return triples.join('') + littleEndianCrypt64(byte(11), 2);
}

/** `count` crypt64 characters of `value`, least significant 6 bits first. */
function littleEndianCrypt64(value: number, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += CRYPT64.charAt((value >> (6 * i)) & 0x3f);
  return text;
}

// ---------------------------------------------------------------------------------------------------------
// Traditional DES crypt: 2 salt characters + 11 hash characters. Bits are kept as arrays of 0/1 and the
// tables are FIPS 46's, 1-based like the standard prints them.

type Bits = number[];

const DES_SALT = /^[./0-9A-Za-z]{2}$/;
const DES_KEY_BYTES = 8;
const DES_ITERATIONS = 25;

const INITIAL_PERMUTATION = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32,
  24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47,
  39, 31, 23, 15, 7,
];
const FINAL_PERMUTATION = inverse(INITIAL_PERMUTATION);
const PERMUTED_CHOICE_1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36, 63, 55,
  47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PERMUTED_CHOICE_2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47, 55, 30,
  40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const KEY_ROTATIONS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
// E: eight overlapping 6-bit windows over the 32-bit half block (32 1 2 3 4 5, 4 5 6 7 8 9, …, 28 … 32 1).
const EXPANSION = Array.from({ length: 48 }, (_, n) => ((4 * Math.floor(n / 6) + (n % 6) + 31) % 32) + 1);
const ROUND_PERMUTATION = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4,
  25,
];
// Each S-box as 64 hex digits: row r (outer bits of the 6-bit input), column c (inner 4 bits) at 16r + c.
const S_BOXES = [
  'e4d12fb83a6c5907' + '0f74e2d1a6cb9538' + '41e8d62bfc973a50' + 'fc8249175b3ea06d',
  'f18e6b34972dc05a' + '3d47f28ec01a69b5' + '0e7ba4d158c6932f' + 'd8a13f42b67c05e9',
  'a09e63f51dc7b428' + 'd709346a285ecbf1' + 'd6498f30b12c5ae7' + '1ad069874fe3b52c',
  '7de3069a1285bc4f' + 'd8b56f03472c1ae9' + 'a690cb7df13e5284' + '3f06a1d8945bc72e',
  '2c417ab6853fd0e9' + 'eb2c47d150fa3986' + '421bad78f9c5630e' + 'b8c71e2d6f09a453',
  'c1af92680d34e75b' + 'af427c9561de0b38' + '9ef528c3704a1db6' + '432c95fabe17608d',
  '4b2ef08d3c975a61' + 'd0b7491ae35c2f86' + '14bdc37eaf680592' + '6bd814a7950fe23c',
  'd2846fb1a93e50c7' + '1fd8a374c56b0e92' + '7b419ce206adf358' + '21e74a8dfc90356b',
];

/**
 * crypt(3) with a traditional 2-character salt: the first 8 password bytes (7 bits each; a NUL ends the
 * password, as in C) key 25 DES encryptions of a zero block, and the 12 salt bits perturb DES's E expansion.
 * Returns null for a salt outside crypt's alphabet: modern libcrypt then returns a failure token such as
 * `*0`, which OTOBO would compare like a hash (so any password "matches" a stored `*0`).
 */
export function desCrypt(password: string, salt: string): string | null {
  if (!DES_SALT.test(salt)) return null;
  const subkeys = keySchedule(desKey(password));
  const expansion = saltedExpansion(CRYPT64.indexOf(salt.charAt(0)) | (CRYPT64.indexOf(salt.charAt(1)) << 6));
  let block: Bits = new Array<number>(64).fill(0);
  for (let i = 0; i < DES_ITERATIONS; i++) block = desEncrypt(block, subkeys, expansion);
  return salt + bigEndianCrypt64([...block, 0, 0]);
}

/** 64 key bits: each password byte's low 7 bits, followed by an (unused) parity bit. */
function desKey(password: string): Bits {
  const bytes = Buffer.from(password, 'utf8');
  const end = bytes.indexOf(0);
  const keyBytes = (end === -1 ? bytes : bytes.subarray(0, end)).subarray(0, DES_KEY_BYTES);
  const key: Bits = new Array<number>(64).fill(0);
  keyBytes.forEach((byte, i) => {
    for (let bit = 0; bit < 7; bit++) key[8 * i + bit] = (byte >> (6 - bit)) & 1;
  });
  return key;
}

function keySchedule(key: Bits): Bits[] {
  const halves = permute(key, PERMUTED_CHOICE_1);
  let c = halves.slice(0, 28);
  let d = halves.slice(28);
  return KEY_ROTATIONS.map((rotation) => {
    c = [...c.slice(rotation), ...c.slice(0, rotation)];
    d = [...d.slice(rotation), ...d.slice(0, rotation)];
    return permute([...c, ...d], PERMUTED_CHOICE_2);
  });
}

/** Salt bit i (lowest first) swaps E entries i and i + 24. */
function saltedExpansion(salt: number): number[] {
  const expansion = [...EXPANSION];
  for (let i = 0; i < 12; i++) {
    if ((salt >> i) & 1) [expansion[i], expansion[i + 24]] = [expansion[i + 24]!, expansion[i]!];
  }
  return expansion;
}

function desEncrypt(block: Bits, subkeys: Bits[], expansion: number[]): Bits {
  const permuted = permute(block, INITIAL_PERMUTATION);
  let left = permuted.slice(0, 32);
  let right = permuted.slice(32);
  for (const subkey of subkeys) [left, right] = [right, xor(left, feistel(right, subkey, expansion))];
  return permute([...right, ...left], FINAL_PERMUTATION);
}

function feistel(half: Bits, subkey: Bits, expansion: number[]): Bits {
  const mixed = xor(permute(half, expansion), subkey);
  const substituted = S_BOXES.flatMap((box, i) => {
    const six = mixed.slice(6 * i, 6 * i + 6).reduce((value, bit) => value * 2 + bit, 0);
    const row = ((six >> 4) & 2) | (six & 1);
    const column = (six >> 1) & 0xf;
    const nibble = parseInt(box.charAt(16 * row + column), 16);
    return [3, 2, 1, 0].map((shift) => (nibble >> shift) & 1);
  });
  return permute(substituted, ROUND_PERMUTATION);
}

function permute(bits: Bits, table: number[]): Bits {
  return table.map((position) => bits[position - 1]!);
}

function xor(a: Bits, b: Bits): Bits {
  return a.map((bit, i) => bit ^ b[i]!);
}

function inverse(permutation: number[]): number[] {
  const result = new Array<number>(permutation.length);
  permutation.forEach((position, i) => (result[position - 1] = i + 1));
  return result;
}

/** crypt64 characters of 6 bits each, most significant bit first. */
function bigEndianCrypt64(bits: Bits): string {
  let text = '';
  for (let i = 0; i < bits.length; i += 6) {
    text += CRYPT64.charAt(bits.slice(i, i + 6).reduce((value, bit) => value * 2 + bit, 0));
  }
  return text;
}
