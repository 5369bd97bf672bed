import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Contestant } from './contestants';
import { describeMismatches, runGate } from './gate';
import type { Workload } from './workloads';

/** The correctness gate against two small HTTP servers whose answers the test chooses. */

type Answer = (variables: Record<string, unknown>) => unknown;

const servers: Server[] = [];

async function contestant(name: string, answer: Answer): Promise<Contestant> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { variables } = JSON.parse(body) as { variables: Record<string, unknown> };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer(variables)));
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { name, endpoint: `http://127.0.0.1:${port}/graphql`, database: 'none', pid: process.pid, stop: async () => undefined };
}

afterAll(() => Promise.all(servers.map((s) => new Promise((done) => s.close(done)))));

let counter = 0;
const workload: Workload = {
  name: 'W4',
  description: 'test',
  document: 'mutation W4 { x }',
  writes: true,
  draw: () => ({ variables: { n: (counter += 1) } }),
};

const user = (changedAt: string, nodes = ['a', 'b']) => ({ data: { updateCustomerUser: { login: nodes, changedAt } } });

describe('correctness gate', () => {
  beforeEach(() => {
    counter = 0;
  });

  it('passes equal answers whose timestamps differ in value but not in format', async () => {
    const a = await contestant('a', () => user('2026-12-02T05:00:00Z'));
    const b = await contestant('b', () => user('2026-12-02T05:00:01Z'));
    expect(await runGate([a, b], [workload], 5)).toEqual([]);
  });

  it('reports different answers, with where they part', async () => {
    const a = await contestant('a', () => user('2026-12-02T05:00:00Z'));
    const b = await contestant('b', (v) => user('2026-12-02T05:00:00Z', v.n === 2 ? ['b', 'a'] : ['a', 'b']));
    const mismatches = await runGate([a, b], [workload], 3);
    expect(mismatches).toHaveLength(1);
    expect(describeMismatches(mismatches)).toContain('first difference at $.body.data.updateCustomerUser.login.0');
  });

  it('reports a malformed timestamp, and equal errors, as failures', async () => {
    const a = await contestant('a', () => user('2026-12-02 05:00:00'));
    const b = await contestant('b', () => user('2026-12-02T05:00:00Z'));
    expect(await runGate([a, b], [workload], 2)).toHaveLength(2);
    const failing = await contestant('c', () => ({ errors: [{ message: 'boom' }], data: null }));
    expect(await runGate([failing, failing], [workload], 2)).toHaveLength(2);
  });
});
