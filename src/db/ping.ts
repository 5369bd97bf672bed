import postgres from 'postgres';

/**
 * Opens a fresh connection and runs SELECT 1: whether PostgreSQL accepts connections now,
 * independent of the pool's reconnect pauses. Throws the failure.
 */
export async function pingPostgres(url: string, connectTimeoutMs: number): Promise<void> {
  const client = postgres(url, { max: 1, connect_timeout: connectTimeoutMs / 1000, onnotice: () => undefined });
  try {
    await client`SELECT 1`;
  } finally {
    await client.end({ timeout: 1 });
  }
}
