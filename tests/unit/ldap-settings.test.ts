import { ConfigError, formatConfigPath } from '../../src/config/issues';
import { ldapUrl, openLdapDirectory } from '../../src/backends/ldap/open-directory';
import { parseLdapBackend } from '../../src/backends/ldap/settings';
import { TEST_MAP } from '../support/ldap-directory';

const base = {
  Module: 'LDAP',
  Params: { Host: 'ldap.example.org', BaseDN: 'ou=users,dc=example,dc=org', SSCOPE: 'sub', UserDN: 'cn=reader,dc=example,dc=org', UserPwEnv: 'LDAP_PW' },
  CustomerKey: 'uid',
  CustomerID: 'o',
  CustomerUserListFields: ['givenName', 'sn', 'mail'],
  Map: TEST_MAP,
};

function issues(raw: unknown): string[] {
  try {
    parseLdapBackend('CustomerUser1', raw, 10000);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${formatConfigPath(i.path)}: ${i.message}`);
    throw error;
  }
  return [];
}

const withParams = (params: Record<string, unknown>) => ({ ...base, Params: { ...base.Params, ...params } });

describe('LDAP backend settings', () => {
  it("OTOBO's LDAP defaults fill what is left out; the Perl module name is accepted", () => {
    const config = parseLdapBackend('CustomerUser1', { ...base, Module: 'Kernel::System::CustomerUser::LDAP' }, 10000);
    expect(config).toMatchObject({
      id: 'CustomerUser1',
      Module: 'LDAP',
      ReadOnly: true,
      CacheTTL: 0,
      CustomerUserSearchPrefix: '',
      CustomerUserSearchSuffix: '*',
      CustomerUserSearchListLimit: 250,
      CustomerUserSearchFields: ['uid', 'cn', 'mail'],
      CustomerUserPostMasterSearchFields: ['mail'],
      CustomerUserValidFilter: null,
      Params: { ConnectTimeoutMs: 3000, TimeoutMs: 10000, PageSize: 500, PoolSize: 4, StartTLS: false, AccessAttr: 'memberUid', UserAttr: 'UID' },
    });
  });

  it('attribute names are case-insensitive: lists and keys take the Map’s spelling', () => {
    const config = parseLdapBackend('CustomerUser1', { ...base, CustomerKey: 'UID', CustomerUserNameFields: ['givenname', 'SN'] }, 10000);
    expect(config.CustomerKey).toBe('uid');
    expect(config.CustomerUserNameFields).toEqual(['givenName', 'sn']);
  });

  it('errors name the key', () => {
    expect(issues({ ...base, Module: 'DB' })).toEqual(['CustomerUser1.Module: Module must be "LDAP" (or "Kernel::System::CustomerUser::LDAP")']);
    expect(issues(withParams({ SSCOPE: 'base' }))).toEqual(['CustomerUser1.Params.SSCOPE: SSCOPE must be "one" or "sub"']);
    expect(issues(withParams({ Bogus: 1 }))).toEqual(['CustomerUser1.Params: Unrecognized key: "Bogus"']);
    expect(issues({ ...base, CustomerKey: 'cn' })).toEqual(['CustomerUser1.CustomerKey: must be "uid", the storage column of the UserLogin Map row']);
    expect(issues({ ...base, CustomerUserListFields: ['cn'] })).toEqual([
      'CustomerUser1.CustomerUserListFields[0]: "cn" is not the storage column of any (non-password) Map row',
    ]);
    expect(issues({ ...base, Map: [] })[0]).toMatch(/^CustomerUser1\.Map: a row for UserLogin is required/);
  });

  it('filters written by the admin are checked at startup', () => {
    expect(issues(withParams({ AlwaysFilter: '(objectClass=person' }))).toEqual([
      expect.stringMatching(/^CustomerUser1\.Params\.AlwaysFilter: not a valid LDAP filter: Unbalanced parens/),
    ]);
    expect(issues({ ...base, CustomerUserValidFilter: '(description=a(b)' })[0]).toMatch(/^CustomerUser1\.CustomerUserValidFilter: not a valid LDAP filter/);
  });

  it('the bind password is never in the config: UserPw is refused, one of UserPwEnv / UserPwFile is needed', () => {
    expect(issues(withParams({ UserPw: 'secret' }))).toEqual([
      'CustomerUser1.Params.UserPw: a password is never written into the config: name an environment variable (UserPwEnv) or a file (UserPwFile) holding it',
    ]);
    expect(issues(withParams({ UserPwEnv: undefined }))).toEqual(['CustomerUser1.Params.UserDN: a bind account needs exactly one of UserPwEnv or UserPwFile']);
    expect(issues(withParams({ UserPwFile: '/run/secrets/ldap' }))).toEqual([
      'CustomerUser1.Params.UserDN: a bind account needs exactly one of UserPwEnv or UserPwFile',
    ]);
    expect(issues(withParams({ UserDN: undefined }))).toEqual(['CustomerUser1.Params.UserDN: a bind password is given but no UserDN']);
  });

  it('a missing secret stops the start naming the key, without the secret in the message', () => {
    const config = parseLdapBackend('CustomerUser1', base, 10000);
    expect(() => openLdapDirectory(config, { env: {} })).toThrow('CustomerUser1.Params.UserPwEnv: environment variable LDAP_PW is not set');
    const fromFile = parseLdapBackend('CustomerUser1', withParams({ UserPwEnv: undefined, UserPwFile: '/nonexistent/pw' }), 10000);
    expect(() => openLdapDirectory(fromFile, { env: {} })).toThrow('CustomerUser1.Params.UserPwFile: cannot read /nonexistent/pw: ENOENT');
    const withCa = parseLdapBackend('CustomerUser1', withParams({ StartTLS: 1, TLS: { CAFile: '/nonexistent/ca.pem' } }), 10000);
    expect(() => openLdapDirectory(withCa, { env: { LDAP_PW: 'x' } })).toThrow('CustomerUser1.Params.TLS.CAFile: cannot read /nonexistent/ca.pem: ENOENT');
  });

  it('only UTF-8 directories', () => {
    expect(parseLdapBackend('CustomerUser1', withParams({ SourceCharset: 'utf-8' }), 10000).Params.SourceCharset).toBe('utf-8');
    expect(issues(withParams({ SourceCharset: 'iso-8859-1' }))).toEqual([
      'CustomerUser1.Params.SourceCharset: only UTF-8 is supported (LDAPv3 directory strings are UTF-8); convert the directory or leave the key out',
    ]);
  });

  it('Host and Port: a bare host gets ldap:// and a port, a URL is taken as it is', () => {
    expect(ldapUrl('ldap.example.org', undefined)).toBe('ldap://ldap.example.org:389');
    expect(ldapUrl('ldap.example.org', 1389)).toBe('ldap://ldap.example.org:1389');
    expect(ldapUrl('::1', 389)).toBe('ldap://[::1]:389');
    expect(ldapUrl('ldaps://ldap.example.org', undefined)).toBe('ldaps://ldap.example.org');
    expect(issues(withParams({ Host: 'ldaps://ldap.example.org', Port: 636 }))).toEqual([
      'CustomerUser1.Params.Port: give the port in the Host URL or with a bare host name, not both',
    ]);
    expect(issues(withParams({ Host: 'ldaps://ldap.example.org', StartTLS: 1 }))).toEqual([
      'CustomerUser1.Params.StartTLS: StartTLS upgrades a plain ldap:// connection; an ldaps:// Host is encrypted already',
    ]);
  });

  it('TLS settings without StartTLS or an ldaps:// Host are refused naming the key (they would protect nothing)', () => {
    const refusal = 'CustomerUser1.Params.TLS: TLS settings need an encrypted connection: set StartTLS to 1 or give an ldaps:// Host (as it is, the connection would be clear text)';
    expect(issues(withParams({ TLS: { CAFile: '/etc/ssl/ca.pem' } }))).toEqual([refusal]);
    expect(issues(withParams({ Host: 'ldap://ldap.example.org:389', TLS: { RejectUnauthorized: 0 } }))).toEqual([refusal]);
    expect(issues(withParams({ StartTLS: 1, TLS: { CAFile: '/etc/ssl/ca.pem' } }))).toEqual([]);
    expect(issues(withParams({ Host: 'ldaps://ldap.example.org', TLS: { CAFile: '/etc/ssl/ca.pem', RejectUnauthorized: 1 } }))).toEqual([]);
    expect(issues(withParams({ StartTLS: 1, TLS: { CAFile: '' } }))[0]).toMatch(/^CustomerUser1\.Params\.TLS\.CAFile: /);
  });

  it('the list limit is bounded by limits.maxSearchLimit', () => {
    expect(() => parseLdapBackend('CustomerUser1', { ...base, CustomerUserSearchListLimit: 20000 }, 10000)).toThrow(
      'CustomerUser1.CustomerUserSearchListLimit: must not exceed limits.maxSearchLimit (10000)',
    );
  });
});
