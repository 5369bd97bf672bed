import { ADMIN_TOKEN, startTestApp, type TestApp } from '../support/test-app';
import { addCustomer, addCustomerUser } from '../support/fixtures';

/**
 * The HTTP handler answers plain JSON POSTs itself (src/http/graphql-fast-path.ts) and hands the
 * rest to yoga. Whichever path a request takes, the answer must be the one yoga gives.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ overrides: { server: { maxBodyBytes: 4096, cors: { origins: ['http://portal.test'], credentials: false } } } });
  await addCustomer(app, { customerId: 'acme' });
  await addCustomerUser(app, { login: 'jdoe', customerId: 'acme' });
});
afterAll(() => app.close());

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* compared as text */
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body };
}

type Init = { body: string; headers?: Record<string, string>; method?: string };

async function bothPaths(init: Init): Promise<{ handler: Answer; yoga: Answer }> {
  const request = { method: init.method ?? 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: init.body };
  const handler = await answer(await fetch(await app.graphqlUrl, request));
  const yoga = await answer(await app.app.yoga.fetch('http://test/graphql', request));
  return { handler, yoga };
}

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const json = (value: unknown) => JSON.stringify(value);

/** [name, request, answered by the fast path itself] */
const cases: [string, Init, boolean][] = [
  ['a query with variables', { headers: auth, body: json({ query: 'query Q($l: String!) { customerUser(login: $l) { login customer { name } } }', variables: { l: 'JDOE' } }) }, true],
  ['a query naming its operation among several', { headers: auth, body: json({ query: 'query A { customerUsers { totalCount } } query B { customers { totalCount } }', operationName: 'B' }) }, true],
  ['a missing operation name among several', { headers: auth, body: json({ query: 'query A { customerUsers { totalCount } } query B { customers { totalCount } }' }) }, false],
  ['a mutation refused by the domain', { headers: auth, body: json({ query: 'mutation { updateCustomerUser(login: "nobody", input: { phone: "1" }) { login } }' }) }, true],
  ['no Authorization header', { body: json({ query: '{ customerUsers { totalCount } }' }) }, true],
  ['a token that does not authenticate', { headers: { authorization: 'Bearer wrong' }, body: json({ query: '{ customerUsers { totalCount } }' }) }, false],
  ['a syntax error', { headers: auth, body: json({ query: '{ customerUsers( }' }) }, false],
  ['an unknown field', { headers: auth, body: json({ query: '{ customerUsers { nope } }' }) }, false],
  ['a variable of the wrong type', { headers: auth, body: json({ query: 'query Q($n: Int) { customerUsers(limit: $n) { totalCount } }', variables: { n: 'ten' } }) }, true],
  ['a missing required variable', { headers: auth, body: json({ query: 'query Q($l: String!) { customerUser(login: $l) { login } }' }) }, true],
  ['malformed JSON', { headers: auth, body: '{"query": ' }, false],
  ['a JSON array (batching is off)', { headers: auth, body: json([{ query: '{ customerUsers { totalCount } }' }]) }, false],
  ['a query that is not a string', { headers: auth, body: json({ query: 42 }) }, false],
  ['variables that are not an object', { headers: auth, body: json({ query: '{ customerUsers { totalCount } }', variables: [1] }) }, false],
  ['an unknown top-level key', { headers: auth, body: json({ query: '{ customerUsers { totalCount } }', extra: 1 }) }, false],
  ['a body over server.maxBodyBytes', { headers: auth, body: json({ query: `{ customerUsers(search: "${'x'.repeat(5000)}") { totalCount } }` }) }, false],
  ['more aliases than the armor allows', { headers: auth, body: json({ query: `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: customerUser(login: "x") { login }`).join(' ')} }` }) }, false],
  ['a NUL character', { headers: auth, body: json({ query: 'query Q($s: String) { customerUsers(search: $s) { totalCount } }', variables: { s: 'a\u0000' } }) }, true],
];

describe('the HTTP handler answers as yoga does', () => {
  it.each(cases)('%s', async (_name, init, fast) => {
    const before = app.app.handler.stats.fastPath;
    const { handler, yoga } = await bothPaths(init);
    expect(handler).toEqual(yoga);
    expect(app.app.handler.stats.fastPath - before).toBe(fast ? 1 : 0);
  });

  it('returns the data itself (not only the same as yoga)', async () => {
    const { handler } = await bothPaths(cases[0]![1]);
    expect(handler).toEqual({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: { data: { customerUser: { login: 'jdoe', customer: { name: 'acme Ltd' } } } },
    });
  });

  it('gives cross-origin requests from a configured origin the CORS headers yoga gives', async () => {
    const response = await fetch(await app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://portal.test', ...auth },
      body: json({ query: '{ customerUsers { totalCount } }' }),
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://portal.test');
    expect(await response.json()).toEqual({ data: { customerUsers: { totalCount: 1 } } });
  });
});
