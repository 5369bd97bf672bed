import type { DbUserBackendConfig } from '../../config/semantics';
import { openDatabase, type Database } from '../../db/client';

/** Connections per external backend database: lookups are one statement each, batched per request. */
const EXTERNAL_POOL_SIZE = 2;

/** The DSN with Params.User/Params.Password filled in (they win over the DSN's own). */
export function externalDsn(params: DbUserBackendConfig['Params']): string {
  const url = new URL(params.DSN!);
  if (params.User !== undefined) url.username = encodeURIComponent(params.User);
  if (params.Password !== undefined) url.password = encodeURIComponent(params.Password);
  return url.toString();
}

/** A DSN fit for logs and error messages: the password replaced by `***`. */
export function redactedDsn(dsn: string): string {
  try {
    const url = new URL(dsn);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable DSN)';
  }
}

/**
 * The backend's own PostgreSQL (Params.DSN): a small pool whose connection attempts and statements
 * are bounded by the backend's TimeoutMs. Nothing is migrated there: it holds only the table.
 */
export function openExternalDatabase(config: DbUserBackendConfig): Promise<Database> {
  return openDatabase({
    url: externalDsn(config.Params),
    poolSize: EXTERNAL_POOL_SIZE,
    timeouts: { connectTimeoutMs: config.TimeoutMs, statementTimeoutMs: config.TimeoutMs },
  });
}
