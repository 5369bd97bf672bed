import type { Actor, ChangeWriter } from '../changes/change-writer';
import type { CustomerService } from '../customer/service';
import type { CustomerUserService } from '../customer-user/service';
import type { GroupTable } from '../db/group-table';
import { lockKeys } from '../db/locks';
import { badInput, DomainError } from '../errors';
import { requireCustomers, requireGroups, requireUsers } from '../relations/require';
import { lockRelation, rewriteTuples } from '../relations/tuple-relation';
import { customerGroupPermissions, directMembersOf, companyRowsOnGroups, userGroupPermissions } from './group-rows';
import { normaliseTypes } from './policy';
import { enabledContexts, type PermissionSettings } from './settings';

export interface UserGroupInput {
  readonly groupId: number;
  readonly types: readonly string[];
}
export interface GroupUserInput {
  readonly login: string;
  readonly types: readonly string[];
}
export interface CustomerGroupInput {
  readonly groupId: number;
  readonly context: string;
  readonly types: readonly string[];
}
export interface GroupCustomerInput {
  readonly customerId: string;
  readonly context: string;
  readonly types: readonly string[];
}

/**
 * Customer user ↔ group and customer ↔ group permissions (AdminCustomerUserGroup,
 * AdminCustomerGroup), each from both sides. Types come from System::Customer::Permission; a set
 * containing rw is stored as rw alone (GroupMemberAdd). Only with CustomerGroupSupport.
 */
export class GroupPermissions {
  constructor(
    private readonly writer: ChangeWriter,
    private readonly users: CustomerUserService,
    private readonly customers: CustomerService,
    private readonly settings: PermissionSettings,
    private readonly groupTable: GroupTable,
  ) {}

  /** The user's whole set of direct permissions. Returns the stored login. */
  setGroupsOfUser(login: string, permissions: readonly UserGroupInput[], actor: Actor): Promise<string> {
    this.assertSupport();
    const wanted = permissions.map((p) => ({ groupId: p.groupId, keys: this.storedTypes(p.types) }));
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, userGroupPermissions.name);
      const [user] = await requireUsers(this.users, [login], scope.tx);
      await requireGroups(scope.tx, this.groupTable, wanted.map((w) => w.groupId));
      await rewriteTuples(scope, userGroupPermissions, [user!], () => wanted.flatMap((w) => w.keys.map((key) => ({ groupId: w.groupId, key }))));
      return user!;
    });
  }

  /** One user's permissions on one group (an empty list removes them). */
  setUserGroup(login: string, groupId: number, types: readonly string[], actor: Actor): Promise<string> {
    this.assertSupport();
    const keys = this.storedTypes(types);
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, userGroupPermissions.name);
      const [user] = await requireUsers(this.users, [login], scope.tx);
      await requireGroups(scope.tx, this.groupTable, [groupId]);
      await rewriteTuples(scope, userGroupPermissions, [user!], (_owner, current) => [
        ...current.filter((t) => t.groupId !== groupId),
        ...keys.map((key) => ({ groupId, key })),
      ]);
      return user!;
    });
  }

  /** The group's whole set of directly permitted users. */
  setUsersOfGroup(groupId: number, permissions: readonly GroupUserInput[], actor: Actor): Promise<number> {
    this.assertSupport();
    const keysOf = new Map(permissions.map((p) => [p.login.toLowerCase(), this.storedTypes(p.types)]));
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, userGroupPermissions.name);
      await requireGroups(scope.tx, this.groupTable, [groupId]);
      const members = ((await directMembersOf(scope.tx, [groupId])).get(groupId) ?? []).map((m) => m.login);
      await lockKeys(scope.tx, 'login', members);
      const wanted = await requireUsers(this.users, permissions.map((p) => p.login), scope.tx, 'permissions');
      await rewriteTuples(scope, userGroupPermissions, [...members, ...wanted], (owner, current) => [
        ...current.filter((t) => t.groupId !== groupId),
        ...(keysOf.get(owner.toLowerCase()) ?? []).map((key) => ({ groupId, key })),
      ]);
      return groupId;
    });
  }

  /** The customer's whole set of company permissions, over all contexts. Returns the stored CustomerID. */
  setGroupsOfCustomer(customerId: string, permissions: readonly CustomerGroupInput[], actor: Actor): Promise<string> {
    this.assertSupport();
    const tuples = permissions.flatMap((p) => this.companyTuples(p.groupId, p.context, p.types));
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, customerGroupPermissions.name);
      const [id] = await requireCustomers(this.customers, [customerId], scope.tx);
      await requireGroups(scope.tx, this.groupTable, permissions.map((p) => p.groupId));
      await rewriteTuples(scope, customerGroupPermissions, [id!], () => tuples);
      return id!;
    });
  }

  /** One customer's permissions on one group in one context (an empty list removes them). */
  setCustomerGroup(customerId: string, groupId: number, context: string, types: readonly string[], actor: Actor): Promise<string> {
    this.assertSupport();
    const tuples = this.companyTuples(groupId, context, types);
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, customerGroupPermissions.name);
      const [id] = await requireCustomers(this.customers, [customerId], scope.tx);
      await requireGroups(scope.tx, this.groupTable, [groupId]);
      await rewriteTuples(scope, customerGroupPermissions, [id!], (_owner, current) => [
        ...current.filter((t) => t.groupId !== groupId || t.context !== context),
        ...tuples,
      ]);
      return id!;
    });
  }

  /** The group's whole set of customers with permissions, over all contexts. */
  setCustomersOfGroup(groupId: number, permissions: readonly GroupCustomerInput[], actor: Actor): Promise<number> {
    this.assertSupport();
    const tuplesOf = new Map<string, ReturnType<GroupPermissions['companyTuples']>>();
    for (const p of permissions) {
      const key = p.customerId.toLowerCase();
      tuplesOf.set(key, [...(tuplesOf.get(key) ?? []), ...this.companyTuples(groupId, p.context, p.types)]);
    }
    return this.writer.write(actor, async (scope) => {
      await lockRelation(scope.tx, customerGroupPermissions.name);
      await requireGroups(scope.tx, this.groupTable, [groupId]);
      const holders = [...new Set(((await companyRowsOnGroups(scope.tx, [groupId])).get(groupId) ?? []).map((r) => r.customerId))];
      await lockKeys(scope.tx, 'customer-id', holders);
      const wanted = await requireCustomers(this.customers, permissions.map((p) => p.customerId), scope.tx, 'permissions');
      await rewriteTuples(scope, customerGroupPermissions, [...holders, ...wanted], (owner, current) => [
        ...current.filter((t) => t.groupId !== groupId),
        ...(tuplesOf.get(owner.toLowerCase()) ?? []),
      ]);
      return groupId;
    });
  }

  private companyTuples(groupId: number, context: string, types: readonly string[]) {
    if (!enabledContexts(this.settings).includes(context)) {
      throw badInput(`"${context}" is not an enabled permission context (enabled: ${enabledContexts(this.settings).join(', ')})`, {
        field: 'context',
        reason: 'UNKNOWN_PERMISSION_CONTEXT',
      });
    }
    return this.storedTypes(types).map((key) => ({ groupId, context, key }));
  }

  private storedTypes(types: readonly string[]): string[] {
    const { stored, unknown } = normaliseTypes(types, this.settings.types);
    if (unknown.length > 0) {
      throw badInput(`Unknown permission type ${unknown.map((t) => `"${t}"`).join(', ')} (System::Customer::Permission: ${this.settings.types.join(', ')})`, {
        field: 'types',
        reason: 'UNKNOWN_PERMISSION_TYPE',
      });
    }
    return stored;
  }

  private assertSupport(): void {
    if (!this.settings.support) throw customerGroupsDisabled();
  }
}

export function customerGroupsDisabled(): DomainError {
  return new DomainError(
    'FEATURE_DISABLED',
    'Customer groups are disabled: set CustomerGroupSupport to 1 to assign groups to customer users and customers (until then every customer user has every permission on every valid group)',
    { reason: 'CUSTOMER_GROUP_SUPPORT_OFF' },
  );
}
