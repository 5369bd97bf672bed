import { readFileSync } from 'node:fs';
import pino from 'pino';
import { createApp, type App } from '../../src/app';
import { buildSchema, printSortedSchema } from '../../src/schema/build-schema';
import { ADMIN_TOKEN, onlyError, startTestApp, testConfig, type TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('GraphiQL', () => {
  it('is served at /graphql to browsers, self-contained (no CDN), explaining the token header', async () => {
    const response = await app.app.yoga.fetch('http://test/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<title>OTOBO customer users</title>');
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    expect(html).not.toMatch(/<link[^>]+href="https?:/);
    expect(html).toContain('with the token printed at the first start');
  });
});

describe('schema/schema.graphql', () => {
  it('is the schema of the shipped defaults (run `npm run schema:print` after changing the API)', () => {
    const committed = readFileSync('schema/schema.graphql', 'utf8');
    expect(printSortedSchema(buildSchema(testConfig()))).toBe(committed);
  });
});

describe('errors', () => {
  it('reports a malformed query as a GraphQL error, not a crash', async () => {
    const result = await app.request(`{ customerUsers( }`);
    expect(result.errors?.[0]?.message).toMatch(/Syntax Error/);
  });

  it('reports a wrong argument type before running anything', async () => {
    const result = await app.request(`{ customerUsers(limit: "ten") { totalCount } }`);
    expect(onlyError(result).message).toMatch(/Int cannot represent/);
  });
});

describe('unexpected failures', () => {
  it('are answered without internal details and with INTERNAL_SERVER_ERROR', async () => {
    const broken = await startTestApp();
    try {
      await broken.testDatabase.rawQuery('ALTER TABLE customer_user DROP COLUMN phone');
      const result = await broken.request(`{ customerUsers { totalCount nodes { phone } } }`);
      const error = onlyError(result);
      expect(error).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(result)).not.toMatch(/phone|column|select/i);
    } finally {
      await broken.close();
    }
  });

  it('are logged with the SQL and the database\'s message, but never the bound values', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
    const testDatabase = await createTestDatabase();
    const app = await createApp(testConfig(), { database: testDatabase.database, logger });
    try {
      await addCustomerViaYoga(app, 'ACME');
      // Fails the INSERT itself, whose bound values include the password hash and personal data.
      await testDatabase.rawQuery(`ALTER TABLE customer_user ADD CONSTRAINT test_refuse CHECK (first_name <> 'Private')`);
      const response = await app.yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({
          query: `mutation { createCustomerUser(input: { login: "secretive", email: "private.person@acme.test", customerId: "ACME",
            firstName: "Private", lastName: "Person", password: "Top-Secret-1" }) { customerUser { login } } }`,
        }),
      });
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('INTERNAL_SERVER_ERROR');
      const logged = lines.join('');
      expect(logged).toContain('INSERT INTO \\"customer_user\\"');
      expect(logged).toMatch(/"sqlState":"23514"/);
      expect(logged).not.toMatch(/private\.person|BCRYPT|Top-Secret|Private|secretive/);
    } finally {
      await app.close();
      await testDatabase.dispose();
    }
  });
});

async function addCustomerViaYoga(target: App, customerId: string): Promise<void> {
  await target.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query: `mutation { createCustomer(input: { customerId: "${customerId}", name: "${customerId}" }) { customerId } }` }),
  });
}
