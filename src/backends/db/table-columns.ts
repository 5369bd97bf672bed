import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { resultRows } from '../../db/client';
import type { ConfigIssue } from '../../config/issues';
import type { FieldDef } from '../../field-map/field-def';

/** What the database says about one column; lengths let us refuse over-long values ourselves. */
export interface ColumnInfo {
  readonly name: string;
  readonly dataType: string;
  readonly maxLength: number | null;
  /** NOT NULL and no default: every insert must give it a value. */
  readonly mustBeGiven: boolean;
}

export type TableColumns = ReadonlyMap<string, ColumnInfo>;

const TEXT_TYPES = new Set(['character varying', 'character', 'text']);
const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint']);

/** Columns of a table in the current schema; empty when the table does not exist. */
export async function readTableColumns(db: Db, table: string): Promise<TableColumns> {
  const rows = resultRows<{
    column_name: string;
    data_type: string;
    character_maximum_length: number | null;
    is_nullable: string;
    column_default: string | null;
  }>(
    await db.execute(sql`
      SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
      FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ${table}`),
  );
  return new Map(
    rows.map((r) => [
      r.column_name,
      {
        name: r.column_name,
        dataType: r.data_type,
        maxLength: r.character_maximum_length === null ? null : Number(r.character_maximum_length),
        mustBeGiven: r.is_nullable === 'NO' && r.column_default === null,
      },
    ]),
  );
}

/**
 * Every Map row must have its column, of a matching type. Issues point at the row's storage
 * position (`CustomerUser.Map[16][2]`) so the message reads like any other config error.
 */
export function checkMapColumns(
  backendId: string,
  table: string,
  fields: readonly FieldDef[],
  rawMapIndex: (attribute: string) => number,
  columns: TableColumns,
): ConfigIssue[] {
  if (columns.size === 0) {
    return [{ path: [backendId, 'Params', 'Table'], message: `table "${table}" does not exist in the database` }];
  }
  const issues: ConfigIssue[] = [];
  for (const field of fields) {
    const path = [backendId, 'Map', rawMapIndex(field.attribute), 2];
    const column = columns.get(field.storage);
    if (!column) {
      issues.push({
        path,
        message: `column "${field.storage}" does not exist in table "${table}"; run \`npm run db:add-map-columns\` to add it`,
      });
    } else if (field.type === 'var' && !TEXT_TYPES.has(column.dataType)) {
      issues.push({ path, message: `column "${field.storage}" is ${column.dataType}, but the row's type "var" needs a text column` });
    } else if (field.type === 'int' && !INTEGER_TYPES.has(column.dataType)) {
      issues.push({ path, message: `column "${field.storage}" is ${column.dataType}, but the row's type "int" needs an integer column` });
    } else if (column.mustBeGiven && !field.required && field.role !== 'password') {
      issues.push({
        path: [backendId, 'Map', rawMapIndex(field.attribute), 4],
        message: `column "${field.storage}" is NOT NULL without a default, so the row must be required (1)`,
      });
    }
  }
  const written = new Set([...fields.map((f) => f.storage), ...AUDIT_COLUMNS]);
  for (const column of columns.values()) {
    if (column.mustBeGiven && !written.has(column.name)) {
      issues.push({
        path: [backendId, 'Params', 'Table'],
        message: `column "${column.name}" of table "${table}" is NOT NULL without a default, but no Map row writes it`,
      });
    }
  }
  return issues;
}

/** OTOBO's bookkeeping columns, written by the store itself when a table has them. */
export const AUDIT_COLUMNS = ['create_time', 'create_by', 'change_time', 'change_by'] as const;

/** Length used for new `var` columns; OTOBO's documentation adds `room` as VARCHAR(250). */
export const NEW_VAR_COLUMN_LENGTH = 250;

/** Creates the Map columns the table lacks (idempotent); returns the names it added. */
export async function addMissingMapColumns(db: Db, table: string, fields: readonly FieldDef[]): Promise<string[]> {
  const existing = await readTableColumns(db, table);
  if (existing.size === 0) throw new Error(`table "${table}" does not exist; create it first (only columns are added)`);
  const added: string[] = [];
  for (const field of fields) {
    if (existing.has(field.storage) || added.includes(field.storage)) continue;
    const type = field.type === 'int' ? sql`integer` : sql.raw(`varchar(${NEW_VAR_COLUMN_LENGTH})`);
    await db.execute(sql`ALTER TABLE ${sql.identifier(table)} ADD COLUMN IF NOT EXISTS ${sql.identifier(field.storage)} ${type}`);
    added.push(field.storage);
  }
  return added;
}
