import { checkLdapBackend, type LdapBackendConfig } from '../backends/ldap/settings';
import { CUSTOMER_COMPANY_FIELD_RULES, type FieldDef } from '../field-map/field-def';
import { unionOfFields } from './field-union';
import type { ConfigIssue } from './issues';
import { expectColumns, expectLimit, expectStorage, mapFields, selectedUserFields } from './map-checks';
import {
  CUSTOMER_USER_BACKEND_KEYS,
  type CustomerCompanyBackendSettings,
  type CustomerUserBackendSettings,
  type DbUserBackendSettings,
  type ParsedConfig,
} from './schema';

/** A customer-user table (in the server's database or another PostgreSQL). */
export interface DbUserBackendConfig extends Omit<DbUserBackendSettings, 'Map' | 'Selections'> {
  /** The config key this backend came from: `CustomerUser`, `CustomerUser1` … `CustomerUser10`. */
  readonly id: string;
  readonly fields: readonly FieldDef[];
}

/** One configured customer-user backend; `Module` tells which kind. */
export type CustomerUserBackendConfig = DbUserBackendConfig | LdapBackendConfig;

/** A table in the server's own database (not another PostgreSQL's, not a directory). */
export function isLocalTable(backend: CustomerUserBackendConfig): backend is DbUserBackendConfig {
  return backend.Module === 'DB' && backend.Params.DSN === undefined;
}

export interface CustomerCompanyBackendConfig extends Omit<CustomerCompanyBackendSettings, 'Map'> {
  readonly id: string;
  readonly fields: readonly FieldDef[];
}

type UserBackendKey = (typeof CUSTOMER_USER_BACKEND_KEYS)[number];

export interface AppConfig extends Omit<ParsedConfig, UserBackendKey | 'CustomerCompany'> {
  /** The primary customer-user backend (first of customerUserBackends). */
  readonly CustomerUser: CustomerUserBackendConfig;
  /** Every configured customer-user backend in lookup order: CustomerUser, CustomerUser1 … CustomerUser10. */
  readonly customerUserBackends: readonly CustomerUserBackendConfig[];
  /** The union of the backends' Maps: what the GraphQL CustomerUser type is generated from. */
  readonly customerUserFields: readonly FieldDef[];
  readonly CustomerCompany: CustomerCompanyBackendConfig;
}

/**
 * Checks what a schema cannot: Map rows, and that the column lists and key settings name
 * columns of the Map. Returns the finished config or the issues, with full key paths.
 */
export function checkSemantics(parsed: ParsedConfig): { config?: AppConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const users = CUSTOMER_USER_BACKEND_KEYS.flatMap((key) => {
    const settings = parsed[key as keyof ParsedConfig] as CustomerUserBackendSettings | undefined;
    if (!settings) return [];
    const { maxSearchLimit } = parsed.limits;
    return [settings.Module === 'LDAP' ? checkLdapBackend(key, settings, maxSearchLimit, issues) : checkUserBackend(key, settings, maxSearchLimit, issues)];
  });
  const company = checkCompanyBackend('CustomerCompany', parsed.CustomerCompany, parsed.limits.maxSearchLimit, issues);
  if (issues.length > 0) return { issues };
  const union = unionOfFields(users);
  if (union.issues.length > 0) return { issues: union.issues };
  const rest = Object.fromEntries(Object.entries(parsed).filter(([key]) => !(CUSTOMER_USER_BACKEND_KEYS as readonly string[]).includes(key)));
  const config = { ...(rest as Omit<ParsedConfig, UserBackendKey>), CustomerUser: users[0]!, customerUserBackends: users, customerUserFields: union.fields, CustomerCompany: company };
  return { config, issues };
}

function checkUserBackend(
  id: string,
  settings: DbUserBackendSettings,
  maxSearchLimit: number,
  issues: ConfigIssue[],
): DbUserBackendConfig {
  const { Map: rawMap, Selections: selections, ...rest } = settings;
  const fields = selectedUserFields(id, rawMap, selections, issues);
  const storageOf = (attribute: string) => fields.find((f) => f.attribute === attribute)?.storage;
  expectStorage(issues, [id, 'CustomerKey'], settings.CustomerKey, storageOf('UserLogin'), 'UserLogin');
  expectStorage(issues, [id, 'CustomerID'], settings.CustomerID, storageOf('UserCustomerID'), 'UserCustomerID');
  if (settings.CustomerValid !== null) {
    expectStorage(issues, [id, 'CustomerValid'], settings.CustomerValid, storageOf('ValidID'), 'ValidID', false);
  }
  const readable = fields.filter((f) => f.role !== 'password');
  const columnLists = [
    ['CustomerUserListFields', 'any'],
    ['CustomerUserSearchFields', 'text'],
    ['CustomerUserPostMasterSearchFields', 'text'],
    ['CustomerUserNameFields', 'any'],
  ] as const;
  for (const [key, kind] of columnLists) expectColumns(issues, [id, key], settings[key], readable, kind);
  expectLimit(issues, [id, 'CustomerUserSearchListLimit'], settings.CustomerUserSearchListLimit, maxSearchLimit);
  return { ...rest, id, fields };
}

function checkCompanyBackend(
  id: string,
  settings: CustomerCompanyBackendSettings,
  maxSearchLimit: number,
  issues: ConfigIssue[],
): CustomerCompanyBackendConfig {
  const { Map: rawMap, ...rest } = settings;
  const fields = mapFields(id, rawMap, CUSTOMER_COMPANY_FIELD_RULES, issues);
  const storageOf = (attribute: string) => fields.find((f) => f.attribute === attribute)?.storage;
  expectStorage(issues, [id, 'CustomerCompanyKey'], settings.CustomerCompanyKey, storageOf('CustomerID'), 'CustomerID');
  if (settings.CustomerCompanyValid !== null) {
    expectStorage(issues, [id, 'CustomerCompanyValid'], settings.CustomerCompanyValid, storageOf('ValidID'), 'ValidID', false);
  }
  expectColumns(issues, [id, 'CustomerCompanyListFields'], settings.CustomerCompanyListFields, fields, 'any');
  expectColumns(issues, [id, 'CustomerCompanySearchFields'], settings.CustomerCompanySearchFields, fields, 'text');
  expectLimit(issues, [id, 'CustomerCompanySearchListLimit'], settings.CustomerCompanySearchListLimit, maxSearchLimit);
  return { ...rest, id, fields };
}
