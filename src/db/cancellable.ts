import type { SQL } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import type { ReservedSql, Sql } from 'postgres';
import { clientGone } from '../errors';
import type { Db } from './client';
import { dialectOf, sessionOf } from './driver-session';

/**
 * Executes `statement` on `db` and cancels it in PostgreSQL when `signal` aborts (the request's
 * client disconnected) while it runs, answering CLIENT_GONE. Without this, a client that gives up
 * on a slow search leaves its statement running, holding a connection and a CPU, up to the
 * statement timeout.
 *
 * A cancel request names a backend process, not a statement: sent late, it would hit whatever
 * that backend runs next. So the statement runs on a connection reserved for it alone
 * (postgres.js `reserve()`), which goes back to the pool only after the statement settled and the
 * cancel request was delivered (the patched driver's `cancel()` resolves then; see
 * patches/postgres+3.4.9.patch, which also makes releasing a connection that closed meanwhile a
 * no-op). PostgreSQL answers a cancel that arrives when its backend is idle by doing nothing.
 *
 * On PGlite (no cancel: one embedded session) and without a signal the statement runs as before.
 * The result is what `db.execute` returns (read it with resultRows).
 */
export async function executeCancellable(db: Db, statement: SQL, signal: AbortSignal | undefined): Promise<unknown> {
  const { client, logger } = sessionOf(db);
  if (!signal || !('reserve' in client)) return db.execute(statement);
  if (signal.aborted) throw clientGone();
  const { sql: text, params } = dialectOf(db).sqlToQuery(statement);
  logger.logQuery(text, params);
  const reserved = await (client as unknown as Sql).reserve();
  let cancelled: Promise<void> | null = null;
  try {
    if (signal.aborted) throw clientGone();
    const query = reserved.unsafe(text, params as never[], { prepare: false });
    const cancel = () => {
      cancelled = query.cancel().catch(() => undefined); // undelivered: the connection is gone anyway
    };
    signal.addEventListener('abort', cancel, { once: true });
    try {
      return await query;
    } catch (error) {
      if (signal.aborted) throw clientGone();
      throw new DrizzleQueryError(text, params, error as Error); // as drizzle reports it (and loggableError reads it)
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  } finally {
    await releaseAfter(reserved, cancelled);
  }
}

async function releaseAfter(reserved: ReservedSql, cancelled: Promise<void> | null): Promise<void> {
  if (cancelled) await cancelled;
  reserved.release();
}
