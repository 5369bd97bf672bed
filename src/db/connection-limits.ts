/** Bounds on PostgreSQL connections (config database.statementTimeoutMs / connectTimeoutMs). */
export interface ConnectionTimeouts {
  /** PostgreSQL cancels a statement running longer (0: no limit). */
  readonly statementTimeoutMs?: number;
  /** A connection attempt that gets no answer fails after this long. */
  readonly connectTimeoutMs?: number;
}

/** Reconnect pauses grow from 0.05 s to at most 0.5 s, so a restarted database is used again at once. */
const reconnectBackoffSeconds = (attempt: number) => Math.min(0.05 * 2 ** attempt, 0.5);

/**
 * postgres.js options and startup parameters for those bounds. The driver's default backoff grows
 * to 20 s and its connect timeout is 30 s: both far beyond "fail fast, recover within seconds".
 */
export function connectionLimits(timeouts: ConnectionTimeouts = {}) {
  const parameters: Record<string, string> = {};
  if (timeouts.statementTimeoutMs !== undefined) parameters.statement_timeout = String(timeouts.statementTimeoutMs);
  return {
    options: { connect_timeout: (timeouts.connectTimeoutMs ?? 2000) / 1000, backoff: reconnectBackoffSeconds },
    parameters,
  };
}
