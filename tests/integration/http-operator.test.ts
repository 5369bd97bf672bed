import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { GRAPHIQL_FIRST_QUERY } from '../../src/http/graphiql-first-query';
import { chooseEncoding } from '../../src/http/graphiql-page';
import { ConfigError } from '../../src/config/issues';
import { onlyError, startTestApp, testConfig, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A raw HTTP exchange (fetch would decompress and add headers of its own). */
async function send(app: TestApp, method: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  const url = new URL(await app.graphqlUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const post = (app: TestApp, headers: Record<string, string>) =>
  send(app, 'POST', { 'content-type': 'application/json', ...headers }, JSON.stringify({ query: '{ __typename }' }));
const preflight = (app: TestApp, origin: string) =>
  send(app, 'OPTIONS', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' });
const corsHeaders = (response: RawResponse) =>
  Object.fromEntries(Object.entries(response.headers).filter(([name]) => name.startsWith('access-control-')));

let testDatabase: TestDatabase;
beforeAll(async () => {
  testDatabase = await createTestDatabase();
});
afterAll(() => testDatabase.dispose());

async function withApp(overrides: unknown, run: (app: TestApp) => Promise<void>): Promise<void> {
  const app = await startTestApp({ database: testDatabase, overrides });
  try {
    await run(app);
  } finally {
    await app.close();
  }
}

describe('CORS', () => {
  it('sends no CORS headers by default: browsers stay same-origin', () =>
    withApp({}, async (app) => {
      expect(corsHeaders(await post(app, { origin: 'https://elsewhere.test' }))).toEqual({});
      const answer = await preflight(app, 'https://elsewhere.test');
      expect(answer.status).toBe(204);
      expect(corsHeaders(answer)).toEqual({});
    }));

  it('allows the configured origins, on requests and preflights, and no other', () =>
    withApp({ server: { cors: { origins: ['https://desk.acme.test', 'http://localhost:3000'], credentials: true } } }, async (app) => {
      const allowed = await post(app, { origin: 'https://desk.acme.test' });
      expect(allowed.status).toBe(200);
      expect(corsHeaders(allowed)).toMatchObject({
        'access-control-allow-origin': 'https://desk.acme.test',
        'access-control-allow-credentials': 'true',
      });
      const answer = await preflight(app, 'http://localhost:3000');
      expect(answer.status).toBe(204);
      expect(corsHeaders(answer)).toMatchObject({
        'access-control-allow-origin': 'http://localhost:3000',
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'authorization, content-type',
      });
      expect(corsHeaders(await post(app, { origin: 'https://evil.test' }))).toEqual({});
      expect(corsHeaders(await preflight(app, 'https://evil.test'))).toEqual({});
      // Without an Origin the fast path answers, with no CORS headers either.
      const before = app.app.handler.stats.fastPath;
      expect(corsHeaders(await post(app, {}))).toEqual({});
      expect(app.app.handler.stats.fastPath).toBe(before + 1);
    }));

  it('allows any origin with "*", never with credentials', () =>
    withApp({ server: { cors: { origins: '*', credentials: false } } }, async (app) => {
      const headers = corsHeaders(await post(app, { origin: 'https://any.test' }));
      expect(headers['access-control-allow-origin']).toBe('https://any.test');
      expect(headers['access-control-allow-credentials']).toBeUndefined();
    }));

  it('refuses a configuration that would be unsafe or cannot match', () => {
    expect(() => testConfig({ server: { cors: { origins: '*', credentials: true } } })).toThrow(/server\.cors: credentials need a list of origins/);
    expect(() => testConfig({ server: { cors: { origins: ['https://desk.acme.test/'], credentials: false } } })).toThrow(ConfigError);
  });
});

describe('introspection', () => {
  it('is refused with FEATURE_DISABLED when server.introspection is false; data queries and __typename still work', () =>
    withApp({ server: { introspection: false } }, async (app) => {
      for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "CustomerUser") { name } }']) {
        const result = await app.request(query);
        expect(onlyError(result).extensions).toMatchObject({ code: 'FEATURE_DISABLED', reason: 'INTROSPECTION_DISABLED' });
      }
      expect(await app.ok('{ __typename customerUsers(limit: 1) { totalCount } }')).toEqual({ __typename: 'Query', customerUsers: { totalCount: 0 } });
    }));
});

describe('GraphiQL', () => {
  const page = (app: TestApp, headers: Record<string, string> = {}) => send(app, 'GET', { accept: 'text/html', ...headers });

  it('is served compressed per Accept-Encoding, and cacheable with an ETag and 304', () =>
    withApp({}, async (app) => {
      const plain = await page(app);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.length).toBeGreaterThan(5_000_000);
      expect(plain.headers).toMatchObject({ 'cache-control': 'no-cache', vary: 'Accept-Encoding', 'content-type': 'text/html; charset=utf-8' });

      const br = await page(app, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.body.length).toBeLessThan(plain.body.length / 3);
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

      const gzip = await page(app, { 'accept-encoding': 'gzip' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);

      const etag = br.headers.etag!;
      expect(etag).toMatch(/^"[\w-]+-br"$/);
      expect(gzip.headers.etag).not.toBe(etag);
      const revalidated = await page(app, { 'accept-encoding': 'gzip, deflate, br', 'if-none-match': etag });
      expect(revalidated.status).toBe(304);
      expect(revalidated.body.length).toBe(0);
      expect(revalidated.headers.etag).toBe(etag);
      expect((await page(app, { 'accept-encoding': 'br', 'if-none-match': '"stale"' })).status).toBe(200);
    }));

  it('is not served when server.graphiql is false', () =>
    withApp({ server: { graphiql: false } }, async (app) => {
      const answer = await page(app);
      expect(answer.status).not.toBe(200);
      expect(answer.body.toString()).not.toContain('<html');
    }));

  it('prepares a first session whose commented mutations work: a customer first, then its users', () =>
    withApp({}, async (app) => {
      const lines = GRAPHIQL_FIRST_QUERY.split('\n');
      const commented = lines
        .slice(lines.indexOf('#   mutation FirstCustomer {'))
        .filter((line) => line.startsWith('#   '))
        .map((line) => line.slice(4))
        .join('\n');
      const [customer, user] = commented.split(/\n(?=mutation )/);
      expect(customer).toMatch(/^mutation FirstCustomer /);
      expect(await app.ok(customer!)).toEqual({ createCustomer: { customerId: 'ACME', name: 'Acme Inc' } });
      const created = await app.ok<{ createCustomerUser: { generatedPassword: string; customerUser: unknown } }, unknown>(user!);
      expect(created.createCustomerUser.customerUser).toEqual({ login: 'jdoe', fullName: 'John Doe', customer: { name: 'Acme Inc' } });
      expect(created.createCustomerUser.generatedPassword).toHaveLength(12);
      expect((await app.ok<{ customerUsers: { totalCount: number } }, unknown>(GRAPHIQL_FIRST_QUERY)).customerUsers.totalCount).toBe(1);
    }));
});

describe('chooseEncoding', () => {
  it.each([
    [null, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0', 'identity'],
    ['*', 'gzip'],
    ['identity', 'identity'],
  ])('%p → %s', (header, expected) => expect(chooseEncoding(header)).toBe(expected));
});
