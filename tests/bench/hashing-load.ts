/**
 * `npm run bench:hashing`: does password hashing leave the event loop free? Starts the server as a
 * child process (PGlite in a temp folder, or a fresh database on BENCH_DATABASE_URL's PostgreSQL),
 * with bcrypt cost 12, and measures a simple read's latency idle and while 20 clients create
 * customer users (each create hashes a password) without pause. Target: p50 under load ≤ 3× idle.
 * A benchmark, not a test: it prints figures and exits 1 if the target is missed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { answerHelp } from '../../src/cli/help';
import { sampleLatencies, startChildServer, summarise, type ChildServer } from './child-server';

answerHelp(`
npm run bench:hashing   (takes no arguments; settings by environment)

Does password hashing leave the event loop free? Starts the server (PGlite in a temp folder, or a fresh database
on BENCH_DATABASE_URL's PostgreSQL) with bcrypt cost 12 and prints a simple read's p50/p99 idle and while 20
clients create customer users. Exits 1 if the p50 under load is above 3x idle.
`);

const WRITERS = 20;
const SAMPLES = 200;
const TARGET_RATIO = 3;

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'cug-bench-hashing-'));
  const database = await benchDatabase();
  let server: ChildServer | null = null;
  try {
    server = await startChildServer(join(folder, 'pglite'), { DATABASE_URL: database?.url, CONFIG__passwords__bcryptCost: '12' });
    const { graphql } = server;
    await graphql(`mutation { createCustomer(input: { customerId: "acme", name: "Acme" }) { customerId } }`);
    let created = 0;
    const createUser = async () => {
      const login = `bench${created++}`;
      await graphql(`mutation { createCustomerUser(input: { login: "${login}", email: "${login}@acme.test", firstName: "B", lastName: "U", customerId: "acme" }) { generatedPassword } }`);
    };
    await createUser(); // starts the hashing threads
    const read = () => graphql(`{ customerUser(login: "bench0") { login fullName } }`);
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
    await server?.stop();
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  }
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
