import { ConfigError } from '../../config/issues';
import type { AppConfig, CustomerCompanyBackendConfig, CustomerUserBackendConfig } from '../../config/semantics';
import type { Database } from '../../db/client';
import type { FieldDef } from '../../field-map/field-def';
import { DbRecordStore } from './record-store';
import { missingSearchIndexes, type SearchIndexNeeds } from './search-indexes';
import { checkMapColumns, readTableColumns, type TableColumns } from './table-columns';

export interface OpenedStore {
  readonly store: DbRecordStore;
  readonly columns: TableColumns;
}

/**
 * Reads the configured tables' columns and refuses to start when a Map row has no column
 * (naming the row and the command that adds it) — before any request can fail on it.
 */
export async function openStores(config: AppConfig, database: Database): Promise<{ users: OpenedStore; customers: OpenedStore }> {
  const user = config.CustomerUser;
  const company = config.CustomerCompany;
  const userColumns = await readTableColumns(database.db, user.Params.Table);
  const companyColumns = await readTableColumns(database.db, company.Params.Table);
  const issues = [
    ...checkMapColumns(user.id, user.Params.Table, user.fields, indexIn(user.fields), userColumns),
    ...checkMapColumns(company.id, company.Params.Table, company.fields, indexIn(company.fields), companyColumns),
  ];
  if (issues.length > 0) throw new ConfigError(issues);
  const [userNeeds, companyNeeds] = searchIndexNeeds(config);
  const search = async (needs: SearchIndexNeeds) => ({
    trigramIndexed: (await missingSearchIndexes(database.db, { ...needs, caseInsensitiveColumns: [] })).length === 0,
  });
  return {
    users: { store: customerUserStore(user, database, userColumns, await search(userNeeds!)), columns: userColumns },
    customers: { store: customerStore(company, database, companyColumns, await search(companyNeeds!)), columns: companyColumns },
  };
}

/** The Map was fully parsed, so field i is Map row i. */
const indexIn = (fields: readonly FieldDef[]) => (attribute: string) => fields.findIndex((f) => f.attribute === attribute);

/** How a store searches: decided by the indexes present at startup and the config. */
interface SearchTuning {
  readonly trigramIndexed: boolean;
}

function customerUserStore(config: CustomerUserBackendConfig, database: Database, columns: TableColumns, tuning: SearchTuning): DbRecordStore {
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

/** The indexes the configured searches and lookups of each backend table need. */
export function searchIndexNeeds(config: AppConfig): SearchIndexNeeds[] {
  const user = config.CustomerUser;
  const company = config.CustomerCompany;
  return [
    {
      table: user.Params.Table,
      trigramColumns: user.CustomerUserSearchFields,
      caseInsensitiveColumns: [...new Set([user.CustomerKey, user.CustomerID, ...user.CustomerUserPostMasterSearchFields])],
    },
    { table: company.Params.Table, trigramColumns: company.CustomerCompanySearchFields, caseInsensitiveColumns: [company.CustomerCompanyKey] },
  ];
}
