import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  foreignKey,
  index,
  integer,
  jsonb,
  pgSchema,
  pgTable,
  serial,
  smallint,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

/**
 * The tables drizzle-kit owns and migrates. OTOBO's tables keep OTOBO's names, columns and
 * types (scripts/database/otobo-schema.xml; DATE is timestamp(0) without time zone) so this server
 * can later run over an OTOBO/Znuny database. Deliberate differences, all additive:
 *  - case-insensitive (lower(…) COLLATE "C") unique and lookup indexes, and pg_trgm indexes for search;
 *  - the login columns of relation tables are 191 wide like customer_user.login (OTOBO: 100),
 *    so that a rename to a long login can carry its relations;
 *  - create_by/change_by carry no foreign key to users (OTOBO's FKs there are circular with valid).
 * Map columns beyond the base schema (e.g. `room`) are not declared here: the server adds them to its
 * runtime table definition from the configured Map, and `npm run db:add-map-columns` creates them.
 * Our own tables are prefixed `gql_` and live in their own PostgreSQL schema, apart from OTOBO's.
 */

/** Everything of ours (tokens, audit log, migration bookkeeping); never OTOBO's schema. */
export const OWN_SCHEMA = 'customer_graphql';
export const ownSchema = pgSchema(OWN_SCHEMA);

const timestamp0 = (name: string) => timestamp(name, { precision: 0, mode: 'string' });
const audited = {
  createTime: timestamp0('create_time').notNull(),
  createBy: integer('create_by').notNull(),
  changeTime: timestamp0('change_time').notNull(),
  changeBy: integer('change_by').notNull(),
};
/** A case-insensitive key expression; "C" keeps ordering identical on every server locale. */
const ci = (column: AnyPgColumn) => sql`lower(${column}) COLLATE "C"`;

export const valid = pgTable('valid', {
  // OTOBO declares an auto-increment SMALLINT; the three rows are fixed, so a plain key suffices.
  id: smallint('id').primaryKey(),
  name: varchar('name', { length: 191 }).notNull(),
  ...audited,
}, (t) => [uniqueIndex('valid_name').on(t.name)]);

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  login: varchar('login', { length: 191 }).notNull(),
  pw: varchar('pw', { length: 128 }).notNull(),
  title: varchar('title', { length: 50 }),
  firstName: varchar('first_name', { length: 100 }).notNull(),
  lastName: varchar('last_name', { length: 100 }).notNull(),
  validId: smallint('valid_id').notNull().references(() => valid.id),
  ...audited,
}, (t) => [uniqueIndex('users_login').on(t.login)]);

export const customerCompany = pgTable('customer_company', {
  customerId: varchar('customer_id', { length: 150 }).primaryKey(),
  name: varchar('name', { length: 191 }).notNull(),
  street: varchar('street', { length: 200 }),
  zip: varchar('zip', { length: 200 }),
  city: varchar('city', { length: 200 }),
  country: varchar('country', { length: 200 }),
  url: varchar('url', { length: 200 }),
  comments: varchar('comments', { length: 250 }),
  validId: smallint('valid_id').notNull(),
  ...audited,
}, (t) => [
  uniqueIndex('customer_company_name').on(t.name),
  uniqueIndex('customer_company_customer_id_ci').on(ci(t.customerId)),
  uniqueIndex('customer_company_name_ci').on(ci(t.name)),
  index('customer_company_customer_id_trgm').using('gin', sql`${t.customerId} gin_trgm_ops`),
  index('customer_company_name_trgm').using('gin', sql`${t.name} gin_trgm_ops`),
]);

export const customerUser = pgTable('customer_user', {
  id: serial('id').primaryKey(),
  login: varchar('login', { length: 191 }).notNull(),
  email: varchar('email', { length: 150 }).notNull(),
  customerId: varchar('customer_id', { length: 150 }).notNull(),
  pw: varchar('pw', { length: 128 }),
  title: varchar('title', { length: 50 }),
  firstName: varchar('first_name', { length: 100 }).notNull(),
  lastName: varchar('last_name', { length: 100 }).notNull(),
  phone: varchar('phone', { length: 150 }),
  fax: varchar('fax', { length: 150 }),
  mobile: varchar('mobile', { length: 150 }),
  street: varchar('street', { length: 150 }),
  zip: varchar('zip', { length: 200 }),
  city: varchar('city', { length: 200 }),
  country: varchar('country', { length: 200 }),
  comments: varchar('comments', { length: 250 }),
  validId: smallint('valid_id').notNull().references(() => valid.id),
  ...audited,
}, (t) => [
  uniqueIndex('customer_user_login').on(t.login),
  uniqueIndex('customer_user_login_ci').on(ci(t.login)),
  index('customer_user_email_ci').on(ci(t.email)),
  index('customer_user_customer_id_ci').on(ci(t.customerId)),
  index('customer_user_login_trgm').using('gin', sql`${t.login} gin_trgm_ops`),
  index('customer_user_email_trgm').using('gin', sql`${t.email} gin_trgm_ops`),
  index('customer_user_first_name_trgm').using('gin', sql`${t.firstName} gin_trgm_ops`),
  index('customer_user_last_name_trgm').using('gin', sql`${t.lastName} gin_trgm_ops`),
  index('customer_user_customer_id_trgm').using('gin', sql`${t.customerId} gin_trgm_ops`),
]);

export const customerUserCustomer = pgTable('customer_user_customer', {
  userId: varchar('user_id', { length: 191 }).notNull(),
  customerId: varchar('customer_id', { length: 150 }).notNull(),
  ...audited,
}, (t) => [
  index('customer_user_customer_user_id').on(t.userId),
  index('customer_user_customer_customer_id').on(t.customerId),
  index('customer_user_customer_user_id_ci').on(ci(t.userId)),
  index('customer_user_customer_customer_id_ci').on(ci(t.customerId)),
]);

export const customerPreferences = pgTable('customer_preferences', {
  userId: varchar('user_id', { length: 191 }).notNull(),
  preferencesKey: varchar('preferences_key', { length: 150 }).notNull(),
  preferencesValue: varchar('preferences_value', { length: 250 }),
}, (t) => [index('customer_preferences_user_id').on(t.userId), index('customer_preferences_user_id_ci').on(ci(t.userId))]);

/** The group table's columns: its name differs by OTOBO/Znuny version (src/permissions/group-table.ts). */
export const groupColumns = () => ({
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 191 }).notNull(),
  comments: varchar('comments', { length: 250 }),
  validId: smallint('valid_id').notNull().references(() => valid.id),
  ...audited,
});

export const groupsTable = pgTable('groups_table', groupColumns(), (t) => [uniqueIndex('groups_name').on(t.name)]);

export const groupCustomerUser = pgTable('group_customer_user', {
  userId: varchar('user_id', { length: 191 }).notNull(),
  groupId: integer('group_id').notNull().references(() => groupsTable.id),
  permissionKey: varchar('permission_key', { length: 20 }).notNull(),
  permissionValue: smallint('permission_value').notNull(),
  ...audited,
}, (t) => [
  index('group_customer_user_user_id').on(t.userId),
  index('group_customer_user_group_id').on(t.groupId),
  index('group_customer_user_user_id_ci').on(ci(t.userId)),
]);

export const groupCustomer = pgTable('group_customer', {
  customerId: varchar('customer_id', { length: 150 }).notNull(),
  groupId: integer('group_id').notNull(),
  permissionKey: varchar('permission_key', { length: 20 }).notNull(),
  permissionValue: smallint('permission_value').notNull(),
  permissionContext: varchar('permission_context', { length: 100 }).notNull(),
  ...audited,
}, (t) => [
  index('group_customer_customer_id').on(t.customerId),
  index('group_customer_group_id').on(t.groupId),
  index('group_customer_customer_id_ci').on(ci(t.customerId)),
  foreignKey({ columns: [t.groupId], foreignColumns: [groupsTable.id] }),
]);

export const service = pgTable('service', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 191 }).notNull(),
  validId: smallint('valid_id').notNull().references(() => valid.id),
  comments: varchar('comments', { length: 250 }),
  ...audited,
}, (t) => [uniqueIndex('service_name').on(t.name)]);

export const serviceCustomerUser = pgTable('service_customer_user', {
  customerUserLogin: varchar('customer_user_login', { length: 191 }).notNull(),
  serviceId: integer('service_id').notNull().references(() => service.id),
  createTime: timestamp0('create_time').notNull(),
  createBy: integer('create_by').notNull(),
}, (t) => [
  index('service_customer_user_customer_user_login').on(sql`substr(${t.customerUserLogin}, 1, 10)`),
  index('service_customer_user_service_id').on(t.serviceId),
  index('service_customer_user_customer_user_login_ci').on(ci(t.customerUserLogin)),
]);

/** API credentials: only the SHA-256 of a token is stored. */
export const gqlApiToken = ownSchema.table('gql_api_token', {
  id: serial('id').primaryKey(),
  name: varchar('name', { length: 100 }).notNull(),
  role: varchar('role', { length: 20 }).notNull(),
  tokenSha256: varchar('token_sha256', { length: 64 }).notNull(),
  agentId: integer('agent_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
}, (t) => [uniqueIndex('gql_api_token_name').on(t.name), uniqueIndex('gql_api_token_sha256').on(t.tokenSha256)]);

/** One row per change of a customer user or customer: who, when, which fields old → new. */
export const gqlAuditLog = ownSchema.table('gql_audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  entityType: varchar('entity_type', { length: 40 }).notNull(),
  entityKey: varchar('entity_key', { length: 191 }).notNull(),
  action: varchar('action', { length: 20 }).notNull(),
  actor: varchar('actor', { length: 150 }).notNull(),
  agentId: integer('agent_id').notNull(),
  changes: jsonb('changes').notNull(),
}, (t) => [index('gql_audit_log_entity').on(t.entityType, ci(t.entityKey), t.id)]);
