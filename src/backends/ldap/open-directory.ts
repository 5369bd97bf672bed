import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from '../../config/issues';
import { LdapConnection } from './connection';
import { LdapDirectory } from './directory';
import type { LdapBackendConfig } from './settings';

/** Where the bind password is looked up: the environment is passed in (only src/config reads it). */
export interface LdapSecretSources {
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The backend for parsed settings. Reads the bind password and the CA file now, so a missing
 * secret stops the server at startup with the key named; connecting waits for the first request.
 */
export function openLdapDirectory(config: LdapBackendConfig, secrets: LdapSecretSources): LdapDirectory {
  const { Params: params } = config;
  const connection = new LdapConnection({
    backendId: config.id,
    url: ldapUrl(params.Host, params.Port),
    startTls: params.StartTLS,
    tls: tlsOptions(config),
    connectTimeoutMs: params.ConnectTimeoutMs,
    timeoutMs: params.TimeoutMs,
    poolSize: params.PoolSize,
    bind: params.UserDN === undefined ? null : { dn: params.UserDN, password: bindPassword(config, secrets) },
  });
  return new LdapDirectory(config, connection);
}

export function ldapUrl(host: string, port: number | undefined): string {
  if (/^ldaps?:\/\//i.test(host)) return host;
  return `ldap://${host.includes(':') ? `[${host}]` : host}:${port ?? 389}`;
}

function bindPassword(config: LdapBackendConfig, { env }: LdapSecretSources): string {
  const { UserPwEnv, UserPwFile } = config.Params;
  if (UserPwEnv !== undefined) {
    const password = env[UserPwEnv];
    if (password === undefined) throw configError(config, ['UserPwEnv'], `environment variable ${UserPwEnv} is not set`);
    return password;
  }
  // One trailing newline is not part of a password file's secret (echo, Docker and Kubernetes secrets).
  return readConfiguredFile(config, ['UserPwFile'], UserPwFile!).replace(/\r?\n$/, '');
}

function tlsOptions(config: LdapBackendConfig): ConnectionOptions | undefined {
  const tls = config.Params.TLS;
  if (!tls) return undefined;
  const ca = tls.CAFile === undefined ? undefined : readConfiguredFile(config, ['TLS', 'CAFile'], tls.CAFile);
  return { rejectUnauthorized: tls.RejectUnauthorized, ...(ca ? { ca } : {}) };
}

function readConfiguredFile(config: LdapBackendConfig, key: readonly string[], path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw configError(config, key, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function configError(config: LdapBackendConfig, key: readonly string[], message: string): ConfigError {
  return new ConfigError([{ path: [config.id, 'Params', ...key], message }]);
}
