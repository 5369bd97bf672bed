import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createTestDatabase } from '../support/test-database';

describe('migrations', () => {
  it('match src/db/schema.ts: drizzle-kit finds nothing left to generate', async () => {
    // drizzle-kit generate writes into its output folder, so it runs against a copy.
    const copy = `.jest-tmp/drizzle-${randomBytes(4).toString('hex')}`;
    mkdirSync('.jest-tmp', { recursive: true });
    cpSync('drizzle', copy, { recursive: true });
    try {
      const { stdout } = await promisify(execFile)(
        'node_modules/.bin/drizzle-kit',
        ['generate', '--dialect', 'postgresql', '--schema', './src/db/schema.ts', '--out', `./${copy}`],
      );
      expect(stdout).toContain('No schema changes');
      expect(readdirSync(copy).filter((f) => f.endsWith('.sql'))).toEqual(readdirSync('drizzle').filter((f) => f.endsWith('.sql')));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);

  it('create OTOBO\'s tables and initial rows, and can run again without effect', async () => {
    const testDatabase = await createTestDatabase();
    try {
      await testDatabase.database.migrate();
      await testDatabase.database.migrate();
      const valid = await testDatabase.rawQuery<{ id: number; name: string }>('SELECT id, name FROM valid ORDER BY id');
      expect(valid).toEqual([
        { id: 1, name: 'valid' },
        { id: 2, name: 'invalid' },
        { id: 3, name: 'invalid-temporarily' },
      ]);
      const tables = await testDatabase.rawQuery<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(
        expect.arrayContaining([
          'customer_company', 'customer_preferences', 'customer_user', 'customer_user_customer', 'group_customer',
          'group_customer_user', 'groups_table', 'service', 'service_customer_user', 'users', 'valid',
        ]),
      );
      expect(tables.map((t) => t.table_name)).not.toContain('gql_api_token');
      const own = await testDatabase.rawQuery<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'customer_graphql' ORDER BY table_name`,
      );
      expect(own.map((t) => t.table_name)).toEqual(['__drizzle_migrations', 'gql_api_token', 'gql_audit_log']);
      expect(await testDatabase.rawQuery(`SELECT 1 FROM pg_namespace WHERE nspname = 'drizzle'`)).toEqual([]);
      const extension = await testDatabase.rawQuery(`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`);
      expect(extension).toHaveLength(1);
    } finally {
      await testDatabase.dispose();
    }
  });
});
