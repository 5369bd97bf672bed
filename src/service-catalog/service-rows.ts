import { asc, inArray, sql } from 'drizzle-orm';
import { compile, run, slot, type CompiledStatement } from '../db/prepared';
import type { Db } from '../db/client';
import { service, serviceCustomerUser } from '../db/schema';
import { compareText } from '../permissions/policy';
import { ciMatches, groupBy, NOW, type TupleRelation } from '../relations/tuple-relation';

/** OTOBO's pseudo login whose services are the defaults. */
export const DEFAULT_SERVICES_LOGIN = '<DEFAULT>';

export interface ServiceInfo {
  readonly id: number;
  /** The full path, `Parent::Child`, as OTOBO stores it. */
  readonly name: string;
  readonly comment: string | null;
  readonly validId: number;
}

/** All services (read whole, once per request: names, validity and the tree need them all). */
export async function readServices(db: Db, ids?: readonly number[]): Promise<ServiceInfo[]> {
  if (ids?.length === 0) return [];
  serviceReads ??= {
    all: compile(db, SELECT_SERVICES),
    byIds: compile(db, sql`${SELECT_SERVICES} WHERE ${service.id} = ANY(${slot('ids')}::integer[])`),
  };
  if (ids !== undefined) return run<ServiceInfo>(db, serviceReads.byIds, { ids });
  return (await run<ServiceInfo>(db, serviceReads.all, {})).sort((a, b) => compareText(a.name, b.name));
}

const SELECT_SERVICES = sql`SELECT ${service.id} AS "id", ${service.name} AS "name", ${service.comments} AS "comment", ${service.validId} AS "validId" FROM ${service}`;
/** Prepared: the catalog is read by every request that resolves services. */
let serviceReads: { all: CompiledStatement; byIds: CompiledStatement } | null = null;

/** service_customer_user, owned by the login (or `<DEFAULT>`). */
export const userServices: TupleRelation<number> = {
  name: 'service_customer_user',
  entityType: 'CustomerUser',
  field: 'serviceIds',
  read: async (tx, logins) => {
    const rows = await tx
      .select({ login: serviceCustomerUser.customerUserLogin, serviceId: serviceCustomerUser.serviceId })
      .from(serviceCustomerUser)
      .where(ciMatches(serviceCustomerUser.customerUserLogin, logins));
    return groupBy(rows, (r) => r.login.toLowerCase(), (r) => r.serviceId);
  },
  deleteOwners: async (tx, logins) => {
    await tx.delete(serviceCustomerUser).where(ciMatches(serviceCustomerUser.customerUserLogin, logins));
  },
  insert: async (tx, rows, agentId) => {
    await tx
      .insert(serviceCustomerUser)
      .values(rows.map((r) => ({ customerUserLogin: r.owner, serviceId: r.tuple, createTime: NOW, createBy: agentId })));
  },
  describe: (serviceId) => String(serviceId),
};

/** Logins assigned to these services (`<DEFAULT>` included), by service id, sorted. */
export async function serviceMembersOf(db: Db, serviceIds: readonly number[]): Promise<Map<number, string[]>> {
  if (serviceIds.length === 0) return new Map();
  const rows = await db
    .select({ login: serviceCustomerUser.customerUserLogin, serviceId: serviceCustomerUser.serviceId })
    .from(serviceCustomerUser)
    .where(inArray(serviceCustomerUser.serviceId, [...serviceIds]))
    .orderBy(asc(serviceCustomerUser.customerUserLogin));
  const byId = groupBy(rows, (r) => String(r.serviceId), (r) => r.login);
  return new Map([...byId].map(([id, logins]) => [Number(id), logins]));
}
