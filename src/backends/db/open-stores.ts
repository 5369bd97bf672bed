import { ConfigError } from '../../config/issues';
import { isLocalTable, type AppConfig, type CustomerCompanyBackendConfig, type DbUserBackendConfig } from '../../config/semantics';
import type { Database } from '../../db/client';
import type { FieldDef } from '../../field-map/field-def';
import { DbCustomerUserBackend } from './db-backend';
import { externalDsn, openExternalDatabase, redactedDsn } from './external-database';
import { DbRecordStore } from './record-store';
import { missingIndexes, type SearchIndexNeeds } from './search-indexes';
import { checkMapColumns, readTableColumns, type TableColumns } from './table-columns';

export interface OpenedStore {
  readonly store: DbRecordStore;
  readonly columns: TableColumns;
}

/**
 * Reads a table's columns and refuses to start when a Map row has no column (naming the row and
 * the command that adds it) — before any request can fail on it.
 */
async function openTable(
  id: string,
  table: string,
  fields: readonly FieldDef[],
  database: Database,
): Promise<TableColumns> {
  const columns = await readTableColumns(database.db, table);
  const issues = checkMapColumns(id, table, fields, indexIn(fields), columns);
  if (issues.length > 0) throw new ConfigError(issues);
  return columns;
}

/** The customer (company) table, always in the server's database. */
export async function openCustomerStore(config: AppConfig, database: Database): Promise<OpenedStore> {
  const company = config.CustomerCompany;
  const columns = await openTable(company.id, company.Params.Table, company.fields, database);
  return { store: customerStore(company, database, columns, await tuning(database, companyIndexNeeds(company))), columns };
}

/**
 * A DB customer-user backend: its table in the server's database, or in the PostgreSQL its
 * Params.DSN names (reached at startup, or the start is refused naming the key).
 */
export async function openDbCustomerUserBackend(config: DbUserBackendConfig, serverDatabase: Database): Promise<DbCustomerUserBackend> {
  const own = config.Params.DSN === undefined ? null : await openExternalDatabase(config);
  const database = own ?? serverDatabase;
  try {
    const columns = await openTable(config.id, config.Params.Table, config.fields, database).catch((error: unknown) => {
      if (error instanceof ConfigError || !own) throw error;
      // drizzle's own message quotes the query; the driver's (its cause) says what went wrong.
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      const reason = cause instanceof Error ? cause.message : String(cause);
      const at = redactedDsn(externalDsn(config.Params));
      throw new ConfigError([{ path: [config.id, 'Params', 'DSN'], message: `cannot read table "${config.Params.Table}" at ${at}: ${reason}` }]);
    });
    const store = customerUserStore(config, database, columns, await tuning(database, userIndexNeeds(config)));
    return new DbCustomerUserBackend(config, store, columns, own);
  } catch (error) {
    await own?.close();
    throw error;
  }
}

/** The Map was fully parsed, so field i is Map row i. */
const indexIn = (fields: readonly FieldDef[]) => (attribute: string) => fields.findIndex((f) => f.attribute === attribute);

/** How a store searches: decided by the indexes present at startup and the config. */
interface SearchTuning {
  readonly trigramIndexed: boolean;
  readonly leadingIndexed: boolean;
}

async function tuning(database: Database, needs: SearchIndexNeeds): Promise<SearchTuning> {
  const missing = await missingIndexes(database.db, needs);
  return {
    trigramIndexed: !missing.some((index) => index.kind === 'trigram'),
    // The walk needs the leading-letters indexes, its fallback the case-insensitive ones (see sql-conditions matches()).
    leadingIndexed:
      needs.leading !== undefined &&
      !missing.some((index) => index.kind === 'leading' || (index.kind === 'caseInsensitive' && needs.leading!.columns.includes(index.column))),
  };
}

function customerUserStore(config: DbUserBackendConfig, database: Database, columns: TableColumns, tuning: SearchTuning): DbRecordStore {
  return new DbRecordStore(database, {
    ...tuning,
    source: config.id,
    table: config.Params.Table,
    fields: config.fields,
    columns,
    keyAttribute: 'UserLogin',
    validityColumn: config.CustomerValid,
    textSearch: {
      columns: config.CustomerUserSearchFields,
      prefix: config.CustomerUserSearchPrefix,
      suffix: config.CustomerUserSearchSuffix,
      caseSensitive: config.Params.SearchCaseSensitive,
    },
    emailColumns: config.CustomerUserPostMasterSearchFields,
  });
}

function customerStore(config: CustomerCompanyBackendConfig, database: Database, columns: TableColumns, tuning: SearchTuning): DbRecordStore {
  return new DbRecordStore(database, {
    ...tuning,
    source: config.id,
    table: config.Params.Table,
    fields: config.fields,
    columns,
    keyAttribute: 'CustomerID',
    validityColumn: config.CustomerCompanyValid,
    textSearch: {
      columns: config.CustomerCompanySearchFields,
      prefix: config.CustomerCompanySearchPrefix,
      suffix: config.CustomerCompanySearchSuffix,
      caseSensitive: config.Params.SearchCaseSensitive,
    },
    emailColumns: [],
  });
}

function userIndexNeeds(user: DbUserBackendConfig): SearchIndexNeeds {
  const leading = leadingNeeds(user.CustomerUserSearchFields, user.CustomerUserSearchPrefix, user.Params.SearchCaseSensitive, user.CustomerKey);
  const lookups = [user.CustomerKey, user.CustomerID, ...user.CustomerUserPostMasterSearchFields];
  return {
    table: user.Params.Table,
    trigramColumns: user.CustomerUserSearchFields,
    caseInsensitiveColumns: [...new Set([...lookups, ...(leading?.columns ?? [])])],
    leading,
  };
}

function companyIndexNeeds(company: CustomerCompanyBackendConfig): SearchIndexNeeds {
  const { CustomerCompanySearchFields: columns, CustomerCompanyKey: key } = company;
  const leading = leadingNeeds(columns, company.CustomerCompanySearchPrefix, company.Params.SearchCaseSensitive, key);
  return {
    table: company.Params.Table,
    trigramColumns: columns,
    caseInsensitiveColumns: [...new Set([key, ...(leading?.columns ?? [])])],
    leading,
  };
}

/**
 * Only prefix searches (no leading wildcard) that ignore case can walk leading-letters indexes; their
 * fallback compares prefixes as ranges of each search column's case-insensitive index.
 */
function leadingNeeds(columns: readonly string[], prefix: string, caseSensitive: boolean, key: string): SearchIndexNeeds['leading'] {
  return prefix === '' && !caseSensitive ? { columns, key } : undefined;
}

/** The indexes the searches and lookups of each table in the server's database need (external tables are their owners' business). */
export function searchIndexNeeds(config: AppConfig): SearchIndexNeeds[] {
  const local = config.customerUserBackends.filter(isLocalTable);
  return [...local.map(userIndexNeeds), companyIndexNeeds(config.CustomerCompany)];
}
