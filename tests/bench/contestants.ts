import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { BENCH_TOKEN, serverConfigEnv } from './server-config';

/** A server under test, running as a child process on a port of its own. */
export interface Contestant {
  readonly name: string;
  /** e.g. http://127.0.0.1:4101/graphql */
  readonly endpoint: string;
  /** The database its connections use (for PostgreSQL CPU accounting). */
  readonly database: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface ContestantSpec {
  readonly name: string;
  readonly kind: 'ours' | 'baseline';
  /** The checkout whose server runs (ours, or the --compare one). */
  readonly checkout: string;
  readonly databaseUrl: string;
  readonly database: string;
  readonly port: number;
  readonly logFile: string;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export const REPOSITORY_ROOT = resolve(__dirname, '../..');

export const authHeaders = { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` };

/** The newest modification time (ms) of the files under `path`. */
function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/** Whether dist/ is older than anything it is built from. */
function buildIsStale(checkout: string): boolean {
  const built = join(checkout, 'dist/src/main.js');
  if (!existsSync(built)) return true;
  const sources = ['src', 'config/defaults.json', 'drizzle', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
  return Math.max(...sources.map((source) => newestChange(join(checkout, source)))) > statSync(built).mtimeMs;
}

/**
 * `npm run build` in a checkout unless its dist/ is newer than its sources: our server is
 * measured as it runs in production, compiled.
 */
export function buildCheckout(checkout: string, log: (line: string) => void): void {
  if (!buildIsStale(checkout)) {
    log(`${checkout}: dist/ is up to date`);
    return;
  }
  log(`building ${checkout}`);
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: checkout, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed in ${checkout}:\n${result.stdout}${result.stderr}`);
}

/** node itself, never an npm/tsx wrapper, so /proc shows the server's own process. */
function command(spec: ContestantSpec): string[] {
  if (spec.kind === 'baseline') return ['--import', 'tsx', join(REPOSITORY_ROOT, 'tests/bench/baseline/server.ts')];
  const built = join(spec.checkout, 'dist/src/main.js');
  return [...productionNodeFlags(spec.checkout), ...(existsSync(built) ? [built] : ['--import', 'tsx', 'src/main.ts'])];
}

/**
 * The node options of a checkout's `npm run start:prod` (`exec node <flags> dist/src/main.js`),
 * so the server runs with the heap settings it ships with.
 */
export function productionNodeFlags(checkout: string): string[] {
  const scripts = (JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  const words = (scripts['start:prod'] ?? '').split(/\s+/);
  const node = words.indexOf('node');
  return node < 0 ? [] : words.slice(node + 1).filter((word) => word.startsWith('--'));
}

function environment(spec: ContestantSpec): NodeJS.ProcessEnv {
  // Only what a server needs: the bench's own CONFIG__*/DATABASE_URL must not leak into it.
  const base = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' };
  if (spec.kind === 'baseline') return { ...base, BENCH_DATABASE_URL: spec.databaseUrl, PORT: String(spec.port) };
  return { ...base, ...serverConfigEnv(spec.databaseUrl, spec.port) };
}

export async function startContestant(spec: ContestantSpec): Promise<Contestant> {
  const log = createWriteStream(spec.logFile);
  const child = spawn(process.execPath, command(spec), { cwd: spec.checkout, env: environment(spec), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const endpoint = `http://127.0.0.1:${spec.port}/graphql`;
  try {
    await waitUntilReady(child, endpoint, spec);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { name: spec.name, endpoint, database: spec.database, pid: child.pid!, stop: () => stopChild(child) };
}

async function waitUntilReady(child: ChildProcess, endpoint: string, spec: ContestantSpec): Promise<void> {
  const deadline = Date.now() + 120_000;
  const body = JSON.stringify({ query: 'query W1($login: String!) { customerUser(login: $login) { login } }', operationName: 'W1', variables: { login: '-' } });
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${spec.name} exited with ${child.exitCode}:\n${logTail(spec.logFile)}`);
    try {
      const response = await fetch(endpoint, { method: 'POST', headers: authHeaders, body });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`${spec.name} did not answer within 120 s:\n${logTail(spec.logFile)}`);
}

function logTail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '';
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}
