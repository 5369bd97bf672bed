import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/** The drizzle/ folder, found by walking up (the same code runs from src/ via tsx and from dist/). */
export function migrationsFolder(start = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`no drizzle/ migrations folder above ${start}`);
  }
}

export async function migratePgliteDatabase(pglite: PGlite): Promise<void> {
  await migratePglite(drizzlePglite({ client: pglite }), { migrationsFolder: migrationsFolder() });
}

/**
 * Several server instances may start at once against one PostgreSQL: the migration runs on its own
 * connection holding a session advisory lock, so only one of them migrates and the others wait.
 */
export async function migratePostgresDatabase(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await client`SELECT pg_advisory_lock(7242001)`;
    await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: migrationsFolder() });
    await client`SELECT pg_advisory_unlock(7242001)`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
