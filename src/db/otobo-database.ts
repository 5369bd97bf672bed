import { sql } from 'drizzle-orm';
import { resultRows, type Db } from './client';
import { StartupError } from '../lifecycle/startup-error';
import { GROUP_TABLE_NAMES } from './group-table';

/** OTOBO's tables this server reads and writes (the group table's name differs by version). */
const OTOBO_TABLES = [
  'valid', 'users', 'customer_user', 'customer_company', 'customer_user_customer', 'customer_preferences',
  'group_customer_user', 'group_customer', 'service', 'service_customer_user',
];

/**
 * Whether the database already holds OTOBO's (or Znuny's) tables, created by OTOBO rather than by
 * our migrations: its customer_user exists before we recorded any migration. Such a database must
 * have every table we use; a partial one is refused, naming what is missing.
 */
export async function otoboDatabaseFound(db: Db): Promise<boolean> {
  const present = new Set(
    resultRows<{ name: string }>(
      await db.execute(sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
          AND c.relname IN (${sql.join([...OTOBO_TABLES, ...GROUP_TABLE_NAMES].map((t) => sql`${t}`), sql`, `)})`),
    ).map((r) => r.name),
  );
  if (!present.has('customer_user')) return false;
  const missing = OTOBO_TABLES.filter((t) => !present.has(t));
  if (!GROUP_TABLE_NAMES.some((t) => present.has(t))) missing.push(GROUP_TABLE_NAMES.join(' or '));
  if (missing.length > 0) {
    throw new StartupError(
      `the database has OTOBO's customer_user table but lacks ${missing.join(', ')}: point DATABASE_URL at a complete OTOBO/Znuny database or an empty one`,
    );
  }
  return true;
}
