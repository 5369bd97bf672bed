import { sql } from 'drizzle-orm';
import type { Db } from './client';

/**
 * Serialises concurrent writers that check-then-insert the same case-insensitive keys (a login, an
 * email, a CustomerID): transaction-scoped advisory locks, taken in sorted order so two writers
 * never deadlock. Released at commit or rollback.
 */
export async function lockKeys(tx: Db, namespace: string, keys: readonly string[]): Promise<void> {
  const lockNames = [...new Set(keys.map((key) => `${namespace}:${key.toLowerCase()}`))].sort();
  for (const name of lockNames) await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${name}, 0))`);
}
