import type { Measurement, TagLatency } from './measure';

/**
 * Several timed rounds of the same workloads and servers. On a shared machine the order matters:
 * the server measured second in a pair looked up to ~10 % better, whichever build it was. So the
 * order is reversed each round (A B, B A, A B, …) and the rounds are combined.
 */
export function roundOrder<T>(contestants: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...contestants] : [...contestants].reverse();
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * One measurement per workload and server from its rounds: requests, errors and CPU summed (so CPU
 * per request is over all requests), req/s over the total time, peak RSS the highest, and the
 * latency percentiles the median round's (percentiles of separate runs do not add up).
 */
export function combineRounds(measurements: readonly Measurement[]): Measurement[] {
  const groups = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const key = `${m.workload}\u0000${m.contestant}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups.values()].map((rounds) => {
    if (rounds.length === 1) return rounds[0]!;
    const requests = rounds.reduce((sum, m) => sum + m.requests, 0);
    const seconds = rounds.reduce((sum, m) => sum + (m.reqPerSec > 0 ? m.requests / m.reqPerSec : 0), 0);
    const perRequest = (pick: (m: Measurement) => number) =>
      requests > 0 ? rounds.reduce((sum, m) => sum + pick(m) * m.requests, 0) / requests : 0;
    return {
      workload: rounds[0]!.workload,
      contestant: rounds[0]!.contestant,
      requests,
      reqPerSec: seconds > 0 ? requests / seconds : 0,
      p50: median(rounds.map((m) => m.p50)),
      p99: median(rounds.map((m) => m.p99)),
      serverCpuMsPerReq: perRequest((m) => m.serverCpuMsPerReq),
      pgCpuMsPerReq: perRequest((m) => m.pgCpuMsPerReq),
      peakRssMb: Math.max(...rounds.map((m) => m.peakRssMb)),
      non2xx: rounds.reduce((sum, m) => sum + m.non2xx, 0),
      errors: rounds.reduce((sum, m) => sum + m.errors, 0),
      tags: combineTags(rounds.map((m) => m.tags)),
    };
  });
}

function combineTags(rounds: readonly (readonly TagLatency[])[]): TagLatency[] {
  const byTag = new Map<string, TagLatency[]>();
  for (const tags of rounds) for (const t of tags) byTag.set(t.tag, [...(byTag.get(t.tag) ?? []), t]);
  return [...byTag].map(([tag, ts]) => ({
    tag,
    requests: ts.reduce((sum, t) => sum + t.requests, 0),
    p50: median(ts.map((t) => t.p50)),
    p99: median(ts.map((t) => t.p99)),
  }));
}
