import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { openDatabase, openPglite, type Database } from '../../src/db/client';
import type { ConnectionTimeouts } from '../../src/db/connection-limits';

/** The database under test: PostgreSQL when TEST_DATABASE_URL is set, else PGlite. */
export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

export interface TestDatabase {
  readonly database: Database;
  /** The connection URL on PostgreSQL (for child processes); undefined on PGlite. */
  readonly url?: string;
  /** Runs SQL with positional parameters on a connection of its own (PGlite: the only one). */
  rawQuery<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements (no parameters). */
  runScript(sql: string): Promise<void>;
  /** Closes it and, on PostgreSQL, drops it. */
  dispose(): Promise<void>;
}

export interface TestDatabaseOptions {
  readonly timeouts?: ConnectionTimeouts;
  /** Not even migrated (on PGlite the shared migrated snapshot is skipped): for loading other schemas. */
  readonly empty?: boolean;
}

/** A fresh, private database for one test (never data from an earlier run). */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const snapshot = options.empty ? undefined : process.env.CUG_TEST_PGLITE_SNAPSHOT;
    const pglite = await openPglite('memory://', snapshot ? new Blob([readFileSync(snapshot)]) : undefined);
    const database = await openDatabase({ pglite });
    return {
      database,
      rawQuery: async <T>(text: string, params: readonly unknown[] = []) => (await pglite.query<T>(text, [...params])).rows,
      runScript: async (text: string) => void (await pglite.exec(text)),
      dispose: () => database.close(),
    };
  }
  const name = `cug_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 4, timeouts: options.timeouts });
  const raw = postgres(url.toString(), { max: 1, onnotice: () => undefined, connection: { TimeZone: 'UTC' } });
  return {
    database,
    url: url.toString(),
    rawQuery: async <T>(text: string, params: readonly unknown[] = []) =>
      (await raw.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[],
    runScript: async (text: string) => void (await raw.unsafe(text).simple()),
    dispose: async () => {
      await raw.end();
      await database.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
