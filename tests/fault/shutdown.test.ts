import { request as httpRequest } from 'node:http';
import { createConnection } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/test-database';
import { FAULT_ADMIN_TOKEN, ServerProcess } from './support/server-process';

/**
 * SIGTERM/SIGINT on the real server process (ports 55420-55429), on PostgreSQL (a fresh test
 * database) or PGlite (a data folder of its own).
 */
let database: TestDatabase | undefined;
let pgliteDir: string | undefined;
const databaseEnv = (): Record<string, string> => (database?.url ? { DATABASE_URL: database.url } : { PGLITE_DIR: pgliteDir! });

beforeAll(async () => {
  if (onPostgres) database = await createTestDatabase();
  else pgliteDir = mkdtempSync(join(tmpdir(), 'cug-shutdown-'));
});
afterAll(async () => {
  await ServerProcess.stopAll();
  await database?.dispose();
  if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
});

const portAnswers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** A POST whose body is sent in two parts: `finish` sends the rest and reads the answer. */
function startRequest(port: number, body: string): { finish(): Promise<{ errors?: unknown; data?: Record<string, unknown> }> } {
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${FAULT_ADMIN_TOKEN}` },
  });
  const answer = new Promise<{ errors?: unknown; data?: Record<string, unknown> }>((resolve, reject) => {
    request.once('response', (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.once('end', () => resolve(JSON.parse(text) as { errors?: unknown; data?: Record<string, unknown> }));
    });
    request.once('error', reject);
  });
  const half = Math.floor(body.length / 2);
  request.write(body.slice(0, half));
  return {
    finish: () => {
      request.end(body.slice(half));
      return answer;
    },
  };
}

describe('shutdown', () => {
  jest.setTimeout(200_000);

  it('lets an in-flight batch of creates finish (all 10 commit), then closes the pools and says so', async () => {
    // A real bcrypt cost makes each create take a while, so the batch is still running at SIGTERM.
    // The grace is generous: on a loaded machine ten cost-11 hashes on one thread take seconds.
    const server = new ServerProcess({
      port: 55420,
      env: { ...databaseEnv(), CONFIG__passwords__bcryptCost: '11', CONFIG__server__shutdownGraceMs: '60000' },
    });
    await server.waitUntil('/ready', 200);
    await server.graphql(`mutation { createCustomer(input: { customerId: "batch", name: "Batch" }) { customerId } }`);
    const creates = Array.from(
      { length: 10 },
      (_, i) =>
        `c${i}: createCustomerUser(input: { login: "batch-${i}", customerId: "batch", email: "batch-${i}@shutdown.test", firstName: "B", lastName: "${i}", password: "batch-password-1" }) { customerUser { login } }`,
    );
    // The request is in flight (headers received, body still coming) when SIGTERM arrives.
    const batch = startRequest(55420, JSON.stringify({ query: `mutation { ${creates.join(' ')} }` }));
    await new Promise((resolve) => setTimeout(resolve, 3000)); // time for a loaded machine to read the headers
    server.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answer = await batch.finish();
    expect(answer.errors).toBeUndefined();
    expect(Object.keys(answer.data ?? {})).toHaveLength(10);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.lines.join('\n')).toMatch(/SIGTERM received: no new connections; waiting up to 60000 ms for 1 in-flight request\(s\)/);
    expect(server.lines.at(-1)).toMatch(/stopped after 1 in-flight request\(s\) finished/);
    expect(server.lines.join('\n')).not.toMatch(/CONNECTION_ENDED|GraphQL operation failed/);

    const again = new ServerProcess({ port: 55421, env: databaseEnv() });
    await again.waitUntil('/ready', 200);
    const count = await again.graphql(`{ customerUsers(search: "batch-*") { totalCount } }`);
    expect(count.data).toEqual({ customerUsers: { totalCount: 10 } });
    again.kill('SIGINT');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });

  it('passes SIGTERM through `npm start`: no node process is left listening', async () => {
    const npm = new ServerProcess({ port: 55422, env: databaseEnv(), command: ['npm', 'start', '--silent'] });
    await npm.waitUntil('/health', 200);
    npm.kill('SIGTERM');
    await npm.exited;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await portAnswers(55422)).toBe(false);
  });
});
