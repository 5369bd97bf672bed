import { onPostgres } from '../support/test-database';
import { ThrowawayCluster } from './support/pg-cluster';
import { poll, ServerProcess } from './support/server-process';
import { acknowledged, integrityViolations, runMixedLoad, seedLoadUsers, type Outcome } from './support/write-load';

/**
 * The server as a real process against a PostgreSQL 15 cluster of its own, which the test starts,
 * stops and restarts (ports 55410-55419). Needs the PostgreSQL binaries, so it runs in the
 * PostgreSQL pass of the suite only.
 */
const describeFaults = onPostgres ? describe : describe.skip;
if (!onPostgres) process.stderr.write('NOTICE: database fault tests skipped: they start a PostgreSQL 15 cluster of their own (set TEST_DATABASE_URL to run them)\n'); // Jest hides console output of fully skipped suites

const PG_PORT = 55410;
const HTTP_PORT = 55411;
const CLIENTS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const READ = `{ customers(limit: 1) { totalCount } }`;
const codes = (outcomes: readonly Outcome[]) => outcomes.filter((o) => !acknowledged(o)).map((o) => `${o.answer.status} ${o.answer.errors?.[0]?.extensions?.code ?? o.answer.errors?.[0]?.message}`);

describeFaults('the server against a PostgreSQL that fails', () => {
  jest.setTimeout(90_000);
  let cluster: ThrowawayCluster;
  let server: ServerProcess;

  beforeAll(async () => {
    cluster = await ThrowawayCluster.create(PG_PORT);
  });
  /** Every request of every load, for the integrity checks (the database keeps them all). */
  const outcomes: Outcome[] = [];
  const writesAcknowledged = () => outcomes.filter((o) => o.kind !== 'read' && acknowledged(o)).length;
  afterAll(async () => {
    await ServerProcess.stopAll();
    await cluster?.destroy();
  });

  it('starts while PostgreSQL is down: alive at once, ready only once PostgreSQL is up and migrated', async () => {
    server = new ServerProcess({ port: HTTP_PORT, databaseUrl: cluster.url() });
    await server.waitForStatus('/health', 200);
    expect(await server.status('/ready')).toBe(503);
    const early = await server.graphql(READ);
    expect(early).toMatchObject({ status: 503, errors: [{ extensions: { code: 'DATABASE_UNAVAILABLE', retryable: true } }] });
    await server.waitForLine(/database not reachable at 127\.0\.0\.1:55410 \(ECONNREFUSED\); retrying in [\d.]+ s \(attempt 2\)/);

    await cluster.start();
    const started = Date.now();
    await server.waitForStatus('/ready', 200, 10_000);
    expect(Date.now() - started).toBeLessThan(7_000); // the longest pause between attempts is 5 s
    expect(await server.graphql(READ)).toMatchObject({ status: 200, data: { customers: { totalCount: 0 } } });
  });

  it('survives a restart under mixed load: fails fast with 503 meanwhile, recovers within 5 s, loses and half-writes nothing', async () => {
    await seedLoadUsers(server, CLIENTS);
    let running = true;
    const load = runMixedLoad(server, CLIENTS, () => running, outcomes);
    await poll(() => (writesAcknowledged() >= 20 ? true : undefined), 30_000, 'the load acknowledged no writes');
    const stoppedAt = Date.now();
    await cluster.stop();
    await sleep(3000);
    await cluster.start();
    const restartedAt = Date.now();
    const recoveredAt = await poll(async () => ((await server.graphql(READ)).status === 200 ? Date.now() : undefined), 10_000, 'no recovery');
    const acknowledgedBefore = writesAcknowledged();
    await poll(() => (writesAcknowledged() >= acknowledgedBefore + 20 ? true : undefined), 30_000, 'no writes after the recovery');
    running = false;
    await load;

    expect(server.lines.join('\n')).not.toMatch(/nextWrite|TypeError/);
    expect(await Promise.race([server.exited, sleep(100).then(() => 'running')])).toBe('running');
    expect(recoveredAt - restartedAt).toBeLessThanOrEqual(5_000);
    const failed = outcomes.filter((o) => !acknowledged(o));
    expect(failed.length).toBeGreaterThan(0); // the outage was felt
    expect(new Set(codes(outcomes))).toEqual(new Set(['503 DATABASE_UNAVAILABLE']));
    // Fail fast: at most 2 s beyond what a request took before the outage (this machine is shared:
    // under load, answers queue for CPU however fast the server refuses them).
    const normal = outcomes.filter((o) => acknowledged(o) && o.at < stoppedAt).map((o) => o.answer.ms).sort((a, b) => a - b);
    const normalP90 = normal[Math.floor(normal.length * 0.9)]!;
    expect(Math.max(...failed.map((o) => o.answer.ms))).toBeLessThanOrEqual(2_000 + normalP90);
    expect(outcomes.filter((o) => o.at > recoveredAt + 1000 && !acknowledged(o))).toEqual([]);
    const before = outcomes.filter((o) => o.at < stoppedAt && o.kind !== 'read');
    const after = outcomes.filter((o) => o.at > recoveredAt && o.kind !== 'read');
    expect(before.filter(acknowledged).length).toBeGreaterThan(0);
    expect(after.filter(acknowledged).length).toBeGreaterThan(0);
    expect(await integrityViolations(cluster.url(), outcomes)).toEqual([]);
    console.info(
      `restart under load: ${outcomes.length} requests (${outcomes.filter((o) => o.kind === 'update').length} updates), ${failed.length} answered 503 ` +
        `(slowest ${Math.max(...failed.map((o) => o.answer.ms))} ms; p90 before the outage ${normalP90} ms), recovered ${recoveredAt - restartedAt} ms after the restart`,
    );
  });

  it('keeps every acknowledged write when the server is killed with SIGKILL mid-write', async () => {
    let running = true;
    const before = writesAcknowledged();
    const load = runMixedLoad(server, CLIENTS, () => running, outcomes);
    await poll(() => (writesAcknowledged() >= before + 20 ? true : undefined), 30_000, 'the load acknowledged no writes');
    server.kill('SIGKILL');
    await server.exited;
    running = false;
    await load;
    expect(outcomes.some((o) => o.answer.status === 0)).toBe(true); // some were cut by the kill
    expect(await integrityViolations(cluster.url(), outcomes)).toEqual([]);

    server = new ServerProcess({ port: HTTP_PORT, databaseUrl: cluster.url() });
    await server.waitForStatus('/ready', 200);
    expect(await server.graphql(READ)).toMatchObject({ status: 200 });
  });

  it('names a missing database and how to create it, in one line', async () => {
    const missing = new ServerProcess({ port: HTTP_PORT + 1, databaseUrl: cluster.url('no_such_db') });
    expect(await missing.exited).toEqual({ code: 1, signal: null });
    expect(missing.lines).toEqual([`database "no_such_db" does not exist at 127.0.0.1:${PG_PORT}: create it (createdb -h 127.0.0.1 -p ${PG_PORT} -U postgres no_such_db) or correct database.url`]);
  });

  it('gives up on an unreachable PostgreSQL after database.startupWaitMs, in one line', async () => {
    const unreachable = new ServerProcess({
      port: HTTP_PORT + 1,
      databaseUrl: 'postgres://postgres@127.0.0.1:55419/postgres',
      env: { CONFIG__database__startupWaitMs: '1200' },
    });
    expect(await unreachable.exited).toEqual({ code: 1, signal: null });
    expect(unreachable.lines.at(-1)).toMatch(/^database not reachable at 127\.0\.0\.1:55419 \(ECONNREFUSED\) after \d+ s: start PostgreSQL or correct database\.url/);
    expect(unreachable.lines.filter((line) => /retrying in/.test(line)).length).toBeGreaterThanOrEqual(2);
  });

  it('names a port in use, in one line', async () => {
    const second = new ServerProcess({ port: HTTP_PORT, databaseUrl: cluster.url() });
    expect(await second.exited).toEqual({ code: 1, signal: null });
    expect(second.lines).toEqual([`port ${HTTP_PORT} on 127.0.0.1 is in use: stop the other process or set PORT (server.port)`]);
  });
});
