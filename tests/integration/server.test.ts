import { readFileSync } from 'node:fs';
import { buildSchema, printSortedSchema } from '../../src/schema/build-schema';
import { onlyError, startTestApp, testConfig, type TestApp } from '../support/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ overrides: { limits: { maxDepth: 6, maxAliases: 5 } } });
});
afterAll(() => app.close());

describe('GraphiQL', () => {
  it('is served at /graphql to browsers, self-contained (no CDN), with the token header prepared', async () => {
    const response = await app.app.yoga.fetch('http://test/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<title>OTOBO customer users</title>');
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    expect(html).not.toMatch(/<link[^>]+href="https?:/);
    expect(html).toContain('Bearer <API token>');
  });
});

describe('schema/schema.graphql', () => {
  it('is the schema of the shipped defaults (run `npm run schema:print` after changing the API)', () => {
    const committed = readFileSync('schema/schema.graphql', 'utf8');
    expect(printSortedSchema(buildSchema(testConfig()))).toBe(committed);
  });
});

describe('query limits', () => {
  it('refuses queries nested deeper than limits.maxDepth', async () => {
    const deep = `{ customerUsers { nodes { customer { users { nodes { customer { users { nodes { login } } } } } } } } }`;
    const error = onlyError(await app.request(deep));
    expect(error.message).toMatch(/depth limit of 6 exceeded/i);
  });

  it('refuses more aliases than limits.maxAliases', async () => {
    const aliases = Array.from({ length: 7 }, (_, i) => `a${i}: customerUser(login: "x") { login }`).join(' ');
    expect(onlyError(await app.request(`{ ${aliases} }`)).message).toMatch(/aliases limit of 5 exceeded/i);
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
      const result = await broken.request(`{ customerUsers { totalCount } }`);
      const error = onlyError(result);
      expect(error).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(result)).not.toMatch(/phone|column|select/i);
    } finally {
      await broken.close();
    }
  });
});
