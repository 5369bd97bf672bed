import { openDbCustomerUserBackend } from '../backends/db/open-stores';
import { openLdapDirectory, type LdapSecretSources } from '../backends/ldap/open-directory';
import { ConfigError, type ConfigIssue } from '../config/issues';
import type { CustomerUserBackendConfig } from '../config/semantics';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import type { CustomerUserBackend } from './backend';
import { CachedBackend } from './cached-backend';
import { GuardedBackend } from './guarded-backend';

/** A backend as its module opened it, and whether it talks to anything but the server's database. */
interface OpenedBackend {
  readonly backend: CustomerUserBackend;
  /**
   * An external DSN or a directory: each call bounded by this many ms (TimeoutMs; for a directory
   * its Params.TimeoutMs), its failures BACKEND_UNAVAILABLE. Null: the server's own database.
   */
  readonly callTimeoutMs: number | null;
}

/** What opening a backend may need besides its config. */
export interface BackendSources extends LdapSecretSources {
  readonly serverDatabase: Database;
}

/** The one place a configured Module becomes a backend. */
async function openBackend(config: CustomerUserBackendConfig, sources: BackendSources): Promise<OpenedBackend> {
  switch (config.Module) {
    case 'DB': {
      const backend = await openDbCustomerUserBackend(config, sources.serverDatabase);
      return { backend, callTimeoutMs: backend.inServerDatabase ? null : config.TimeoutMs };
    }
    case 'LDAP':
      return { backend: openLdapDirectory(config, sources), callTimeoutMs: config.Params.TimeoutMs };
  }
}

/**
 * Opens CustomerUser, CustomerUser1 … CustomerUser10 (in that order), each checked against its
 * storage; every problem of every backend is reported at once, and nothing stays open on failure.
 * Backends with a connection of their own are guarded (timeout, BACKEND_UNAVAILABLE); those with a
 * CacheTTL are cached.
 */
export async function openCustomerUserBackends(
  configs: readonly CustomerUserBackendConfig[],
  sources: BackendSources,
  logger: Logger,
): Promise<CustomerUserBackend[]> {
  const settled = await Promise.allSettled(configs.map((config) => openBackend(config, sources)));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (failures.length > 0) {
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.backend.close() : undefined)));
    const issues: ConfigIssue[] = failures.flatMap((f) => (f instanceof ConfigError ? f.issues : []));
    throw issues.length === failures.length ? new ConfigError(issues) : failures.find((f) => !(f instanceof ConfigError));
  }
  return settled.map((s, i) => {
    const { backend, callTimeoutMs } = (s as PromiseFulfilledResult<OpenedBackend>).value;
    const guarded = callTimeoutMs === null ? backend : new GuardedBackend(backend, callTimeoutMs, logger);
    return configs[i]!.CacheTTL > 0 ? new CachedBackend(guarded, configs[i]!.CacheTTL) : guarded;
  });
}
