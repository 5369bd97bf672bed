import { sql } from 'drizzle-orm';
import { pgTable } from 'drizzle-orm/pg-core';
import { resultRows, type Db } from './client';
import { groupColumns, groupsTable } from './schema';

/**
 * The group table by release: `groups_table` in OTOBO 10 and 11 (and in databases this server
 * created), `permission_groups` in Znuny 6.1 and later (6.5, 7), `groups` in OTRS 6 and Znuny 6.0.
 * Columns are the same in all of them.
 */
export const GROUP_TABLE_NAMES = ['groups_table', 'permission_groups', 'groups'] as const;

export type GroupTable = typeof groupsTable;

/** The first of the known names that exists in the current schema. */
export async function detectGroupTable(db: Db): Promise<GroupTable> {
  const rows = resultRows<{ name: string }>(
    await db.execute(sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
        AND c.relname IN (${sql.join(GROUP_TABLE_NAMES.map((t) => sql`${t}`), sql`, `)})`),
  );
  const name = GROUP_TABLE_NAMES.find((t) => rows.some((r) => r.name === t)) ?? 'groups_table';
  // Same columns under another name: the typed query builder works on it unchanged.
  return name === 'groups_table' ? groupsTable : (pgTable(name, groupColumns()) as unknown as GroupTable);
}
