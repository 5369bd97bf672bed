import { z } from 'zod';
import { isLdapModule, ldapBackendSchema } from '../backends/ldap/settings';
import { selectionsSchema } from '../field-map/selections';

/**
 * The shape of the configuration (defaults ← local file ← environment, merged before parsing).
 * OTOBO's own settings keep OTOBO's key names so an administrator can carry them over from
 * Kernel/Config.pm; the server's own sections (server, database, auth, …) are lower-camel.
 * Objects are strict: a misspelt key is an error, not silently ignored.
 */

const flag = z.union([z.literal(0), z.literal(1), z.boolean()], { error: 'must be 0 or 1' }).transform((v) => v === true || v === 1);
const positiveInt = z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).positive({ error: 'must be positive' });
const columnList = z.array(z.string({ error: 'must be a column name' }));
const regexSource = z
  .string({ error: 'must be a regular expression or null' })
  .nullable()
  .superRefine((source, ctx) => {
    if (source === null) return;
    try {
      new RegExp(source, 'i');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(error as Error).message}` });
    }
  });
/** OTOBO names backend modules by Perl class; both spellings are accepted. */
const dbModule = (error: string) =>
  z.enum(['DB', 'Kernel::System::CustomerUser::DB', 'Kernel::System::CustomerCompany::DB'], { error }).transform(() => 'DB' as const);

const params = z.strictObject({
  Table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be a table name' }),
  SearchCaseSensitive: flag,
});

/**
 * A customer-user table may live in another PostgreSQL (OTOBO's Params.DSN). User/Password, when
 * given, replace the DSN's own: the secret can then come from the environment
 * (CONFIG__CustomerUser1__Params__Password) while the DSN sits in a config file.
 */
const userParams = params.extend({
  DSN: z.string().regex(/^postgres(ql)?:\/\/[^/]/, { error: 'must be a postgres:// URL' }).optional(),
  User: z.string().min(1).optional(),
  Password: z.string().optional(),
});

export const dbUserBackendSchema = z.strictObject({
  Name: z.string(),
  Module: dbModule('Module must be "DB" or "LDAP" (or their Kernel::System::CustomerUser:: names)'),
  Params: userParams,
  CustomerKey: z.string(),
  CustomerID: z.string(),
  CustomerValid: z.string().nullable(),
  CustomerUserListFields: columnList,
  CustomerUserSearchFields: columnList.min(1, { error: 'at least one search column is needed' }),
  CustomerUserSearchPrefix: z.string(),
  CustomerUserSearchSuffix: z.string(),
  CustomerUserSearchListLimit: positiveInt,
  CustomerUserPostMasterSearchFields: columnList.min(1, { error: 'at least one email column is needed' }),
  CustomerUserNameFields: columnList.min(1, { error: 'at least one name column is needed' }),
  CustomerUserNameFieldsJoin: z.string(),
  CustomerUserEmailUniqCheck: flag,
  CustomerUserExcludePrimaryCustomerID: flag,
  CustomerCompanySupport: flag,
  CacheTTL: z.number().int().nonnegative(),
  /** A backend with a connection of its own that takes longer counts as unavailable (BACKEND_UNAVAILABLE). */
  TimeoutMs: positiveInt,
  ReadOnly: flag,
  // Rows are validated by buildFieldDefs, which reports positions like Map[16][5].
  Map: z.array(z.unknown()),
  Selections: selectionsSchema,
});

export const customerCompanyBackendSchema = z.strictObject({
  Name: z.string(),
  Module: dbModule('Module must be "DB" (customers come from the database)'),
  Params: params,
  CustomerCompanyKey: z.string(),
  CustomerCompanyValid: z.string().nullable(),
  CustomerCompanyListFields: columnList,
  CustomerCompanySearchFields: columnList.min(1, { error: 'at least one search column is needed' }),
  CustomerCompanySearchPrefix: z.string(),
  CustomerCompanySearchSuffix: z.string(),
  CustomerCompanySearchListLimit: positiveInt,
  CacheTTL: z.number().int().nonnegative(),
  ReadOnly: flag,
  Map: z.array(z.unknown()),
});

/**
 * A customer-user backend is a database table or an LDAP directory, told apart by its Module; the
 * issues of the chosen shape keep their key paths (a union would report "Invalid input" for both).
 */
const customerUserBackendSchema = z.unknown().transform((raw, ctx) => {
  const parsed = (isLdapModule(raw) ? ldapBackendSchema : dbUserBackendSchema).safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

/** Optional further sources (OTOBO's CustomerUser1 … CustomerUser10), visited after CustomerUser. */
const additionalUserBackend = customerUserBackendSchema.optional();

/** The customer-user backend keys in the order lookups visit them. */
export const CUSTOMER_USER_BACKEND_KEYS = [
  'CustomerUser',
  ...Array.from({ length: 10 }, (_, i) => `CustomerUser${i + 1}` as const),
] as const;

const tokenSchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    /** The token itself (convenient for tests), or … */
    token: z.string().min(24, { error: 'a token needs at least 24 characters' }).optional(),
    /** … its SHA-256 in hex (recommended: the config file then holds no secret). */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lower-case hex digits' }).optional(),
    role: z.enum(['admin', 'reader'], { error: 'role must be "admin" or "reader"' }),
    /** The OTOBO agent (users.id) recorded as create_by/change_by for this token's writes. */
    agentId: positiveInt.default(1),
  })
  .refine((t) => (t.token === undefined) !== (t.sha256 === undefined), {
    error: 'give exactly one of token or sha256',
  });

/** One `CustomerGroupPermissionContext###…` item: code refers to a context by its Value. */
const permissionContext = z.strictObject({ Value: z.string().min(1).max(100), Name: z.string(), Enabled: flag });
const groupNames = z.array(z.string({ error: 'must be a group name' }));

export const configSchema = z.strictObject({
  server: z.strictObject({
    host: z.string(),
    port: z.number().int().min(0).max(65535),
    graphqlPath: z.string().startsWith('/'),
    graphiql: z.boolean(),
    /** false: queries of __schema/__type are refused (FEATURE_DISABLED); GraphiQL's docs then stay empty. */
    introspection: z.boolean(),
    /** Browser origins allowed to call the API; none by default (same-origin only). */
    cors: z
      .strictObject({
        origins: z.union([z.literal('*'), z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, { error: 'must be an origin such as https://desk.example.com (no path, no trailing slash)' }))]),
        credentials: z.boolean(),
      })
      .refine((cors) => !(cors.origins === '*' && cors.credentials), { error: 'credentials need a list of origins: "*" with credentials would let any web page act with its visitors\' credentials' }),
    /** Larger request bodies are refused with 413 before they are parsed. */
    maxBodyBytes: positiveInt,
    /** On SIGTERM/SIGINT, how long in-flight requests may still run before connections are cut. */
    shutdownGraceMs: z.number().int().min(0),
  }),
  database: z.strictObject({
    /** postgres://… selects PostgreSQL; null means the embedded PGlite in pgliteDir. */
    url: z.string().regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// URL' }).nullable(),
    /** A directory, or "memory://" for a throw-away database. */
    pgliteDir: z.string().min(1),
    poolSize: positiveInt,
    /** PostgreSQL cancels statements running longer (0: no limit). Not enforced by PGlite. */
    statementTimeoutMs: z.number().int().min(0),
    /** A connection attempt without an answer fails after this long. */
    connectTimeoutMs: positiveInt,
    /** At startup, how long to wait for an unreachable PostgreSQL before giving up (0: forever). */
    startupWaitMs: z.number().int().min(0),
    /** How long the groups and services tables are shared by requests (see CatalogCache). */
    catalogCacheMs: z.number().int().min(0),
  }),
  auth: z.strictObject({
    tokens: z.array(tokenSchema),
    bootstrapAdminToken: z.boolean(),
  }),
  log: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  }),
  limits: z.strictObject({
    maxSearchLimit: positiveInt,
    maxSearchesPerRequest: positiveInt,
    maxConcurrentSearches: positiveInt,
    /** A search asking for more rows than this is large: one large search runs at a time. */
    largeSearchLimit: positiveInt,
    maxDepth: positiveInt,
    maxAliases: positiveInt,
    maxCost: positiveInt,
    maxRows: positiveInt,
    maxTokens: positiveInt,
    maxSearchLength: positiveInt,
    maxSearchTerms: positiveInt,
    maxSearchAlternatives: positiveInt,
    maxPatternLength: positiveInt,
    maxListEntries: positiveInt,
  }),
  passwords: z.strictObject({
    generatedLength: z.number().int().min(8, { error: 'must be at least 8' }).max(72, { error: 'must be at most 72' }),
    bcryptCost: z.number().int().min(4, { error: 'must be at least 4' }).max(31, { error: 'must be at most 31' }),
    /** Hashing worker threads; 0: one per core but one (at least one). */
    hashThreads: z.number().int().nonnegative(),
    /** Hashes that may wait for a thread; beyond that a write answers BUSY (HTTP 503). */
    hashQueue: positiveInt,
  }),
  CheckEmailAddresses: flag,
  CheckEmailValidAddress: regexSource,
  CheckEmailInvalidAddress: regexSource,
  CustomerGroupSupport: flag,
  CustomerGroupAlwaysGroups: groupNames,
  CustomerGroupCompanyAlwaysGroups: groupNames,
  'System::Customer::Permission': z
    .array(z.string().regex(/^[A-Za-z_]{1,20}$/, { error: 'must be a permission key of up to 20 letters' }))
    .refine((types) => types.includes('rw'), { error: 'must contain "rw" (it implies every other type)' })
    .refine((types) => new Set(types).size === types.length, { error: 'must not repeat a type' }),
  /** The SysConfig item keys OTOBO's code uses to find the two contexts. */
  CustomerGroupPermissionContext: z.strictObject({
    '001-CustomerID-same': permissionContext,
    '100-CustomerID-other': permissionContext,
  }).refine((c) => c['001-CustomerID-same'].Value !== c['100-CustomerID-other'].Value, { error: 'the two contexts need different Values' }),
  CustomerUser: customerUserBackendSchema,
  CustomerUser1: additionalUserBackend,
  CustomerUser2: additionalUserBackend,
  CustomerUser3: additionalUserBackend,
  CustomerUser4: additionalUserBackend,
  CustomerUser5: additionalUserBackend,
  CustomerUser6: additionalUserBackend,
  CustomerUser7: additionalUserBackend,
  CustomerUser8: additionalUserBackend,
  CustomerUser9: additionalUserBackend,
  CustomerUser10: additionalUserBackend,
  CustomerCompany: customerCompanyBackendSchema,
});

export type ParsedConfig = z.infer<typeof configSchema>;
export type DbUserBackendSettings = z.infer<typeof dbUserBackendSchema>;
export type CustomerUserBackendSettings = z.infer<typeof customerUserBackendSchema>;
export type CustomerCompanyBackendSettings = z.infer<typeof customerCompanyBackendSchema>;
export type TokenSettings = z.infer<typeof tokenSchema>;
