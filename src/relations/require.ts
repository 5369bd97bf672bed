import type { CustomerService } from '../customer/service';
import type { CustomerUserService } from '../customer-user/service';
import type { Db } from '../db/client';
import type { GroupTable } from '../db/group-table';
import { lockKeys } from '../db/locks';
import { notFound } from '../errors';
import { readGroups } from '../permissions/group-rows';
import type { GroupInfo } from '../permissions/policy';
import { readServices, type ServiceInfo } from '../service-catalog/service-rows';

/**
 * A relation row never points at nothing (OTOBO stores anything; we don't). Each check locks the
 * keys it checks until commit, so a concurrent rename waits for the relation write or is waited for.
 */

/** The stored spellings of these logins, in input order. */
export async function requireUsers(users: CustomerUserService, logins: readonly string[], tx: Db, field = 'login'): Promise<string[]> {
  await lockKeys(tx, 'login', logins);
  const records = await users.getByLogins(logins, tx);
  const found = new Map(records.map((r) => [String(r.values.UserLogin).toLowerCase(), String(r.values.UserLogin)]));
  const missing = logins.filter((l) => !found.has(l.toLowerCase()));
  if (missing.length > 0) throw notFound(`No customer user with login ${quoted(missing)}`, { field });
  return logins.map((l) => found.get(l.toLowerCase())!);
}

/** The stored spellings of these CustomerIDs, in input order. */
export async function requireCustomers(customers: CustomerService, ids: readonly string[], tx: Db, field = 'customerId'): Promise<string[]> {
  await lockKeys(tx, 'customer-id', ids);
  const records = await customers.getByIds(ids, tx);
  const found = new Map(records.map((r) => [String(r.values.CustomerID).toLowerCase(), String(r.values.CustomerID)]));
  const missing = ids.filter((id) => !found.has(id.toLowerCase()));
  if (missing.length > 0) throw notFound(`No customer with CustomerID ${quoted(missing)}`, { field });
  return ids.map((id) => found.get(id.toLowerCase())!);
}

export async function requireGroups(tx: Db, table: GroupTable, ids: readonly number[], field = 'groupId'): Promise<GroupInfo[]> {
  const groups = await readGroups(tx, table, [...new Set(ids)]);
  const missing = [...new Set(ids)].filter((id) => !groups.some((g) => g.id === id));
  if (missing.length > 0) throw notFound(`No group with id ${missing.join(', ')}`, { field });
  return groups;
}

export async function requireServices(tx: Db, ids: readonly number[], field = 'serviceId'): Promise<ServiceInfo[]> {
  const services = await readServices(tx, [...new Set(ids)]);
  const missing = [...new Set(ids)].filter((id) => !services.some((s) => s.id === id));
  if (missing.length > 0) throw notFound(`No service with id ${missing.join(', ')}`, { field });
  return services;
}

function quoted(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}
