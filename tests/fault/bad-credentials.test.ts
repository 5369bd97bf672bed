import { onPostgres } from '../support/test-database';
import { ThrowawayCluster } from './support/pg-cluster';
import { ServerProcess } from './support/server-process';

/**
 * Credentials that PostgreSQL refuses cannot be fixed by waiting: the server says so in one line
 * naming the problem and the fix, and exits 1 at once, without a retry loop or a stack trace.
 * Against a cluster of the test's own (ports 55430-55439), which has a role that must log in
 * with its scram-sha-256 password.
 */
const describeFaults = onPostgres ? describe : describe.skip;
if (!onPostgres) process.stderr.write('NOTICE: bad-credentials fault tests skipped: they start a PostgreSQL 15 cluster of their own (set TEST_DATABASE_URL to run them)\n'); // Jest hides console output of fully skipped suites

const PG_PORT = 55430;
const HTTP_PORT = 55431;
const PASSWORD = 'right-horse-battery';

describeFaults('the server with credentials PostgreSQL refuses', () => {
  jest.setTimeout(60_000);
  let cluster: ThrowawayCluster;

  beforeAll(async () => {
    cluster = await ThrowawayCluster.create(PG_PORT);
    await cluster.start();
    await cluster.addPasswordRole('app', PASSWORD);
  });
  afterAll(async () => {
    await ServerProcess.stopAll();
    await cluster?.destroy();
  });

  /** Starts the server on `url` and returns its lines once it exited (code 1 expected), and how long it ran. */
  const failedStart = async (url: string) => {
    const started = Date.now();
    const server = new ServerProcess({ port: HTTP_PORT, databaseUrl: url });
    expect(await server.exited).toEqual({ code: 1, signal: null });
    return { lines: server.lines, ms: Date.now() - started };
  };

  it('names a role that does not exist and the fix, in one line, and exits 1 without retrying', async () => {
    const { lines } = await failedStart(`postgres://ghost@127.0.0.1:${PG_PORT}/postgres`);
    expect(lines).toEqual([
      `PostgreSQL at 127.0.0.1:${PG_PORT} refused user "ghost" (role "ghost" does not exist): correct the user or password in database.url (DATABASE_URL), or the server's pg_hba.conf`,
    ]);
  });

  it('names a wrong password the same way, never printing it, and exits 1 without retrying', async () => {
    const { lines } = await failedStart(`postgres://app:wrong-password@127.0.0.1:${PG_PORT}/postgres`);
    expect(lines).toEqual([
      `PostgreSQL at 127.0.0.1:${PG_PORT} refused user "app" (password authentication failed for user "app"): correct the user or password in database.url (DATABASE_URL), or the server's pg_hba.conf`,
    ]);
    expect(lines.join('\n')).not.toContain('wrong-password');
  });

  it('starts with the right password (the role and pg_hba.conf are as the refusals say)', async () => {
    const server = new ServerProcess({ port: HTTP_PORT, databaseUrl: `postgres://app:${PASSWORD}@127.0.0.1:${PG_PORT}/postgres` });
    await server.waitForStatus('/ready', 200);
    expect(await server.graphql(`{ customers(limit: 1) { totalCount } }`)).toMatchObject({ status: 200, data: { customers: { totalCount: 0 } } });
    await server.stop();
  });
});
