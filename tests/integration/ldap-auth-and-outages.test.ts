import type { LdapDirectory } from '../../src/backends/ldap/directory';
import { logins, openTestDirectory, recordQuery } from '../support/ldap-directory';
import { describeWithSlapd, startSlapd, type Slapd } from '../support/slapd';

const unavailable = { extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'CustomerUser1' } };

describeWithSlapd('LDAP directory: authentication and outages', () => {
  let slapd: Slapd;
  let directory: LdapDirectory;

  beforeAll(async () => {
    slapd = await startSlapd();
    directory = openTestDirectory(slapd);
  });
  afterAll(async () => {
    await directory?.close();
    await slapd?.dispose();
  });

  describe('authenticate', () => {
    it('ok with the right password, bad-credentials with a wrong one or an unknown login', async () => {
      expect(await directory.authenticate('abaker', 'alicepw')).toBe('ok');
      expect(await directory.authenticate('ABAKER', 'alicepw')).toBe('ok');
      expect(await directory.authenticate('abaker', 'wrong')).toBe('bad-credentials');
      expect(await directory.authenticate('nobody', 'alicepw')).toBe('bad-credentials');
    });

    it('an empty password is refused (LDAP would take it as an anonymous bind, which succeeds)', async () => {
      expect(await directory.authenticate('abaker', '')).toBe('bad-credentials');
    });

    it('user input in the login cannot pick another entry', async () => {
      expect(await directory.authenticate('*', 'alicepw')).toBe('bad-credentials');
      expect(await directory.authenticate('a*', 'alicepw')).toBe('bad-credentials');
      expect(await directory.authenticate('eo(brien', 'evepw')).toBe('ok');
    });

    it('an invalid user still authenticates: refusing invalid users is the caller’s rule (its ValidID is 2)', async () => {
      expect(await directory.authenticate('hivalid', 'henrypw')).toBe('ok');
    });

    it('the user bind leaves the pooled connections bound as the service account', async () => {
      await directory.authenticate('abaker', 'alicepw');
      expect((await directory.getByLogins(['bcarter'])).length).toBe(1);
    });
  });

  describe('outages', () => {
    it('slapd stopped: BACKEND_UNAVAILABLE naming the backend (never bad-credentials); started again: the same object works', async () => {
      expect(logins(await directory.search(recordQuery({ search: 'ab' })))).toEqual(['abaker']);
      await slapd.stop();
      try {
        await expect(directory.search(recordQuery({ search: 'ab' }))).rejects.toMatchObject(unavailable);
        await expect(directory.getByLogins(['abaker'])).rejects.toMatchObject(unavailable);
        await expect(directory.authenticate('abaker', 'alicepw')).rejects.toMatchObject(unavailable);
      } finally {
        await slapd.start();
      }
      expect(logins(await directory.search(recordQuery({ search: 'ab' })))).toEqual(['abaker']);
      expect(await directory.authenticate('abaker', 'alicepw')).toBe('ok');
      expect(await directory.authenticate('abaker', 'wrong')).toBe('bad-credentials');
    });

    it('slapd hung: the operation timeout answers BACKEND_UNAVAILABLE; resumed, it works again', async () => {
      const quick = openTestDirectory(slapd, { Params: { TimeoutMs: 300 } });
      try {
        expect((await quick.getByLogins(['abaker'])).length).toBe(1);
        slapd.pause();
        try {
          const started = Date.now();
          await expect(quick.getByLogins(['abaker'])).rejects.toMatchObject(unavailable);
          expect(Date.now() - started).toBeLessThan(5000);
        } finally {
          slapd.resume();
        }
        expect((await quick.getByLogins(['abaker'])).length).toBe(1);
      } finally {
        await quick.close();
      }
    });

    it('nothing listening at all: BACKEND_UNAVAILABLE', async () => {
      const nowhere = openTestDirectory(slapd, { Params: { Host: 'ldap://127.0.0.1:1' } });
      try {
        await expect(nowhere.getByLogins(['abaker'])).rejects.toMatchObject(unavailable);
        await expect(nowhere.authenticate('abaker', 'alicepw')).rejects.toMatchObject(unavailable);
      } finally {
        await nowhere.close();
      }
    });

    it('a bind account the directory refuses: BACKEND_UNAVAILABLE (BIND_REFUSED), and the message holds no password', async () => {
      const refused = openTestDirectory(slapd, {}, { LDAP_READER_PW: 'not-the-password' });
      try {
        const error = await refused.getByLogins(['abaker']).catch((e: unknown) => e);
        expect(error).toMatchObject({ extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'CustomerUser1', reason: 'BIND_REFUSED' } });
        expect(String((error as Error).message)).not.toContain('not-the-password');
      } finally {
        await refused.close();
      }
    });
  });
});
