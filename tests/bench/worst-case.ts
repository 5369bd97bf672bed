/**
 * `npm run bench:limits`: does a simple read stay fast while ten of the worst requests the limits
 * still allow run at once? Starts the server as a child process on a fresh PostgreSQL database
 * filled with BENCH_USERS (100,000) generated users, measures a lookup by login idle, then again
 * while ten clients loop over the worst allowed requests, and prints p50/p99 (target p99 ≤ 100 ms).
 *
 * BENCH_PAGE (10000) is the worst requests' page size.
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server on which
 * a throw-away database is created and dropped; BENCH_SECONDS is the length of each phase (20).
 * A measurement, not a test: it prints figures and exits 0 unless something broke.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import postgres from 'postgres';
import { answerHelp } from '../../src/cli/help';

answerHelp(`
npm run bench:limits   (takes no arguments; settings by environment)

Does a simple read stay fast while ten clients loop over the worst requests the limits allow? Starts the server
on a throw-away PostgreSQL database of BENCH_USERS (100000) users and prints a lookup's p50/p99 idle and under that
load (target p99 <= 100 ms). BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres), BENCH_SECONDS (20)
per phase, BENCH_PAGE (10000) the worst requests' page size.
`);

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WORST_CLIENTS = 10;
/** Page size of the worst requests: limits.maxRows by default. */
const PAGE = Number(process.env.BENCH_PAGE ?? 10_000);
const TOKEN = 'bench-limits-token-0123456789abcdef';
const TARGET_P99_MS = 100;

/** The most expensive requests the default limits let through. */
const ten = (letter: string) => Array(10).fill(letter).join('+');
const WORST: readonly { readonly name: string; readonly query: string }[] = [
  // 10 one-letter AND terms (no trigram can help): a scan evaluating 10 × 4 ILIKEs per row.
  { name: '10 one-letter AND terms, totalCount', query: `{ customerUsers(search: "${ten('a')}", limit: ${PAGE}) { totalCount nodes { login } } }` },
  // 5 OR alternatives of 2 one-letter terms each (10 terms in all).
  { name: '5 OR alternatives × 2 one-letter terms', query: `{ customerUsers(search: "${['a+e', 'i+o', 'u+n', 'r+s', 't+l'].join(' OR ')}", limit: ${PAGE}) { totalCount nodes { login } } }` },
  // A 200-character filter pattern of 100 wildcards.
  { name: '200-character wildcard filter.lastName', query: `{ customerUsers(filter: { lastName: "${'*a'.repeat(100)}" }, limit: ${PAGE}) { totalCount nodes { login } } }` },
  // A 200-character search term with wildcards between single letters.
  { name: '200-character wildcard search term', query: `{ customerUsers(search: "${'e*'.repeat(100)}", limit: ${PAGE}) { totalCount nodes { login } } }` },
  // 1000 excluded logins and 1000 CustomerIDs: the largest lists allowed.
  {
    name: '1000 customerIds + 1000 excludeLogins',
    query: `{ customerUsers(filter: { customerIds: [${Array.from({ length: 1000 }, (_, i) => `"C${i}"`).join(',')}], excludeLogins: [${Array.from({ length: 1000 }, (_, i) => `"user${i}"`).join(',')}] }, limit: ${PAGE}) { totalCount nodes { login } } }`,
  },
];

async function main(): Promise<void> {
  const database = `bench_limits_${process.pid}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${database}`);
  const url = withDatabase(ADMIN_URL, database);
  let server: ChildProcess | undefined;
  try {
    const port = await freePort();
    server = startServer(url, port);
    const endpoint = `http://127.0.0.1:${port}/graphql`;
    await waitUntilAnswering(endpoint, server);
    await generateUsers(url);
    console.log(`${USERS} users generated; ${WORST_CLIENTS} clients will loop over the worst requests.`);

    for (const request of WORST) {
      const started = performance.now();
      await graphqlUnparsed(endpoint, request.query);
      console.log(`alone: ${(performance.now() - started).toFixed(0).padStart(6)} ms  ${request.name}`);
    }
    const idle = await measureReads(endpoint, SECONDS * 1000);
    console.log(`simple read, idle:              ${summary(idle)}`);

    const stop = { now: false };
    const worst = Array.from({ length: WORST_CLIENTS }, (_, i) => loopWorst(endpoint, i, stop));
    await sleep(1000); // let them all start
    const loaded = await measureReads(endpoint, SECONDS * 1000);
    const pinged = await measureReads(endpoint, (SECONDS * 1000) / 2, ping);
    stop.now = true;
    const worstTimes = (await Promise.all(worst)).flat();
    console.log(`simple read, under worst load:  ${summary(loaded)}`);
    console.log(`no-database ping, under load:   ${summary(pinged)}`);
    console.log(`worst requests themselves:      ${summary(worstTimes)}`);
    const p99 = percentile(loaded, 0.99);
    console.log(p99 <= TARGET_P99_MS ? `p99 ${p99.toFixed(1)} ms ≤ ${TARGET_P99_MS} ms: target met` : `p99 ${p99.toFixed(1)} ms > ${TARGET_P99_MS} ms: target MISSED`);
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server!.once('exit', resolve));
    }
    await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

function startServer(url: string, port: number): ChildProcess {
  const env = {
    ...process.env,
    DATABASE_URL: url,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    CONFIG__auth__tokens: JSON.stringify([{ name: 'bench', token: TOKEN, role: 'admin' }]),
  };
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  return child;
}

/** One statement, as the brief says: the server's migrations made the schema. */
async function generateUsers(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await sql`INSERT INTO customer_company (customer_id, name, valid_id, create_time, create_by, change_time, change_by)
      SELECT 'C' || i, 'Company ' || i, 1, now(), 1, now(), 1 FROM generate_series(0, 999) AS i`;
    const firstNames = ['Anna', 'Bernd', 'Clara', 'Dieter', 'Emma', 'Felix', 'Greta', 'Hans', 'Ida', 'Jonas', 'Karla', 'Lukas'];
    await sql`INSERT INTO customer_user (login, email, customer_id, first_name, last_name, city, valid_id, create_time, create_by, change_time, change_by)
      SELECT 'user' || i, 'user' || i || '@acme.test', 'C' || (i % 1000),
             (${firstNames}::text[])[1 + i % ${firstNames.length}], initcap(substr(md5(i::text), 1, 8)), 'City ' || (i % 300),
             1, now(), 1, now(), 1
      FROM generate_series(1, ${USERS}) AS i`;
    await sql`ANALYZE customer_user`;
  } finally {
    await sql.end();
  }
}

async function graphql(endpoint: string, query: string): Promise<void> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`${query.slice(0, 80)}…: ${body.errors[0]!.message}`);
}

/**
 * For the worst requests' answers (up to megabytes): read but not parsed, or this process's
 * JSON.parse, not the server, would be the bottleneck (it was). GraphQL puts `errors` first.
 */
async function graphqlUnparsed(endpoint: string, query: string): Promise<void> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query }),
  });
  const body = Buffer.from(await response.arrayBuffer());
  const start = body.subarray(0, 200).toString('utf8');
  if (!response.ok || start.startsWith('{"errors"')) throw new Error(`${query.slice(0, 80)}…: HTTP ${response.status} ${start}`);
}

const simpleRead = (i: number) => `{ customerUser(login: "user${1 + ((i * 7919) % USERS)}") { login email customerId } }`;
/** Needs no database: separates the server's own latency (event loop, CPU) from the database's. */
const ping = () => '{ __typename }';

async function measureReads(endpoint: string, durationMs: number, query: (i: number) => string = simpleRead): Promise<number[]> {
  const times: number[] = [];
  const end = Date.now() + durationMs;
  for (let i = 0; Date.now() < end; i += 1) {
    const started = performance.now();
    await graphql(endpoint, query(i));
    times.push(performance.now() - started);
  }
  return times;
}

async function loopWorst(endpoint: string, client: number, stop: { now: boolean }): Promise<number[]> {
  const times: number[] = [];
  for (let i = client; !stop.now; i += 1) {
    const started = performance.now();
    await graphqlUnparsed(endpoint, WORST[i % WORST.length]!.query);
    times.push(performance.now() - started);
  }
  return times;
}

async function waitUntilAnswering(endpoint: string, server: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      await graphql(endpoint, '{ __typename }');
      return;
    } catch {
      await sleep(500);
    }
  }
  throw new Error('the server did not answer within 60 s');
}

function summary(times: readonly number[]): string {
  const f = (q: number) => percentile(times, q).toFixed(1).padStart(7);
  return `n=${String(times.length).padStart(5)}  p50 ${f(0.5)} ms  p99 ${f(0.99)} ms  max ${f(1)} ms`;
}

function percentile(times: readonly number[], q: number): number {
  if (times.length === 0) return NaN;
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
