import { sql } from 'drizzle-orm';
import { resultRows, type Db } from '../../db/client';
import { LEADING_LETTERS } from './sql-conditions';

/**
 * The indexes searches need: a pg_trgm GIN index per free-text search column (serves ILIKE with
 * leading wildcards) and a `lower(col) COLLATE "C"` btree per email-lookup column (serves the exact,
 * case-insensitive comparison); where searches are prefix searches (no leading wildcard,
 * case-insensitive), a leading-letters btree and a case-insensitive btree per search column (see
 * LEADING_LETTERS). On a database the server created, the migrations create them for OTOBO's
 * default columns; over an existing OTOBO database `npm run db:indexes` does; columns an
 * administrator adds to the search lists get theirs from `npm run db:add-map-columns`.
 */
export interface SearchIndexNeeds {
  readonly table: string;
  readonly trigramColumns: readonly string[];
  readonly caseInsensitiveColumns: readonly string[];
  /** Prefix searches (`term*` without a leading wildcard): a leading-letters index per column, in key order. */
  readonly leading?: { readonly columns: readonly string[]; readonly key: string };
}

/** An index a table lacks, with the clause that creates it (after `ON table`). */
export interface MissingIndex {
  readonly table: string;
  readonly name: string;
  readonly kind: 'trigram' | 'caseInsensitive' | 'leading';
  readonly column: string;
  readonly definition: string;
}

interface IndexNeed extends Omit<MissingIndex, 'table'> {
  readonly present: (indexDefinition: string) => boolean;
}

function indexNeeds({ table, trigramColumns, caseInsensitiveColumns, leading }: SearchIndexNeeds): IndexNeed[] {
  const quoted = (column: string) => `"${column}"`;
  const mentions = (column: string) => new RegExp(`\\(\\s*"?${column}"?\\s+gin_trgm_ops\\s*\\)`);
  const lowered = (column: string) => `lower\\(\\(?"?${column}"?(\\)::text)?\\)`;
  const mentionsLower = (column: string) => new RegExp(`${lowered(column)}\\s*COLLATE "C"`);
  // As PostgreSQL prints it: "left"(lower((first_name)::text), 3), lower((login)::text) COLLATE "C"
  const leadingColumns = (column: string, key: string) =>
    new RegExp(` USING btree \\("left"\\(${lowered(column)}, ${LEADING_LETTERS}\\), ${lowered(key)} COLLATE "C"[,)]`);
  return [
    ...trigramColumns.map((column) => ({
      name: indexName(table, column, 'trgm'),
      kind: 'trigram' as const,
      column,
      definition: `USING gin (${quoted(column)} gin_trgm_ops)`,
      present: (def: string) => / USING gin /.test(def) && mentions(column).test(def),
    })),
    ...caseInsensitiveColumns.map((column) => ({
      name: indexName(table, column, 'ci'),
      kind: 'caseInsensitive' as const,
      column,
      definition: `USING btree (lower(${quoted(column)}) COLLATE "C")`,
      present: (def: string) => / USING btree /.test(def) && mentionsLower(column).test(def),
    })),
    ...(leading?.columns ?? []).map((column) => ({
      name: indexName(table, column, 'lead'),
      kind: 'leading' as const,
      column,
      definition: `USING btree (left(lower(${quoted(column)}), ${LEADING_LETTERS}), (lower(${quoted(leading!.key)}) COLLATE "C"))`,
      present: (def: string) => leadingColumns(column, leading!.key).test(def),
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

/** The search indexes the table lacks. */
export async function missingIndexes(db: Db, needs: SearchIndexNeeds): Promise<MissingIndex[]> {
  const definitions = await existingDefinitions(db, needs.table);
  return indexNeeds(needs)
    .filter((need) => !definitions.some(need.present))
    .map(({ present: _, ...index }) => ({ table: needs.table, ...index }));
}

/** Names of the search indexes the table lacks. */
export async function missingSearchIndexes(db: Db, needs: SearchIndexNeeds): Promise<string[]> {
  return (await missingIndexes(db, needs)).map((index) => index.name);
}

/**
 * The statement creating a missing index. CONCURRENTLY lets OTOBO keep writing the table meanwhile
 * (it cannot run inside a transaction block).
 */
export function createIndexStatement(index: MissingIndex, options: { concurrently: boolean }): string {
  const concurrently = options.concurrently ? 'CONCURRENTLY ' : '';
  return `CREATE INDEX ${concurrently}IF NOT EXISTS "${index.name}" ON "${index.table}" ${index.definition}`;
}

/** Creates the search indexes the table lacks; returns their names. */
export async function createMissingSearchIndexes(db: Db, needs: SearchIndexNeeds): Promise<string[]> {
  const missing = await missingIndexes(db, needs);
  for (const index of missing) await db.execute(sql.raw(createIndexStatement(index, { concurrently: false })));
  return missing.map((index) => index.name);
}
