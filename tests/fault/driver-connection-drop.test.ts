import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onPostgres } from '../support/test-database';

/**
 * The postgres.js patch (patches/postgres+3.4.9.patch). Each scenario runs in a child process
 * against the test PostgreSQL: unpatched, the first ends it with "Cannot read properties of null
 * (reading 'write') at Immediate.nextWrite" (exit 3), the second answers CONNECT_TIMEOUT after 2 s,
 * the third fails the first query after the reconnect with the dead session's 57P01.
 */
const run = async (scenario: string): Promise<Record<string, unknown>> => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, 'driver-drop-scenarios.cjs'), scenario, process.env.TEST_DATABASE_URL!], {
    timeout: 20_000,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return JSON.parse(stdout.trim().split('\n').pop() || '{}') as Record<string, unknown>;
};

const describeOnPostgres = onPostgres ? describe : describe.skip;
if (!onPostgres) process.stderr.write('NOTICE: driver connection-drop tests skipped: they need PostgreSQL (set TEST_DATABASE_URL)\n'); // Jest hides console output of fully skipped suites

describeOnPostgres('postgres.js when a connection drops', () => {
  it('survives a backend killed inside a transaction: the transaction fails with CONNECTION_CLOSED, the pool goes on', async () => {
    expect(await run('backend-killed-in-transaction')).toEqual({ outcome: 'CONNECTION_CLOSED', after: 1 });
  });

  it('flushes again on a connection whose socket closed with a write pending', async () => {
    const result = await run('socket-closed-with-write-pending');
    expect(result).toMatchObject({ late: 'CONNECTION_CLOSED', after: 3 });
    expect(result.afterMs).toBeLessThan(1000);
  });

  it('answers the first query after a reconnect, not with the error of the terminated session', async () => {
    expect(await run('backend-killed-mid-query')).toEqual({ outcome: 'CONNECTION_CLOSED', after: 1 });
  });
});
