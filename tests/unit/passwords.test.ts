import bcrypt from 'bcryptjs';
import { BCRYPT_MAX_PASSWORD_BYTES, generatePassword, hashPassword, verifyPassword } from '../../src/passwords';
import { toStandardBcrypt } from '../../src/passwords/otobo-bcrypt';
import { desCrypt, md5Crypt } from '../../src/passwords/unix-crypt';

// Provenance of the expected values (none was produced by the code under test):
// * SHA-*: `printf '%s' PASSWORD | sha256sum` (sha1sum, sha512sum); the SHA-256 of `some_pass` is also
//   OTOBO's own example (otobo-behaviour.md §8.1).
// * MD5-crypt/apr1: `openssl passwd -1 -salt SALT PASSWORD` / `openssl passwd -apr1 …` (OpenSSL 3.0.19);
//   the `xxxxxxxx` pair is the example in OpenSSL's passwd(1) documentation, `3azHgidD` passlib's.
// * DES: `perl -e 'print crypt("PASSWORD", "SALT")'` (libcrypt); `xxj31ZMTZzkVA` is OpenSSL's documented example.
// * bcrypt: `perl -e 'print crypt("PASSWORD", q{$2a$04$…})'` (libxcrypt's bcrypt), the 22-char salt being the
//   16 OTOBO salt characters base64-encoded in Python and mapped to bcrypt's alphabet.
const SOME_PASS_SHA1 = 'fff99eddcef98a2265d68d4ec6ca9882c5fc8d0b';
const SOME_PASS_SHA256 = '17c1b8cba6fed372f40eed959c46e265ef8ec2e984b6dca935f8e38aa42c025f';
const SOME_PASS_SHA512 =
  '294780df8a0cb045a2f27f32aed8405ee77d11b94d53aa5b0da5e88ed32e8dee1b3a020959a3146f648d6ba9803a966353bfed2e144eac0bf423e38eb1e6a4f7';
const UMLAUT_PASS_SHA256 = 'cb09d5a0b18f824486c1897881835055e9783f7a5887245ea009d324691bb70a'; // 'pässwört'
const SOME_PASS_OTOBO_BCRYPT = 'BCRYPT:4:AbCdEfGhIjKlMnOp:HvMaEV9Nop0CSV.ePNKi/nvtGUZayHO';
const SOME_PASS_STANDARD_BCRYPT = '$2a$04$OUHBXCTkP0fHYirqRU3Na.HvMaEV9Nop0CSV.ePNKi/nvtGUZayHO';
const UMLAUT_PASS_OTOBO_BCRYPT = 'BCRYPT:5:0123456789abcdef:1.tsF60A2PBLrNDrAkLHFDNb1y765NG';

describe('verifyPassword', () => {
  // [format, password, stored value]
  const vectors: ReadonlyArray<readonly [string, string, string]> = [
    ['sha2 (OTOBO example)', 'some_pass', SOME_PASS_SHA256],
    ['sha2 with non-ASCII password', 'pässwört', UMLAUT_PASS_SHA256],
    ['sha1', 'some_pass', SOME_PASS_SHA1],
    ['sha512', 'some_pass', SOME_PASS_SHA512],
    ['md5 (OpenSSL docs)', 'password', '$1$xxxxxxxx$UYCIxa628.9qXjpQCjM4a.'],
    ['md5 (passlib docs)', 'password', '$1$3azHgidD$SrJPt7B.9rekpmwJwtON31'],
    ['md5 with login salt', 'Geheim123', '$1$maxmuste$m0yBIbDlYVxjSxFgghpl00'],
    ['md5 with non-ASCII password', 'pässwört', '$1$xy$Tz18fwmMOyHrzXCmcgFkF1'],
    ['apr1 (OpenSSL docs)', 'password', '$apr1$xxxxxxxx$dxHfLAsjHkDRmG83UXe8K0'],
    ['apr1 with login salt', 'Geheim123', '$apr1$maxmuste$eE6CCsk7UaSNqWke9T2Tu1'],
    ['crypt (OpenSSL docs)', 'password', 'xxj31ZMTZzkVA'],
    ['crypt with login salt', 'Geheim123', 'matXgrisKUQNU'],
    ['crypt with non-ASCII password', 'pässwört', 'xyn1r77gvFX.M'],
    ['bcrypt (OTOBO format)', 'some_pass', SOME_PASS_OTOBO_BCRYPT],
    ['bcrypt (OTOBO format) with non-ASCII password', 'pässwört', UMLAUT_PASS_OTOBO_BCRYPT],
    ['bcrypt $2a$', 'some_pass', SOME_PASS_STANDARD_BCRYPT],
    ['bcrypt $2b$', 'some_pass', SOME_PASS_STANDARD_BCRYPT.replace('$2a$', '$2b$')],
    ['bcrypt $2y$', 'some_pass', SOME_PASS_STANDARD_BCRYPT.replace('$2a$', '$2y$')],
  ];

  test.each(vectors)('%s: accepts the right password', async (_format, password, stored) => {
    await expect(verifyPassword(password, stored)).resolves.toBe(true);
  });

  test.each(vectors)('%s: rejects a wrong password', async (_format, password, stored) => {
    await expect(verifyPassword(`x${password}`, stored)).resolves.toBe(false);
    await expect(verifyPassword(password.toUpperCase(), stored)).resolves.toBe(false);
  });

  test('crypt only uses the first 8 bytes of the password, as crypt(3) does', async () => {
    await expect(verifyPassword('Geheim12 and more', 'matXgrisKUQNU')).resolves.toBe(true);
  });

  test('an empty entered password never matches, even a hash of the empty string', async () => {
    const emptySha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    await expect(verifyPassword('', emptySha256)).resolves.toBe(false);
  });

  test.each([null, undefined, ''])('a stored value of %p never matches', async (stored) => {
    await expect(verifyPassword('some_pass', stored)).resolves.toBe(false);
  });

  test.each(['some_pass', 'thirteenchars', 'Geheim123'])(
    'a plain-text stored password %p is not accepted',
    async (plain) => {
      await expect(verifyPassword(plain, plain)).resolves.toBe(false);
    },
  );

  test("libcrypt's failure token `*0` is not a hash that matches any password", async () => {
    // OTOBO stores crypt()'s result, which is `*0` when the login is not a valid salt.
    await expect(verifyPassword('anything', '*0')).resolves.toBe(false);
  });

  test.each([
    ['cost below bcrypt minimum', 'BCRYPT:3:AbCdEfGhIjKlMnOp:HvMaEV9Nop0CSV.ePNKi/nvtGUZayHO'],
    ['short salt', 'BCRYPT:4:AbCdEfGhIjKlMn:HvMaEV9Nop0CSV.ePNKi/nvtGUZayHO'],
    ['short hash', 'BCRYPT:4:AbCdEfGhIjKlMnOp:HvMaEV9Nop0CSV.ePNKi/nvtGUZay'],
    ['standard cost above 31', '$2a$32$OUHBXCTkP0fHYirqRU3Na.HvMaEV9Nop0CSV.ePNKi/nvtGUZayHO'],
  ])('a malformed bcrypt value (%s) is rejected', async (_case, stored) => {
    await expect(verifyPassword('some_pass', stored)).resolves.toBe(false);
  });
});

describe('unix-crypt primitives', () => {
  test('md5Crypt uses only the first 8 salt bytes', () => {
    expect(md5Crypt('password', 'saltstringlong', '$1$')).toBe('$1$saltstri$qQY4WxjABChYG1ccLpfkz/');
  });

  test('md5Crypt handles an empty password', () => {
    expect(md5Crypt('', 'ab', '$1$')).toBe('$1$ab$rn6aQS/o7141mj179E/zA.');
  });

  test('desCrypt matches crypt(3)', () => {
    expect(desCrypt('pw', 'ab')).toBe('abzlUXK5ed5rs');
    expect(desCrypt('foob', 'ar')).toBe('arlEKn0OzVJn.');
  });

  test.each(['a', 'mü', '@x', ''])('desCrypt refuses the invalid salt %p', (salt) => {
    expect(desCrypt('pw', salt)).toBeNull();
  });
});

describe('hashPassword (OTOBO bcrypt format)', () => {
  const COST = 4;

  test('produces BCRYPT:<cost>:<16 alphanumeric salt chars>:<31 hash chars> with a fresh salt', async () => {
    const first = await hashPassword('some_pass', COST);
    const second = await hashPassword('some_pass', COST);
    expect(first).toMatch(/^BCRYPT:4:[0-9A-Za-z]{16}:[./A-Za-z0-9]{31}$/);
    expect(second).not.toBe(first);
  });

  test('round-trips through verifyPassword', async () => {
    const stored = await hashPassword('Geheim123', COST);
    await expect(verifyPassword('Geheim123', stored)).resolves.toBe(true);
    await expect(verifyPassword('Geheim124', stored)).resolves.toBe(false);
  });

  test('a known OTOBO value converts to the equivalent $2a$ hash', () => {
    expect(toStandardBcrypt(SOME_PASS_OTOBO_BCRYPT)).toBe(SOME_PASS_STANDARD_BCRYPT);
  });

  test('a fresh hash converts to a $2a$ hash that bcryptjs accepts, salt encoded as bcryptjs would', async () => {
    const stored = await hashPassword('Geheim123', COST);
    const [, , salt = ''] = stored.split(':');
    const standard = toStandardBcrypt(stored);

    expect(standard?.slice(0, 29)).toBe(`$2a$04$${bcrypt.encodeBase64(Buffer.from(salt, 'ascii'), 16)}`);
    await expect(bcrypt.compare('Geheim123', standard ?? '')).resolves.toBe(true);
    await expect(bcrypt.compare('Geheim124', standard ?? '')).resolves.toBe(false);
  });

  test(`accepts exactly ${BCRYPT_MAX_PASSWORD_BYTES} UTF-8 bytes and refuses more`, async () => {
    await expect(hashPassword('a'.repeat(72), COST)).resolves.toMatch(/^BCRYPT:/);
    await expect(hashPassword('é'.repeat(36), COST)).resolves.toMatch(/^BCRYPT:/);
    await expect(hashPassword('a'.repeat(73), COST)).rejects.toThrow(RangeError);
    // 37 characters, but 73 bytes.
    await expect(hashPassword(`${'é'.repeat(36)}a`, COST)).rejects.toThrow(RangeError);
  });

  test.each([3, 32, 4.5])('refuses cost %p', async (cost) => {
    await expect(hashPassword('some_pass', cost)).rejects.toThrow(RangeError);
  });
});

describe('generatePassword', () => {
  test.each([8, 12, 72])('length %p: alphanumeric, with a digit, a lower- and an upper-case letter', (length) => {
    // Without the guarantee about a quarter of random 8-character passwords would lack a class.
    for (let i = 0; i < 300; i++) {
      const password = generatePassword(length);
      expect(password).toHaveLength(length);
      expect(password).toMatch(/^[0-9A-Za-z]+$/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
    }
  });

  test('draws from the whole alphabet and does not repeat itself', () => {
    const passwords = Array.from({ length: 200 }, () => generatePassword(72));
    expect(new Set(passwords).size).toBe(200);
    expect(new Set(passwords.join('')).size).toBe(62);
  });

  test.each([7, 73, 8.5, Number.NaN])('refuses length %p', (length) => {
    expect(() => generatePassword(length)).toThrow(RangeError);
  });
});
