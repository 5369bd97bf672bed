import type { SQL } from 'drizzle-orm';
import type { Db } from './client';

/**
 * What drizzle's database object holds underneath: the driver's client (postgres.js or PGlite)
 * and its query logger. src/db/prepared.ts and src/db/cancellable.ts send statements past
 * drizzle's own `execute` (prepared, or on a reserved connection) and log them as drizzle would.
 */
export interface DriverSession {
  readonly client: PostgresJsClient | PgliteClient;
  readonly logger: { logQuery(query: string, params: unknown[]): void };
}
export interface PostgresJsClient {
  unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<unknown[]>;
  reserve(): Promise<unknown>;
}
export interface PgliteClient {
  query(text: string, params: unknown[], options: { rowMode: 'object'; parsers: Record<number, (value: string) => unknown> }): Promise<{ rows: unknown[] }>;
}

export function sessionOf(db: Db): DriverSession {
  return (db as unknown as { session: DriverSession }).session;
}

export function dialectOf(db: Db): { sqlToQuery(statement: SQL): { sql: string; params: unknown[] } } {
  return (db as unknown as { dialect: { sqlToQuery(statement: SQL): { sql: string; params: unknown[] } } }).dialect;
}
