import type { ConfigIssue } from '../config/issues';
import { deriveGraphqlName, isGraphqlName } from './graphql-name';
import { parseMapRow, type MapRow } from './map-row';
import type { SelectionOption } from './selections';

/**
 * What a Map row means to the rest of the server. Only backends know `storage`; everything above
 * them speaks `attribute` (OTOBO's key) and `graphqlName`.
 */
export interface FieldDef extends MapRow {
  readonly graphqlName: string;
  /** The special meaning OTOBO gives some attributes; `plain` for every other row. */
  readonly role: FieldRole;
  /** The allowed values when the attribute has `Selections`; absent for free input. */
  readonly options?: readonly SelectionOption[];
}

export type FieldRole = 'key' | 'email' | 'customerId' | 'password' | 'validity' | 'name' | 'plain';

/** Per entity: which attributes are special, which must exist, and which names are taken. */
export interface EntityFieldRules {
  readonly entityPrefix: string;
  readonly fixedNames: Readonly<Record<string, string>>;
  readonly roles: Readonly<Record<string, FieldRole>>;
  /** Rows that must exist and be marked required: no record can be written without them. */
  readonly requiredAttributes: readonly string[];
  /** Field names the GraphQL type defines itself (relations, timestamps, …). */
  readonly reservedNames: readonly string[];
  /** The GraphQL type the fields land on, for error messages. */
  readonly typeName: string;
}

export const CUSTOMER_USER_FIELD_RULES: EntityFieldRules = {
  entityPrefix: 'User',
  fixedNames: { UserFirstname: 'firstName', UserLastname: 'lastName', ValidID: 'validity' },
  roles: {
    UserLogin: 'key',
    UserEmail: 'email',
    UserCustomerID: 'customerId',
    UserPassword: 'password',
    ValidID: 'validity',
  },
  requiredAttributes: ['UserLogin', 'UserEmail', 'UserCustomerID'],
  reservedNames: [
    'customer', 'customers', 'fullName', 'mailString', 'source', 'history',
    'createdAt', 'createdBy', 'changedAt', 'changedBy',
    'groups', 'permissions', 'services', 'tickets', 'preferences',
  ],
  typeName: 'CustomerUser',
};

export const CUSTOMER_COMPANY_FIELD_RULES: EntityFieldRules = {
  entityPrefix: 'CustomerCompany',
  fixedNames: { CustomerCompanyName: 'name', ValidID: 'validity' },
  roles: { CustomerID: 'key', CustomerCompanyName: 'name', ValidID: 'validity' },
  requiredAttributes: ['CustomerID', 'CustomerCompanyName'],
  reservedNames: ['users', 'source', 'history', 'createdAt', 'createdBy', 'changedAt', 'changedBy', 'groups'],
  typeName: 'Customer',
};

/** The storage type each special role needs. */
const ROLE_TYPES: Partial<Record<FieldRole, MapRow['type']>> = {
  key: 'var',
  email: 'var',
  customerId: 'var',
  name: 'var',
  password: 'var',
  validity: 'int',
};

/**
 * Turns a raw Map (as configured) into field definitions, or into issues whose paths are
 * relative to the Map (`[16][5]`). Pure: the database checks (does the column exist?) come later.
 */
export function buildFieldDefs(rawMap: unknown, rules: EntityFieldRules): { fields: FieldDef[]; issues: ConfigIssue[] } {
  if (!Array.isArray(rawMap)) return { fields: [], issues: [{ path: [], message: 'Map must be an array of rows' }] };
  const issues: ConfigIssue[] = [];
  const fields: FieldDef[] = [];
  const byAttribute = new Map<string, number>();
  const byName = new Map<string, number>();

  const mentioned = new Set<string>();

  rawMap.forEach((raw, index) => {
    const named = Array.isArray(raw) ? raw[0] : (raw as { attribute?: unknown } | null)?.attribute;
    if (typeof named === 'string') mentioned.add(named);
    const { row, issues: rowIssues } = parseMapRow(raw);
    issues.push(...rowIssues.map((i) => ({ path: [index, ...i.path], message: i.message })));
    if (!row) return;

    const role = rules.roles[row.attribute] ?? 'plain';
    const graphqlName = row.graphqlName ?? deriveGraphqlName(row.attribute, rules.entityPrefix, rules.fixedNames);
    const expectedType = ROLE_TYPES[role];
    if (expectedType && row.type !== expectedType) {
      issues.push({ path: [index, 5], message: `type of ${row.attribute} must be "${expectedType}"` });
    }
    if (rules.requiredAttributes.includes(row.attribute) && !row.required) {
      issues.push({ path: [index, 4], message: `${row.attribute} must be required (1): no record can be stored without it` });
    }
    if (!isGraphqlName(graphqlName)) {
      issues.push({ path: [index, 0], message: `${row.attribute} gives no valid GraphQL field name ("${graphqlName}"); give the row an explicit graphqlName` });
      return;
    }
    const earlier = byAttribute.get(row.attribute);
    if (earlier !== undefined) {
      issues.push({ path: [index, 0], message: `attribute ${row.attribute} is already defined by row ${earlier}` });
      return;
    }
    const clash = byName.get(graphqlName);
    if (clash !== undefined) {
      issues.push({
        path: [index, 0],
        message: `GraphQL field name "${graphqlName}" of ${row.attribute} clashes with row ${clash}; give one of them an explicit graphqlName`,
      });
      return;
    }
    if (rules.reservedNames.includes(graphqlName)) {
      issues.push({
        path: [index, 0],
        message: `GraphQL field name "${graphqlName}" of ${row.attribute} clashes with the built-in field ${rules.typeName}.${graphqlName}; give the row an explicit graphqlName`,
      });
      return;
    }
    byAttribute.set(row.attribute, index);
    byName.set(graphqlName, index);
    fields.push({ ...row, graphqlName, role });
  });

  for (const attribute of rules.requiredAttributes) {
    // A row that names the attribute but failed to parse has been reported already.
    if (!mentioned.has(attribute)) {
      issues.push({ path: [], message: `a row for ${attribute} is required` });
    }
  }
  return { fields, issues };
}
