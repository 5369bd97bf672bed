import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { compile, run, slot, type CompiledStatement } from '../db/prepared';
import type { Db } from '../db/client';
import type { GroupTable } from '../db/group-table';
import { groupCustomer, groupCustomerUser } from '../db/schema';
import { ciMatches, groupBy, NOW, type TupleRelation } from '../relations/tuple-relation';
import type { CompanyGrantRow, DirectGrantRow, GroupInfo } from './policy';

/** The two prepared reads of a groups table: all (by id), and those with given ids. */
const groupReads = new WeakMap<GroupTable, { all: CompiledStatement; byIds: CompiledStatement }>();

function groupStatements(db: Db, table: GroupTable) {
  let reads = groupReads.get(table);
  if (!reads) {
    const select = sql`SELECT ${table.id} AS "id", ${table.name} AS "name", ${table.comments} AS "comment", ${table.validId} AS "validId" FROM ${table}`;
    reads = {
      all: compile(db, sql`${select} ORDER BY ${table.id}`),
      byIds: compile(db, sql`${select} WHERE ${table.id} = ANY(${slot('ids')}::integer[])`),
    };
    groupReads.set(table, reads);
  }
  return reads;
}

/** All groups (a small table: read whole, once per request), or those with `ids`. */
export async function readGroups(db: Db, table: GroupTable, ids?: readonly number[]): Promise<GroupInfo[]> {
  if (ids?.length === 0) return [];
  const reads = groupStatements(db, table);
  return run<GroupInfo>(db, ids === undefined ? reads.all : reads.byIds, { ids });
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
let companyRowsOfStatement: CompiledStatement | null = null;

export async function companyRowsOf(db: Db, customerIds: readonly string[]): Promise<Map<string, CompanyGrantRow[]>> {
  if (customerIds.length === 0) return new Map();
  companyRowsOfStatement ??= compile(
    db,
    sql`SELECT ${groupCustomer.customerId} AS "customerId", ${groupCustomer.groupId} AS "groupId", ${groupCustomer.permissionKey} AS "key",
        ${groupCustomer.permissionContext} AS "context"
      FROM ${groupCustomer} WHERE ${ciMatches(groupCustomer.customerId, slot('ids'))} AND ${groupCustomer.permissionValue} = 1
      ORDER BY ${groupCustomer.customerId}`,
  );
  const rows = await run<CompanyGrantRow>(db, companyRowsOfStatement, { ids: customerIds });
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
