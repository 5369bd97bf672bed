import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { AppConfig } from '../config/semantics';
import type { StoredRecord } from '../records/types';
import { createBuilder } from './builder';
import { registerApiTokens } from './types/api-token';
import { registerCommonTypes } from './types/common';
import { registerCustomer } from './types/customer';
import { registerCustomerRelations } from './types/customer-relations';
import { registerCustomerUser } from './types/customer-user';
import { registerGroups } from './types/groups';
import { registerPreferences } from './types/preferences';
import { registerServiceCatalog } from './types/service-catalog';

/**
 * Builds the GraphQL schema for a configuration. Needs no database: the Maps decide the fields,
 * resolvers reach the services through the request context.
 */
export function buildSchema(config: AppConfig): GraphQLSchema {
  const builder = createBuilder();
  builder.queryType({ authScopes: { agent: true } });
  builder.mutationType({ authScopes: { admin: true } });

  const common = registerCommonTypes(builder);
  const CustomerUser = builder.objectRef<StoredRecord>('CustomerUser');
  const Customer = builder.objectRef<StoredRecord>('Customer');
  const maxSearchLimit = config.limits.maxSearchLimit;

  const users = registerCustomerUser(builder, {
    common,
    backends: config.customerUserBackends,
    fields: config.customerUserFields,
    maxSearchLimit,
    CustomerUser,
    Customer,
  });
  registerCustomer(builder, { common, config: config.CustomerCompany, maxSearchLimit, Customer, users });
  const relationDeps = { common, CustomerUser, Customer };
  registerCustomerRelations(builder, relationDeps);
  registerGroups(builder, relationDeps);
  registerServiceCatalog(builder, relationDeps);
  registerPreferences(builder, relationDeps);
  registerApiTokens(builder);

  builder.queryFields((t) => ({
    customerUserFields: t.field({
      type: [common.MapField],
      description: 'The customer-user fields (the union of the backends\' Maps): what each generated field means (for building forms).',
      resolve: () =>
        config.customerUserFields.map((field) => ({
          field,
          searchable: config.customerUserBackends.some((b) =>
            b.fields.some((f) => f.attribute === field.attribute && b.CustomerUserSearchFields.includes(f.storage)),
          ),
        })),
    }),
    customerFields: t.field({
      type: [common.MapField],
      description: 'The CustomerCompany Map.',
      resolve: () => describeMap(config.CustomerCompany.fields, config.CustomerCompany.CustomerCompanySearchFields),
    }),
  }));

  return builder.toSchema();
}

function describeMap(fields: AppConfig['CustomerCompany']['fields'], searchColumns: readonly string[]) {
  return fields.map((field) => ({ field, searchable: searchColumns.includes(field.storage) }));
}

/** The SDL clients generate types from: sorted, so it only changes when the API does. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
