import { asc } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customerUserCustomer } from '../db/schema';
import { ciMatches, groupBy, NOW, type TupleRelation } from './tuple-relation';

/** customer_user_customer: the customers a user belongs to besides its primary one, owned by the login. */
export const extraCustomers: TupleRelation<string> = {
  name: 'customer_user_customer',
  entityType: 'CustomerUser',
  field: 'extraCustomerIds',
  read: async (tx, logins) => {
    const rows = await tx
      .select({ login: customerUserCustomer.userId, customerId: customerUserCustomer.customerId })
      .from(customerUserCustomer)
      .where(ciMatches(customerUserCustomer.userId, logins));
    return groupBy(rows, (r) => r.login.toLowerCase(), (r) => r.customerId);
  },
  deleteOwners: async (tx, logins) => {
    await tx.delete(customerUserCustomer).where(ciMatches(customerUserCustomer.userId, logins));
  },
  insert: async (tx, rows, agentId) => {
    await tx.insert(customerUserCustomer).values(
      rows.map((r) => ({ userId: r.owner, customerId: r.tuple, createTime: NOW, createBy: agentId, changeTime: NOW, changeBy: agentId })),
    );
  },
  describe: (customerId) => customerId,
};

/** Logins that have these customers as an extra customer, by lower-cased CustomerID (sorted by login). */
export async function extraMembersOf(db: Db, customerIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await db
    .select({ login: customerUserCustomer.userId, customerId: customerUserCustomer.customerId })
    .from(customerUserCustomer)
    .where(ciMatches(customerUserCustomer.customerId, customerIds))
    .orderBy(asc(customerUserCustomer.userId));
  return groupBy(rows, (r) => r.customerId.toLowerCase(), (r) => r.login);
}
