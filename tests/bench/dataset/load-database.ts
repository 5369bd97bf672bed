import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { searchIndexNeeds } from '../../../src/backends/db/open-stores';
import { createMissingSearchIndexes } from '../../../src/backends/db/search-indexes';
import { loadConfig } from '../../../src/config/load';
import { openDatabase } from '../../../src/db/client';
import { migratePostgresDatabase } from '../../../src/db/migrate';
import { serverConfigEnv } from '../server-config';
import { Dataset, GENERATOR_VERSION, type Cell, type TableData } from './generate';

export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  /** True when an already loaded database with the same marker was used as it was. */
  readonly reused: boolean;
  /** Seconds spent generating and loading (0 when reused). */
  readonly loadSeconds: number;
}

export interface DatabaseRequest {
  /** Any database on the server, e.g. postgres://postgres@127.0.0.1:5432/postgres. */
  readonly adminUrl: string;
  readonly users: number;
  readonly seed: number;
  readonly fresh: boolean;
  /** Defaults to cug_bench_<users> (plus _s<seed> for other seeds). */
  readonly name?: string | null;
  readonly log: (line: string) => void;
}

type Sql = postgres.Sql;

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function databaseComment(admin: Sql, name: string): Promise<string | null> {
  const rows = await admin`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = ${name}`;
  return rows.length === 0 ? null : ((rows[0]!.comment as string | null) ?? '');
}

/**
 * The bench database for this user count and seed: reused when its marker (a comment written only
 * after a complete load) matches, otherwise created afresh. The schema comes from the server's own
 * migrations and search-index code, so the tables and indexes are exactly the server's.
 */
export async function prepareBenchDatabase(request: DatabaseRequest): Promise<BenchDatabase> {
  const { adminUrl, users, seed, log } = request;
  const name = request.name ?? (seed === 1 ? `cug_bench_${users}` : `cug_bench_${users}_s${seed}`);
  const url = databaseUrl(adminUrl, name);
  const marker = `cug-bench generator=${GENERATOR_VERSION} users=${users} seed=${seed} complete`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    if (!request.fresh && (await databaseComment(admin, name)) === marker) {
      log(`reusing database ${name}`);
      // Indexes a newer server wants (built on the loaded table: slower than before the load, but once).
      await createSearchIndexes(url);
      return { name, url, reused: true, loadSeconds: 0 };
    }
    const started = Date.now();
    log(`creating database ${name} (${users} users, seed ${seed})`);
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await migratePostgresDatabase(url);
    await createSearchIndexes(url);
    await loadData(url, new Dataset(users, seed), log);
    await admin.unsafe(`COMMENT ON DATABASE ${name} IS '${marker}'`);
    const loadSeconds = (Date.now() - started) / 1000;
    log(`database ${name} loaded in ${loadSeconds.toFixed(1)} s`);
    return { name, url, reused: false, loadSeconds };
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** What `npm run db:add-map-columns` would add for the bench's search configuration. */
async function createSearchIndexes(url: string): Promise<void> {
  const config = loadConfig({ env: serverConfigEnv(url, 0), localFile: null });
  const database = await openDatabase({ url, poolSize: 1 });
  try {
    for (const needs of searchIndexNeeds(config)) await createMissingSearchIndexes(database.db, needs);
  } finally {
    await database.close();
  }
}

/**
 * COPY into tables stripped of their secondary indexes, then the indexes are rebuilt from their
 * own definitions: building a GIN index once is far cheaper than maintaining it row by row.
 */
async function loadData(url: string, dataset: Dataset, log: (line: string) => void): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined, connection: { TimeZone: 'UTC' } });
  try {
    const tables = dataset.tables();
    const indexes = await sql<{ indexname: string; indexdef: string }[]>`
      SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename IN ${sql(tables.map((t) => t.table))}
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`;
    for (const index of indexes) await sql.unsafe(`DROP INDEX ${quote(index.indexname)}`);
    for (const table of tables) {
      const started = Date.now();
      const rows = await copyInto(sql, table);
      log(`  ${table.table}: ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    const started = Date.now();
    await sql`SET maintenance_work_mem = '256MB'`;
    for (const index of indexes) await sql.unsafe(index.indexdef);
    log(`  ${indexes.length} indexes rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const table of ['groups_table', 'service']) {
      await sql.unsafe(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
    }
    await sql`ANALYZE`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function copyInto(sql: Sql, table: TableData): Promise<number> {
  let count = 0;
  function* chunks(): Iterable<string> {
    let lines: string[] = [];
    for (const row of table.rows()) {
      lines.push(copyLine(row));
      count += 1;
      if (lines.length === 2000) {
        yield lines.join('');
        lines = [];
      }
    }
    if (lines.length > 0) yield lines.join('');
  }
  const columns = table.columns.map(quote).join(', ');
  const target = await sql.unsafe(`COPY ${quote(table.table)} (${columns}) FROM STDIN`).writable();
  await pipeline(Readable.from(chunks()), target);
  return count;
}

/** One row in COPY's text format: tab-separated, \N for NULL, backslash escapes. */
function copyLine(row: readonly Cell[]): string {
  return `${row.map((cell) => (cell === null ? '\\N' : String(cell).replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!))).join('\t')}\n`;
}

const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
