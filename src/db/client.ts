import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Logger } from 'drizzle-orm/logger';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { connectionLimits, type ConnectionTimeouts } from './connection-limits';
import { lockDataFolder, type FolderLock } from './folder-lock';
import { migratePgliteDatabase, migratePostgresDatabase } from './migrate';
import * as schema from './schema';

/** One drizzle handle type for both drivers: the query builder behaves identically on each. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Statements sent so far, and the latest few: lets tests prove batching and inspect query plans. */
export interface StatementLog {
  count: number;
  readonly recent: { readonly sql: string; readonly params: readonly unknown[] }[];
}

const RECENT_STATEMENTS = 20;

export interface Database {
  readonly db: Db;
  /**
   * For search statements only. On PostgreSQL its sessions run with enable_seqscan off: the planner
   * underrates the per-row cost of ILIKE and would otherwise scan whole tables (200 ms at 100k users)
   * where the trigram indexes answer in a few milliseconds. Where no index applies it still scans.
   */
  readonly search: Db;
  readonly kind: 'pglite' | 'postgres';
  readonly statements: StatementLog;
  /** Applies pending migrations from drizzle/. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { readonly url: string; readonly poolSize?: number; readonly timeouts?: ConnectionTimeouts }
  | { readonly pgliteDir: string }
  /** An already opened PGlite (tests restore one from a snapshot); closed with the Database. */
  | { readonly pglite: PGlite };

/** The database the configuration names: PostgreSQL when a URL is set, else the embedded PGlite. */
export function databaseTarget(settings: { url: string | null; pgliteDir: string; poolSize: number } & ConnectionTimeouts): DatabaseTarget {
  const { statementTimeoutMs, connectTimeoutMs } = settings;
  return settings.url ? { url: settings.url, poolSize: settings.poolSize, timeouts: { statementTimeoutMs, connectTimeoutMs } } : { pgliteDir: settings.pgliteDir };
}

/**
 * Connections run in UTC (OTOBO's timestamp columns carry no zone). Lookups and writes run as
 * prepared statements (src/db/prepared.ts) whose plans PostgreSQL may cache; searches are sent
 * unprepared, so they are always planned for their values.
 */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const statements: StatementLog = { count: 0, recent: [] };
  const logger: Logger = {
    logQuery: (query, params) => {
      statements.count += 1;
      statements.recent.push({ sql: query, params });
      if (statements.recent.length > RECENT_STATEMENTS) statements.recent.shift();
    },
  };

  if ('url' in target) {
    const poolSize = target.poolSize ?? 10;
    // No JIT: it pays off for long analytical queries, not for these short ones (and a disabled
    // seqscan's huge cost estimate would trigger it on every search).
    const connection = { TimeZone: 'UTC', jit: 'off', application_name: 'otobo-customer-graphql' };
    const limits = connectionLimits(target.timeouts);
    const client = postgres(target.url, { ...limits.options, max: poolSize, onnotice: () => undefined, connection: { ...connection, ...limits.parameters } });
    const searchClient = postgres(target.url, {
      ...limits.options,
      max: Math.max(1, Math.ceil(poolSize / 2)),
      onnotice: () => undefined,
      connection: { ...connection, ...limits.parameters, enable_seqscan: 'off' },
    });
    const db = drizzlePostgres({ client, schema, logger }) as unknown as Db;
    const search = drizzlePostgres({ client: searchClient, schema, logger }) as unknown as Db;
    const migrate = () => migratePostgresDatabase(target.url);
    const close = async () => {
      await Promise.all([client.end({ timeout: 5 }), searchClient.end({ timeout: 5 })]);
    };
    return { db, search, kind: 'postgres', statements, migrate, close };
  }

  const lock = 'pgliteDir' in target && !target.pgliteDir.startsWith('memory://') ? lockDataFolder(target.pgliteDir) : null;
  const pglite = 'pglite' in target ? target.pglite : await openPglite(target.pgliteDir).catch(releaseAndThrow(lock));
  await pglite.exec(`SET TIME ZONE 'UTC'`);
  const db = drizzlePglite({ client: pglite, schema, logger }) as unknown as Db;
  const migrate = () => migratePgliteDatabase(pglite);
  // One embedded session: searches share it (trial data is small enough for any plan).
  const close = async () => {
    await pglite.close();
    lock?.release();
  };
  return { db, search: db, kind: 'pglite', statements, migrate, close };
}

function releaseAndThrow(lock: FolderLock | null): (error: unknown) => never {
  return (error) => {
    lock?.release();
    throw error;
  };
}

export async function openPglite(dir: string, loadDataDir?: Blob): Promise<PGlite> {
  if (dir.startsWith('memory://')) return PGlite.create(dir, { extensions: { pg_trgm }, loadDataDir });
  const absolute = resolve(dir);
  mkdirSync(dirname(absolute), { recursive: true }); // PGlite does not create parents
  return PGlite.create(absolute, { extensions: { pg_trgm }, loadDataDir });
}

/** `db.execute` returns `{ rows }` on PGlite and an array on postgres.js; this reads either. */
export function resultRows<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
