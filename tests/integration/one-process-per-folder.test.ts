import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/db/client';
import { FolderInUseError, LOCK_FILE, lockDataFolder, type FolderLock } from '../../src/db/folder-lock';
import { ADMIN_TOKEN, startTestApp } from '../support/test-app';
import { onPostgres } from '../support/test-database';

const run = promisify(execFile);
const TSX = 'node_modules/.bin/tsx';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cug-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The environment of a child command on the PGlite folder `folder` (no PostgreSQL, quiet). */
function pgliteEnv(folder: string): Record<string, string> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent', PGLITE_DIR: folder, PORT: '0' };
  delete env.DATABASE_URL;
  return env;
}

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('the data folder lock', () => {
  test('a second holder in this process is refused, naming the holder; release frees the folder', () => {
    const lock = lockDataFolder(join(dir, 'data'));
    const holder = JSON.parse(readFileSync(join(dir, 'data', LOCK_FILE), 'utf8'));
    expect(holder).toMatchObject({ pid: process.pid, command: expect.any(String), startedAt: expect.any(String) });
    expect(() => lockDataFolder(join(dir, 'data'))).toThrow(FolderInUseError);
    expect(() => lockDataFolder(join(dir, 'data'))).toThrow(`in use by process ${process.pid}`);
    lock.release();
    expect(existsSync(join(dir, 'data', LOCK_FILE))).toBe(false);
    lockDataFolder(join(dir, 'data')).release();
  });

  test.each([
    ['a process that no longer runs', async () => JSON.stringify({ pid: await deadPid(), startedAt: 'then', command: 'gone' })],
    ['an earlier run with our pid (a container restart)', async () => JSON.stringify({ pid: process.pid, startedAt: 'then', command: 'old' })],
    ['a half-written file', async () => '{"pid":'],
  ])('a stale lock of %s is taken over', async (_case, content) => {
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', LOCK_FILE), await content());
    const lock = lockDataFolder(join(dir, 'data'));
    expect(JSON.parse(readFileSync(join(dir, 'data', LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  test('a process that exits releases its lock; one that is killed leaves a stale lock the next opener takes over', async () => {
    const folder = join(dir, 'data');
    const locker = (extra: string) => [
      '-e',
      `require('tsx/cjs/api').register(); require('./src/db/folder-lock.ts').lockDataFolder(${JSON.stringify(folder)}); ${extra}`,
    ];
    await run(process.execPath, locker(''));
    expect(existsSync(join(folder, LOCK_FILE))).toBe(false);

    const child = spawn(process.execPath, locker("console.log('locked'); setInterval(() => {}, 1000);"));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    expect(() => lockDataFolder(folder)).toThrow(`in use by process ${child.pid}`);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(existsSync(join(folder, LOCK_FILE))).toBe(true);
    lockDataFolder(folder).release();
  }, 30_000);
});

test('opening a PGlite folder takes its lock, and closing the database releases it', async () => {
  const folder = join(dir, 'pglite');
  const database = await openDatabase({ pgliteDir: folder });
  try {
    expect(JSON.parse(readFileSync(join(folder, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await expect(openDatabase({ pgliteDir: folder })).rejects.toThrow(FolderInUseError);
  } finally {
    await database.close();
  }
  expect(existsSync(join(folder, LOCK_FILE))).toBe(false);
}, 120_000);

describe('a second process on a PGlite folder in use', () => {
  // The folder's lock is what refuses them (creating a PGlite database on disk takes many seconds).
  const folder = join(mkdtempSync(join(tmpdir(), 'cug-lock-')), 'pglite');
  let lock: FolderLock;
  beforeAll(() => {
    lock = lockDataFolder(folder);
  });
  afterAll(() => {
    lock.release();
    rmSync(join(folder, '..'), { recursive: true, force: true });
  });

  /** Runs a command that must be refused; returns its stderr. */
  async function refused(args: string[]): Promise<string> {
    const failure = (await run(TSX, args, { env: pgliteEnv(folder) }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    ))!;
    expect(failure).not.toBeNull();
    expect(failure.code).toBe(1);
    const lines = failure.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`in use by process ${process.pid}`);
    return lines[0]!;
  }

  test('the server refuses to start with one line naming the holder', async () => {
    expect(await refused(['src/main.ts'])).toMatch(/PGlite allows one process per folder: stop that process first$/);
  }, 60_000);

  test('npm run token:create refuses and points to the createApiToken mutation', async () => {
    const line = await refused(['src/cli/create-token.ts', '--name', 'ci', '--role', 'reader']);
    expect(line).toContain('mutation { createApiToken(name: "ci", role: READER) { token } }');
  }, 60_000);

  test('npm run db:add-map-columns refuses and says to stop the server first', async () => {
    expect(await refused(['src/cli/add-map-columns.ts'])).toContain('Stop the server, run this command, then start the server again');
  }, 60_000);
});

(onPostgres ? test : test.skip)('on PostgreSQL, a token made by npm run token:create is accepted by the running server at once', async () => {
  const app = await startTestApp();
  try {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent', DATABASE_URL: app.testDatabase.url! };
    const { stdout } = await run(TSX, ['src/cli/create-token.ts', '--name', 'live-reader', '--role', 'reader'], { env });
    const token = stdout.trim();
    const ask = (bearer: string) => app.request('{ customerUsers { totalCount } }', undefined, { token: bearer });
    expect((await ask(token)).data).toEqual({ customerUsers: { totalCount: 0 } });
    expect((await ask(ADMIN_TOKEN)).status).toBe(200);
  } finally {
    await app.close();
  }
}, 60_000);
