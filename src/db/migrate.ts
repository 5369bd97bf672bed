import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { StartupError } from '../lifecycle/startup-error';
import { resultRows, type Db } from './client';
import { databaseMessage } from './errors';
import { otoboDatabaseFound } from './otobo-database';
import { OWN_SCHEMA } from './schema';

/** The drizzle/ folder, found by walking up (the same code runs from src/ via tsx and from dist/). */
export function migrationsFolder(start = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`no drizzle/ migrations folder above ${start}`);
  }
}

/**
 * The migrations that create OTOBO's own tables and initial rows. An existing OTOBO/Znuny database
 * has them already: they are recorded as applied without running, so nothing of OTOBO's is created,
 * altered or dropped. Later migrations must touch only our own schema.
 */
const OTOBO_SCHEMA_MIGRATIONS = ['0000_pg_trgm', '0001_otobo_schema', '0002_seed'];

/** A migration that failed: one line naming the statement and the database's own message. */
export class MigrationError extends StartupError {
  constructor(message: string, override readonly cause: unknown) {
    super(message);
    this.name = 'MigrationError';
  }
}

export async function migratePgliteDatabase(pglite: PGlite): Promise<void> {
  await runMigrations(drizzlePglite({ client: pglite }) as unknown as Db);
}

export async function migratePostgresDatabase(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await runMigrations(drizzlePostgres({ client }) as unknown as Db);
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * Applies pending migrations, bookkeeping included, in one transaction: a failure leaves the
 * database as it was (no schema, no migrations table). drizzle's own migrator creates its table
 * outside the transaction and reports only "Failed query", hence this one. Several server instances
 * may start at once: a transaction-scoped advisory lock lets one migrate while the others wait.
 * The bookkeeping keeps drizzle's table layout, in our schema.
 */
async function runMigrations(db: Db): Promise<void> {
  const folder = migrationsFolder();
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  const tags = (JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] }).entries.map((e) => e.tag);
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7242001)`);
    await prepareBookkeeping(tx);
    let last = await lastApplied(tx);
    if (last === null && (await otoboDatabaseFound(tx))) {
      for (const [i, migration] of migrations.entries()) {
        if (OTOBO_SCHEMA_MIGRATIONS.includes(tags[i]!)) await record(tx, migration.hash, migration.folderMillis);
      }
      last = await lastApplied(tx);
    }
    for (const [i, migration] of migrations.entries()) {
      if (last !== null && migration.folderMillis <= last) continue;
      for (const statement of migration.sql) await runStatement(tx, tags[i]!, statement);
      await record(tx, migration.hash, migration.folderMillis);
    }
  });
}

const BOOKKEEPING = sql.raw(`"${OWN_SCHEMA}"."__drizzle_migrations"`);

/** Versions before the own schema kept the bookkeeping in drizzle's default schema `drizzle`: it moves. */
async function prepareBookkeeping(tx: Db): Promise<void> {
  const [found] = resultRows<{ legacy: boolean; ours: boolean }>(
    await tx.execute(sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS legacy,
      to_regclass(${`${OWN_SCHEMA}.__drizzle_migrations`}) IS NOT NULL AS ours`),
  );
  await tx.execute(sql`CREATE SCHEMA IF NOT EXISTS ${sql.identifier(OWN_SCHEMA)}`);
  if (found!.legacy && !found!.ours) {
    await tx.execute(sql`ALTER TABLE drizzle.__drizzle_migrations SET SCHEMA ${sql.identifier(OWN_SCHEMA)}`);
    const [left] = resultRows<{ empty: boolean }>(
      await tx.execute(sql`SELECT NOT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = 'drizzle'::regnamespace)
        AND NOT EXISTS (SELECT 1 FROM pg_proc WHERE pronamespace = 'drizzle'::regnamespace)
        AND NOT EXISTS (SELECT 1 FROM pg_type WHERE typnamespace = 'drizzle'::regnamespace) AS empty`),
    );
    if (left!.empty) await tx.execute(sql`DROP SCHEMA drizzle`);
  }
  await tx.execute(sql`CREATE TABLE IF NOT EXISTS ${BOOKKEEPING} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
}

async function lastApplied(tx: Db): Promise<number | null> {
  const [row] = resultRows<{ created_at: string | number | null }>(
    await tx.execute(sql`SELECT created_at FROM ${BOOKKEEPING} ORDER BY created_at DESC LIMIT 1`),
  );
  return row?.created_at == null ? null : Number(row.created_at);
}

async function record(tx: Db, hash: string, folderMillis: number): Promise<void> {
  await tx.execute(sql`INSERT INTO ${BOOKKEEPING} (hash, created_at) VALUES (${hash}, ${folderMillis})`);
}

async function runStatement(tx: Db, tag: string, statement: string): Promise<void> {
  try {
    await tx.execute(sql.raw(statement));
  } catch (error) {
    throw new MigrationError(`database migration ${tag} failed at ${statementPurpose(statement)}: ${databaseMessage(error)} (nothing was changed)`, error);
  }
}

/** The head of a statement (`CREATE TABLE "customer_company"`), without comments and column lists. */
export function statementPurpose(statement: string): string {
  const text = statement.replace(/^\s*--.*$/gm, '').replace(/\s+/g, ' ').trim();
  const head = text.split(' (')[0]!;
  return head.length > 100 ? `${head.slice(0, 100)}…` : head;
}
