import type DataLoader from 'dataloader';
import { customerAccess, effectivePermissions, otherContextGroupIds, type EffectiveGroupPermission, type GroupInfo } from '../../permissions/policy';
import { customerIdsOf } from '../../relations/customer-ids';
import { listedIn } from '../../relations/catalog-index';
import type { StoredRecord } from '../../records/types';
import { DEFAULT_SERVICES_LOGIN, type ServiceInfo } from '../../service-catalog/service-rows';
import type { GraphQLContext } from '../context';

/**
 * What the relation fields of a customer user resolve from, all through the per-request loaders:
 * every user of a page asks in the same tick, so each kind of read is one statement for the page.
 */

export const loginOf = (user: StoredRecord) => String(user.values.UserLogin);

export async function loadAll<K, V, C>(loader: DataLoader<K, V, C>, keys: readonly K[]): Promise<V[]> {
  return Promise.all(keys.map((key) => loader.load(key)));
}

export async function userCustomerIds(ctx: GraphQLContext, user: StoredRecord): Promise<string[]> {
  const relations = await ctx.relationLoaders.byLogin.load(loginOf(user));
  return customerIdsOf(user.values, relations.extraCustomerIds, ctx.services.relations.excludesPrimaryCustomerId(user.source));
}

/** The existing customers among the user's CustomerIDs, in CustomerIDs order. */
export async function userCustomers(ctx: GraphQLContext, user: StoredRecord): Promise<StoredRecord[]> {
  const records = await loadAll(ctx.loaders.customer, await userCustomerIds(ctx, user));
  return records.filter((r): r is StoredRecord => r !== null);
}

export async function userEffectivePermissions(ctx: GraphQLContext, user: StoredRecord): Promise<EffectiveGroupPermission[]> {
  const settings = ctx.services.relations.permissions;
  const [relations, groups] = await Promise.all([ctx.relationLoaders.byLogin.load(loginOf(user)), ctx.relationLoaders.groups()]);
  if (!settings.support) return effectivePermissions(settings, groups, [], [], []);
  const customerIds = customerIdsOf(user.values, relations.extraCustomerIds, ctx.services.relations.excludesPrimaryCustomerId(user.source));
  const company = settings.sameContext === null ? [] : (await loadAll(ctx.relationLoaders.companyRows, customerIds)).flat();
  return effectivePermissions(settings, groups, customerIds, relations.directGrants, company);
}

export interface CustomerAccessRow {
  readonly customer: StoredRecord;
  readonly direct: boolean;
  readonly viaGroups: readonly GroupInfo[];
}

/** GroupContextCustomers: whose tickets the user may see; only valid, existing customers. */
export async function userCustomerAccess(ctx: GraphQLContext, user: StoredRecord): Promise<CustomerAccessRow[]> {
  const settings = ctx.services.relations.permissions;
  const customerIds = await userCustomerIds(ctx, user);
  let entries = customerAccess(settings, [], customerIds, [], []);
  let groups: GroupInfo[] = [];
  if (settings.support && settings.otherContext !== null) {
    const own = (await loadAll(ctx.relationLoaders.companyRows, customerIds)).flat();
    const reached = (await loadAll(ctx.relationLoaders.companyRowsOnGroup, otherContextGroupIds(settings, customerIds, own))).flat();
    groups = await ctx.relationLoaders.groups();
    entries = customerAccess(settings, groups, customerIds, own, reached);
  }
  const customers = await loadAll(ctx.loaders.customer, entries.map((e) => e.customerId));
  return entries.flatMap((entry, i) => {
    const customer = customers[i];
    if (!customer || customer.values.ValidID !== 1) return [];
    return [{ customer, direct: entry.direct, viaGroups: groups.filter((g) => entry.viaGroupIds.includes(g.id)) }];
  });
}

export interface EffectiveServices {
  readonly fromDefaults: boolean;
  readonly services: readonly ServiceInfo[];
}

/**
 * The services a user may use: its own valid ones, or — when it has none — the valid default
 * services (never both, as in OTOBO).
 */
export async function userServices(ctx: GraphQLContext, user: StoredRecord): Promise<EffectiveServices> {
  const [own, defaults, all] = await Promise.all([
    ctx.relationLoaders.byLogin.load(loginOf(user)),
    ctx.relationLoaders.byLogin.load(DEFAULT_SERVICES_LOGIN),
    ctx.relationLoaders.services(),
  ]);
  const valid = (ids: readonly number[]) => listedIn(all, ids, (s) => s.validId === 1);
  const mine = valid(own.serviceIds);
  return mine.length > 0 ? { fromDefaults: false, services: mine } : { fromDefaults: true, services: valid(defaults.serviceIds) };
}

/** Runs a relation write, then forgets what the request's relation loaders read before it. */
export async function written<T>(ctx: GraphQLContext, write: Promise<T>): Promise<T> {
  const result = await write;
  ctx.relationLoaders.reset();
  ctx.loaders.customerUser.clearAll();
  ctx.loaders.customer.clearAll();
  return result;
}

export async function existingUser(ctx: GraphQLContext, login: string): Promise<StoredRecord> {
  return (await ctx.loaders.customerUser.load(login))!; // just written: it exists
}

export async function existingCustomer(ctx: GraphQLContext, customerId: string): Promise<StoredRecord> {
  return (await ctx.loaders.customer.load(customerId))!;
}
