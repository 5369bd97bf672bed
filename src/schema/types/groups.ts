import { compareText, type EffectiveGroupPermission, type GrantSource, type GroupInfo, type TypeGrant } from '../../permissions/policy';
import { byId } from '../../relations/catalog-index';
import { validityName } from '../../records/validity';
import type { Builder } from '../builder';
import type { GraphQLContext } from '../context';
import { actorOf } from './customer-user';
import { existingCustomer, existingUser, loginOf, userCustomerAccess, userEffectivePermissions, written, type CustomerAccessRow } from './relation-data';
import { catalogInput, type RelationTypeDeps } from './relation-deps';

/** A group with the types stored on it (the group read with them: a page has hundreds). */
interface GroupTypes {
  readonly group: GroupInfo;
  readonly types: readonly string[];
}

/** Groups, customer user ↔ group and customer ↔ group permissions, effective permissions, customer access. */
export function registerGroups(builder: Builder, deps: RelationTypeDeps) {
  const { common, CustomerUser, Customer } = deps;
  const Group = builder.objectRef<GroupInfo>('Group');

  const GroupUserPermission = builder.objectRef<{ login: string; types: string[] }>('GroupUserPermission').implement({
    description: 'A customer user with direct permissions on a group.',
    fields: (t) => ({
      login: t.exposeString('login', { description: 'As stored in group_customer_user.' }),
      customerUser: t.field({ type: CustomerUser, nullable: true, resolve: (p, _a, ctx) => ctx.loaders.customerUser.load(p.login) }),
      types: t.exposeStringList('types', { description: 'The stored types (rw alone when rw was given: it implies every type).' }),
    }),
  });
  const ContextPermission = builder
    .objectRef<{ groupId: number; customerId: string; context: string; types: string[] }>('CustomerGroupPermission')
    .implement({
      description: 'Company permissions of a customer on a group in one context.',
      fields: (t) => ({
        group: t.field({ type: Group, resolve: (p, _a, ctx) => groupById(ctx, p.groupId) }),
        customerId: t.exposeString('customerId'),
        customer: t.field({ type: Customer, nullable: true, resolve: (p, _a, ctx) => ctx.loaders.customer.load(p.customerId) }),
        context: t.exposeString('context', { description: 'e.g. Ticket::CustomerID::Same.' }),
        types: t.exposeStringList('types'),
      }),
    });
  const UserGroupPermission = builder.objectRef<GroupTypes>('UserGroupPermission').implement({
    description: "A customer user's direct (stored) permissions on one group.",
    fields: (t) => ({
      group: t.field({ type: Group, resolve: (p) => p.group }),
      types: t.exposeStringList('types'),
    }),
  });

  Group.implement({
    description: "A permission group (OTOBO's groups_table, shared with agents). Groups are never deleted, only made invalid.",
    fields: (t) => ({
      id: t.exposeInt('id'),
      name: t.exposeString('name'),
      comment: t.exposeString('comment', { nullable: true }),
      validity: t.field({ type: common.Validity, description: 'Invalid groups grant nothing.', resolve: (g) => validityName(g.validId) }),
      customerUsers: t.field({
        type: [GroupUserPermission],
        description: 'Customer users with direct permissions on this group (sorted by login).',
        resolve: async (g, _a, ctx) =>
          keyedBy(await ctx.relationLoaders.directMembers.load(g.id), (m) => m.login, (m) => m.key).map(([login, types]) => ({ login, types })),
      }),
      customers: t.field({
        type: [ContextPermission],
        description: 'Customers with company permissions on this group, per context.',
        resolve: async (g, _a, ctx) => contextPermissions(await ctx.relationLoaders.companyRowsOnGroup.load(g.id)),
      }),
    }),
  });

  const SourceKind = builder.enumType('PermissionSourceKind', {
    values: {
      DIRECT: { description: "The user's own permission (group_customer_user)." },
      CUSTOMER: { description: 'Inherited from one of the user\'s customers in the "same customer" context.' },
      ALWAYS_GROUP: { description: 'CustomerGroupAlwaysGroups.' },
      CUSTOMER_ALWAYS_GROUP: { description: "CustomerGroupCompanyAlwaysGroups, through one of the user's customers." },
      GROUP_SUPPORT_OFF: { description: 'CustomerGroupSupport is off: every valid group grants every type.' },
    } as const,
  });
  const Source = builder.objectRef<GrantSource>('PermissionSource').implement({
    description: 'Why a type is granted.',
    fields: (t) => ({
      kind: t.field({ type: SourceKind, resolve: (s) => s.kind }),
      customerId: t.string({ nullable: true, description: 'The customer it is inherited through.', resolve: (s) => ('customerId' in s ? s.customerId : null) }),
      context: t.string({ nullable: true, resolve: (s) => ('context' in s ? s.context : null) }),
      viaType: t.string({ nullable: true, description: 'The stored type that grants it (rw grants every type).', resolve: (s) => ('viaType' in s ? s.viaType : null) }),
    }),
  });
  const Grant = builder.objectRef<TypeGrant>('PermissionGrant').implement({
    fields: (t) => ({
      type: t.exposeString('type'),
      sources: t.field({ type: [Source], resolve: (g) => [...g.sources] }),
    }),
  });
  const Effective = builder.objectRef<EffectiveGroupPermission>('EffectiveGroupPermission').implement({
    description: 'A valid group on which the user has at least one type, with the source of every grant.',
    fields: (t) => ({
      group: t.field({ type: Group, resolve: (e) => e.group }),
      types: t.stringList({ description: 'The granted types, in System::Customer::Permission order.', resolve: (e) => e.grants.map((g) => g.type) }),
      grants: t.field({ type: [Grant], resolve: (e) => [...e.grants] }),
    }),
  });
  const Access = builder.objectRef<CustomerAccessRow>('CustomerAccess').implement({
    description: 'A customer whose tickets the user may see (only valid, existing customers).',
    fields: (t) => ({
      customer: t.field({ type: Customer, resolve: (a) => a.customer }),
      direct: t.boolean({ description: "One of the user's own CustomerIDs.", resolve: (a) => a.direct }),
      indirect: t.boolean({ description: 'Reached through the "other customers" context.', resolve: (a) => a.viaGroups.length > 0 }),
      viaGroups: t.field({ type: [Group], description: 'The groups of the other-customers grants.', resolve: (a) => [...a.viaGroups] }),
    }),
  });

  builder.objectFields(CustomerUser, (t) => ({
    groupPermissions: t.field({
      type: [UserGroupPermission],
      description: "The user's direct (stored) group permissions, whatever CustomerGroupSupport says; by group id, types sorted.",
      resolve: async (u, _a, ctx) => {
        const [relations, groups] = await Promise.all([ctx.relationLoaders.byLogin.load(loginOf(u)), ctx.relationLoaders.groups()]);
        return keyedBy(relations.directGrants, (r) => r.groupId, (r) => r.key).map(([id, types]) => ({ group: existingGroup(groups, id), types }));
      },
    }),
    effectivePermissions: t.field({
      type: [Effective],
      description:
        'What the user may do, per valid group (sorted by name): direct permissions, those inherited from each of its customers, always-groups — each with its source. With CustomerGroupSupport off: every valid group, every type.',
      resolve: (u, _a, ctx) => userEffectivePermissions(ctx, u),
    }),
    customerAccess: t.field({
      type: [Access],
      description: "The customers whose tickets the user may see: its own CustomerIDs, plus those reached through the other-customers context.",
      resolve: (u, _a, ctx) => userCustomerAccess(ctx, u),
    }),
  }));

  builder.objectFields(Customer, (t) => ({
    groupPermissions: t.field({
      type: [ContextPermission],
      description: "The customer's company permissions, per group and context (its users inherit the same-customer ones).",
      resolve: async (c, _a, ctx) => contextPermissions(await ctx.relationLoaders.companyRows.load(String(c.values.CustomerID))),
    }),
  }));

  const PermissionContext = builder.objectRef<{ value: string; name: string; kind: 'SAME' | 'OTHER' }>('PermissionContext').implement({
    fields: (t) => ({
      value: t.exposeString('value', { description: 'What the API and the database use, e.g. Ticket::CustomerID::Same.' }),
      name: t.exposeString('name'),
      kind: t.string({ description: 'SAME (inherited by the customer\'s users) or OTHER (other customers\' tickets).', resolve: (c) => c.kind }),
    }),
  });
  const Settings = builder.objectRef<object>('CustomerGroupSettings').implement({
    description: 'The configuration the group screens need.',
    fields: (t) => ({
      enabled: t.boolean({ description: 'CustomerGroupSupport.', resolve: (_s, _a, ctx) => ctx.services.relations.permissions.support }),
      permissionTypes: t.stringList({ description: 'System::Customer::Permission.', resolve: (_s, _a, ctx) => [...ctx.services.relations.permissions.types] }),
      contexts: t.field({
        type: [PermissionContext],
        description: 'The enabled CustomerGroupPermissionContext items.',
        resolve: (_s, _a, ctx) => {
          const contexts = ctx.services.config.CustomerGroupPermissionContext;
          const same = contexts['001-CustomerID-same'];
          const other = contexts['100-CustomerID-other'];
          return [
            ...(same.Enabled ? [{ value: same.Value, name: same.Name, kind: 'SAME' as const }] : []),
            ...(other.Enabled ? [{ value: other.Value, name: other.Name, kind: 'OTHER' as const }] : []),
          ];
        },
      }),
      alwaysGroups: t.stringList({ description: 'CustomerGroupAlwaysGroups.', resolve: (_s, _a, ctx) => [...ctx.services.relations.permissions.alwaysGroups] }),
      companyAlwaysGroups: t.stringList({
        description: 'CustomerGroupCompanyAlwaysGroups.',
        resolve: (_s, _a, ctx) => [...ctx.services.relations.permissions.companyAlwaysGroups],
      }),
    }),
  });

  builder.queryFields((t) => ({
    groups: t.field({
      type: [Group],
      description: 'Groups, sorted by name. Without includeInvalid only valid ones.',
      args: { includeInvalid: t.arg.boolean({ defaultValue: false }) },
      resolve: async (_r, args, ctx) =>
        (await ctx.relationLoaders.groups()).filter((g) => args.includeInvalid || g.validId === 1).sort((a, b) => compareText(a.name, b.name)),
    }),
    group: t.field({
      type: Group,
      nullable: true,
      args: { id: t.arg.int({ required: true }) },
      resolve: async (_r, args, ctx) => byId(await ctx.relationLoaders.groups(), args.id) ?? null,
    }),
    customerGroupSettings: t.field({ type: Settings, resolve: () => ({}) }),
  }));

  const createInput = builder.inputType('GroupCreateInput', {
    fields: (t) => ({
      name: t.string({ required: true, description: 'Unique, case-insensitively.' }),
      comment: t.string(),
      validity: t.field({ type: common.Validity, defaultValue: 'VALID' }),
    }),
  });
  const updateInput = builder.inputType('GroupUpdateInput', {
    description: 'A patch: omitted fields stay unchanged.',
    fields: (t) => ({ name: t.string(), comment: t.string(), validity: t.field({ type: common.Validity }) }),
  });
  const typesArg = { description: 'Types from System::Customer::Permission; [] removes the permission; rw implies every type.' };
  const GroupTypesInput = builder.inputType('GroupTypesInput', {
    fields: (t) => ({ groupId: t.int({ required: true }), types: t.stringList({ required: true, ...typesArg }) }),
  });
  const UserTypesInput = builder.inputType('CustomerUserTypesInput', {
    fields: (t) => ({ login: t.string({ required: true }), types: t.stringList({ required: true, ...typesArg }) }),
  });
  const GroupContextInput = builder.inputType('GroupContextTypesInput', {
    fields: (t) => ({
      groupId: t.int({ required: true }),
      context: t.string({ required: true, description: 'An enabled context Value, e.g. Ticket::CustomerID::Same.' }),
      types: t.stringList({ required: true, ...typesArg }),
    }),
  });
  const CustomerContextInput = builder.inputType('CustomerContextTypesInput', {
    fields: (t) => ({
      customerId: t.string({ required: true }),
      context: t.string({ required: true, description: 'An enabled context Value, e.g. Ticket::CustomerID::Same.' }),
      types: t.stringList({ required: true, ...typesArg }),
    }),
  });

  const disabledNote = ' Refused with FEATURE_DISABLED (reason CUSTOMER_GROUP_SUPPORT_OFF) while CustomerGroupSupport is off.';
  builder.mutationFields((t) => ({
    createGroup: t.field({
      type: Group,
      args: { input: t.arg({ type: createInput, required: true }) },
      resolve: (_r, args, ctx) =>
        written(ctx, ctx.services.relations.groups.create({ ...catalogInput(args.input), name: args.input.name }, actorOf(ctx.session))),
    }),
    updateGroup: t.field({
      type: Group,
      description: 'Change a group (a patch). Invalid groups keep their permission rows but grant nothing.',
      args: { id: t.arg.int({ required: true }), input: t.arg({ type: updateInput, required: true }) },
      resolve: (_r, args, ctx) => written(ctx, ctx.services.relations.groups.update(args.id, catalogInput(args.input), actorOf(ctx.session))),
    }),
    setCustomerUserGroups: t.field({
      type: CustomerUser,
      description: "Replace the user's direct permissions by these (groups not listed lose theirs)." + disabledNote,
      args: { login: t.arg.string({ required: true }), permissions: t.arg({ type: [GroupTypesInput], required: true }) },
      resolve: async (_r, args, ctx) =>
        existingUser(ctx, await written(ctx, ctx.services.relations.groupPermissions.setGroupsOfUser(args.login, args.permissions, actorOf(ctx.session)))),
    }),
    setCustomerUserGroup: t.field({
      type: CustomerUser,
      description: "Set one user's permissions on one group ([] removes them)." + disabledNote,
      args: { login: t.arg.string({ required: true }), groupId: t.arg.int({ required: true }), types: t.arg.stringList({ required: true }) },
      resolve: async (_r, args, ctx) =>
        existingUser(ctx, await written(ctx, ctx.services.relations.groupPermissions.setUserGroup(args.login, args.groupId, args.types, actorOf(ctx.session)))),
    }),
    setGroupCustomerUsers: t.field({
      type: Group,
      description: "Replace the group's directly permitted users by these (users not listed lose their permissions on it)." + disabledNote,
      args: { groupId: t.arg.int({ required: true }), permissions: t.arg({ type: [UserTypesInput], required: true }) },
      resolve: async (_r, args, ctx) =>
        groupById(ctx, await written(ctx, ctx.services.relations.groupPermissions.setUsersOfGroup(args.groupId, args.permissions, actorOf(ctx.session)))),
    }),
    setCustomerGroups: t.field({
      type: Customer,
      description: "Replace the customer's company permissions (all contexts) by these." + disabledNote,
      args: { customerId: t.arg.string({ required: true }), permissions: t.arg({ type: [GroupContextInput], required: true }) },
      resolve: async (_r, args, ctx) =>
        existingCustomer(ctx, await written(ctx, ctx.services.relations.groupPermissions.setGroupsOfCustomer(args.customerId, args.permissions, actorOf(ctx.session)))),
    }),
    setCustomerGroup: t.field({
      type: Customer,
      description: "Set one customer's permissions on one group in one context ([] removes them)." + disabledNote,
      args: {
        customerId: t.arg.string({ required: true }),
        groupId: t.arg.int({ required: true }),
        context: t.arg.string({ required: true }),
        types: t.arg.stringList({ required: true }),
      },
      resolve: async (_r, args, ctx) =>
        existingCustomer(
          ctx,
          await written(ctx, ctx.services.relations.groupPermissions.setCustomerGroup(args.customerId, args.groupId, args.context, args.types, actorOf(ctx.session))),
        ),
    }),
    setGroupCustomers: t.field({
      type: Group,
      description: "Replace the customers with permissions on this group (all contexts) by these." + disabledNote,
      args: { groupId: t.arg.int({ required: true }), permissions: t.arg({ type: [CustomerContextInput], required: true }) },
      resolve: async (_r, args, ctx) =>
        groupById(ctx, await written(ctx, ctx.services.relations.groupPermissions.setCustomersOfGroup(args.groupId, args.permissions, actorOf(ctx.session)))),
    }),
  }));

  return { Group };
}

async function groupById(ctx: GraphQLContext, id: number): Promise<GroupInfo> {
  return existingGroup(await ctx.relationLoaders.groups(), id);
}

function existingGroup(groups: readonly GroupInfo[], id: number): GroupInfo {
  const group = byId(groups, id);
  if (!group) throw new Error(`group ${id} vanished`); // groups are never deleted
  return group;
}

/** Rows → [owner, keys] in first-seen order of the owners (a page's permission rows: no copies per row). */
function keyedBy<R, O>(rows: readonly R[], owner: (row: R) => O, key: (row: R) => string): [O, string[]][] {
  const result = new Map<O, string[]>();
  for (const row of rows) {
    const keys = result.get(owner(row));
    if (keys) keys.push(key(row));
    else result.set(owner(row), [key(row)]);
  }
  return [...result];
}

function contextPermissions(rows: readonly { customerId: string; groupId: number; context: string; key: string }[]) {
  const result = new Map<string, { groupId: number; customerId: string; context: string; types: string[] }>();
  for (const row of rows) {
    const id = `${row.customerId}\u0000${row.groupId}\u0000${row.context}`;
    const entry = result.get(id) ?? { groupId: row.groupId, customerId: row.customerId, context: row.context, types: [] };
    entry.types.push(row.key);
    result.set(id, entry);
  }
  return [...result.values()];
}
