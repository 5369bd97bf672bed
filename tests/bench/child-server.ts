import { spawn, type ChildProcess } from 'node:child_process';
import { buildCheckout, freePort, productionNodeFlags, REPOSITORY_ROOT } from './contestants';

/**
 * The server, built and run the production way (`node dist/src/main.js`, as `npm run bench` runs
 * it), as a child process on a free loopback port, for the latency benches
 * (bench:hashing, bench:ldap): its own PGlite folder unless `DATABASE_URL` is given, one admin
 * token, warnings only. `env` adds settings (CONFIG__…, secrets).
 */
export interface ChildServer {
  readonly url: string;
  graphql(query: string, variables?: Record<string, unknown>): Promise<unknown>;
  stop(): Promise<void>;
}

const TOKEN = 'bench-admin-token-0123456789abcdef';

export async function startChildServer(pgliteDir: string, env: Readonly<Record<string, string | undefined>>): Promise<ChildServer> {
  const port = await freePort();
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PGLITE_DIR: pgliteDir,
    CONFIG__auth__tokens: JSON.stringify([{ name: 'bench', token: TOKEN, role: 'admin' }]),
    ...env,
  };
  if (!childEnv.DATABASE_URL) delete childEnv.DATABASE_URL;
  buildCheckout(REPOSITORY_ROOT, (line) => console.error(line));
  const child = spawn(process.execPath, [...productionNodeFlags(REPOSITORY_ROOT), 'dist/src/main.js'], { cwd: REPOSITORY_ROOT, env: childEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}/graphql`;
  const graphql = (query: string, variables?: Record<string, unknown>) => request(url, query, variables);
  try {
    await waitUntilUp(graphql, child);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { url, graphql, stop: () => stop(child) };
}

async function request(url: string, query: string, variables?: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; '));
  return body.data;
}

/** Latencies (ms) of `count` requests in sequence. */
export async function sampleLatencies(call: (i: number) => Promise<unknown>, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await call(i);
    latencies.push(performance.now() - start);
  }
  return latencies;
}

export function summarise(latencies: readonly number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

async function waitUntilUp(graphql: ChildServer['graphql'], child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      await graphql('{ __typename }');
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error('the server did not answer within 120 s');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
