/** PostgreSQL's SQLSTATE of an error thrown by either driver (drizzle wraps them in `cause`). */
export function sqlState(error: unknown): string | undefined {
  for (let current = error; current instanceof Error || (typeof current === 'object' && current !== null); ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
    if (current === undefined) break;
  }
  return undefined;
}

export const UNIQUE_VIOLATION = '23505';

/** The database's own message of a failed statement (drizzle's wrapper says only "Failed query: …"). */
export function databaseMessage(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  return cause instanceof Error ? cause.message : String(cause);
}
