import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The admin token every contestant accepts (the bench configures it; nothing real is behind it). */
export const BENCH_TOKEN = 'cug-bench-admin-token-0123456789';
export const BENCH_ACTOR = 'token:bench';

/**
 * W2 searches OTOBO-style `term*` over these columns (the workload; OTOBO's defaults search
 * customer_id instead of email and add a leading wildcard).
 */
export const SEARCH_FIELDS = ['login', 'first_name', 'last_name', 'email'] as const;

/** A config file holding nothing, so a checkout's own config/local.json cannot change the run. */
function emptyConfigFile(): string {
  const file = join(tmpdir(), 'cug-bench-empty-config.json');
  writeFileSync(file, '{}\n');
  return file;
}

/** The environment our server runs with (see src/config/load.ts: CONFIG__section__key=JSON). */
export function serverConfigEnv(databaseUrl: string, port: number): Record<string, string> {
  return {
    CONFIG_FILE: emptyConfigFile(),
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    CONFIG__server__graphiql: 'false',
    CONFIG__auth__tokens: JSON.stringify([{ name: 'bench', role: 'admin', token: BENCH_TOKEN, agentId: 1 }]),
    CONFIG__auth__bootstrapAdminToken: 'false',
    CONFIG__CustomerUser__CustomerUserSearchFields: JSON.stringify(SEARCH_FIELDS),
    CONFIG__CustomerUser__CustomerUserSearchPrefix: '',
    CONFIG__CustomerUser__CustomerUserSearchSuffix: '*',
  };
}
