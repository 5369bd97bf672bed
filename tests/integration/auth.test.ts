import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createApp } from '../../src/app';
import { sha256Hex } from '../../src/auth/token-store';
import { openDatabase } from '../../src/db/client';
import { createLogger } from '../../src/logger';
import { graphql } from '../generated';
import { addCustomer } from '../support/fixtures';
import { ADMIN_TOKEN, onlyError, READER_TOKEN, startTestApp, testConfig, type TestApp } from '../support/test-app';
import { createTestDatabase, onPostgres } from '../support/test-database';

const ListUsers = graphql(`query AuthListUsers { customerUsers { totalCount } }`);
const AddCustomer = graphql(`mutation AuthAddCustomer($id: String!) { createCustomer(input: { customerId: $id, name: $id }) { customerId } }`);
const CustomerExists = graphql(`query AuthCustomer($id: String!) { customer(customerId: $id) { customerId } }`);

describe('API tokens', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      overrides: {
        auth: {
          tokens: [
            { name: 'test-admin', token: ADMIN_TOKEN, role: 'admin' },
            { name: 'test-reader', token: READER_TOKEN, role: 'reader' },
            { name: 'ops', sha256: sha256Hex('ops-token-stored-only-as-hash'), role: 'admin', agentId: 1 },
          ],
        },
      },
    });
  });
  afterAll(() => app.close());

  it('refuses data to a request without a token, with UNAUTHENTICATED', async () => {
    expect(onlyError(await app.request(ListUsers, undefined, { token: null })).extensions?.code).toBe('UNAUTHENTICATED');
    const mutation = await app.request(AddCustomer, { id: 'anon' }, { token: null });
    expect(onlyError(mutation).extensions?.code).toBe('UNAUTHENTICATED');
    expect((await app.ok(CustomerExists, { id: 'anon' })).customer).toBeNull();
  });

  it('lets anyone read the schema (GraphiQL documentation)', async () => {
    const result = await app.request(`{ __schema { queryType { name } } }`, undefined, { token: null });
    expect(result.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('answers an unknown or malformed token with HTTP 401 and UNAUTHENTICATED', async () => {
    for (const token of ['not-a-real-token', '']) {
      const result = await app.request(ListUsers, undefined, { token });
      expect(result.status).toBe(401);
      expect(onlyError(result).extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('accepts a token configured by its SHA-256 only', async () => {
    const result = await app.request(AddCustomer, { id: 'by-hash' }, { token: 'ops-token-stored-only-as-hash' });
    expect(result.data?.createCustomer.customerId).toBe('by-hash');
  });

  it('lets the reader role read but not write (FORBIDDEN, nothing written)', async () => {
    expect((await app.request(ListUsers, undefined, { token: READER_TOKEN })).data?.customerUsers.totalCount).toBe(0);
    const result = await app.request(AddCustomer, { id: 'by-reader' }, { token: READER_TOKEN });
    expect(onlyError(result).extensions?.code).toBe('FORBIDDEN');
    expect((await app.ok(CustomerExists, { id: 'by-reader' })).customer).toBeNull();
  });

  it('stores tokens created at run time as hashes and honours them', async () => {
    const token = await app.app.tokens.create('dashboard', 'reader', 1);
    expect(token).toMatch(/^cug_[A-Za-z0-9_-]{43}$/);
    expect((await app.request(ListUsers, undefined, { token })).data?.customerUsers.totalCount).toBe(0);
    const stored = await app.testDatabase.rawQuery<{ token_sha256: string }>(`SELECT token_sha256 FROM customer_graphql.gql_api_token WHERE name = 'dashboard'`);
    expect(stored).toEqual([{ token_sha256: sha256Hex(token) }]);
  });

  it('records the token that made a change as its author', async () => {
    await addCustomer(app, { customerId: 'authored' });
    const { customer } = await app.ok(graphql(`query Authored { customer(customerId: "authored") { history { actor } } }`));
    expect(customer?.history).toEqual([{ actor: 'token:test-admin' }]);
  });
});

describe('first start without credentials', () => {
  it('creates one admin token, shown once, that keeps working after a restart', async () => {
    const testDatabase = await createTestDatabase();
    const noTokens = { auth: { tokens: [], bootstrapAdminToken: true } };
    try {
      const first = await startTestApp({ database: testDatabase, overrides: noTokens });
      const token = first.app.bootstrapToken;
      expect(token).toMatch(/^cug_/);
      expect((await first.request(AddCustomer, { id: 'bootstrapped' }, { token })).data?.createCustomer.customerId).toBe('bootstrapped');
      await first.close();

      const second = await startTestApp({ database: testDatabase, overrides: noTokens });
      try {
        expect(second.app.bootstrapToken).toBeNull();
        expect((await second.request(CustomerExists, { id: 'bootstrapped' }, { token })).data?.customer?.customerId).toBe('bootstrapped');
      } finally {
        await second.close();
      }
    } finally {
      await testDatabase.dispose();
    }
  });

  it('creates none when tokens are configured', async () => {
    const app = await startTestApp({ overrides: { auth: { bootstrapAdminToken: true } } });
    try {
      expect(app.app.bootstrapToken).toBeNull();
    } finally {
      await app.close();
    }
  });
});

describe('npm run token:create', () => {
  const run = promisify(execFile);
  const command = 'node_modules/.bin/tsx';

  it('prints a new token once, which the server then accepts; bad arguments are refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cug-token-'));
    const testDatabase = onPostgres ? await createTestDatabase() : null;
    const env: Record<string, string> = { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    if (testDatabase) env.DATABASE_URL = testDatabase.url!;
    else env.PGLITE_DIR = join(dir, 'pglite');
    try {
      const { stdout } = await run(command, ['src/cli/create-token.ts', '--name', 'ci-reader', '--role', 'reader'], { env });
      const token = stdout.trim();
      expect(token).toMatch(/^cug_[A-Za-z0-9_-]{43}$/);
      await expect(run(command, ['src/cli/create-token.ts', '--name', 'x', '--role', 'root'], { env })).rejects.toMatchObject({
        stderr: expect.stringContaining('usage: npm run token:create'),
      });
      await expect(run(command, ['src/cli/create-token.ts', '--name', 'ci-reader'], { env })).rejects.toMatchObject({
        stderr: expect.stringContaining('a token named "ci-reader" already exists'),
      });

      const database = testDatabase?.database ?? (await openDatabase({ pgliteDir: env.PGLITE_DIR! }));
      const app = await createApp(testConfig(), { database, logger: createLogger('silent') });
      try {
        const response = await app.yoga.fetch('http://test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ customerUsers { totalCount } }' }),
        });
        expect(await response.json()).toEqual({ data: { customerUsers: { totalCount: 0 } } });
      } finally {
        await app.close();
        if (!testDatabase) await database.close();
      }
    } finally {
      await testDatabase?.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
