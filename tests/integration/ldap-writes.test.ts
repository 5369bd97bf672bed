import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LdapDirectory } from '../../src/backends/ldap/directory';
import type { BackendWrite, CustomerUserBackend } from '../../src/customer-user/backend';
import { openTestDirectory } from '../support/ldap-directory';
import { WRITER } from '../support/ldap-seed';
import { describeWithSlapd, startSlapd, type Slapd } from '../support/slapd';

/** The LDAP backend writes nothing to the server's database. */
const write = {} as BackendWrite;

describeWithSlapd('LDAP directory: read-only by default, opt-in updates', () => {
  let slapd: Slapd;
  let secrets: string;
  let readOnly: LdapDirectory;
  let writable: LdapDirectory;

  beforeAll(async () => {
    slapd = await startSlapd();
    secrets = mkdtempSync(join(tmpdir(), 'cug-ldap-secret-'));
    writeFileSync(join(secrets, 'writer-pw'), `${WRITER.password}\n`);
    readOnly = openTestDirectory(slapd);
    writable = openTestDirectory(slapd, {
      ReadOnly: 0,
      Params: { UserDN: WRITER.dn, UserPwEnv: undefined, UserPwFile: join(secrets, 'writer-pw') },
    });
  });
  afterAll(async () => {
    await readOnly?.close();
    await writable?.close();
    await slapd?.dispose();
    rmSync(secrets, { recursive: true, force: true });
  });

  const refused = (reason?: string) => ({
    extensions: { code: 'READ_ONLY_BACKEND', backend: 'CustomerUser1', ...(reason ? { reason } : {}) },
  });

  it('read-only (the default): update is refused with READ_ONLY_BACKEND naming the backend, insert is not offered', async () => {
    expect(readOnly.readOnly).toBe(true);
    await expect(readOnly.update('abaker', { UserRoom: 'X1' }, write)).rejects.toMatchObject(refused());
    expect((readOnly as CustomerUserBackend).insert).toBeUndefined(); // the service refuses creates (tests/integration/ldap-api.test.ts)
    expect((await readOnly.getByLogins(['abaker']))[0]!.values.UserRoom).toBe('B2.14');
  });

  it('ReadOnly 0: update replaces the mapped attributes; an empty value removes one', async () => {
    expect(writable.readOnly).toBe(false);
    expect(await writable.update('LWriter', { UserRoom: 'W2.01', UserComment: 'moved' }, write)).toBe(true);
    expect((await readOnly.getByLogins(['lwriter']))[0]!.values).toMatchObject({ UserRoom: 'W2.01', UserComment: 'moved' });
    expect(await writable.update('lwriter', { UserComment: null }, write)).toBe(true);
    expect((await readOnly.getByLogins(['lwriter']))[0]!.values.UserComment).toBeNull();
  });

  it('a login change renames the entry (its RDN is the login)', async () => {
    expect(await writable.update('lwriter', { UserLogin: 'lwriter2', UserLastname: 'Writer-Two' }, write)).toBe(true);
    expect(await readOnly.getByLogins(['lwriter'])).toEqual([]);
    expect((await readOnly.getByLogins(['lwriter2']))[0]!.values).toMatchObject({ UserLogin: 'lwriter2', UserLastname: 'Writer-Two', UserRoom: 'W2.01' });
    expect(await writable.authenticate('lwriter2', 'liampw')).toBe('ok');
  });

  it('an unknown login: false', async () => {
    expect(await writable.update('nobody', { UserRoom: 'X' }, write)).toBe(false);
  });

  it('passwords, validity and creates stay with the directory', async () => {
    await expect(writable.update('abaker', { UserPassword: 'BCRYPT:12:…' }, write)).rejects.toMatchObject(refused('PASSWORD'));
    await expect(writable.update('abaker', { ValidID: 2 }, write)).rejects.toMatchObject(refused('VALIDITY'));
    expect(await writable.update('abaker', { ValidID: 1, UserRoom: 'B2.14' }, write)).toBe(true); // unchanged validity is fine
    expect((writable as CustomerUserBackend).insert).toBeUndefined();
  });

  it('ReadOnly 0 with an account the directory does not let write: READ_ONLY_BACKEND (DIRECTORY_REFUSED)', async () => {
    const reader = openTestDirectory(slapd, { ReadOnly: 0 });
    try {
      await expect(reader.update('abaker', { UserRoom: 'X' }, write)).rejects.toMatchObject(refused('DIRECTORY_REFUSED'));
    } finally {
      await reader.close();
    }
  });

  it("a value the directory's schema refuses: BAD_USER_INPUT", async () => {
    await expect(writable.update('abaker', { UserEmail: 'not ascii: ü' }, write)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', backend: 'CustomerUser1', reason: 'DIRECTORY_REFUSED' },
    });
  });
});
