/**
 * `npm run bench:hashing`: does password hashing leave the event loop free? Starts the server as a
 * child process (PGlite in a temp folder, or a fresh database on BENCH_DATABASE_URL's PostgreSQL),
 * with bcrypt cost 12, and measures a simple read's latency idle and while 20 clients create
 * customer users (each create hashes a password) without pause. Target: p50 under load ≤ 3× idle.
 * A benchmark, not a test: it prints figures and exits 1 if the target is missed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { answerHelp } from '../../src/cli/help';

answerHelp(`
npm run bench:hashing   (takes no arguments; settings by environment)

Does password hashing leave the event loop free? Starts the server (PGlite in a temp folder, or a fresh database
on BENCH_DATABASE_URL's PostgreSQL) with bcrypt cost 12 and prints a simple read's p50/p99 idle and while 20
clients create customer users. Exits 1 if the p50 under load is above 3x idle.
`);

const TOKEN = 'bench-admin-token-0123456789abcdef';
const WRITERS = 20;
const SAMPLES = 200;
const TARGET_RATIO = 3;

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'cug-bench-hashing-'));
  const database = await benchDatabase();
  const port = await freePort();
  const server = startServer(port, folder, database?.url);
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    await waitUntilUp(url, server);
    await graphql(url, `mutation { createCustomer(input: { customerId: "acme", name: "Acme" }) { customerId } }`);
    let created = 0;
    const createUser = async () => {
      const login = `bench${created++}`;
      await graphql(url, `mutation { createCustomerUser(input: { login: "${login}", email: "${login}@acme.test", firstName: "B", lastName: "U", customerId: "acme" }) { generatedPassword } }`);
    };
    await createUser(); // starts the hashing threads
    const read = () => graphql(url, `{ customerUser(login: "bench0") { login fullName } }`);
    await sampleLatencies(read, 50); // warm-up

    const idle = summarise(await sampleLatencies(read, SAMPLES));
    let writing = true;
    let busy = 0;
    const writers = Array.from({ length: WRITERS }, async () => {
      while (writing) await createUser().catch((error: Error) => (/BUSY/.test(error.message) ? busy++ : Promise.reject(error)));
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the writers fill the hashing queue
    const before = created;
    const loaded = summarise(await sampleLatencies(read, SAMPLES));
    const createsDuring = created - before;
    writing = false;
    await Promise.all(writers);

    const ratio = loaded.p50 / idle.p50;
    console.log(`database: ${database ? 'PostgreSQL' : 'PGlite'}, bcrypt cost 12, ${WRITERS} parallel creating clients`);
    console.log(`simple read idle:        p50 ${idle.p50.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms (${SAMPLES} reads)`);
    console.log(`simple read under load:  p50 ${loaded.p50.toFixed(1)} ms, p99 ${loaded.p99.toFixed(1)} ms (${SAMPLES} reads, ${createsDuring} creates meanwhile, ${busy} BUSY)`);
    console.log(`p50 ratio ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}): ${ratio <= TARGET_RATIO ? 'met' : 'MISSED'}`);
    process.exitCode = ratio <= TARGET_RATIO ? 0 : 1;
  } finally {
    await stop(server);
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  }
}

function startServer(port: number, folder: string, databaseUrl: string | undefined): ChildProcess {
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    PGLITE_DIR: join(folder, 'pglite'),
    CONFIG__passwords__bcryptCost: '12',
    CONFIG__auth__tokens: JSON.stringify([{ name: 'bench', token: TOKEN, role: 'admin' }]),
  };
  if (!databaseUrl) delete env.DATABASE_URL;
  return spawn('node_modules/.bin/tsx', ['src/main.ts'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A fresh database on BENCH_DATABASE_URL's server (an admin URL), or null for PGlite. */
async function benchDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) return null;
  const name = `cug_bench_hashing_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function graphql(url: string, query: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; '));
  return body.data;
}

async function sampleLatencies(request: () => Promise<unknown>, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await request();
    latencies.push(performance.now() - start);
  }
  return latencies;
}

function summarise(latencies: number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

async function waitUntilUp(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      await graphql(url, '{ __typename }');
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error('the server did not answer within 120 s');
}

async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
