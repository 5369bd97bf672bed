import type { ImplementableObjectRef, ObjectRef } from '@pothos/core';
import type { CustomerCompanyBackendConfig } from '../../config/semantics';
import { normaliseIdentifier } from '../../records/identifier';
import type { StoredRecord } from '../../records/types';
import type { Builder, Types } from '../builder';
import { inputToAttributes, mapInputFields, mapOutputFields } from '../map-fields';
import type { CommonTypes } from './common';
import { actorOf, userListFilters } from './customer-user';
import { expectedVersionArg, recordMetaFields } from './record-meta';
import { registerRecordList, searchPage, type RecordList, type SearchSettings } from './record-list';
import { registerSearchInputs, searchArgs, type SearchInputs } from './search-args';

export interface CustomerTypeDeps {
  readonly common: CommonTypes;
  readonly config: CustomerCompanyBackendConfig;
  readonly maxSearchLimit: number;
  readonly Customer: ImplementableObjectRef<Types, StoredRecord>;
  /** The customer-user search, for Customer.users. */
  readonly users: {
    readonly list: ObjectRef<Types, RecordList>;
    readonly searchInputs: SearchInputs;
    readonly searchSettings: SearchSettings;
  };
}

/** Customer (OTOBO's customer company), its inputs and search, generated from the CustomerCompany Map. */
export function registerCustomer(builder: Builder, deps: CustomerTypeDeps): void {
  const { common, config, Customer, users } = deps;
  const fields = config.fields;

  Customer.implement({
    description: "A customer (OTOBO's customer company). The data fields are generated from the CustomerCompany Map.",
    fields: (t) => ({
      ...mapOutputFields(t, fields, common),
      users: t.field({
        type: users.list,
        description: 'Customer users whose primary customer this is.',
        args: searchArgs(t.arg, users.searchInputs, { email: true, defaultLimit: users.searchSettings.defaultLimit }),
        resolve: (customer, args, ctx, info) => {
          const own = { attribute: 'UserCustomerID', kind: 'in' as const, values: [String(customer.values.CustomerID)] };
          const extraFilters = [own, ...userListFilters(args.filter)];
          return searchPage((q) => ctx.services.customerUsers.search(q, ctx.backendErrors.report), args, { ...users.searchSettings, extraFilters }, ctx, info);
        },
      }),
      ...recordMetaFields(t, common, 'Customer', 'CustomerID'),
    }),
  });

  const list = registerRecordList(builder, 'CustomerList', Customer);
  const searchInputs = registerSearchInputs(builder, 'Customer', fields, common);
  const searchSettings = { fields, defaultLimit: config.CustomerCompanySearchListLimit, maxLimit: deps.maxSearchLimit };
  const createInput = builder.inputType('CustomerCreateInput', {
    fields: (t) => mapInputFields(t, fields, 'create', common),
  });
  const updateInput = builder.inputType('CustomerUpdateInput', {
    description: 'A patch: omitted fields stay unchanged, null clears a field. A new customerId renames the customer.',
    fields: (t) => mapInputFields(t, fields, 'update', common),
  });

  builder.queryFields((t) => ({
    customer: t.field({
      type: Customer,
      nullable: true,
      description: 'A customer by CustomerID (case-insensitive), valid or not.',
      args: { customerId: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx) => ctx.loaders.customer.load(normaliseIdentifier(args.customerId)),
    }),
    customers: t.field({
      type: list,
      description: 'Search customers. Without includeInvalid only valid customers are returned.',
      args: searchArgs(t.arg, searchInputs, { email: false, defaultLimit: searchSettings.defaultLimit }),
      resolve: (_root, args, ctx, info) => searchPage((q) => ctx.services.customers.search(q), args, searchSettings, ctx, info),
    }),
  }));

  builder.mutationFields((t) => ({
    createCustomer: t.field({
      type: Customer,
      description: 'Create a customer. CustomerID and name are unique, case-insensitively.',
      args: { input: t.arg({ type: createInput, required: true }) },
      resolve: (_root, args, ctx) => ctx.services.customers.create(inputToAttributes(fields, args.input), actorOf(ctx.session)),
    }),
    updateCustomer: t.field({
      type: Customer,
      description: "Change a customer (a patch). A CustomerID rename moves all of its users' primary CustomerID and its relations.",
      args: { customerId: t.arg.string({ required: true }), input: t.arg({ type: updateInput, required: true }), expectedVersion: expectedVersionArg(t.arg) },
      resolve: (_root, args, ctx) =>
        ctx.services.customers.update(args.customerId, inputToAttributes(fields, args.input), actorOf(ctx.session), {
          expectedVersion: args.expectedVersion ?? undefined,
        }),
    }),
  }));
}
