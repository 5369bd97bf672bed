import type { ImplementableObjectRef } from '@pothos/core';
import type { Session } from '../../auth/session';
import type { Actor } from '../../changes/change-writer';
import type { CustomerUserBackendConfig } from '../../config/semantics';
import { customerUserDisplay, type CustomerUserDisplay } from '../../customer-user/display';
import { normaliseIdentifier } from '../../records/identifier';
import type { FieldDef } from '../../field-map/field-def';
import type { AttributeFilter, StoredRecord } from '../../records/types';
import type { Builder, Types } from '../builder';
import { selectsField } from '../selection';
import { inputToAttributes, mapInputFields, mapOutputFields } from '../map-fields';
import type { CommonTypes } from './common';
import { expectedVersionArg, recordMetaFields } from './record-meta';
import { registerRecordList, searchPage } from './record-list';
import { registerSearchInputs, searchArgs } from './search-args';

export interface CustomerUserTypeDeps {
  readonly common: CommonTypes;
  /** The backends in lookup order; the first's settings (e.g. its search list limit) are the API's defaults. */
  readonly backends: readonly CustomerUserBackendConfig[];
  /** The union of their Maps. */
  readonly fields: readonly FieldDef[];
  readonly maxSearchLimit: number;
  readonly CustomerUser: ImplementableObjectRef<Types, StoredRecord>;
  readonly Customer: ImplementableObjectRef<Types, StoredRecord>;
}

export function actorOf(session: Session | null): Actor {
  // Mutations are guarded by the `admin` scope, so a session is always present here.
  return { label: session!.label, agentId: session!.agentId };
}

/** CustomerUser, its inputs and search, generated from the backends' Maps. */
export function registerCustomerUser(builder: Builder, deps: CustomerUserTypeDeps) {
  const { common, fields, CustomerUser, Customer } = deps;
  const config = deps.backends[0]!;
  // Each record is displayed and related by the settings of the backend it came from.
  const bySource = new Map(deps.backends.map((b) => [b.id, { config: b, display: customerUserDisplay(b) }]));
  const sourceOf = (r: StoredRecord): { config: CustomerUserBackendConfig; display: CustomerUserDisplay } => bySource.get(r.source)!;

  CustomerUser.implement({
    description:
      'A customer user. The data fields are generated at startup from the Maps of all customer-user backends (CustomerUser, CustomerUser1 …); `source` names the one holding the user.',
    fields: (t) => ({
      ...mapOutputFields(t, fields, common),
      fullName: t.string({
        description: 'The CustomerUserNameFields joined with CustomerUserNameFieldsJoin, empty parts skipped (e.g. "Mr. John Doe").',
        resolve: (r) => sourceOf(r).display.fullName(r.values),
      }),
      mailString: t.string({
        description: 'The CustomerUserListFields as OTOBO shows them, e.g. "John Doe" <john@acme.test>.',
        resolve: (r) => sourceOf(r).display.mailString(r.values),
      }),
      customer: t.field({
        type: Customer,
        nullable: true,
        description:
          'The primary customer (null when the CustomerID names no existing customer, and always with CustomerCompanySupport 0: the user then carries no company data).',
        resolve: (r, _args, ctx) => {
          const customerId = r.values.UserCustomerID;
          if (!sourceOf(r).config.CustomerCompanySupport || customerId === null || customerId === undefined) return null;
          return ctx.loaders.customer.load(String(customerId));
        },
      }),
      ...recordMetaFields(t, common, 'CustomerUser', 'UserLogin'),
    }),
  });

  const list = registerRecordList(builder, 'CustomerUserList', CustomerUser);
  const searchInputs = registerSearchInputs(builder, 'CustomerUser', fields, common, (t) => ({
    customerIds: t.stringList({ description: 'Primary CustomerID is one of these (case-insensitive).' }),
    excludeLogins: t.stringList({ description: 'Leave out these logins.' }),
  }));
  const searchSettings = {
    fields,
    defaultLimit: config.CustomerUserSearchListLimit,
    maxLimit: deps.maxSearchLimit,
    // Relation fields read the login (the key); `customer` reads the CustomerID.
    nodeFieldNeeds: { source: [], customer: ['UserCustomerID'], groupPermissions: [], services: [] },
  };

  const createInput = builder.inputType('CustomerUserCreateInput', {
    fields: (t) => mapInputFields(t, fields, 'create', common),
  });
  const updateInput = builder.inputType('CustomerUserUpdateInput', {
    description: 'A patch: omitted fields stay unchanged, null clears a field.',
    fields: (t) => mapInputFields(t, fields, 'update', common),
  });
  const createPayload = builder
    .objectRef<{ record: StoredRecord; generatedPassword: string | null }>('CreateCustomerUserPayload')
    .implement({
      fields: (t) => ({
        customerUser: t.field({ type: CustomerUser, resolve: (p) => p.record }),
        generatedPassword: t.string({
          nullable: true,
          description: 'The generated password when none was given: shown this once, stored only as a hash.',
          resolve: (p) => p.generatedPassword,
        }),
      }),
    });

  builder.queryFields((t) => ({
    customerUser: t.field({
      type: CustomerUser,
      nullable: true,
      description: 'A customer user by login (case-insensitive), valid or not.',
      args: { login: t.arg.string({ required: true }) },
      resolve: (_root, args, ctx, info) => {
        const loader = selectsField(info, 'customer') ? ctx.loaders.customerUserWithCustomer : ctx.loaders.customerUser;
        return loader.load(normaliseIdentifier(args.login));
      },
    }),
    customerUsers: t.field({
      type: list,
      description: 'Search customer users. Without includeInvalid only valid users are returned.',
      args: searchArgs(t.arg, searchInputs, { email: true, defaultLimit: searchSettings.defaultLimit }),
      resolve: (_root, args, ctx, info) => {
        const extra = userListFilters(args.filter);
        return searchPage((q) => ctx.services.customerUsers.search(q, ctx.backendErrors.report), args, { ...searchSettings, extraFilters: extra }, ctx, info);
      },
    }),
  }));

  builder.mutationFields((t) => ({
    createCustomerUser: t.field({
      type: createPayload,
      description:
        'Create a customer user in `backend` (default: the first writable one). With CustomerCompanySupport its customerId must name an existing customer.',
      args: {
        input: t.arg({ type: createInput, required: true }),
        backend: t.arg.string({ description: `The backend (config key) to create in: ${deps.backends.map((b) => b.id).join(', ')}.` }),
      },
      resolve: (_root, args, ctx) =>
        ctx.services.customerUsers.create(inputToAttributes(fields, args.input), actorOf(ctx.session), args.backend),
    }),
    updateCustomerUser: t.field({
      type: CustomerUser,
      description: 'Change a customer user (a patch). A login rename carries all its data and relations along.',
      args: { login: t.arg.string({ required: true }), input: t.arg({ type: updateInput, required: true }), expectedVersion: expectedVersionArg(t.arg) },
      resolve: (_root, args, ctx) =>
        ctx.services.customerUsers.update(args.login, inputToAttributes(fields, args.input), actorOf(ctx.session), {
          expectedVersion: args.expectedVersion ?? undefined,
        }),
    }),
  }));

  return { list, searchInputs, searchSettings };
}

/** The user filter's fields that are not Map fields: `customerIds` and `excludeLogins`. */
export function userListFilters(filter: Readonly<Record<string, unknown>> | null | undefined): AttributeFilter[] {
  const customerIds = filter?.customerIds as string[] | null | undefined;
  const excludeLogins = filter?.excludeLogins as string[] | null | undefined;
  return [
    ...(customerIds ? [{ attribute: 'UserCustomerID', kind: 'in' as const, values: customerIds.map(normaliseIdentifier) }] : []),
    ...(excludeLogins ? [{ attribute: 'UserLogin', kind: 'notIn' as const, values: excludeLogins.map(normaliseIdentifier) }] : []),
  ];
}
