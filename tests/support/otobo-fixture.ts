import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from './test-database';

export const OTOBO_FIXTURE = join(__dirname, '..', 'fixtures', 'otobo-schema.sql');

/** A fresh database holding OTOBO's tables (tests/fixtures/otobo-schema.sql), as OTOBO created them. */
export async function createOtoboDatabase(options: { readonly groupTable?: string } = {}): Promise<TestDatabase> {
  const testDatabase = await createTestDatabase({ empty: true });
  try {
    await testDatabase.runScript(readFileSync(OTOBO_FIXTURE, 'utf8'));
    if (options.groupTable && options.groupTable !== 'groups_table') {
      await testDatabase.runScript(`ALTER TABLE groups_table RENAME TO ${options.groupTable}`);
    }
    return testDatabase;
  } catch (error) {
    await testDatabase.dispose();
    throw error;
  }
}

/**
 * The structure of everything in the public schema as the catalog describes it: relations, columns
 * (type, nullability, default), constraints and index definitions.
 */
export async function publicCatalog(testDatabase: TestDatabase): Promise<Record<string, unknown[]>> {
  const query = (sql: string) => testDatabase.rawQuery(sql);
  return {
    relations: await query(`SELECT c.relname, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' ORDER BY 1`),
    columns: await query(`SELECT table_name, column_name, data_type, character_maximum_length, datetime_precision, is_nullable, column_default
      FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`),
    constraints: await query(`SELECT conrelid::regclass::text AS relation, conname, pg_get_constraintdef(c.oid) AS definition
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' ORDER BY 1, 2`),
    indexes: await query(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`),
  };
}

/** Names of the schemas besides PostgreSQL's own. */
export async function userSchemas(testDatabase: TestDatabase): Promise<string[]> {
  const rows = await testDatabase.rawQuery<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1`,
  );
  return rows.map((r) => r.nspname);
}
