import { sql } from 'drizzle-orm';
import { resultRows, type Db } from '../../db/client';

/**
 * The indexes searches need: a pg_trgm GIN index per free-text search column (serves ILIKE with
 * leading wildcards) and a `lower(col) COLLATE "C"` btree per email-lookup column (serves the exact,
 * case-insensitive comparison). The migrations create them for OTOBO's default columns; columns an
 * administrator adds to the search lists get theirs from `npm run db:add-map-columns`.
 */
export interface SearchIndexNeeds {
  readonly table: string;
  readonly trigramColumns: readonly string[];
  readonly caseInsensitiveColumns: readonly string[];
}

interface IndexNeed {
  readonly name: string;
  readonly definition: string;
  readonly present: (indexDefinition: string) => boolean;
}

function indexNeeds({ table, trigramColumns, caseInsensitiveColumns }: SearchIndexNeeds): IndexNeed[] {
  const quoted = (column: string) => `"${column}"`;
  const mentions = (column: string) => new RegExp(`\\(\\s*"?${column}"?\\s+gin_trgm_ops\\s*\\)`);
  const mentionsLower = (column: string) => new RegExp(`lower\\(\\(?"?${column}"?(\\)::text)?\\)\\s*COLLATE "C"`);
  return [
    ...trigramColumns.map((column) => ({
      name: indexName(table, column, 'trgm'),
      definition: `USING gin (${quoted(column)} gin_trgm_ops)`,
      present: (def: string) => / USING gin /.test(def) && mentions(column).test(def),
    })),
    ...caseInsensitiveColumns.map((column) => ({
      name: indexName(table, column, 'ci'),
      definition: `USING btree (lower(${quoted(column)}) COLLATE "C")`,
      present: (def: string) => / USING btree /.test(def) && mentionsLower(column).test(def),
    })),
  ];
}

/** PostgreSQL truncates identifiers at 63 bytes; keep the suffix visible. */
function indexName(table: string, column: string, suffix: string): string {
  const name = `${table}_${column}`.slice(0, 63 - suffix.length - 1);
  return `${name}_${suffix}`;
}

async function existingDefinitions(db: Db, table: string): Promise<string[]> {
  const rows = resultRows<{ indexdef: string }>(
    await db.execute(sql`SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ${table}`),
  );
  return rows.map((r) => r.indexdef);
}

/** Names of the search indexes the table lacks. */
export async function missingSearchIndexes(db: Db, needs: SearchIndexNeeds): Promise<string[]> {
  const definitions = await existingDefinitions(db, needs.table);
  return indexNeeds(needs)
    .filter((need) => !definitions.some(need.present))
    .map((need) => need.name);
}

/** Creates the search indexes the table lacks; returns their names. */
export async function createMissingSearchIndexes(db: Db, needs: SearchIndexNeeds): Promise<string[]> {
  const definitions = await existingDefinitions(db, needs.table);
  const created: string[] = [];
  for (const need of indexNeeds(needs)) {
    if (definitions.some(need.present)) continue;
    await db.execute(
      sql`CREATE INDEX IF NOT EXISTS ${sql.identifier(need.name)} ON ${sql.identifier(needs.table)} ${sql.raw(need.definition)}`,
    );
    created.push(need.name);
  }
  return created;
}
