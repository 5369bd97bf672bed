import { sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import {
  customerPreferences,
  customerUserCustomer,
  groupCustomer,
  groupCustomerUser,
  serviceCustomerUser,
} from '../db/schema';

/**
 * OTOBO forgets some references when a login or CustomerID is renamed (group permissions, extra
 * customers). We move every reference in the same transaction as the rename. References are
 * matched case-insensitively because the identities are case-insensitive.
 */

const LOGIN_REFERENCES: readonly [PgTable, AnyPgColumn][] = [
  [customerUserCustomer, customerUserCustomer.userId],
  [groupCustomerUser, groupCustomerUser.userId],
  [serviceCustomerUser, serviceCustomerUser.customerUserLogin],
  [customerPreferences, customerPreferences.userId],
];

const CUSTOMER_ID_REFERENCES: readonly [PgTable, AnyPgColumn][] = [
  [customerUserCustomer, customerUserCustomer.customerId],
  [groupCustomer, groupCustomer.customerId],
];

export async function moveLoginReferences(tx: Db, oldLogin: string, newLogin: string): Promise<void> {
  for (const [table, column] of LOGIN_REFERENCES) await moveReferences(tx, table, column, oldLogin, newLogin);
}

export async function moveCustomerIdReferences(tx: Db, oldId: string, newId: string): Promise<void> {
  for (const [table, column] of CUSTOMER_ID_REFERENCES) await moveReferences(tx, table, column, oldId, newId);
}

async function moveReferences(tx: Db, table: PgTable, column: AnyPgColumn, from: string, to: string): Promise<void> {
  await tx.execute(
    sql`UPDATE ${table} SET ${sql.identifier(column.name)} = ${to} WHERE lower(${column}) COLLATE "C" = lower(${from})`,
  );
}
