import { sql, type SQL } from 'drizzle-orm';
import { executeCancellable } from '../../db/cancellable';
import { resultRows, type Database, type Db } from '../../db/client';
import { compile, run, slot, type CompiledStatement } from '../../db/prepared';
import type { FieldDef } from '../../field-map/field-def';
import type { EntityType } from '../../changes/change-feed';
import { auditRowInsert, type Actor, type FieldChange } from '../../changes/change-writer';
import type { AttributeFilter, FieldValue, RecordPage, RecordQuery, StoredRecord } from '../../records/types';
import {
  allOf,
  anyOf,
  ciEquals,
  ciEqualTo,
  ciAny,
  ciIn,
  ciKey,
  column,
  freeTextCondition,
  patternCondition,
  LEADING_LETTERS,
  leadingPatterns,
  trigramSelective,
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
  /** Whether every free-text search column has its trigram index (else searches scan). */
  readonly trigramIndexed: boolean;
  /** Whether every free-text search column has its leading-letters and case-insensitive indexes (prefix searches walk them). */
  readonly leadingIndexed: boolean;
}


type Row = Record<string, unknown>;

/** The statements reading records by key: for one key, and for a batch of them. */
interface KeyLookups {
  readonly one: CompiledStatement;
  readonly many: CompiledStatement;
}

/**
 * How a key-ordered page of a narrowing search is found (see search()): the default walks first,
 * then collects. The choice exists for tests, which check that all give the same rows.
 */
export type SearchStrategy = 'walk-first' | 'collect' | 'walk';

/** Rows in key order a search looks at before it collects its matches instead (see search()). */
const WALK_ROWS = 1000;

/** Index scans one leading-letters walk may merge (columns × OR groups); beyond, the table is walked. */
const MAX_LEADING_BRANCHES = 16;

/** Distinct attribute sets whose one-statement patch is kept prepared on every connection. */
const MAX_PREPARED_PATCHES = 64;

/** Distinct listing shapes (filters, order, page window) kept prepared on every connection. */
const MAX_PREPARED_LISTINGS = 128;

/** GraphQL names are [_A-Za-z][_0-9A-Za-z]*, so they are safe as SQL literals; checked all the same. */
function graphqlNameLiteral(name: string): string {
  if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(name)) throw new Error(`not a GraphQL name: ${name}`);
  return name;
}

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
  private readonly allColumns: SQL;
  private readonly byKeys: KeyLookups;
  private readonly byKeysForUpdate: KeyLookups;
  private readonly auditedPatches = new Map<string, CompiledStatement>();
  private readonly joins = new Map<string, CompiledStatement>();
  private readonly listings = new Map<string, CompiledStatement>();

  private readonly db: Db;

  constructor(
    private readonly database: Database,
    private readonly options: DbRecordStoreOptions,
  ) {
    this.db = database.db;
    this.readable = options.fields.filter((f) => f.role !== 'password');
    this.hasAuditColumns = AUDIT_COLUMNS.every((c) => options.columns.has(c));
    this.keyColumn = this.storageOf(options.keyAttribute);
    this.allColumns = this.projection();
    // One text for every batch size: the keys travel as one array, lower-cased by PostgreSQL itself
    // (as the case-insensitive index is), and the index is searched for all of them at once. A
    // single key (the common lookup) has a plain equality of its own, which costs PostgreSQL less.
    const byKeys = (condition: SQL, lock: SQL) => compile(this.db, sql`SELECT ${this.allColumns} FROM ${column(options.table)} WHERE ${condition}${lock}`);
    const lookups = (lock: SQL): KeyLookups => ({
      one: byKeys(keysCondition(column(this.keyColumn), true), lock),
      many: byKeys(keysCondition(column(this.keyColumn), false), lock),
    });
    this.byKeys = lookups(sql``);
    this.byKeysForUpdate = lookups(sql` FOR UPDATE`);
  }

  get source(): string {
    return this.options.source;
  }

  storageOf(attribute: string): string {
    const field = this.options.fields.find((f) => f.attribute === attribute);
    if (!field) throw new Error(`${this.options.source}: no Map row for ${attribute}`);
    return field.storage;
  }

  /**
   * Records whose key equals one of `keys`, case-insensitively (in no particular order); with
   * `forUpdate` (inside a transaction) their rows stay locked until it ends.
   */
  async getByKeys(keys: readonly string[], executor: Db = this.db, options: { readonly forUpdate?: boolean } = {}): Promise<StoredRecord[]> {
    if (keys.length === 0) return [];
    const lookups = options.forUpdate ? this.byKeysForUpdate : this.byKeys;
    const rows = await run(executor, keys.length === 1 ? lookups.one : lookups.many, keysValue(keys));
    return rows.map((row) => this.toRecord(row));
  }

  /** One attribute's stored value of the record with `key` (the password hash, which records never carry). */
  async storedValue(key: string, attribute: string, executor: Db = this.db): Promise<string | null> {
    const rows = await this.select(
      executor,
      sql`SELECT ${column(this.storageOf(attribute))} AS value FROM ${column(this.options.table)} WHERE ${ciEquals(this.keyColumn, key)} LIMIT 1`,
    );
    return rows[0]?.value == null ? null : String(rows[0].value);
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

  /**
   * One statement per page, exact rows in a defined order whatever the plan.
   * - Without a condition beyond validity, the page walks the sort index and stops early; so it
   *   does with only equality filters (`in`: a customer's users), which their btree indexes narrow
   *   and the planner estimates well.
   * - Otherwise, the matches are collected first (MATERIALIZED, so through the trigram and
   *   case-insensitive indexes), carrying only their key and sort columns; the page is cut from
   *   them and only its rows are read in full. Left to itself the planner tends to walk the sort
   *   index filtering row by row instead: slow for rare terms, where the indexes answer at once.
   * - Collecting costs per match, though: a common term (a frequent name at a million users)
   *   costs hundreds of milliseconds, where the first few thousand rows in key order already hold
   *   a page of its matches. So a key-ordered free-text page without a total first walks the key index for
   *   at most WALK_ROWS rows; only when they hold too few matches for the page (rare terms, or
   *   matches clustered later in key order) are the matches collected — in the same statement.
   * The exact total, when asked for, is counted beside the page (a window over the page would sort
   * every match) and joined to it, so an empty page still carries it. One row more than asked
   * tells whether more exist.
   */
  async search(query: RecordQuery, options: { readonly strategy?: SearchStrategy } = {}): Promise<RecordPage> {
    const listing = this.listingShape(query);
    if (listing) return this.page(query, await this.runListing(listing));
    const selective = this.selectiveConditions(query);
    const validity = this.validityCondition(query);
    const where = allOf(validity ? [validity, ...selective] : selective);
    const table = column(this.options.table);
    const order = this.orderBy(query);
    const window = sql`ORDER BY ${order} LIMIT ${query.limit + 1} OFFSET ${query.offset}`;
    const collected = selective.length > 0 && !(query.text === undefined && query.email === undefined && query.filters.every((f) => f.kind === 'in'));
    // Only free text risks a broad match; filters and email lookups are narrowed by btree indexes.
    const walkFirst =
      query.text !== undefined && query.filters.length === 0 && query.email === undefined &&
      collected && !query.withTotal && query.orderBy.length === 0 && options.strategy !== 'collect';

    const collectedKeys = sql`SELECT ${column(this.keyColumn)} AS "__key" FROM "matches" ${window}`;
    const pageKeys = walkFirst
      ? sql`(SELECT "__key" FROM "walk" WHERE (SELECT "complete" FROM "walked") ORDER BY "__walk1", "__walk2" LIMIT ${query.limit + 1} OFFSET ${query.offset})
            UNION ALL (${collectedKeys})`
      : collectedKeys;
    // The join goes through the case-insensitive key index: given a plain `key = …`, the planner
    // may pick the key's trigram index instead, at milliseconds per row.
    const pageRows = collected
      ? sql`SELECT ${this.columnsRead(query)} FROM ${table} JOIN (${pageKeys}) AS "page" ON ${ciKey(this.keyColumn)} = lower("page"."__key") ORDER BY ${order}`
      : sql`SELECT ${this.columnsRead(query)} FROM ${table} WHERE ${where} ${window}`;
    const total = collected ? sql`SELECT count(*) AS "__total" FROM "matches"` : sql`SELECT count(*) AS "__total" FROM ${table} WHERE ${where}`;
    const body = pageWithTotal(pageRows, query.withTotal ? total : null, order);
    // Collected only if read: after a complete walk, the one-time filter below skips the read.
    const incomplete = walkFirst ? sql` AND NOT (SELECT "complete" FROM "walked")` : sql``;
    const matches = sql`"matches" AS MATERIALIZED (SELECT ${this.sortColumns(query)} FROM ${table} WHERE ${where}${incomplete})`;
    const walk = walkFirst ? sql`${this.walkCtes(query, where, options.strategy)}, ` : sql``;
    const statement = collected ? sql`WITH ${walk}${matches} ${body}` : body;

    const executor = this.indexedSearch(query) ? this.database.search : this.db;
    return this.page(query, resultRows<Row>(await executeCancellable(executor, statement, query.signal)));
  }

  /** A statement's rows (one more than the page, or a total-only row for an empty one) as a page. */
  private page(query: RecordQuery, rows: Row[]): RecordPage {
    const found = rows.filter((row) => row[this.keyColumn] !== null); // the total-only row of an empty page
    const fields = this.fieldsRead(query);
    return {
      records: found.slice(0, query.limit).map((row) => this.toRecord(row, '', fields)),
      totalCount: query.withTotal ? Number(rows[0]?.__total ?? 0) : null,
      hasMore: found.length > query.limit,
    };
  }

  /**
   * A listing narrowed by nothing but validity and equality filters on text attributes (a
   * customer's users, a plain page): the statement search() would build, with the filter values
   * as array parameters, so one text serves every value and is prepared — no SQL built per request,
   * one write instead of two, no parse. Its generic plan is safe: the filters' btree indexes or the
   * sort index answer whatever the values. The page window stays literal (a LIMIT parameter would
   * let the generic plan sort the whole table), so each window is a shape of its own. Null for
   * every other search.
   */
  private listingShape(query: RecordQuery): { key: string; query: RecordQuery; values: Record<string, unknown> } | null {
    if (query.text !== undefined || query.email !== undefined) return null;
    if (!Number.isSafeInteger(query.limit) || !Number.isSafeInteger(query.offset)) return null;
    const values: Record<string, unknown> = {};
    const parts: string[] = [];
    for (const [i, filter] of query.filters.entries()) {
      const field = this.readable.find((f) => f.attribute === filter.attribute);
      if (filter.kind !== 'in' || field?.type !== 'var') return null;
      const single = filter.values.length === 1;
      values[`f${i}`] = single ? String(filter.values[0]) : filter.values.map(String);
      parts.push(`${filter.attribute}${single ? '=' : '∈'}`);
    }
    const validIds = this.options.validityColumn ? query.validIds : null;
    const validity = !validIds ? '-' : validIds.length === 1 ? 'v=' : 'v∈';
    if (validIds) values.validIds = validIds.length === 1 ? validIds[0] : validIds;
    const order = query.orderBy.map((term) => `${term.attribute}${term.descending ? ' desc' : ''}`).join(',');
    const read = query.attributes?.join(',') ?? '*';
    const key = [parts.join(','), validity, order, query.withTotal, query.limit, query.offset, read].join('|');
    return { key, query, values };
  }

  private async runListing(listing: { key: string; query: RecordQuery; values: Record<string, unknown> }): Promise<Row[]> {
    const known = this.listings.get(listing.key);
    const statement = known ?? this.compileListing(listing.query);
    if (!known && this.listings.size < MAX_PREPARED_LISTINGS) this.listings.set(listing.key, statement);
    // Not cancellable (no query.signal): an index lookup bounded by its page, over within
    // milliseconds, for which reserving a connection (what a safe cancel needs) cost ~15 % of a
    // 50-user page's server CPU. The statement timeout still bounds it.
    return run(this.db, statement, listing.values, { prepare: this.listings.has(listing.key) });
  }

  /** The listing's statement; a filter (or validity) of one value is a plain equality, cheaper than an array's (see ciAny). */
  private compileListing(query: RecordQuery): CompiledStatement {
    const conditions = query.filters.map((filter, i) => {
      const field = this.readable.find((f) => f.attribute === filter.attribute)!;
      const exactCase = this.options.textSearch.caseSensitive && (field.role === 'key' || field.role === 'customerId');
      const target = column(field.storage);
      const value = slot(`f${i}`);
      if (filter.kind === 'in' && filter.values.length === 1) return exactCase ? sql`${target} = ${value}::text` : ciEqualTo(target, value);
      return exactCase ? sql`${target} = ANY(${value}::text[])` : ciAny(target, value);
    });
    const validIds = this.options.validityColumn ? query.validIds : null;
    if (validIds) {
      const validity = column(this.options.validityColumn!);
      conditions.unshift(validIds.length === 1 ? sql`${validity} = ${slot('validIds')}::integer` : sql`${validity} = ANY(${slot('validIds')}::integer[])`);
    }
    const where = allOf(conditions);
    const table = column(this.options.table);
    const order = this.orderBy(query);
    const pageRows = sql`SELECT ${this.columnsRead(query)} FROM ${table} WHERE ${where} ORDER BY ${order} LIMIT ${sql.raw(String(query.limit + 1))} OFFSET ${sql.raw(String(query.offset))}`;
    const total = sql`SELECT count(*) AS "__total" FROM ${table} WHERE ${where}`;
    return compile(this.db, pageWithTotal(pageRows, query.withTotal ? total : null, order));
  }

  /**
   * "walk": the first matches (as many as the page needs) in key order among the rows looked at;
   * "walked": whether the walk is complete, i.e. they are the page's (every earlier row was looked at).
   * A prefix search with leading-letters indexes looks at the rows starting with its letters
   * (leadingWalkCtes), anything else at the first WALK_ROWS rows of the table; strategy 'walk'
   * walks the whole table (for tests).
   */
  private walkCtes(query: RecordQuery, where: SQL, strategy: SearchStrategy | undefined): SQL {
    const needed = query.offset + query.limit + 1;
    const leading = this.options.leadingIndexed && strategy !== 'walk' ? leadingPatterns(query.text!, this.options.textSearch) : null;
    if (leading && leading.length * this.options.textSearch.columns.length <= MAX_LEADING_BRANCHES) return this.leadingWalkCtes(leading, where, needed);
    const key = column(this.keyColumn);
    const unbounded = strategy === 'walk';
    const rows = unbounded ? sql`` : sql` LIMIT ${WALK_ROWS}`;
    return sql`"walk" AS MATERIALIZED (
        SELECT ${key} AS "__key", "__walk1", "__walk2" FROM (
          SELECT *, ${ciKey(this.keyColumn)} AS "__walk1", ${key} COLLATE "C" AS "__walk2"
          FROM ${column(this.options.table)} ORDER BY "__walk1", "__walk2"${rows}) AS "first_rows"
        WHERE ${where} ORDER BY "__walk1", "__walk2" LIMIT ${needed}),
      "walked" AS (SELECT count(*) >= ${needed}${unbounded ? sql` OR TRUE` : sql``} AS "complete" FROM "walk")`;
  }

  /**
   * The walk of a prefix search. Its candidates are the first WALK_ROWS rows, in key order, whose
   * search columns start with the term's leading letters: one leading-letters index scan per
   * column and OR group, merged, each reading its row once and telling whether it matches
   * (`__hit`; a row found by two scans is counted once, `__repeat`). Every match is among those
   * rows, so the matches among the candidates come first in key order: the walk is complete when
   * they fill the page, or when the candidates ran out before WALK_ROWS (no row numbered
   * WALK_ROWS, the marker kept for that). Only a rare term whose letters are common
   * (`Lindenthaler*`: "lin") leaves it incomplete; its few matches are then collected as prefix
   * ranges of the case-insensitive indexes (sql-conditions matches()). The plan streams, so a common term reads about a page of rows: each scan is
   * cut at WALK_ROWS (else the planner sorts whole partitions), and duplicates are told by lag()
   * over the ordered stream (a DISTINCT is hashed).
   */
  private leadingWalkCtes(patterns: readonly string[], where: SQL, needed: number): SQL {
    const table = column(this.options.table);
    const key = column(this.keyColumn);
    // The letter count is literal: the index is on exactly this expression.
    const letters = sql.raw(String(LEADING_LETTERS));
    const scans = patterns.flatMap((pattern) =>
      this.options.textSearch.columns.map(
        (name) =>
          sql`(SELECT ${ciKey(this.keyColumn)} AS "__walk1", ${key} COLLATE "C" AS "__walk2", ${key} AS "__key", (${where}) AS "__hit" FROM ${table}
            WHERE left(lower(${column(name)}), ${letters}) = left(lower(${pattern}::text), ${letters}) ORDER BY 1 LIMIT ${WALK_ROWS})`,
      ),
    );
    const found = sql`"__hit" AND "__repeat" IS NOT TRUE`;
    return sql`"walk_rows" AS MATERIALIZED (
        SELECT * FROM (
          SELECT *, row_number() OVER "w" AS "__n", ("__walk1" = lag("__walk1") OVER "w" AND "__walk2" = lag("__walk2") OVER "w") AS "__repeat"
          FROM (SELECT * FROM (${sql.join(scans, sql` UNION ALL `)}) AS "scans" ORDER BY "__walk1", "__walk2" LIMIT ${WALK_ROWS}) AS "candidates"
          WINDOW "w" AS (ORDER BY "__walk1", "__walk2")) AS "numbered"
        WHERE (${found}) OR "__n" = ${WALK_ROWS} ORDER BY "__walk1", "__walk2" LIMIT ${needed + 1}),
      "walk" AS (SELECT "__key", "__walk1", "__walk2" FROM "walk_rows" WHERE ${found}),
      "walked" AS (SELECT count(*) FILTER (WHERE ${found}) >= ${needed} OR NOT coalesce(bool_or("__n" = ${WALK_ROWS}), false) AS "complete" FROM "walk_rows")`;
  }

  /** The key and the columns the order needs: all a collected match carries. */
  private sortColumns(query: RecordQuery): SQL {
    const names = new Set([this.keyColumn, ...query.orderBy.map((term) => this.storageOf(term.attribute))]);
    return sql.join([...names].map(column), sql`, `);
  }

  /**
   * Searches an index can narrow (an email lookup, free text with trigram-sized literals over
   * trigram-indexed columns) run where sequential scans are disabled; everything else (`*`,
   * two-letter terms, plain listings, tables without the indexes) keeps the planner's own choice,
   * as a disabled scan would only push it onto a slower, serial full-index scan.
   */
  private indexedSearch(query: RecordQuery): boolean {
    if (query.email !== undefined) return true;
    return this.options.trigramIndexed && query.text !== undefined && trigramSelective(query.text, this.options.textSearch);
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

  /**
   * Sets the given attributes of the record with `key` and writes its audit row in one statement:
   * atomic without a transaction, so one round trip. The row is locked, its old values are
   * compared in SQL as diffValues compares them, and the audit row is written only when something
   * changed. Null when no record has that key. Only for attributes that need no check against
   * other records (not the key, emails or references).
   */
  async patchAudited(
    key: string,
    values: Readonly<Record<string, FieldValue>>,
    audit: { readonly entityType: EntityType; readonly actor: Actor },
  ): Promise<{ record: StoredRecord; changes: Record<string, FieldChange> } | null> {
    const attributes = Object.keys(values);
    const statement = this.auditedPatches.get(attributes.join(',')) ?? this.compileAuditedPatch(attributes, audit.entityType);
    const slots: Record<string, unknown> = { key, agent: audit.actor.agentId, actor: audit.actor.label };
    attributes.forEach((attribute, i) => (slots[`v${i}`] = values[attribute] ?? null));
    const rows = await run(this.db, statement, slots, { prepare: this.auditedPatches.has(attributes.join(',')) });
    if (rows.length === 0) return null;
    const changes: Record<string, FieldChange> = {};
    for (const change of JSON.parse(String(rows[0]!.__changes)) as { field: string; old: FieldValue; new: FieldValue }[]) {
      changes[change.field] = { old: change.old, new: change.new };
    }
    return { record: this.toRecord(rows[0]!), changes };
  }

  /** Kept (and prepared) for the first few attribute sets; clients tend to send the same few. */
  private compileAuditedPatch(attributes: readonly string[], entityType: EntityType): CompiledStatement {
    const table = column(this.options.table);
    const fields = attributes.map((attribute) => this.readable.find((f) => f.attribute === attribute)!);
    const target = sql`${ciKey(this.keyColumn)} = lower(${slot('key')})`;
    const values = fields.map((f, i) => sql`${slot(`v${i}`)}::${sql.raw(f.type === 'int' ? 'integer' : 'text')}`);
    // Old values read as toRecord reads them ('' is null), so they compare as diffValues compares.
    const old = fields.map((f, i) => (f.type === 'int' ? sql`"before".${sql.identifier(`__old${i}`)}::integer` : sql`nullif("before".${sql.identifier(`__old${i}`)}, '')`));
    const sets = fields.map((f, i) => sql`${column(f.storage)} = ${values[i]}`);
    if (this.hasAuditColumns) {
      // A patch that changes nothing leaves change_time/change_by (and so the version) as they were,
      // as the locked path does by not writing at all.
      const changed = sql.join(fields.map((_, i) => sql`${old[i]} IS DISTINCT FROM ${values[i]}`), sql` OR `);
      const touched = (name: string, value: SQL) => sql`${column(name)} = CASE WHEN ${changed} THEN ${value} ELSE ${table}.${column(name)} END`;
      sets.push(touched('change_time', sql`current_timestamp`), touched('change_by', sql`${slot('agent')}::integer`));
    }
    const entries = fields.map(
      (f, i) =>
        sql`CASE WHEN ${old[i]} IS DISTINCT FROM ${values[i]} THEN jsonb_build_object('field', ${sql.raw(`'${graphqlNameLiteral(f.graphqlName)}'`)}, 'old', ${old[i]}, 'new', ${values[i]}) END`,
    );
    const statement = compile(
      this.db,
      sql`WITH "before" AS (
          SELECT ${sql.join(fields.map((f, i) => sql`${column(f.storage)} AS ${sql.identifier(`__old${i}`)}`), sql`, `)}
          FROM ${table} WHERE ${target} FOR UPDATE),
        "updated" AS (UPDATE ${table} SET ${sql.join(sets, sql`, `)} FROM "before" WHERE ${target} RETURNING ${this.allColumns}),
        "diff" AS (SELECT array_remove(ARRAY[${sql.join(entries, sql`, `)}]::jsonb[], NULL) AS "changes" FROM "before"),
        "audit" AS (${auditRowInsert({
          entityType,
          key: sql`"updated".${column(this.keyColumn)}`,
          changes: sql`to_jsonb("diff"."changes")`,
          actor: slot('actor'),
          agentId: slot('agent'),
          from: sql`"updated", "diff"`,
          condition: sql`cardinality("diff"."changes") > 0`,
        })})
      SELECT "updated".*, to_jsonb("diff"."changes")::text AS "__changes" FROM "updated", "diff"`,
    );
    if (this.auditedPatches.size < MAX_PREPARED_PATCHES) this.auditedPatches.set(attributes.join(','), statement);
    return statement;
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

  /**
   * The readable columns (and, rendered in SQL so both drivers return the same ISO-8601 text, the
   * audit columns), optionally of a table alias and under prefixed names (for joins; see toRecord).
   */
  projection(alias?: string, prefix = ''): SQL {
    const of = (name: string) => (alias ? sql`${sql.identifier(alias)}.${sql.identifier(name)}` : column(name));
    const as = (name: string) => sql.identifier(prefix + name);
    const items = [...new Set(this.readable.map((f) => f.storage))].map((name) => (prefix ? sql`${of(name)} AS ${as(name)}` : of(name)));
    if (this.hasAuditColumns) {
      const iso = (name: string) => sql`to_char(${of(name)}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
      items.push(
        sql`${iso('create_time')} AS ${as('__create_time')}`,
        sql`${of('create_by')} AS ${as('__create_by')}`,
        sql`${iso('change_time')} AS ${as('__change_time')}`,
        sql`${of('change_by')} AS ${as('__change_by')}`,
      );
    }
    return sql.join(items, sql`, `);
  }

  private validityCondition(query: RecordQuery): SQL | null {
    const { validityColumn } = this.options;
    return query.validIds && validityColumn ? valueIn(validityColumn, query.validIds) : null;
  }

  /** The conditions that narrow the set beyond validity (free text, email, filters). */
  private selectiveConditions(query: RecordQuery): SQL[] {
    const conditions: SQL[] = [];
    const text = query.text && freeTextCondition(query.text, this.options.textSearch, this.options.leadingIndexed);
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

  /**
   * As OTOBO's CustomerSearchDetail, filters compare case-insensitively — except, with
   * SearchCaseSensitive, those on the key and the CustomerID, which OTOBO's CustomerSearch
   * (UserLogin, CustomerID) then compares exactly.
   */
  private filterCondition(filter: AttributeFilter): SQL | null {
    const field = this.readable.find((f) => f.attribute === filter.attribute);
    if (!field) throw new Error(`${this.options.source}: cannot filter on ${filter.attribute}`);
    const exactCase = this.options.textSearch.caseSensitive && (field.role === 'key' || field.role === 'customerId');
    if (filter.kind === 'pattern') return patternCondition(field.storage, filter.value, exactCase);
    if (filter.values.length === 0 && filter.kind === 'notIn') return null;
    const inList =
      field.type === 'var' && !(exactCase && filter.kind === 'in')
        ? ciIn(field.storage, filter.values.map(String))
        : valueIn(field.storage, filter.values);
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

  private async select(executor: Db, statement: SQL): Promise<Row[]> {
    return resultRows<Row>(await executor.execute(statement));
  }

  /**
   * The Map rows a search reads (see RecordQuery.attributes): those asked for, the key and the
   * order's; all readable rows when nothing was asked for.
   */
  private fieldsRead(query: RecordQuery): readonly FieldDef[] {
    const { attributes } = query;
    if (!attributes) return this.readable;
    const wanted = new Set([...attributes, this.options.keyAttribute, ...query.orderBy.map((term) => term.attribute)]);
    return this.readable.filter((field) => wanted.has(field.attribute));
  }

  /** The projection of fieldsRead; the audit columns only with the whole record. */
  private columnsRead(query: RecordQuery): SQL {
    if (!query.attributes) return this.allColumns;
    return sql.join([...new Set(this.fieldsRead(query).map((f) => f.storage))].map(column), sql`, `);
  }

  /**
   * A row of `projection(alias, prefix)` as a record, or of a narrower projection with the rows
   * it read (`fields`): the record then holds only their attributes.
   */
  toRecord(row: Row, prefix = '', fields: readonly FieldDef[] = this.readable): StoredRecord {
    const values: Record<string, FieldValue> = {};
    for (const field of fields) values[field.attribute] = normalise(row[prefix + field.storage], field.type);
    const at = (name: string) => row[prefix + name];
    return {
      source: this.options.source,
      values,
      createTime: (at('__create_time') as string | undefined) ?? null,
      createBy: at('__create_by') == null ? null : Number(at('__create_by')),
      changeTime: (at('__change_time') as string | undefined) ?? null,
      changeBy: at('__change_by') == null ? null : Number(at('__change_by')),
    };
  }

  /**
   * Records by key (as getByKeys) with, in the same statement, the record of `related` whose key
   * equals their `attribute` (a user's primary customer): one round trip where two would follow
   * each other. The related record is null when none matches.
   */
  async getByKeysWithRelated(
    keys: readonly string[],
    related: DbRecordStore,
    attribute: string,
  ): Promise<{ record: StoredRecord; related: StoredRecord | null }[]> {
    if (keys.length === 0) return [];
    const single = keys.length === 1;
    const join = `${related.source}:${attribute}:${single ? 'one' : 'many'}`;
    const statement = this.joins.get(join) ?? this.compileJoin(related, attribute, single);
    this.joins.set(join, statement);
    const rows = await run(this.db, statement, keysValue(keys));
    return rows.map((row) => ({ record: this.toRecord(row), related: row['__j.__key'] == null ? null : related.toRecord(row, '__j.') }));
  }

  private compileJoin(related: DbRecordStore, attribute: string, single: boolean): CompiledStatement {
    return compile(
      this.db,
      sql`SELECT ${this.projection('r')}, ${related.projection('j', '__j.')}, ${related.keyReference('j')} AS "__j.__key"
        FROM ${column(this.options.table)} AS "r"
        LEFT JOIN ${column(related.options.table)} AS "j" ON ${related.keyReference('j', true)} = lower("r".${column(this.storageOf(attribute))})
        WHERE ${keysCondition(sql`"r".${column(this.keyColumn)}`, single)}`,
    );
  }

  /** The key column of an aliased table, case-insensitively (`lower(…) COLLATE "C"`) when asked. */
  private keyReference(alias: string, caseInsensitive = false): SQL {
    const key = sql`${sql.identifier(alias)}.${column(this.keyColumn)}`;
    return caseInsensitive ? sql`lower(${key}) COLLATE "C"` : key;
  }
}

/**
 * A page's rows in order and, when a total is asked for, the total beside them (joined, so an
 * empty page still carries it as a row of nulls).
 */
/**
 * The key condition of a lookup: for one key a plain equality, for a batch the array form (an
 * InitPlan per execution, see ciAny). Either way the slot is `keys`, filled by keysValue.
 */
function keysCondition(key: SQL, single: boolean): SQL {
  return single ? ciEqualTo(key, slot('keys')) : ciAny(key, slot('keys'));
}

const keysValue = (keys: readonly string[]) => ({ keys: keys.length === 1 ? keys[0] : keys });

function pageWithTotal(pageRows: SQL, total: SQL | null, order: SQL): SQL {
  return total
    ? sql`SELECT "rows".*, "total"."__total" FROM (${total}) AS "total" LEFT JOIN (${pageRows}) AS "rows" ON TRUE ORDER BY ${order}`
    : pageRows;
}

/** OTOBO writes '' for unset text columns; the API reports those as null. */
function normalise(value: unknown, type: FieldDef['type']): FieldValue {
  if (value === null || value === undefined) return null;
  if (type === 'int') return Number(value);
  const text = String(value);
  return text === '' ? null : text;
}
