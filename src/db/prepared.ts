import { Placeholder, sql, type SQL } from 'drizzle-orm';
import type { Db } from './client';
import { dialectOf, sessionOf } from './driver-session';

/**
 * Statements whose text is fixed once (built with drizzle's `sql` at startup) and executed by the
 * driver as named prepared statements: PostgreSQL parses each once per connection, postgres.js
 * sends Bind/Execute in one write instead of Parse/Describe, a wait, then Bind/Execute, and
 * drizzle builds no SQL per request. drizzle's own `execute` sends every statement unprepared.
 *
 * Search statements must not come here: a cached generic plan for them walks the sort index
 * (see the performance notes); they stay unprepared, so always planned for their values.
 */
export interface CompiledStatement {
  readonly text: string;
  /** The slot name of each positional parameter ($1, $2, …), each name once. */
  readonly slots: readonly string[];
}

export type SlotValues = Readonly<Record<string, unknown>>;

// Timestamps are read as text (as drizzle reads them), though our projections format them in SQL.
const PGLITE_OPTIONS = { rowMode: 'object' as const, parsers: { 1114: (v: string) => v, 1184: (v: string) => v } };

/** A named parameter of a compiled statement, filled from `run`'s values. */
export const slot = (name: string): SQL => sql`${sql.placeholder(name)}`;

/**
 * Fixes a statement's text; its `slot`s become $1, $2, …, one parameter per name however often it
 * appears: a batch of 50 logins read from three tables is then sent and parsed once, not three times.
 */
export function compile(db: Db, statement: SQL): CompiledStatement {
  const query = dialectOf(db).sqlToQuery(statement);
  const names = query.params.map((param) => {
    if (!(param instanceof Placeholder)) throw new Error(`a compiled statement takes values through slots only, found ${String(param)}`);
    return param.name;
  });
  const slots = [...new Set(names)];
  // drizzle numbers every occurrence ($1 … $n, in order); renumber each to its name's parameter.
  const text = query.sql.replace(/\$(\d+)\b/g, (_, n: string) => `$${slots.indexOf(names[Number(n) - 1]!) + 1}`);
  return { text, slots };
}

/**
 * Runs a compiled statement on `db` (the pool, or the transaction it is called with); `prepare:
 * false` sends it unprepared, for texts too varied to keep on every connection.
 */
export async function run<T = Record<string, unknown>>(
  db: Db,
  statement: CompiledStatement,
  values: SlotValues,
  options: { readonly prepare: boolean } = { prepare: true },
): Promise<T[]> {
  const params = statement.slots.map((name) => {
    if (!(name in values)) throw new Error(`no value for slot ${name}`);
    return values[name];
  });
  const { client, logger } = sessionOf(db);
  logger.logQuery(statement.text, params);
  if ('unsafe' in client) return (await client.unsafe(statement.text, params, options)) as T[];
  return (await client.query(statement.text, params, PGLITE_OPTIONS)).rows as T[];
}

/** The driver under a drizzle handle: its client (postgres.js or PGlite) and query logger. */
