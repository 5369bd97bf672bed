import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { buildCheckout, freePort, REPOSITORY_ROOT, startContestant, type Contestant, type ContestantSpec } from './contestants';
import { GENERATOR_VERSION } from './dataset/generate';
import { databaseUrl, prepareBenchDatabase } from './dataset/load-database';
import { describeMismatches, runGate } from './gate';
import { resetAutoExplain } from './explain-settings';
import { measure, type Measurement } from './measure';
import { parseOptions, USAGE, UsageError, type BenchOptions } from './options';
import { printableReport, resultRows, termRows, writeResults, type BenchResults } from './report';
import { combineRounds, roundOrder } from './rounds';
import { readSamples, workloads as defineWorkloads } from './workloads';

/** `npm run bench`: see USAGE and the README's Performance section. */

const t0 = Date.now();
const log = (line: string) => process.stderr.write(`[bench +${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);

function gitDescription(checkout: string): string {
  try {
    const commit = execFileSync('git', ['-C', checkout, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', checkout, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim();
    return dirty ? `${commit} (modified)` : commit;
  } catch {
    return 'unknown';
  }
}

/** The compared checkout runs on a copy, so its migrations cannot change the database ours uses. */
async function cloneDatabase(adminUrl: string, source: string, target: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${target} TEMPLATE ${source}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

async function contestantSpecs(options: BenchOptions, database: { name: string; url: string }, logDir: string): Promise<ContestantSpec[]> {
  const specs: ContestantSpec[] = [];
  const spec = async (name: string, kind: ContestantSpec['kind'], checkout: string, db: { name: string; url: string }) =>
    specs.push({ name, kind, checkout, databaseUrl: db.url, database: db.name, port: await freePort(), logFile: join(logDir, `server-${name.replace('@', '-')}.log`) });
  if (options.servers.includes('ours')) await spec('ours', 'ours', REPOSITORY_ROOT, database);
  if (options.compare) {
    const name = `${database.name}_other`;
    log(`copying ${database.name} to ${name} for ours@other`);
    await cloneDatabase(options.pgUrl, database.name, name);
    await spec('ours@other', 'ours', options.compare, { name, url: databaseUrl(options.pgUrl, name) });
  }
  if (options.servers.includes('baseline')) await spec('baseline', 'baseline', REPOSITORY_ROOT, database);
  return specs;
}

async function run(options: BenchOptions): Promise<number> {
  const started = new Date();
  const output = options.output ?? join(REPOSITORY_ROOT, 'bench-results', `${started.toISOString().slice(0, 19).replace(/:/g, '')}-${options.users}.json`);
  if (options.build) {
    if (options.servers.includes('ours')) buildCheckout(REPOSITORY_ROOT, log);
    if (options.compare) buildCheckout(options.compare, log);
  }
  const database = await prepareBenchDatabase({ adminUrl: options.pgUrl, users: options.users, seed: options.seed, fresh: options.fresh, name: options.database, log });
  const dataSql = postgres(database.url, { max: 1, onnotice: () => undefined });
  const samples = await readSamples(dataSql).finally(() => dataSql.end({ timeout: 5 }));
  const all = defineWorkloads(samples);
  const selected = options.workloads.map((name) => all[name]);

  const monitor = postgres(options.pgUrl, { max: 1, onnotice: () => undefined });
  await resetAutoExplain(monitor, database.name);
  const contestants: Contestant[] = [];
  const logDir = join(REPOSITORY_ROOT, 'bench-results');
  mkdirSync(logDir, { recursive: true });
  try {
    for (const spec of await contestantSpecs(options, database, logDir)) {
      log(`starting ${spec.name} on port ${spec.port}`);
      contestants.push(await startContestant(spec));
    }
    // With one contestant there is nothing to compare with.
    const gateRequests = contestants.length > 1 ? options.gateRequests : 0;
    log(`correctness gate: ${gateRequests} requests per workload to ${contestants.map((c) => c.name).join(', ')}`);
    const mismatches = await runGate(contestants, selected, gateRequests);
    const measurements: Measurement[] = [];
    if (mismatches.length === 0) {
      for (const workload of selected) {
        for (let round = 0; round < options.rounds; round += 1) {
          // Each server is warmed up once per workload, before its first round.
          const settings = round === 0 ? options : { ...options, warmupSeconds: 0 };
          for (const contestant of roundOrder(contestants, round)) {
            const which = options.rounds > 1 ? ` (round ${round + 1} of ${options.rounds})` : '';
            log(`${workload.name} on ${contestant.name}${which}: ${settings.warmupSeconds} s warm-up, ${options.durationSeconds} s timed`);
            measurements.push(await measure(contestant, workload, settings, monitor));
          }
        }
      }
    } else {
      log(`correctness gate FAILED: ${mismatches.length} mismatching answers\n${describeMismatches(mismatches)}`);
    }
    const combined = combineRounds(measurements);
    const [pgVersion] = await monitor`SELECT current_setting('server_version') AS version`;
    const results: BenchResults = {
      meta: {
        date: started.toISOString(),
        users: options.users,
        customers: Math.max(1, Math.round(options.users / 50)),
        seed: options.seed,
        generatorVersion: GENERATOR_VERSION,
        database: database.name,
        databaseReused: database.reused,
        loadSeconds: database.loadSeconds,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        connections: options.connections,
        rounds: options.rounds,
        workloads: options.workloads,
        machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GB`,
        node: process.version,
        postgres: pgVersion!.version,
        ours: gitDescription(REPOSITORY_ROOT),
        ...(options.compare ? { other: `${options.compare} ${gitDescription(options.compare)}` } : {}),
      },
      gate: { passed: mismatches.length === 0, requests: gateRequests, mismatches: mismatches.length },
      rows: resultRows(combined),
      w2Terms: termRows(combined),
    };
    if (combined.length > 0) process.stdout.write(`\n${printableReport(results)}\n\n`);
    for (const file of writeResults(output, results)) log(`wrote ${file}`);
    return mismatches.length === 0 ? 0 : 1;
  } finally {
    await Promise.all(contestants.map((c) => c.stop()));
    await monitor.end({ timeout: 5 });
  }
}

async function main(): Promise<void> {
  let options: BenchOptions | null;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  process.exitCode = await run(options);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof UsageError ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exit(1);
});
