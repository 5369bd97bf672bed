import { Writable } from 'node:stream';
import pino from 'pino';
import { readFileSync } from 'node:fs';
import type { LdapDirectory } from '../../src/backends/ldap/directory';
import { SecureTransport } from '../../src/backends/ldap/secure-transport';
import { logins, openTestDirectory, recordQuery, ldapSettings, TEST_ENV } from '../support/ldap-directory';
import { READER } from '../support/ldap-seed';
import { describeWithSlapd, startSlapd, type Slapd } from '../support/slapd';
import { createTestCa, type TestCa } from '../support/test-ca';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';
import { startSilentServer, startWiretap } from '../support/wiretap';

/*
 * LDAP over TLS against real slapd instances with throwaway certificates (tests/support/test-ca.ts):
 * one serving StartTLS and ldaps:// with a certificate for 127.0.0.1/localhost, one whose
 * certificate is for another host name, and one without TLS at all. A wiretap proxy between the
 * backend and slapd shows what crosses the wire: the bind password never does in clear text.
 */

const STARTTLS_OID = '1.3.6.1.4.1.1466.20037';
const USER_PASSWORD = 'alicepw';

/** The error of a rejected promise (the test fails if it resolves). */
async function failure(promise: Promise<unknown>): Promise<Error & { extensions?: Record<string, unknown> }> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  return outcome.error as Error & { extensions?: Record<string, unknown> };
}

function expectNoSecret(error: unknown): void {
  const text = `${String((error as Error).message)} ${JSON.stringify(error)} ${String((error as Error).stack)}`;
  expect(text).not.toContain(READER.password);
  expect(text).not.toContain(USER_PASSWORD);
}

describeWithSlapd('LDAP over TLS', () => {
  let ca: TestCa;
  let tls: Slapd;
  let wrongHost: Slapd;
  let plain: Slapd;
  const opened: LdapDirectory[] = [];

  /** A directory on `slapd` with these Params (Host, StartTLS, TLS …); closed after the file. */
  const directory = (slapd: Slapd, params: Record<string, unknown>): LdapDirectory => {
    const opened1 = openTestDirectory(slapd, { Params: params });
    opened.push(opened1);
    return opened1;
  };
  const port = (url: string) => Number(new URL(url).port);

  beforeAll(async () => {
    ca = await createTestCa();
    [tls, wrongHost, plain] = await Promise.all([
      startSlapd({ tls: { ...ca.server, caFile: ca.caFile } }),
      startSlapd({ tls: { ...ca.wrongHost, caFile: ca.caFile } }),
      startSlapd(),
    ]);
  });
  afterAll(async () => {
    await Promise.all(opened.map((d) => d.close()));
    await Promise.all([tls, wrongHost, plain].map((s) => s?.dispose()));
    ca?.dispose();
  });

  describe('working connections', () => {
    it('StartTLS with a TLS block (CA file): lookups, searches and user binds, and the wire shows no password', async () => {
      const tap = await startWiretap(tls.port);
      try {
        const dir = directory(tls, { Host: `ldap://127.0.0.1:${tap.port}`, StartTLS: 1, TLS: { CAFile: ca.caFile } });
        expect((await dir.getByLogins(['abaker']))[0]!.values).toMatchObject({ UserLogin: 'abaker', UserFirstname: 'Alice' });
        expect(logins(await dir.search(recordQuery({ search: 'ab' })))).toEqual(['abaker']);
        expect(await dir.authenticate('abaker', USER_PASSWORD)).toBe('ok');
        expect(await dir.authenticate('abaker', 'wrong')).toBe('bad-credentials');
        expect(tap.saw(STARTTLS_OID)).toBe(true); // the traffic did go through the tap
        expect(tap.saw(READER.password)).toBe(false);
        expect(tap.saw(USER_PASSWORD)).toBe(false);
        expect(tap.saw('abaker')).toBe(false); // searches and results are encrypted too
      } finally {
        await tap.close();
      }
    });

    it('for contrast, a plain connection through the same tap: the bind password crosses in clear text', async () => {
      const tap = await startWiretap(plain.port);
      try {
        const dir = directory(plain, { Host: `ldap://127.0.0.1:${tap.port}` });
        expect(await dir.getByLogins(['abaker'])).toHaveLength(1);
        expect(tap.saw(READER.password)).toBe(true);
      } finally {
        await tap.close();
      }
    });

    it('ldaps:// with the CA file, by IP address and by host name (SNI)', async () => {
      const byIp = directory(tls, { Host: tls.ldapsUrl, TLS: { CAFile: ca.caFile } });
      expect(await byIp.getByLogins(['abaker'])).toHaveLength(1);
      expect(await byIp.authenticate('abaker', USER_PASSWORD)).toBe('ok');
      const byName = directory(tls, { Host: `ldaps://localhost:${port(tls.ldapsUrl!)}`, TLS: { CAFile: ca.caFile } });
      expect(await byName.getByLogins(['bcarter'])).toHaveLength(1);
    });

    it('StartTLS by host name; RejectUnauthorized 0 accepts a certificate no CA vouches for (an explicit opt-out)', async () => {
      const byName = directory(tls, { Host: 'localhost', Port: tls.port, StartTLS: 1, TLS: { CAFile: ca.caFile } });
      expect(await byName.getByLogins(['abaker'])).toHaveLength(1);
      const unchecked = directory(tls, { StartTLS: 1, TLS: { RejectUnauthorized: 0 } });
      expect(await unchecked.getByLogins(['abaker'])).toHaveLength(1);
    });
  });

  describe('refusals: BACKEND_UNAVAILABLE with a reason, never clear text', () => {
    const tlsRefused = { extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'CustomerUser1', reason: 'TLS' } };

    it('a certificate from a CA that is not the configured one (StartTLS and ldaps), or not in Node’s list', async () => {
      const cases = [
        directory(tls, { StartTLS: 1, TLS: { CAFile: ca.otherCaFile } }),
        directory(tls, { Host: tls.ldapsUrl, TLS: { CAFile: ca.otherCaFile } }),
        directory(tls, { StartTLS: 1 }),
        directory(tls, { Host: tls.ldapsUrl }),
      ];
      for (const dir of cases) {
        const lookup = await failure(dir.getByLogins(['abaker']));
        expect(lookup).toMatchObject(tlsRefused);
        expect(lookup.message).toMatch(/certificate is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/);
        expectNoSecret(lookup);
        const bind = await failure(dir.authenticate('abaker', USER_PASSWORD));
        expect(bind).toMatchObject(tlsRefused);
        expectNoSecret(bind);
      }
    });

    it('a certificate for another host name than the configured Host (StartTLS and ldaps)', async () => {
      for (const dir of [
        directory(wrongHost, { StartTLS: 1, TLS: { CAFile: ca.caFile } }),
        directory(wrongHost, { Host: wrongHost.ldapsUrl, TLS: { CAFile: ca.caFile } }),
      ]) {
        const error = await failure(dir.getByLogins(['abaker']));
        expect(error).toMatchObject(tlsRefused);
        expect(error.message).toContain('not for the configured Host 127.0.0.1');
        expectNoSecret(error);
      }
    });

    it('StartTLS required, the server has no TLS: TLS_REQUIRED, and the wire carries no password, for the pool nor for a user bind', async () => {
      const tap = await startWiretap(plain.port);
      try {
        const dir = directory(plain, { Host: `ldap://127.0.0.1:${tap.port}`, StartTLS: 1, TLS: { CAFile: ca.caFile } });
        const required = { extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'CustomerUser1', reason: 'TLS_REQUIRED' } };
        const lookup = await failure(dir.getByLogins(['abaker']));
        expect(lookup).toMatchObject(required);
        expect(lookup.message).toMatch(/StartTLS is required .* refused it/);
        expectNoSecret(lookup);
        await expect(dir.search(recordQuery({ search: 'ab' }))).rejects.toMatchObject(required);
        expect(tap.saw(STARTTLS_OID)).toBe(true); // asked, was refused, stopped
        expect(tap.saw(READER.password)).toBe(false);
        expect(tap.saw('abaker')).toBe(false); // not even the search went out

        // authenticate's lookup fails first; the user bind's own connection is checked directly below.
        await expect(dir.authenticate('abaker', USER_PASSWORD)).rejects.toMatchObject(required);
        const connection = (dir as unknown as { connection: { binds(dn: string, pw: string): Promise<boolean> } }).connection;
        await expect(connection.binds('uid=abaker,ou=users,dc=example,dc=org', USER_PASSWORD)).rejects.toMatchObject(required);
        expect(tap.saw(USER_PASSWORD)).toBe(false);
      } finally {
        await tap.close();
      }
    });

    it('a StartTLS connection that drops is not reopened in clear text by ldapts (the pool opens a new, upgraded one)', async () => {
      const tap = await startWiretap(tls.port);
      try {
        const url = `ldap://127.0.0.1:${tap.port}`;
        const transport = new SecureTransport({ url, startTls: true, tls: { ca: readFileSync(ca.caFile, 'utf8') }, connectTimeoutMs: 1000, timeoutMs: 2000 });
        const client = transport.client(false);
        await transport.startTls();
        await client.bind(READER.dn, READER.password);
        tap.cut();
        for (let i = 0; i < 100 && !transport.closed; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(transport.closed).toBe(true);
        await expect(client.search('ou=users,dc=example,dc=org', { filter: '(uid=abaker)' })).rejects.toThrow();
        expect(tap.connections()).toBe(1); // no second (clear-text) connection was opened
        await client.unbind().catch(() => undefined);

        const dir = directory(tls, { Host: url, StartTLS: 1, TLS: { CAFile: ca.caFile } });
        expect(await dir.getByLogins(['abaker'])).toHaveLength(1);
        tap.cut();
        await new Promise((resolve) => setTimeout(resolve, 300)); // the drop reaches the client
        const started = Date.now();
        expect(await dir.getByLogins(['abaker'])).toHaveLength(1); // reopened at once, with StartTLS again
        expect(Date.now() - started).toBeLessThan(1000); // not after TimeoutMs on a dead socket
        expect(tap.connections()).toBe(3);
        expect(tap.saw(READER.password)).toBe(false);
      } finally {
        await tap.close();
      }
    });

    it('a peer that accepts and never answers: the handshake is bounded by ConnectTimeoutMs, not TimeoutMs', async () => {
      const silent = await startSilentServer();
      try {
        for (const host of [`ldap://127.0.0.1:${silent.port}`, `ldaps://127.0.0.1:${silent.port}`]) {
          const startTls = host.startsWith('ldap:');
          const dir = directory(tls, { Host: host, ...(startTls ? { StartTLS: 1 } : {}), TLS: { CAFile: ca.caFile }, ConnectTimeoutMs: 300, TimeoutMs: 20000 });
          const started = Date.now();
          const error = await failure(dir.getByLogins(['abaker']));
          const elapsed = Date.now() - started;
          expect(error).toMatchObject(tlsRefused);
          expect(error.message).toContain('did not complete within ConnectTimeoutMs (300 ms)');
          expect(elapsed).toBeGreaterThanOrEqual(250);
          expect(elapsed).toBeLessThan(3000);
        }
      } finally {
        await silent.close();
      }
    });
  });

  describe('through the GraphQL API', () => {
    const USER = `query User($login: String!) { customerUser(login: $login) { login source firstName room } }`;
    let good: TestApp;
    let bad: TestApp;
    const logLines: string[] = [];

    beforeAll(async () => {
      good = await startTestApp({
        env: TEST_ENV,
        overrides: { CustomerUser1: ldapSettings(tls, { Name: 'Directory', Params: { StartTLS: 1, TLS: { CAFile: ca.caFile } } }) },
      });
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      });
      bad = await startTestApp({
        env: TEST_ENV,
        logger: pino({ level: 'trace' }, sink),
        overrides: { CustomerUser1: ldapSettings(tls, { Name: 'Directory', Params: { StartTLS: 1, TLS: { CAFile: ca.otherCaFile } } }) },
      });
    });
    afterAll(async () => {
      await good?.close();
      await bad?.close();
    });

    it('a customerUser lookup over StartTLS', async () => {
      const data = await good.ok<{ customerUser: Record<string, unknown> | null }, { login: string }>(USER, { login: 'abaker' });
      expect(data.customerUser).toEqual({ login: 'abaker', source: 'CustomerUser1', firstName: 'Alice', room: 'B2.14' });
    });

    it('an untrusted directory certificate: BACKEND_UNAVAILABLE with reason TLS; no password in the error or the logs', async () => {
      const result = await bad.request<{ customerUser: unknown }, { login: string }>(USER, { login: 'abaker' });
      const error = onlyError(result);
      expect(error.extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: 'CustomerUser1', reason: 'TLS' });
      expect(error.message).toContain('certificate is not trusted');
      expect(JSON.stringify(result)).not.toContain(READER.password);
      const logs = logLines.join('');
      expect(logs).toContain('CustomerUser1'); // the failure was logged …
      expect(logs).not.toContain(READER.password); // … without the secret
    });
  });
});
