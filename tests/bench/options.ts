import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WORKLOAD_NAMES, type WorkloadName } from './workloads';

export type ServerName = 'ours' | 'baseline';

export interface BenchOptions {
  readonly users: number;
  readonly seed: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly workloads: readonly WorkloadName[];
  readonly servers: readonly ServerName[];
  /** Another checkout of this project whose server runs as a third contestant, "ours@other". */
  readonly compare: string | null;
  readonly output: string | null;
  readonly fresh: boolean;
  /** Database name instead of cug_bench_<users>. */
  readonly database: string | null;
  readonly build: boolean;
  readonly pgUrl: string;
  readonly gateRequests: number;
  /** Timed runs per workload and server, in alternating order (see rounds.ts). */
  readonly rounds: number;
}

export const USAGE = `Usage: npm run bench -- [options]

  --users N          customer users in the generated database (default 100000; ~N/50 customers)
  --seed N           data generator seed (default 1)
  --duration S       timed seconds per workload and server (default 10)
  --warmup S         warm-up seconds before each timed run (default 3)
  --connections N    concurrent HTTP connections (default 10)
  --workloads LIST   comma-separated, of ${WORKLOAD_NAMES.join(',')} (default all)
  --servers LIST     comma-separated, of ours,baseline (default both)
  --compare PATH     also run the server of another checkout (with its own node_modules) as
                     "ours@other", on its own copy of the database, e.g. a clone of main
  --output FILE      results file, .json (a .md is written beside it)
                     (default bench-results/<date>-<users>.json)
  --fresh            regenerate the database even if a matching one is loaded
  --database NAME    database name (default cug_bench_<users>, reused while its marker matches)
  --no-build         do not run \`npm run build\` first (uses dist/ if present, else tsx)
  --gate N           requests per workload in the correctness gate (default 50)
  --rounds N         timed runs per workload and server, the servers' order reversed each round
                     (ABBA…), combined into one row each (default 1). The server measured second
                     tends to look up to ~10 % better on a shared machine; rounds cancel that out
  --pg URL           PostgreSQL to use (default postgres://postgres@127.0.0.1:5432/postgres)
  --help             this text

Servers are measured one at a time, workload by workload, in one run.`;

export class UsageError extends Error {}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new UsageError(`--${name} needs a non-negative number, got "${value}"`);
  return number;
}

function list<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T[] {
  if (value === undefined) return [...allowed];
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  const unknown = items.filter((item) => !allowed.includes(item as T));
  if (unknown.length > 0 || items.length === 0) throw new UsageError(`--${name}: unknown ${unknown.join(', ') || '(empty)'}; choose from ${allowed.join(',')}`);
  return items as T[];
}

function databaseName(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(value)) throw new UsageError(`--database: "${value}" is not a plain lower-case identifier`);
  return value;
}

/** Null means --help was asked for. */
export function parseOptions(argv: readonly string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      users: { type: 'string' },
      seed: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      workloads: { type: 'string' },
      servers: { type: 'string' },
      compare: { type: 'string' },
      output: { type: 'string' },
      fresh: { type: 'boolean' },
      database: { type: 'string' },
      'no-build': { type: 'boolean' },
      gate: { type: 'string' },
      rounds: { type: 'string' },
      pg: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return null;
  const users = Math.round(positive('users', values.users, 100_000));
  if (users < 1) throw new UsageError('--users must be at least 1');
  return {
    users,
    seed: Math.round(positive('seed', values.seed, 1)),
    durationSeconds: positive('duration', values.duration, 10),
    warmupSeconds: positive('warmup', values.warmup, 3),
    connections: Math.max(1, Math.round(positive('connections', values.connections, 10))),
    workloads: list('workloads', values.workloads, WORKLOAD_NAMES),
    servers: list<ServerName>('servers', values.servers, ['ours', 'baseline']),
    compare: values.compare ? resolve(values.compare) : null,
    output: values.output ? resolve(values.output) : null,
    fresh: values.fresh ?? false,
    database: databaseName(values.database),
    build: !values['no-build'],
    pgUrl: values.pg ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    gateRequests: Math.round(positive('gate', values.gate, 50)),
    rounds: Math.max(1, Math.round(positive('rounds', values.rounds, 1))),
  };
}
