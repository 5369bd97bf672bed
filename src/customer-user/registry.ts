import { openDbCustomerUserBackend } from '../backends/db/open-stores';
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
  /** An external DSN or a directory: bounded by TimeoutMs, its failures BACKEND_UNAVAILABLE. */
  readonly ownConnection: boolean;
}

/** The one place a configured Module becomes a backend. */
async function openBackend(config: CustomerUserBackendConfig, serverDatabase: Database): Promise<OpenedBackend> {
  switch (config.Module) {
    case 'DB': {
      const backend = await openDbCustomerUserBackend(config, serverDatabase);
      return { backend, ownConnection: !backend.inServerDatabase };
    }
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
  serverDatabase: Database,
  logger: Logger,
): Promise<CustomerUserBackend[]> {
  const settled = await Promise.allSettled(configs.map((config) => openBackend(config, serverDatabase)));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (failures.length > 0) {
    await Promise.all(settled.map((s) => (s.status === 'fulfilled' ? s.value.backend.close() : undefined)));
    const issues: ConfigIssue[] = failures.flatMap((f) => (f instanceof ConfigError ? f.issues : []));
    throw issues.length === failures.length ? new ConfigError(issues) : failures.find((f) => !(f instanceof ConfigError));
  }
  return settled.map((s, i) => {
    const { backend, ownConnection } = (s as PromiseFulfilledResult<OpenedBackend>).value;
    const config = configs[i]!;
    const guarded = ownConnection ? new GuardedBackend(backend, config.TimeoutMs, logger) : backend;
    return config.CacheTTL > 0 ? new CachedBackend(guarded, config.CacheTTL) : guarded;
  });
}
