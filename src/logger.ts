import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON lines for log collectors; readable lines when a person watches a terminal. */
export function createLogger(level: string): Logger {
  const transport = process.stdout.isTTY ? { target: 'pino-pretty', options: { ignore: 'pid,hostname,service' } } : undefined;
  return pino({ level, base: { service: 'otobo-customer-graphql' }, transport });
}
