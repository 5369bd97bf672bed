import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { authHeaders, buildCheckout, freePort, REPOSITORY_ROOT, startContestant } from './contestants';
import { enableAutoExplain, resetAutoExplain } from './explain-settings';
import { prepareBenchDatabase } from './dataset/load-database';
import { requestBody, workloads } from './workloads';

/**
 * `npm run bench:explain`: the EXPLAIN (ANALYZE, BUFFERS) plans of the search statement our
 * server sends for W2, for a common and a rare term, beside the plain query's. The server's
 * statements are captured as they run, by auto_explain switched on for the bench database only
 * while this runs, and read back from PostgreSQL's log file.
 */

const USAGE = `Usage: npm run bench:explain -- [--users N] [--terms 'Sch*,Lindenthaler*'] [--database NAME]
       [--pg URL] [--log-file PATH] [--seed N]

Prints the plans of our server's W2 search statement (captured with auto_explain) and of the
plain baseline query, per term, at the given scale (default 100000 users). The database is
generated like \`npm run bench\`'s and reused.`;

async function logFile(admin: postgres.Sql, given: string | undefined): Promise<string> {
  if (given) return given;
  const [row] = await admin`SELECT pg_current_logfile() AS file, current_setting('data_directory') AS dir, current_setting('server_version_num') AS version`;
  if (row?.file) return join(row.dir as string, row.file as string);
  // Debian/Ubuntu clusters log stderr to /var/log/postgresql.
  const major = Math.floor(Number(row?.version) / 10000);
  return `/var/log/postgresql/postgresql-${major}-main.log`;
}

/** auto_explain entries ("duration: … plan:" and its tab-indented continuation lines). */
function planEntries(logText: string): string[] {
  const entries: string[] = [];
  for (const line of logText.split('\n')) {
    if (line.startsWith('\t')) {
      if (entries.length > 0) entries[entries.length - 1] += `\n${line.slice(1)}`;
    } else {
      const at = line.indexOf('duration: ');
      entries.push(at >= 0 && line.includes(' plan:') ? line.slice(at) : '');
    }
  }
  return entries.filter((entry) => entry.startsWith('duration: '));
}

const readFrom = (file: string, offset: number) => readFileSync(file).subarray(offset).toString('utf8');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      seed: { type: 'string' },
      terms: { type: 'string' },
      database: { type: 'string' },
      pg: { type: 'string' },
      'log-file': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const log = (line: string) => process.stderr.write(`[explain] ${line}\n`);
  const pgUrl = values.pg ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const terms = (values.terms ?? 'Sch*,Lindenthaler*').split(',');
  buildCheckout(REPOSITORY_ROOT, log);
  const database = await prepareBenchDatabase({
    adminUrl: pgUrl, users: Number(values.users ?? 100000), seed: Number(values.seed ?? 1), fresh: false, name: values.database ?? null, log,
  });
  const admin = postgres(pgUrl, { max: 1, onnotice: () => undefined });
  const data = postgres(database.url, { max: 1, onnotice: () => undefined });
  const file = await logFile(admin, values['log-file']);
  if (!existsSync(file)) throw new Error(`PostgreSQL's log ${file} is not readable here; pass --log-file`);
  mkdirSync(join(REPOSITORY_ROOT, 'bench-results'), { recursive: true });
  const W2 = workloads({ logins: [], customerIds: [] }).W2;
  await enableAutoExplain(admin, database.name);
  const server = await startContestant({
    name: 'ours', kind: 'ours', checkout: REPOSITORY_ROOT, databaseUrl: database.url, database: database.name, port: await freePort(),
    logFile: join(REPOSITORY_ROOT, 'bench-results', 'server-explain.log'),
  }).catch(async (error: unknown) => {
    await resetAutoExplain(admin, database.name);
    throw error;
  });
  try {
    for (const term of terms) {
      const ask = () => fetch(server.endpoint, { method: 'POST', headers: authHeaders, body: requestBody(W2, { term }) }).then((r) => r.text());
      await ask(); // warms the connection and caches
      const offset = statSync(file).size;
      await ask();
      await new Promise((done) => setTimeout(done, 500)); // the log is written asynchronously
      const plans = planEntries(readFrom(file, offset)).filter((entry) => /LIKE/.test(entry));
      const pattern = `${term}*`.replace(/\*+/g, '%');
      const [count] = await data`SELECT count(*)::int AS n FROM customer_user WHERE valid_id = 1
        AND (login ILIKE ${pattern} OR first_name ILIKE ${pattern} OR last_name ILIKE ${pattern} OR email ILIKE ${pattern})`;
      process.stdout.write(`\n=== ${term} (${count!.n} valid matches, ${database.name}) ===\n\n--- our server's search statement ---\n`);
      process.stdout.write(`${plans.at(-1) ?? '(no plan captured: is auto_explain installed, and the log file right?)'}\n`);
      const plain = await data.unsafe(
        `EXPLAIN (ANALYZE, BUFFERS) SELECT login, first_name, last_name, email FROM customer_user
         WHERE valid_id = 1 AND (login ILIKE $1 OR first_name ILIKE $1 OR last_name ILIKE $1 OR email ILIKE $1)
         ORDER BY lower(login) COLLATE "C", login COLLATE "C" LIMIT 251`,
        [pattern],
      );
      process.stdout.write(`\n--- the plain query (baseline) ---\n${plain.map((r) => r['QUERY PLAN']).join('\n')}\n`);
    }
  } finally {
    await server.stop();
    await resetAutoExplain(admin, database.name);
    await Promise.all([admin.end({ timeout: 5 }), data.end({ timeout: 5 })]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
