import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Throwaway certificates for TLS tests, made with openssl in a temp dir (EC P-256 keys: quick to
 * make, and GnuTLS in Debian's slapd takes them): a CA, a server certificate it signed for
 * 127.0.0.1 and localhost, one it signed for another host name only, and a second, unrelated CA
 * (a CA file that did not sign the directory's certificate). Valid for one day.
 */

const run = promisify(execFile);

export interface ServerCert {
  readonly certFile: string;
  readonly keyFile: string;
}

export interface TestCa {
  readonly dir: string;
  /** PEM of the CA that signed both server certificates. */
  readonly caFile: string;
  /** PEM of a CA that signed neither. */
  readonly otherCaFile: string;
  /** For IP:127.0.0.1 and DNS:localhost. */
  readonly server: ServerCert;
  /** For DNS:ldap.wrong-host.example only. */
  readonly wrongHost: ServerCert;
  dispose(): void;
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function makeCa(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  await run('openssl', [
    'req', '-x509', ...KEY, '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name} (throwaway test CA)`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return { cert, key };
}

async function makeServerCert(dir: string, name: string, ca: { cert: string; key: string }, commonName: string, altNames: string): Promise<ServerCert> {
  const keyFile = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const certFile = join(dir, `${name}.pem`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, `subjectAltName=${altNames}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n`);
  await run('openssl', ['req', ...KEY, '-keyout', keyFile, '-out', csr, '-subj', `/CN=${commonName}`]);
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', certFile, '-days', '1', '-extfile', ext]);
  return { certFile, keyFile };
}

export async function createTestCa(): Promise<TestCa> {
  const dir = mkdtempSync(join(tmpdir(), 'cug-test-ca-'));
  try {
    const [ca, other] = await Promise.all([makeCa(dir, 'ca'), makeCa(dir, 'other-ca')]);
    const [server, wrongHost] = await Promise.all([
      makeServerCert(dir, 'server', ca, 'localhost', 'IP:127.0.0.1,DNS:localhost'),
      makeServerCert(dir, 'wrong-host', ca, 'ldap.wrong-host.example', 'DNS:ldap.wrong-host.example'),
    ]);
    return { dir, caFile: ca.cert, otherCaFile: other.cert, server, wrongHost, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
