import autocannon from 'autocannon';
import type postgres from 'postgres';
import { authHeaders, type Contestant } from './contestants';
import { seededRandom } from './dataset/random';
import { backendPids, cpuBetween, cpuSnapshot, peakRssMb, processTree } from './proc-stats';
import { requestBody, type Workload } from './workloads';

export interface LoadSettings {
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
}

export interface TagLatency {
  readonly tag: string;
  readonly requests: number;
  readonly p50: number;
  readonly p99: number;
}

export interface Measurement {
  readonly workload: string;
  readonly contestant: string;
  readonly requests: number;
  readonly reqPerSec: number;
  readonly p50: number;
  readonly p99: number;
  readonly serverCpuMsPerReq: number;
  readonly pgCpuMsPerReq: number;
  readonly peakRssMb: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Latencies per tag (W2: per search term). */
  readonly tags: readonly TagLatency[];
}

/** The requestIterator is autocannon's per-connection state; its context holds the drawn tag. */
interface ClientWithContext {
  readonly requestIterator?: { readonly context?: { tag?: string } };
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

async function load(contestant: Contestant, workload: Workload, seconds: number, connections: number, seed: number) {
  const random = seededRandom(seed, 99);
  const latencies = new Map<string, number[]>();
  let graphqlErrors = 0;
  const options: autocannon.Options = {
    url: contestant.endpoint,
    connections,
    duration: seconds,
    method: 'POST',
    headers: authHeaders,
    requests: [
      {
        setupRequest: (request, context: { tag?: string }) => {
          const { variables, tag } = workload.draw(random);
          context.tag = tag;
          return { ...request, body: requestBody(workload, variables) };
        },
        // A GraphQL error arrives with status 200; it counts as an error all the same.
        onResponse: (_status, body) => {
          if (body.startsWith('{"errors"') || body.includes('"errors":[')) graphqlErrors += 1;
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(options, (error: unknown, finished) => (error ? fail(error) : done(finished)));
    // autocannon passes the client first (its typings omit it): its context holds the drawn tag.
    (instance as NodeJS.EventEmitter).on('response', (client: ClientWithContext, _status: number, _bytes: number, time: number) =>
      record(client.requestIterator?.context?.tag, time),
    );
  });
  function record(tag: string | undefined, responseTime: number): void {
    if (tag === undefined) return;
    const times = latencies.get(tag);
    if (times) times.push(responseTime);
    else latencies.set(tag, [responseTime]);
  }
  const tags = [...latencies].map(([tag, times]): TagLatency => {
    const sorted = [...times].sort((a, b) => a - b);
    return { tag, requests: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  });
  return { result, tags, graphqlErrors };
}

/**
 * Warm-up, then the timed run, with CPU read from /proc around it: the server's process tree, and
 * the PostgreSQL backends of its database.
 */
export async function measure(
  contestant: Contestant,
  workload: Workload,
  settings: LoadSettings,
  monitor: postgres.Sql,
): Promise<Measurement> {
  if (settings.warmupSeconds > 0) await load(contestant, workload, settings.warmupSeconds, settings.connections, 1);
  const tree = processTree(contestant.pid);
  const serverBefore = cpuSnapshot(tree);
  const pgBefore = cpuSnapshot(await backendPids(monitor, [contestant.database]));
  const { result, tags, graphqlErrors } = await load(contestant, workload, settings.durationSeconds, settings.connections, 2);
  const serverAfter = cpuSnapshot(processTree(contestant.pid));
  const pgAfter = cpuSnapshot(await backendPids(monitor, [contestant.database]));
  const requests = result.requests.total;
  const perRequest = (ms: number) => (requests > 0 ? ms / requests : 0);
  return {
    workload: workload.name,
    contestant: contestant.name,
    requests,
    reqPerSec: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    serverCpuMsPerReq: perRequest(cpuBetween(serverBefore, serverAfter)),
    pgCpuMsPerReq: perRequest(cpuBetween(pgBefore, pgAfter)),
    peakRssMb: peakRssMb(tree),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts + graphqlErrors,
    tags,
  };
}
