import { DrizzleQueryError } from 'drizzle-orm/errors';
import { GraphQLError } from 'graphql';
import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON lines for log collectors; readable lines when a person watches a terminal. */
export function createLogger(level: string): Logger {
  const transport = process.stdout.isTTY ? { target: 'pino-pretty', options: { ignore: 'pid,hostname,service' } } : undefined;
  return pino({ level, base: { service: 'otobo-customer-graphql' }, transport });
}

/**
 * An error as it may be logged. drizzle's query errors repeat every bound value in their message
 * (password hashes, personal data); the log gets the SQL text and the database's own message only.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (!(original instanceof DrizzleQueryError)) return { err: original };
  const cause = original.cause as (Error & { code?: string }) | undefined;
  const path = error instanceof GraphQLError ? error.path : undefined;
  return { query: original.query, sqlState: cause?.code, databaseMessage: cause?.message, path };
}

/** The logger yoga uses, e.g. for the original of every error it masks: through loggableError. */
export function yogaLogger(logger: Logger): Record<'debug' | 'info' | 'warn' | 'error', (...args: unknown[]) => void> {
  const forward = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    for (const arg of args) {
      if (arg instanceof Error) logger[level](loggableError(arg), arg instanceof GraphQLError ? 'GraphQL operation failed' : arg.message);
      else logger[level](String(arg));
    }
  };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}
