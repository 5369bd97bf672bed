import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import type { BenchResults } from './report';

/**
 * The benchmark suite, run small so it cannot rot: 1,000 users, two 1 s rounds per workload, both servers.
 * It needs a real PostgreSQL (the servers are separate processes), so it is skipped on PGlite.
 */

const adminUrl = process.env.TEST_DATABASE_URL;
const root = resolve(__dirname, '../..');

function runBench(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => done({ code, output }));
  });
}

const onPostgres = adminUrl ? it : it.skip;

describe('npm run bench (smoke)', () => {
  const database = `cug_bench_smoke_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'cug-bench-'));

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (!adminUrl) return;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  if (!adminUrl) it.todo('runs only on PostgreSQL: set TEST_DATABASE_URL (skipped on the PGlite run)');

  onPostgres(
    'passes the correctness gate and measures every workload on both servers without errors',
    async () => {
      const output = join(dir, 'smoke.json');
      const args = ['--users', '1000', '--duration', '1', '--rounds', '2', '--warmup', '1', '--database', database, '--pg', adminUrl!, '--output', output];
      const run = await runBench(args);
      expect({ code: run.code, output: run.code === 0 ? '' : run.output }).toEqual({ code: 0, output: '' });

      const results = JSON.parse(readFileSync(output, 'utf8')) as BenchResults;
      expect(results.gate).toEqual({ passed: true, requests: 50, mismatches: 0 });
      expect(results.meta.rounds).toBe(2); // each row combines two rounds (rounds.ts)
      expect(results.rows.map((r) => `${r.workload}/${r.contestant}`).sort()).toEqual(
        ['W1', 'W2', 'W3r', 'W3', 'W4'].flatMap((w) => [`${w}/baseline`, `${w}/ours`]).sort(),
      );
      for (const row of results.rows) {
        expect({ row: `${row.workload}/${row.contestant}`, positive: row.reqPerSec > 0, non2xx: row.non2xx, errors: row.errors }).toEqual({
          row: `${row.workload}/${row.contestant}`,
          positive: true,
          non2xx: 0,
          errors: 0,
        });
        expect(row.serverCpuMsPerReq).toBeGreaterThan(0);
        expect(row.peakRssMb).toBeGreaterThan(0);
      }
      expect(new Set(results.w2Terms.map((t) => t.class))).toEqual(new Set(['common', 'medium', 'rare', 'non-ASCII', 'absent']));
      expect(readFileSync(output.replace(/\.json$/, '.md'), 'utf8')).toContain('| W1 | ours |');
    },
    240_000,
  );
});
