import type { Measurement } from './measure';
import { combineRounds, roundOrder } from './rounds';

const measurement = (contestant: string, over: Partial<Measurement>): Measurement => ({
  workload: 'W1',
  contestant,
  requests: 1000,
  reqPerSec: 100,
  p50: 5,
  p99: 20,
  serverCpuMsPerReq: 1,
  pgCpuMsPerReq: 0.5,
  peakRssMb: 100,
  non2xx: 0,
  errors: 0,
  tags: [],
  ...over,
});

describe('bench rounds', () => {
  it('reverses the order of the servers every other round', () => {
    expect([0, 1, 2, 3].map((round) => roundOrder(['ours', 'other', 'baseline'], round).join(' '))).toEqual([
      'ours other baseline',
      'baseline other ours',
      'ours other baseline',
      'baseline other ours',
    ]);
  });

  it('combines the rounds of each server: sums, CPU per request over all requests, median latencies, highest RSS', () => {
    const rows = combineRounds([
      measurement('ours', { requests: 1000, reqPerSec: 100, serverCpuMsPerReq: 1, p50: 4, p99: 10, peakRssMb: 90, errors: 1, tags: [{ tag: 'Sch*', requests: 10, p50: 3, p99: 9 }] }),
      measurement('baseline', { requests: 500 }),
      measurement('ours', { requests: 3000, reqPerSec: 300, serverCpuMsPerReq: 2, p50: 6, p99: 30, peakRssMb: 120, errors: 2, tags: [{ tag: 'Sch*', requests: 30, p50: 5, p99: 7 }] }),
      measurement('ours', { requests: 2000, reqPerSec: 200, serverCpuMsPerReq: 1.5, p50: 5, p99: 20, peakRssMb: 100 }),
    ]);
    expect(rows).toHaveLength(2);
    const ours = rows.find((r) => r.contestant === 'ours')!;
    expect(ours).toMatchObject({ requests: 6000, reqPerSec: 200, p50: 5, p99: 20, peakRssMb: 120, errors: 3 });
    expect(ours.serverCpuMsPerReq).toBeCloseTo((1000 * 1 + 3000 * 2 + 2000 * 1.5) / 6000, 10);
    expect(ours.tags).toEqual([{ tag: 'Sch*', requests: 40, p50: 4, p99: 8 }]);
    expect(rows.find((r) => r.contestant === 'baseline')!.requests).toBe(500);
  });
});
