import { DomainError } from '../errors';
import type { Logger } from '../logger';

/**
 * Failures that say "the database cannot be reached right now", not "this statement is wrong":
 * socket errors, postgres.js's own connection codes, and PostgreSQL's shutdown/startup states.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND', // a database host name that does not resolve (yet: containers start in any order)
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin_shutdown (pg_ctl stop -m fast)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up or shutting down)
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '53300', // too_many_connections
]);

/** The error code of a failure or of anything in its `cause` chain (drizzle wraps driver errors). */
export function failureCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 8; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown; originalError?: unknown }).cause ?? (current as { originalError?: unknown }).originalError;
  }
  return codes;
}

export function isDatabaseUnreachable(error: unknown): boolean {
  return failureCodes(error).some((code) => UNREACHABLE_CODES.has(code));
}

/** Retryable, HTTP 503 with Retry-After (yoga reads and strips `extensions.http`, as for 401). */
export function databaseUnavailable(): DomainError {
  const error = new DomainError('DATABASE_UNAVAILABLE', 'The database is not reachable at the moment; retry shortly');
  Object.assign(error.extensions, { retryable: true, http: { status: 503, headers: { 'retry-after': '1' } } });
  return error;
}

export interface AvailabilityOptions {
  /** A cheap statement (`SELECT 1`) that succeeds once the database answers again. */
  readonly probe: () => Promise<unknown>;
  readonly logger: Logger;
  /** First and largest pause between probes; the largest bounds how late a recovery is noticed. */
  readonly retryMs?: { readonly first: number; readonly max: number };
}

/**
 * Once a request has seen the database unreachable, later requests are refused at once (instead
 * of each waiting for its own connection attempt) while one background probe watches for the
 * database to answer again.
 */
export class DatabaseAvailability {
  private downSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: AvailabilityOptions) {}

  get available(): boolean {
    return this.downSince === null;
  }

  /** Throws DATABASE_UNAVAILABLE while the database is known to be down. */
  assertAvailable(): void {
    if (!this.available) throw databaseUnavailable();
  }

  /** Records a failure; returns whether it means the database is unreachable. */
  noteFailure(error: unknown): boolean {
    if (!isDatabaseUnreachable(error)) return false;
    if (this.downSince === null && !this.closed) {
      this.downSince = Date.now();
      this.options.logger.warn(`database unreachable (${failureCodes(error).join(' ← ')}); refusing requests with DATABASE_UNAVAILABLE until it answers again`);
      this.scheduleProbe(this.options.retryMs?.first ?? 250);
    }
    return true;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private scheduleProbe(delayMs: number): void {
    this.timer = setTimeout(() => void this.runProbe(delayMs), delayMs);
    this.timer.unref();
  }

  private async runProbe(lastDelayMs: number): Promise<void> {
    try {
      await this.options.probe();
      if (this.closed) return;
      this.options.logger.info(`database reachable again after ${((Date.now() - this.downSince!) / 1000).toFixed(1)} s`);
      this.downSince = null;
    } catch (error) {
      this.options.logger.debug(`database probe failed (${failureCodes(error).join(' ← ')})`);
      if (!this.closed) this.scheduleProbe(Math.min(lastDelayMs * 2, this.options.retryMs?.max ?? 1000));
    }
  }
}
