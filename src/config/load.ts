import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import defaults from '../../config/defaults.json';
import { isLdapModule } from '../backends/ldap/settings';
import { ConfigError, type ConfigIssue } from './issues';
import { configSchema, CUSTOMER_USER_BACKEND_KEYS } from './schema';
import { checkSemantics, type AppConfig } from './semantics';

/** Where configuration comes from, lowest precedence first (like OTOBO's Defaults.pm ← Config.pm). */
export interface ConfigSources {
  /** Path of the local override file; `undefined` means `config/local.json` if it exists, `null` none. */
  readonly localFile?: string | null;
  /** Environment variables (shortcuts such as DATABASE_URL, and CONFIG__section__key=value). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Programmatic overrides, applied last (tests, tools). */
  readonly overrides?: unknown;
}

const DEFAULT_LOCAL_FILE = 'config/local.json';
const ENV_PREFIX = 'CONFIG__';

/** Environment variables with a conventional name: the config key each sets, and how to read it. */
const ENV_SHORTCUTS: Readonly<Record<string, { readonly path: readonly string[]; readonly parse: (value: string) => unknown }>> = {
  DATABASE_URL: { path: ['database', 'url'], parse: String },
  PGLITE_DIR: { path: ['database', 'pgliteDir'], parse: String },
  HOST: { path: ['server', 'host'], parse: String },
  PORT: { path: ['server', 'port'], parse: (value) => (/^\d+$/.test(value) ? Number(value) : value) },
  LOG_LEVEL: { path: ['log', 'level'], parse: String },
};

export function loadConfig(sources: ConfigSources = {}): AppConfig {
  const env = sources.env ?? {};
  let given: unknown = {};
  const localFile = sources.localFile === undefined ? (env.CONFIG_FILE ?? optionalFile(DEFAULT_LOCAL_FILE)) : sources.localFile;
  if (localFile) given = deepMerge(given, readJsonFile(localFile));
  given = deepMerge(given, fromEnv(env));
  if (sources.overrides !== undefined) given = deepMerge(given, sources.overrides);
  const merged = deepMerge(defaultsUnder(given), given);

  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i): ConfigIssue => ({ path: i.path, message: i.message })));
  }
  const { config, issues } = checkSemantics(parsed.data);
  if (!config) throw new ConfigError(issues);
  return config;
}

/**
 * The shipped defaults the given settings are merged onto. They are OTOBO's DB backend defaults,
 * so CustomerUser1 … CustomerUser10 of Module DB start from the shipped CustomerUser (Map
 * included; a second table needs only what differs, its Name and Params.Table, say), while an LDAP
 * backend starts from nothing of it: its own defaults are those of its settings schema.
 */
function defaultsUnder(given: unknown): Record<string, unknown> {
  const base: Record<string, unknown> = structuredClone(defaults);
  if (!isPlainObject(given)) return base;
  for (const key of CUSTOMER_USER_BACKEND_KEYS) {
    if (isLdapModule(given[key])) delete base[key];
    else if (given[key] !== undefined) base[key] = structuredClone(defaults.CustomerUser);
  }
  return base;
}

function optionalFile(path: string): string | null {
  return existsSync(path) ? path : null;
}

function readJsonFile(path: string): unknown {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw new ConfigError([{ path: [], message: `config file ${absolute} does not exist` }]);
  try {
    return JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    throw new ConfigError([{ path: [], message: `config file ${absolute} is not valid JSON: ${(error as Error).message}` }]);
  }
}

/**
 * `CONFIG__CustomerUser__CacheTTL=0` sets CustomerUser.CacheTTL to 0: values are JSON when they
 * parse as JSON (so a string that looks like a number needs quotes: '"123"'), else plain strings.
 */
function fromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const shortcut = ENV_SHORTCUTS[name];
    if (shortcut) {
      setPath(result, shortcut.path, shortcut.parse(value));
      continue;
    }
    const path = name.startsWith(ENV_PREFIX) ? name.slice(ENV_PREFIX.length).split('__') : null;
    if (path && !path.some((key) => key === '')) setPath(result, path, parseEnvValue(value));
  }
  return result;
}

function parseEnvValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((key) => {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  });
  node[path[path.length - 1]!] = value;
}

/** Objects merge key by key; arrays (such as a Map) and scalars replace what was there. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) result[key] = deepMerge(base[key], value);
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
