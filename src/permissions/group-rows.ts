import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { GroupTable } from '../db/group-table';
import { groupCustomer, groupCustomerUser } from '../db/schema';
import { ciMatches, groupBy, NOW, type TupleRelation } from '../relations/tuple-relation';
import type { CompanyGrantRow, DirectGrantRow, GroupInfo } from './policy';

/** All groups (a small table: read whole, once per request). */
export async function readGroups(db: Db, table: GroupTable, ids?: readonly number[]): Promise<GroupInfo[]> {
  const query = db
    .select({ id: table.id, name: table.name, comment: table.comments, validId: table.validId })
    .from(table);
  const rows = ids === undefined ? await query.orderBy(asc(table.id)) : ids.length === 0 ? [] : await query.where(inArray(table.id, [...ids]));
  return rows;
}

/** group_customer_user, owned by the login: direct permissions (stored rows with value 1 only). */
export const userGroupPermissions: TupleRelation<DirectGrantRow> = {
  name: 'group_customer_user',
  entityType: 'CustomerUser',
  field: 'groupPermissions',
  read: async (tx, logins) => {
    const rows = await tx
      .select({ login: groupCustomerUser.userId, groupId: groupCustomerUser.groupId, key: groupCustomerUser.permissionKey })
      .from(groupCustomerUser)
      .where(and(ciMatches(groupCustomerUser.userId, logins), eq(groupCustomerUser.permissionValue, 1)));
    return groupBy(rows, (r) => r.login.toLowerCase(), (r) => ({ groupId: r.groupId, key: r.key }));
  },
  deleteOwners: async (tx, logins) => {
    await tx.delete(groupCustomerUser).where(ciMatches(groupCustomerUser.userId, logins));
  },
  insert: async (tx, rows, agentId) => {
    await tx.insert(groupCustomerUser).values(
      rows.map((r) => ({
        userId: r.owner,
        groupId: r.tuple.groupId,
        permissionKey: r.tuple.key,
        permissionValue: 1,
        createTime: NOW,
        createBy: agentId,
        changeTime: NOW,
        changeBy: agentId,
      })),
    );
  },
  describe: (t) => `${t.groupId}:${t.key}`,
};

/** Direct members of these groups: login and key, by group id. */
export async function directMembersOf(db: Db, groupIds: readonly number[]): Promise<Map<number, { login: string; key: string }[]>> {
  if (groupIds.length === 0) return new Map();
  const rows = await db
    .select({ login: groupCustomerUser.userId, groupId: groupCustomerUser.groupId, key: groupCustomerUser.permissionKey })
    .from(groupCustomerUser)
    .where(and(inArray(groupCustomerUser.groupId, [...groupIds]), eq(groupCustomerUser.permissionValue, 1)))
    .orderBy(asc(groupCustomerUser.userId));
  return byGroupId(rows, (r) => ({ login: r.login, key: r.key }));
}

type CompanyTuple = Omit<CompanyGrantRow, 'customerId'>;

/** group_customer, owned by the CustomerID: company permissions per context. */
export const customerGroupPermissions: TupleRelation<CompanyTuple> = {
  name: 'group_customer',
  entityType: 'Customer',
  field: 'groupPermissions',
  read: async (tx, customerIds) => {
    const rows = await companyRows(tx, ciMatches(groupCustomer.customerId, customerIds));
    return groupBy(rows, (r) => r.customerId.toLowerCase(), ({ customerId: _, ...tuple }) => tuple);
  },
  deleteOwners: async (tx, customerIds) => {
    await tx.delete(groupCustomer).where(ciMatches(groupCustomer.customerId, customerIds));
  },
  insert: async (tx, rows, agentId) => {
    await tx.insert(groupCustomer).values(
      rows.map((r) => ({
        customerId: r.owner,
        groupId: r.tuple.groupId,
        permissionKey: r.tuple.key,
        permissionValue: 1,
        permissionContext: r.tuple.context,
        createTime: NOW,
        createBy: agentId,
        changeTime: NOW,
        changeBy: agentId,
      })),
    );
  },
  describe: (t) => `${t.groupId}:${t.context}:${t.key}`,
};

/** Company rows of these customers (all contexts), by lower-cased CustomerID. */
export async function companyRowsOf(db: Db, customerIds: readonly string[]): Promise<Map<string, CompanyGrantRow[]>> {
  const rows = await companyRows(db, ciMatches(groupCustomer.customerId, customerIds));
  return groupBy(rows, (r) => r.customerId.toLowerCase(), (r) => r);
}

/** Company rows on these groups (all contexts), by group id. */
export async function companyRowsOnGroups(db: Db, groupIds: readonly number[]): Promise<Map<number, CompanyGrantRow[]>> {
  if (groupIds.length === 0) return new Map();
  return byGroupId(await companyRows(db, inArray(groupCustomer.groupId, [...groupIds])), (r) => r);
}

function companyRows(db: Db, where: ReturnType<typeof and>): Promise<CompanyGrantRow[]> {
  return db
    .select({
      customerId: groupCustomer.customerId,
      groupId: groupCustomer.groupId,
      key: groupCustomer.permissionKey,
      context: groupCustomer.permissionContext,
    })
    .from(groupCustomer)
    .where(and(where, eq(groupCustomer.permissionValue, 1)))
    .orderBy(asc(groupCustomer.customerId));
}

function byGroupId<R extends { groupId: number }, V>(rows: readonly R[], value: (row: R) => V): Map<number, V[]> {
  const result = new Map<number, V[]>();
  for (const row of rows) result.set(row.groupId, [...(result.get(row.groupId) ?? []), value(row)]);
  return result;
}
