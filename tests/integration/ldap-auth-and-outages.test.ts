import { logins, openTestDirectory, useTestDirectory, recordQuery } from '../support/ldap-directory';
import { describeWithSlapd } from '../support/slapd';
import { startWiretap } from '../support/wiretap';

const unavailable = { extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'CustomerUser1' } };

describeWithSlapd('LDAP directory: authentication and outages', () => {
  const ldap = useTestDirectory();


  describe('authenticate', () => {
    it('ok with the right password, bad-credentials with a wrong one or an unknown login', async () => {
      expect(await ldap.directory.authenticate('abaker', 'alicepw')).toBe('ok');
      expect(await ldap.directory.authenticate('ABAKER', 'alicepw')).toBe('ok');
      expect(await ldap.directory.authenticate('abaker', 'wrong')).toBe('bad-credentials');
      expect(await ldap.directory.authenticate('nobody', 'alicepw')).toBe('bad-credentials');
    });

    it('an empty password is refused (LDAP would take it as an anonymous bind, which succeeds)', async () => {
      expect(await ldap.directory.authenticate('abaker', '')).toBe('bad-credentials');
    });

    it('user input in the login cannot pick another entry', async () => {
      expect(await ldap.directory.authenticate('*', 'alicepw')).toBe('bad-credentials');
      expect(await ldap.directory.authenticate('a*', 'alicepw')).toBe('bad-credentials');
      expect(await ldap.directory.authenticate('eo(brien', 'evepw')).toBe('ok');
    });

    it('an invalid user still authenticates: refusing invalid users is the caller’s rule (its ValidID is 2)', async () => {
      expect(await ldap.directory.authenticate('hivalid', 'henrypw')).toBe('ok');
    });

    it('the user bind leaves the pooled connections bound as the service account', async () => {
      await ldap.directory.authenticate('abaker', 'alicepw');
      expect((await ldap.directory.getByLogins(['bcarter'])).length).toBe(1);
    });
  });

  describe('outages', () => {
    it('slapd stopped: BACKEND_UNAVAILABLE naming the backend (never bad-credentials); started again: the same object works', async () => {
      expect(logins(await ldap.directory.search(recordQuery({ search: 'ab' })))).toEqual(['abaker']);
      await ldap.slapd.stop();
      try {
        await expect(ldap.directory.search(recordQuery({ search: 'ab' }))).rejects.toMatchObject(unavailable);
        await expect(ldap.directory.getByLogins(['abaker'])).rejects.toMatchObject(unavailable);
        await expect(ldap.directory.authenticate('abaker', 'alicepw')).rejects.toMatchObject(unavailable);
      } finally {
        await ldap.slapd.start();
      }
      expect(logins(await ldap.directory.search(recordQuery({ search: 'ab' })))).toEqual(['abaker']);
      expect(await ldap.directory.authenticate('abaker', 'alicepw')).toBe('ok');
      expect(await ldap.directory.authenticate('abaker', 'wrong')).toBe('bad-credentials');
    });

    // Hung at the network: a proxy in front of slapd that stops passing its answers on. (A SIGSTOPped
    // slapd was, once in a while on a loaded machine, seen answering all the same.)
    it('slapd hung: the operation timeout answers BACKEND_UNAVAILABLE; resumed, it works again', async () => {
      const tap = await startWiretap(ldap.slapd.port);
      const quick = openTestDirectory(ldap.slapd, { Params: { Host: `ldap://127.0.0.1:${tap.port}`, TimeoutMs: 300 } });
      try {
        expect((await quick.getByLogins(['abaker'])).length).toBe(1);
        tap.hold();
        try {
          const started = Date.now();
          await expect(quick.getByLogins(['abaker'])).rejects.toMatchObject(unavailable);
          expect(Date.now() - started).toBeLessThan(5000);
        } finally {
          tap.release();
        }
        expect((await quick.getByLogins(['abaker'])).length).toBe(1);
      } finally {
        await quick.close();
        await tap.close();
      }
    });

    it('nothing listening at all: BACKEND_UNAVAILABLE', async () => {
      const nowhere = openTestDirectory(ldap.slapd, { Params: { Host: 'ldap://127.0.0.1:1' } });
      try {
        await expect(nowhere.getByLogins(['abaker'])).rejects.toMatchObject(unavailable);
        await expect(nowhere.authenticate('abaker', 'alicepw')).rejects.toMatchObject(unavailable);
      } finally {
        await nowhere.close();
      }
    });

    it('a bind account the directory refuses: BACKEND_UNAVAILABLE (BIND_REFUSED), and the message holds no password', async () => {
      const refused = openTestDirectory(ldap.slapd, {}, { LDAP_READER_PW: 'not-the-password' });
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
