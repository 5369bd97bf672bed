import { FilterParser } from 'ldapts';
import { z } from 'zod';
import type { FieldDef } from '../../field-map/field-def';
import { ConfigError, type ConfigIssue } from '../../config/issues';
import { expectColumns, expectLimit, expectStorage, selectedUserFields } from '../../config/map-checks';
import { selectionsSchema } from '../../field-map/selections';

/**
 * Settings of an LDAP customer-user backend (`Module: "LDAP"`), with OTOBO's key names and, where a
 * key is left out, the defaults of OTOBO's commented-out LDAP example (otobo-behaviour.md §10).
 * The bind password never appears in the config: it is named by UserPwEnv or UserPwFile.
 */

const flag = z.union([z.literal(0), z.literal(1), z.boolean()], { error: 'must be 0 or 1' }).transform((v) => v === true || v === 1);
const positiveInt = z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).positive({ error: 'must be positive' });
const attributeList = z.array(z.string({ error: 'must be an LDAP attribute name' }));

/** Admin-written filter text (never user input), checked at startup so a typo cannot fail requests. */
const ldapFilter = z.string().superRefine((text, ctx) => {
  try {
    FilterParser.parseString(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a valid LDAP filter: ${(error as Error).message}` });
  }
});

const tls = z.strictObject({
  /** PEM file of the CA that signed the directory's certificate (default: Node's CA list). */
  CAFile: z.string().min(1).optional(),
  RejectUnauthorized: flag.default(true),
});

const params = z
  .strictObject({
    /** Host name, or a URL `ldap://host:389` / `ldaps://host:636`. */
    Host: z.string().min(1, { error: 'Host is required' }),
    /** Only with a bare host name (then ldap://, default 389); for LDAPS give an ldaps:// Host. */
    Port: z.number().int().min(1).max(65535).optional(),
    BaseDN: z.string().min(1, { error: 'BaseDN is required' }),
    SSCOPE: z.enum(['one', 'sub'], { error: 'SSCOPE must be "one" or "sub"' }),
    /** Bind account; anonymous when absent. */
    UserDN: z.string().min(1).optional(),
    UserPw: z
      .never({ error: 'a password is never written into the config: name an environment variable (UserPwEnv) or a file (UserPwFile) holding it' })
      .optional(),
    UserPwEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' }).optional(),
    UserPwFile: z.string().min(1).optional(),
    AlwaysFilter: ldapFilter.optional(),
    /** LDAPv3 directory strings are UTF-8 (RFC 4517); transcoding legacy bytes is not offered. */
    SourceCharset: z
      .string()
      .refine((charset) => /^utf-?8$/i.test(charset), {
        error: 'only UTF-8 is supported (LDAPv3 directory strings are UTF-8); convert the directory or leave the key out',
      })
      .optional(),
    ConnectTimeoutMs: positiveInt.default(3000),
    /** Per operation (bind, search, modify); a directory that stops answering fails after this. */
    TimeoutMs: positiveInt.default(10000),
    /** Entries per page of the paged-results control; keep it at or below the server's size limit. */
    PageSize: positiveInt.default(500),
    /** Connections to the directory; each runs one operation (a paged search …) at a time. */
    PoolSize: positiveInt.default(4),
    StartTLS: flag.default(false),
    TLS: tls.optional(),
    /** Only members of this group entry are users of the backend. */
    GroupDN: z.string().min(1).optional(),
    /** The group's member attribute, holding logins (UserAttr UID) or user DNs (UserAttr DN). */
    AccessAttr: z.string().min(1).default('memberUid'),
    UserAttr: z.enum(['UID', 'DN'], { error: 'UserAttr must be "UID" or "DN"' }).default('UID'),
  })
  .superRefine((p, ctx) => {
    if (p.UserDN !== undefined && (p.UserPwEnv === undefined) === (p.UserPwFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['UserDN'], message: 'a bind account needs exactly one of UserPwEnv or UserPwFile' });
    }
    if (p.UserDN === undefined && (p.UserPwEnv !== undefined || p.UserPwFile !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['UserDN'], message: 'a bind password is given but no UserDN' });
    }
    if (/^ldaps?:\/\//i.test(p.Host) && p.Port !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['Port'], message: 'give the port in the Host URL or with a bare host name, not both' });
    }
    if (p.TLS !== undefined && !p.StartTLS && !/^ldaps:\/\//i.test(p.Host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TLS'],
        message: 'TLS settings need an encrypted connection: set StartTLS to 1 or give an ldaps:// Host (as it is, the connection would be clear text)',
      });
    }
    if (/^ldaps:\/\//i.test(p.Host) && p.StartTLS) {
      ctx.addIssue({ code: 'custom', path: ['StartTLS'], message: 'StartTLS upgrades a plain ldap:// connection; an ldaps:// Host is encrypted already' });
    }
  });

const LDAP_MODULES = ['LDAP', 'Kernel::System::CustomerUser::LDAP'] as const;

/** Whether raw backend settings choose this module (the config schema dispatches on it). */
export function isLdapModule(raw: unknown): boolean {
  const module = typeof raw === 'object' && raw !== null ? (raw as { Module?: unknown }).Module : undefined;
  return (LDAP_MODULES as readonly unknown[]).includes(module);
}

export const ldapBackendSchema = z.strictObject({
  Name: z.string().default('LDAP Backend'),
  Module: z.enum(LDAP_MODULES, { error: 'Module must be "LDAP" (or "Kernel::System::CustomerUser::LDAP")' }).transform(() => 'LDAP' as const),
  Params: params,
  CustomerKey: z.string().default('uid'),
  CustomerID: z.string().default('mail'),
  CustomerUserListFields: attributeList.default(['cn', 'mail']),
  CustomerUserSearchFields: attributeList.min(1, { error: 'at least one search attribute is needed' }).default(['uid', 'cn', 'mail']),
  CustomerUserSearchPrefix: z.string().default(''),
  CustomerUserSearchSuffix: z.string().default('*'),
  CustomerUserSearchListLimit: positiveInt.default(250),
  CustomerUserPostMasterSearchFields: attributeList.min(1, { error: 'at least one email attribute is needed' }).default(['mail']),
  CustomerUserNameFields: attributeList.min(1, { error: 'at least one name attribute is needed' }).default(['givenName', 'sn']),
  CustomerUserNameFieldsJoin: z.string().default(' '),
  /** Valid users match it (ValidID 1), all others are invalid (ValidID 2); without it all are valid. */
  CustomerUserValidFilter: ldapFilter.nullable().default(null),
  CustomerUserEmailUniqCheck: flag.default(false),
  CustomerUserExcludePrimaryCustomerID: flag.default(false),
  CustomerCompanySupport: flag.default(false),
  CacheTTL: z.number().int().nonnegative().default(0),
  ReadOnly: flag.default(true),
  Map: z.array(z.unknown()),
  Selections: selectionsSchema,
});

export type LdapBackendSettings = z.infer<typeof ldapBackendSchema>;

export interface LdapBackendConfig extends Omit<LdapBackendSettings, 'Map' | 'Selections'> {
  /** The config key: `CustomerUser`, `CustomerUser1` … `CustomerUser10`. */
  readonly id: string;
  readonly fields: readonly FieldDef[];
}

/** Parses and checks one LDAP backend's settings; throws a ConfigError whose paths start at `id`. */
export function parseLdapBackend(id: string, raw: unknown, maxSearchLimit: number): LdapBackendConfig {
  const parsed = ldapBackendSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i): ConfigIssue => ({ path: [id, ...i.path], message: i.message })));
  }
  const issues: ConfigIssue[] = [];
  const config = checkLdapBackend(id, parsed.data, maxSearchLimit, issues);
  if (issues.length > 0) throw new ConfigError(issues);
  return config;
}

/**
 * The checks a schema cannot make, issues added to `issues`. Attribute names are case-insensitive
 * in LDAP, so the attribute lists and key settings may spell a Map storage name in any case; they
 * are rewritten to the Map's spelling.
 */
export function checkLdapBackend(id: string, settings: LdapBackendSettings, maxSearchLimit: number, issues: ConfigIssue[]): LdapBackendConfig {
  const { Map: rawMap, Selections: selections, ...rest } = settings;
  const fields = selectedUserFields(id, rawMap, selections, issues);
  const spelled = (name: string) => fields.find((f) => f.storage.toLowerCase() === name.toLowerCase())?.storage ?? name;
  const spelledAll = (names: readonly string[]) => names.map(spelled);
  const config: LdapBackendConfig = {
    ...rest,
    id,
    fields,
    CustomerKey: spelled(rest.CustomerKey),
    CustomerID: spelled(rest.CustomerID),
    CustomerUserListFields: spelledAll(rest.CustomerUserListFields),
    CustomerUserSearchFields: spelledAll(rest.CustomerUserSearchFields),
    CustomerUserPostMasterSearchFields: spelledAll(rest.CustomerUserPostMasterSearchFields),
    CustomerUserNameFields: spelledAll(rest.CustomerUserNameFields),
  };
  const storageOf = (attribute: string) => fields.find((f) => f.attribute === attribute)?.storage;
  expectStorage(issues, [id, 'CustomerKey'], config.CustomerKey, storageOf('UserLogin'), 'UserLogin');
  expectStorage(issues, [id, 'CustomerID'], config.CustomerID, storageOf('UserCustomerID'), 'UserCustomerID');
  // The search and email attributes are only matched by the directory, so, as in OTOBO, they may be
  // attributes the Map does not read (e.g. `cn`); the list and name fields need the Map's values.
  const readable = fields.filter((f) => f.role !== 'password');
  for (const key of ['CustomerUserListFields', 'CustomerUserNameFields'] as const) expectColumns(issues, [id, key], config[key], readable, 'any');
  expectLimit(issues, [id, 'CustomerUserSearchListLimit'], config.CustomerUserSearchListLimit, maxSearchLimit);
  return config;
}
