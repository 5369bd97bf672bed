import { failureCodes, isDatabaseUnreachable } from '../db/availability';
import { pingPostgres } from '../db/ping';
import type { Logger } from '../logger';
import { StartupError } from './startup-error';

export interface WaitOptions {
  readonly logger: Logger;
  readonly connectTimeoutMs: number;
  /** Give up after this long (0: wait forever). */
  readonly startupWaitMs: number;
  /** Pauses between attempts: doubling from first to max. */
  readonly retryMs?: { readonly first: number; readonly max: number };
}

/**
 * Waits until PostgreSQL accepts a connection, one log line per failed attempt. Failures that
 * waiting cannot fix (no such database, refused credentials) end the start at once.
 */
export async function waitForDatabase(url: string, options: WaitOptions): Promise<void> {
  const target = describeTarget(url);
  const { first, max } = options.retryMs ?? { first: 500, max: 5000 };
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    const error = await pingPostgres(url, options.connectTimeoutMs).then(() => null, (failure: unknown) => failure ?? 'unknown failure');
    if (error === null) return;
    const fatal = unfixableByWaiting(error, target);
    if (fatal) throw new StartupError(fatal);
    if (!isDatabaseUnreachable(error)) throw new StartupError(`cannot use the database at ${target.where}: ${(error as Error).message}`);
    const reason = failureCodes(error)[0];
    const waited = Date.now() - started;
    if (options.startupWaitMs > 0 && waited >= options.startupWaitMs) {
      throw new StartupError(
        `database not reachable at ${target.where} (${reason}) after ${Math.round(waited / 1000)} s: start PostgreSQL or correct database.url (database.startupWaitMs sets how long to wait, 0 waits forever)`,
      );
    }
    const delay = Math.min(first * 2 ** (attempt - 1), max);
    options.logger.warn(`database not reachable at ${target.where} (${reason}); retrying in ${delay / 1000} s (attempt ${attempt})`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

interface Target {
  /** host:port, never the password. */
  readonly where: string;
  readonly database: string;
  readonly user: string;
}

function describeTarget(url: string): Target {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.slice(1)) || decodeURIComponent(parsed.username) || 'postgres';
  return { where: `${parsed.hostname || 'localhost'}:${parsed.port || 5432}`, database, user: decodeURIComponent(parsed.username) || 'postgres' };
}

function unfixableByWaiting(error: unknown, target: Target): string | null {
  const codes = failureCodes(error);
  if (codes.includes('3D000')) {
    return `database "${target.database}" does not exist at ${target.where}: create it (createdb -h ${target.where.replace(/:(\d+)$/, ' -p $1')} -U ${target.user} ${target.database}) or correct database.url`;
  }
  if (codes.includes('28P01') || codes.includes('28000')) {
    return `PostgreSQL at ${target.where} refused user "${target.user}" (${(error as Error).message}): correct the user or password in database.url (DATABASE_URL), or the server's pg_hba.conf`;
  }
  return null;
}
