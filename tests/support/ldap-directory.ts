import { deepMerge } from '../../src/config/load';
import { openLdapDirectory } from '../../src/backends/ldap/open-directory';
import { parseLdapBackend } from '../../src/backends/ldap/settings';
import type { LdapDirectory } from '../../src/backends/ldap/directory';
import type { RecordQuery } from '../../src/records/types';
import { parseSearch } from '../../src/search/grammar';
import { READER, USERS_DN, VALID_FILTER } from './ldap-seed';
import { startSlapd, type Slapd } from './slapd';

/** The test Map: OTOBO attributes over inetOrgPerson, `o` as CustomerID, and the seed's `room`. */
export const TEST_MAP = [
  ['UserFirstname', 'Firstname', 'givenName', 1, 1, 'var', '', 1, null, null],
  ['UserLastname', 'Lastname', 'sn', 1, 1, 'var', '', 1, null, null],
  ['UserLogin', 'Username', 'uid', 1, 1, 'var', '', 1, null, null],
  ['UserPassword', 'Password', 'userPassword', 0, 0, 'var', '', 1, null, null],
  ['UserEmail', 'Email', 'mail', 1, 1, 'var', '', 1, null, null],
  ['UserCustomerID', 'CustomerID', 'o', 0, 1, 'var', '', 1, null, null],
  ['UserRoom', 'Room', 'roomNumber', 0, 1, 'var', '', 0, null, null],
  ['UserComment', 'Comment', 'description', 1, 0, 'var', '', 1, null, null],
  ['ValidID', 'Valid', 'valid', 0, 1, 'int', '', 1, null, null],
];

export const TEST_ENV = { LDAP_READER_PW: READER.password };

/** Raw settings for the test directory as an admin would write them; `overrides` merge in. */
export function ldapSettings(slapd: Slapd, overrides: Record<string, unknown> = {}): unknown {
  return deepMerge(
    {
      Name: 'Test Directory',
      Module: 'LDAP',
      Params: {
        Host: slapd.url,
        BaseDN: USERS_DN,
        SSCOPE: 'one',
        UserDN: READER.dn,
        UserPwEnv: 'LDAP_READER_PW',
        AlwaysFilter: '(objectClass=inetOrgPerson)',
        ConnectTimeoutMs: 1000,
        TimeoutMs: 2000,
      },
      CustomerKey: 'uid',
      CustomerID: 'o',
      CustomerUserListFields: ['givenName', 'sn', 'mail'],
      CustomerUserSearchFields: ['uid', 'cn', 'mail'],
      CustomerUserValidFilter: VALID_FILTER,
      Map: TEST_MAP,
    },
    overrides,
  );
}

export function openTestDirectory(slapd: Slapd, overrides: Record<string, unknown> = {}, env: Record<string, string> = TEST_ENV): LdapDirectory {
  return openLdapDirectory(parseLdapBackend('CustomerUser1', ldapSettings(slapd, overrides), 10000), { env });
}

/** A test file's slapd and directory, started before its tests and closed after them. */
export interface TestDirectory {
  slapd: Slapd;
  directory: LdapDirectory;
}

export function useTestDirectory(options: { readonly bulkUsers?: number; readonly overrides?: Record<string, unknown> } = {}): TestDirectory {
  const fixture = {} as TestDirectory;
  beforeAll(async () => {
    fixture.slapd = await startSlapd({ bulkUsers: options.bulkUsers });
    fixture.directory = openTestDirectory(fixture.slapd, options.overrides);
  });
  afterAll(async () => {
    await fixture.directory?.close();
    await fixture.slapd?.dispose();
  });
  return fixture;
}

/** A query with the service's defaults: all validities, no order, a page of 100. */
export function recordQuery(fields: Partial<RecordQuery> & { readonly search?: string } = {}): RecordQuery {
  const { search, ...rest } = fields;
  return {
    filters: [],
    validIds: null,
    orderBy: [],
    limit: 100,
    offset: 0,
    withTotal: false,
    ...(search === undefined ? {} : { text: parseSearch(search) }),
    ...rest,
  };
}

export const logins = (page: { readonly records: readonly { readonly values: Readonly<Record<string, unknown>> }[] }): string[] =>
  page.records.map((r) => String(r.values.UserLogin));
