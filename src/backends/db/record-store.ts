import { sql, type SQL } from 'drizzle-orm';
import { resultRows, type Db } from '../../db/client';
import type { FieldDef } from '../../field-map/field-def';
import type { AttributeFilter, FieldValue, RecordPage, RecordQuery, StoredRecord } from '../../records/types';
import {
  allOf,
  anyOf,
  ciEquals,
  ciIn,
  ciKey,
  column,
  freeTextCondition,
  patternCondition,
  valueIn,
  type TextSearchColumns,
} from './sql-conditions';
import { AUDIT_COLUMNS, type TableColumns } from './table-columns';

export interface DbRecordStoreOptions {
  readonly source: string;
  readonly table: string;
  /** All Map rows, password included (it is written, never read back here). */
  readonly fields: readonly FieldDef[];
  readonly columns: TableColumns;
  readonly keyAttribute: string;
  /** Column holding the validity id, or null when the table has none (no validity filtering). */
  readonly validityColumn: string | null;
  readonly textSearch: TextSearchColumns;
  readonly emailColumns: readonly string[];
}


type Row = Record<string, unknown>;

/**
 * Reads, searches and writes the records of one table described by a Map. SQL is built with
 * drizzle's `sql` template from the runtime column list, so admin-added Map columns (e.g. `room`)
 * are handled exactly like OTOBO's own columns. Every method takes an optional executor so it can
 * run inside the caller's transaction.
 */
export class DbRecordStore {
  private readonly readable: readonly FieldDef[];
  private readonly hasAuditColumns: boolean;
  private readonly keyColumn: string;
  private readonly projection: SQL;

  constructor(
    private readonly db: Db,
    private readonly options: DbRecordStoreOptions,
  ) {
    this.readable = options.fields.filter((f) => f.role !== 'password');
    this.hasAuditColumns = AUDIT_COLUMNS.every((c) => options.columns.has(c));
    this.keyColumn = this.storageOf(options.keyAttribute);
    this.projection = this.buildProjection();
  }

  get source(): string {
    return this.options.source;
  }

  storageOf(attribute: string): string {
    const field = this.options.fields.find((f) => f.attribute === attribute);
    if (!field) throw new Error(`${this.options.source}: no Map row for ${attribute}`);
    return field.storage;
  }

  /** Records whose key equals one of `keys`, case-insensitively (in no particular order). */
  async getByKeys(keys: readonly string[], executor: Db = this.db): Promise<StoredRecord[]> {
    if (keys.length === 0) return [];
    const rows = await this.select(executor, sql`SELECT ${this.projection} FROM ${column(this.options.table)} WHERE ${ciIn(this.keyColumn, keys)}`);
    return rows.map((row) => this.toRecord(row));
  }

  /** Keys of records whose email columns equal `email`, always case-insensitively (uniqueness checks). */
  async keysByEmail(email: string, executor: Db = this.db): Promise<string[]> {
    return this.keysWhere(anyOf(this.options.emailColumns.map((c) => ciEquals(c, email))), executor);
  }

  /** Keys of records whose `attribute` equals `value`, case-insensitively. */
  async keysWithValue(attribute: string, value: string, executor: Db = this.db): Promise<string[]> {
    return this.keysWhere(ciEquals(this.storageOf(attribute), value), executor);
  }

  /** Whether the table holds any record at all. */
  async isEmpty(executor: Db = this.db): Promise<boolean> {
    const rows = await this.select(executor, sql`SELECT 1 AS one FROM ${column(this.options.table)} LIMIT 1`);
    return rows.length === 0;
  }

  /**
   * Sets `values` on every record whose `attribute` equals `match` (case-insensitively) and returns
   * their keys: how a CustomerID rename reaches all of its users at once.
   */
  async updateWhereEquals(
    attribute: string,
    match: string,
    values: Readonly<Record<string, FieldValue>>,
    agentId: number,
    executor: Db = this.db,
  ): Promise<string[]> {
    const rows = await this.select(
      executor,
      sql`UPDATE ${column(this.options.table)} SET ${this.setClause(values, agentId)} WHERE ${ciEquals(this.storageOf(attribute), match)} RETURNING ${column(this.keyColumn)} AS key`,
    );
    return rows.map((row) => String(row.key));
  }

  private async keysWhere(condition: SQL, executor: Db): Promise<string[]> {
    const rows = await this.select(executor, sql`SELECT ${column(this.keyColumn)} AS key FROM ${column(this.options.table)} WHERE ${condition}`);
    return rows.map((row) => String(row.key));
  }

  async search(query: RecordQuery, executor: Db = this.db): Promise<RecordPage> {
    const selective = this.selectiveConditions(query);
    const validity = this.validityCondition(query);
    const where = allOf(validity ? [validity, ...selective] : selective);
    const total = query.withTotal ? sql`, count(*) OVER () AS "__total"` : sql``;
    // Fetch one row more than asked to learn whether more exist without counting.
    const page = sql`ORDER BY ${this.orderBy(query)} LIMIT ${query.limit + 1} OFFSET ${query.offset}`;
    const table = column(this.options.table);
    // With a real condition, collect the matches first (through the trigram/ci indexes) and sort
    // them afterwards; otherwise the planner tends to walk the sort index and filter row by row.
    const statement =
      selective.length > 0
        ? sql`WITH "matches" AS MATERIALIZED (SELECT ${this.projection} FROM ${table} WHERE ${where}) SELECT *${total} FROM "matches" ${page}`
        : sql`SELECT ${this.projection}${total} FROM ${table} WHERE ${where} ${page}`;
    const rows = await this.select(executor, statement);
    const hasMore = rows.length > query.limit;
    const records = rows.slice(0, query.limit).map((row) => this.toRecord(row));
    let totalCount: number | null = null;
    if (query.withTotal) {
      totalCount = rows.length > 0 ? Number(rows[0]!.__total) : await this.count(where, executor);
    }
    return { records, totalCount, hasMore };
  }

  /** Inserts one record; `values` are keyed by attribute, missing attributes are stored as NULL. */
  async insert(values: Readonly<Record<string, FieldValue>>, agentId: number, executor: Db = this.db): Promise<void> {
    const assignments = this.assignments(values);
    const names = assignments.map(([name]) => column(name));
    const params = assignments.map(([, value]) => sql`${value}`);
    if (this.hasAuditColumns) {
      names.push(...AUDIT_COLUMNS.map(column));
      params.push(sql`current_timestamp`, sql`${agentId}`, sql`current_timestamp`, sql`${agentId}`);
    }
    await executor.execute(
      sql`INSERT INTO ${column(this.options.table)} (${sql.join(names, sql`, `)}) VALUES (${sql.join(params, sql`, `)})`,
    );
  }

  /** Updates the given attributes of the record with `key`; returns false when no record matched. */
  async update(key: string, values: Readonly<Record<string, FieldValue>>, agentId: number, executor: Db = this.db): Promise<boolean> {
    const rows = await this.select(
      executor,
      sql`UPDATE ${column(this.options.table)} SET ${this.setClause(values, agentId)} WHERE ${ciEquals(this.keyColumn, key)} RETURNING 1 AS ok`,
    );
    return rows.length > 0;
  }

  /** The given attributes plus, where the table has them, change_time/change_by. */
  private setClause(values: Readonly<Record<string, FieldValue>>, agentId: number): SQL {
    const sets = this.assignments(values, true).map(([name, value]) => sql`${column(name)} = ${value}`);
    if (this.hasAuditColumns) sets.push(sql`"change_time" = current_timestamp`, sql`"change_by" = ${agentId}`);
    // A table without audit columns and an empty patch: a no-op assignment keeps the statement valid.
    if (sets.length === 0) sets.push(sql`${column(this.keyColumn)} = ${column(this.keyColumn)}`);
    return sql.join(sets, sql`, `);
  }

  /**
   * Storage/value pairs, each column once (OTOBO writes a column shared by several rows once): the
   * first row sharing a column whose attribute was given decides; with `onlyGiven`, columns no
   * given attribute maps to are left out, otherwise they are written as NULL.
   */
  private assignments(values: Readonly<Record<string, FieldValue>>, onlyGiven = false): [string, FieldValue][] {
    const byColumn = new Map<string, FieldValue | undefined>();
    for (const field of this.options.fields) {
      const given = field.attribute in values ? (values[field.attribute] ?? null) : undefined;
      if (byColumn.get(field.storage) === undefined) byColumn.set(field.storage, given);
    }
    const pairs = [...byColumn].filter(([, value]) => !(onlyGiven && value === undefined));
    return pairs.map(([column, value]) => [column, value ?? null]);
  }

  private buildProjection(): SQL {
    const storages = [...new Set(this.readable.map((f) => f.storage))].map(column);
    if (this.hasAuditColumns) {
      // Rendered in SQL so both drivers return the same ISO-8601 text (columns are UTC, no zone).
      storages.push(
        sql`to_char("create_time", 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "__create_time"`,
        sql`"create_by" AS "__create_by"`,
        sql`to_char("change_time", 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "__change_time"`,
        sql`"change_by" AS "__change_by"`,
      );
    }
    return sql.join(storages, sql`, `);
  }

  private validityCondition(query: RecordQuery): SQL | null {
    const { validityColumn } = this.options;
    return query.validIds && validityColumn ? valueIn(validityColumn, query.validIds) : null;
  }

  /** The conditions that narrow the set beyond validity (free text, email, filters). */
  private selectiveConditions(query: RecordQuery): SQL[] {
    const conditions: SQL[] = [];
    const text = query.text && freeTextCondition(query.text, this.options.textSearch);
    if (text) conditions.push(text);
    if (query.email !== undefined) conditions.push(this.emailCondition(query.email));
    for (const filter of query.filters) {
      const condition = this.filterCondition(filter);
      if (condition) conditions.push(condition);
    }
    return conditions;
  }

  private emailCondition(email: string): SQL {
    const { caseSensitive } = this.options.textSearch;
    return anyOf(this.options.emailColumns.map((c) => (caseSensitive ? sql`${column(c)} = ${email}` : ciEquals(c, email))));
  }

  private filterCondition(filter: AttributeFilter): SQL | null {
    const field = this.readable.find((f) => f.attribute === filter.attribute);
    if (!field) throw new Error(`${this.options.source}: cannot filter on ${filter.attribute}`);
    if (filter.kind === 'pattern') return patternCondition(field.storage, filter.value);
    if (filter.values.length === 0 && filter.kind === 'notIn') return null;
    const inList =
      field.type === 'var' ? ciIn(field.storage, filter.values.map(String)) : valueIn(field.storage, filter.values);
    return filter.kind === 'in' ? inList : sql`(${column(field.storage)} IS NULL OR NOT ${inList})`;
  }

  private orderBy(query: RecordQuery): SQL {
    const terms = query.orderBy.map(({ attribute, descending }) => {
      const field = this.readable.find((f) => f.attribute === attribute);
      if (!field) throw new Error(`${this.options.source}: cannot order by ${attribute}`);
      const expression = field.type === 'var' ? ciKey(field.storage) : column(field.storage);
      // Empty values last in either direction.
      return sql`${expression} ${descending ? sql`DESC` : sql`ASC`} NULLS LAST`;
    });
    terms.push(sql`${ciKey(this.keyColumn)} ASC`, sql`${column(this.keyColumn)} COLLATE "C" ASC`);
    return sql.join(terms, sql`, `);
  }

  private async count(where: SQL, executor: Db): Promise<number> {
    const rows = await this.select(executor, sql`SELECT count(*) AS n FROM ${column(this.options.table)} WHERE ${where}`);
    return Number(rows[0]?.n ?? 0);
  }

  private async select(executor: Db, statement: SQL): Promise<Row[]> {
    return resultRows<Row>(await executor.execute(statement));
  }

  private toRecord(row: Row): StoredRecord {
    const values: Record<string, FieldValue> = {};
    for (const field of this.readable) values[field.attribute] = normalise(row[field.storage], field.type);
    return {
      source: this.options.source,
      values,
      createTime: (row.__create_time as string | undefined) ?? null,
      createBy: row.__create_by == null ? null : Number(row.__create_by),
      changeTime: (row.__change_time as string | undefined) ?? null,
      changeBy: row.__change_by == null ? null : Number(row.__change_by),
    };
  }
}

/** OTOBO writes '' for unset text columns; the API reports those as null. */
function normalise(value: unknown, type: FieldDef['type']): FieldValue {
  if (value === null || value === undefined) return null;
  if (type === 'int') return Number(value);
  const text = String(value);
  return text === '' ? null : text;
}
