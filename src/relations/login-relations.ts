import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { compile, run, slot, type CompiledStatement } from '../db/prepared';
import { customerUserCustomer, groupCustomerUser, serviceCustomerUser } from '../db/schema';
import { compareText, type DirectGrantRow } from '../permissions/policy';
import { ciMatches } from './tuple-relation';

/** Everything the relation tables store under one login. */
export interface LoginRelations {
  /** Extra customers (customer_user_customer), ordered by CustomerID. */
  readonly extraCustomerIds: readonly string[];
  /** Direct group permissions with value 1 (group_customer_user), by group id, then type. */
  readonly directGrants: readonly DirectGrantRow[];
  /** Own service assignments (service_customer_user), valid or not. */
  readonly serviceIds: readonly number[];
}

const EMPTY: LoginRelations = { extraCustomerIds: [], directGrants: [], serviceIds: [] };

type Row = { kind: 'c' | 'g' | 's'; login: string; ref: string; key: string | null };

/**
 * The three login-keyed relation tables read in ONE prepared statement for a batch of logins: a
 * page of users with customers, groups and services then costs one round trip for all of them.
 * Its text is fixed (the logins are one array), so it is parsed once per connection.
 */
let compiled: CompiledStatement | null = null;
function statement(db: Db): CompiledStatement {
  const logins = slot('logins');
  return (compiled ??= compile(db, sql`
    SELECT 'c' AS kind, ${customerUserCustomer.userId} AS login, ${customerUserCustomer.customerId} AS ref, NULL AS key
      FROM ${customerUserCustomer} WHERE ${ciMatches(customerUserCustomer.userId, logins)}
    UNION ALL
    SELECT 'g', ${groupCustomerUser.userId}, ${groupCustomerUser.groupId}::text, ${groupCustomerUser.permissionKey}
      FROM ${groupCustomerUser} WHERE ${ciMatches(groupCustomerUser.userId, logins)} AND ${groupCustomerUser.permissionValue} = 1
    UNION ALL
    SELECT 's', ${serviceCustomerUser.customerUserLogin}, ${serviceCustomerUser.serviceId}::text, NULL
      FROM ${serviceCustomerUser} WHERE ${ciMatches(serviceCustomerUser.customerUserLogin, logins)}`));
}

export async function readLoginRelations(db: Db, logins: readonly string[]): Promise<Map<string, LoginRelations>> {
  const rows = logins.length === 0 ? [] : await run<Row>(db, statement(db), { logins });
  const byLogin = new Map<string, { extraCustomerIds: string[]; directGrants: DirectGrantRow[]; serviceIds: number[] }>();
  for (const row of rows) {
    const key = row.login.toLowerCase();
    const entry = byLogin.get(key) ?? { extraCustomerIds: [], directGrants: [], serviceIds: [] };
    byLogin.set(key, entry);
    if (row.kind === 'c') entry.extraCustomerIds.push(row.ref);
    else if (row.kind === 'g') entry.directGrants.push({ groupId: Number(row.ref), key: row.key! });
    else entry.serviceIds.push(Number(row.ref));
  }
  for (const entry of byLogin.values()) {
    entry.extraCustomerIds.sort(compareText);
    entry.directGrants.sort((a, b) => a.groupId - b.groupId || compareText(a.key, b.key));
    entry.serviceIds.sort((a, b) => a - b);
  }
  return byLogin;
}

export function relationsOf(map: ReadonlyMap<string, LoginRelations>, login: string): LoginRelations {
  return map.get(login.toLowerCase()) ?? EMPTY;
}
