import { sql } from 'drizzle-orm';
import type { AppConfig } from '../../config/semantics';
import { resultRows, type Db } from '../../db/client';
import { databaseMessage } from '../../db/errors';
import type { Logger } from '../../logger';
import { searchIndexNeeds } from './open-stores';
import { createIndexStatement, missingIndexes, type MissingIndex, type SearchIndexNeeds } from './search-indexes';

/**
 * Every index the server wants for speed on OTOBO's tables, beyond those OTOBO itself creates: the
 * search indexes of the backend tables, and case-insensitive login/CustomerID indexes on the
 * relation tables (OTOBO's own indexes there are case-sensitive). On a database the server created
 * the migrations made them all; over an existing OTOBO database `npm run db:indexes` does.
 */
const RELATION_INDEX_NEEDS: SearchIndexNeeds[] = [
  { table: 'customer_user_customer', trigramColumns: [], caseInsensitiveColumns: ['user_id', 'customer_id'] },
  { table: 'customer_preferences', trigramColumns: [], caseInsensitiveColumns: ['user_id'] },
  { table: 'group_customer_user', trigramColumns: [], caseInsensitiveColumns: ['user_id'] },
  { table: 'group_customer', trigramColumns: [], caseInsensitiveColumns: ['customer_id'] },
  { table: 'service_customer_user', trigramColumns: [], caseInsensitiveColumns: ['customer_user_login'] },
];

export const INDEX_COMMAND = 'npm run db:indexes';

export async function missingSpeedIndexes(db: Db, config: AppConfig): Promise<MissingIndex[]> {
  const missing: MissingIndex[] = [];
  for (const needs of [...searchIndexNeeds(config), ...RELATION_INDEX_NEEDS]) missing.push(...(await missingIndexes(db, needs)));
  return missing;
}

/** What runs slowly while a table lacks these indexes, in words for the startup warning. */
function slowWithout(missing: readonly MissingIndex[]): string {
  const searched = missing.filter((i) => i.kind === 'trigram').map((i) => i.column);
  const looked = missing.filter((i) => i.kind === 'caseInsensitive').map((i) => i.column);
  const prefixed = missing.filter((i) => i.kind === 'leading').map((i) => i.column);
  const parts = [
    searched.length > 0 ? `free-text search on ${searched.join(', ')}` : null,
    looked.length > 0 ? `case-insensitive lookups by ${looked.join(', ')}` : null,
  ].filter((part) => part !== null);
  const scans = parts.length > 0 ? `${parts.join(' and ')} ${parts.length > 1 ? 'scan' : 'scans'} the whole table` : null;
  const collects = prefixed.length > 0 ? `a prefix search for a common term on ${prefixed.join(', ')} collects every match` : null;
  return [scans, collects].filter((part) => part !== null).join('; ');
}

/** Searches and lookups work without these indexes, only slowly at scale: a warning per table, not a refusal. */
export async function warnAboutMissingIndexes(config: AppConfig, db: Db, logger: Logger): Promise<void> {
  const missing = await missingSpeedIndexes(db, config);
  for (const table of new Set(missing.map((i) => i.table))) {
    const ofTable = missing.filter((i) => i.table === table);
    logger.warn(`${table}: without the indexes ${ofTable.map((i) => i.name).join(', ')}, ${slowWithout(ofTable)}; add them with \`${INDEX_COMMAND}\``);
  }
}

const CREATE_TRIGRAM = 'CREATE EXTENSION IF NOT EXISTS pg_trgm';

/** The statements that create what is missing, the pg_trgm extension first when trigram indexes need it. */
export async function indexPlan(db: Db, missing: readonly MissingIndex[]): Promise<string[]> {
  return [
    ...((await trigramNeeded(db, missing)) ? [CREATE_TRIGRAM] : []),
    ...missing.map((index) => createIndexStatement(index, { concurrently: true })),
  ];
}

async function trigramNeeded(db: Db, missing: readonly MissingIndex[]): Promise<boolean> {
  if (!missing.some((i) => i.kind === 'trigram')) return false;
  return resultRows(await db.execute(sql`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`)).length === 0;
}

/** What a failed CONCURRENTLY build leaves behind; an index of that name that works is kept. */
async function dropIfInvalid(db: Db, name: string): Promise<void> {
  const invalid = resultRows(
    await db.execute(sql`SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = ${name} AND n.nspname = current_schema() AND NOT i.indisvalid`),
  );
  if (invalid.length > 0) await db.execute(sql.raw(`DROP INDEX CONCURRENTLY IF EXISTS "${name}"`));
}

export interface IndexOutcome {
  readonly created: string[];
  /** One line each: what failed and why, with what to do. */
  readonly failures: string[];
}

/**
 * Creates the missing indexes one at a time, outside any transaction (CONCURRENTLY requires it), so
 * OTOBO keeps reading and writing its tables. A failed CONCURRENTLY build leaves an invalid index
 * behind: it is dropped again. Without the right to create pg_trgm the trigram indexes are skipped.
 */
export async function createSpeedIndexes(db: Db, missing: readonly MissingIndex[], log: (line: string) => void): Promise<IndexOutcome> {
  const created: string[] = [];
  const failures: string[] = [];
  let trigramUsable = true;
  if (await trigramNeeded(db, missing)) {
    try {
      await db.execute(sql.raw(CREATE_TRIGRAM));
      log('created extension pg_trgm');
    } catch (error) {
      trigramUsable = false;
      failures.push(
        `CREATE EXTENSION pg_trgm failed: ${databaseMessage(error)}. pg_trgm is a trusted extension: a user with CREATE on the database ` +
          `(e.g. its owner) or a superuser can run CREATE EXTENSION pg_trgm; then run ${INDEX_COMMAND} again. The trigram indexes were skipped`,
      );
    }
  }
  for (const index of missing) {
    if (index.kind === 'trigram' && !trigramUsable) continue;
    try {
      await db.execute(sql.raw(createIndexStatement(index, { concurrently: true })));
      created.push(index.name);
      log(`created index ${index.name} on ${index.table}`);
    } catch (error) {
      await dropIfInvalid(db, index.name);
      failures.push(`index ${index.name} on ${index.table} failed: ${databaseMessage(error)}`);
    }
  }
  return { created, failures };
}
