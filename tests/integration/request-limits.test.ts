import { addCustomer, addCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';

/** Bounded requests: each limit refuses with BAD_USER_INPUT and a reason, before any search SQL runs. */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await addCustomer(app, { customerId: 'ACME' });
  await addCustomerUser(app, { login: 'jdoe', customerId: 'ACME', firstName: 'John', lastName: 'Doe' });
});
afterAll(() => app.close());

const search = `query ($s: String) { customerUsers(search: $s) { totalCount } }`;
const filtered = `query ($f: CustomerUserFilter, $e: String) { customerUsers(filter: $f, email: $e) { totalCount } }`;

/** Runs a refused request and checks no statement reached the database. */
async function refused(query: string, variables?: Record<string, unknown>) {
  const before = app.statements.count;
  const result = await app.request(query, variables);
  // Authentication by a configured token needs no statement, so any statement would be the search.
  expect(app.statements.count).toBe(before);
  return onlyError(result);
}

describe('free-text search', () => {
  it('allows 10 terms in at most 5 OR alternatives', async () => {
    const ten = await app.ok<{ customerUsers: { totalCount: number } }, unknown>(search, { s: 'j+o+h+n+d+o+e+j OR doe OR j' });
    expect(ten.customerUsers.totalCount).toBe(1);
  });

  it('refuses more terms (the 499 AND-ed `a` case)', async () => {
    const error = await refused(search, { s: Array(499).fill('a').join('+') });
    expect(error).toMatchObject({
      message: 'search has 499 terms; at most 10 are allowed',
      extensions: { code: 'BAD_USER_INPUT', field: 'search', reason: 'TOO_MANY_SEARCH_TERMS' },
    });
    expect((await refused(search, { s: 'a+b+c+d+e+f+g+h+i+j+k' })).extensions?.reason).toBe('TOO_MANY_SEARCH_TERMS');
  });

  it('refuses more OR alternatives', async () => {
    const error = await refused(search, { s: 'a OR b OR c OR d OR e OR f' });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search', reason: 'TOO_MANY_SEARCH_ALTERNATIVES' });
  });

  it('refuses a term longer than limits.maxPatternLength and a search longer than limits.maxSearchLength', async () => {
    expect((await refused(search, { s: 'x'.repeat(201) })).extensions).toMatchObject({ field: 'search', reason: 'SEARCH_TERM_TOO_LONG' });
    expect((await refused(search, { s: 'x'.repeat(1001) })).extensions).toMatchObject({ field: 'search', reason: 'SEARCH_TOO_LONG' });
  });

  it('follows configured limits', async () => {
    const strict = await startTestApp({ database: app.testDatabase, overrides: { limits: { maxSearchTerms: 2, maxSearchAlternatives: 1 } } });
    try {
      expect(onlyError(await strict.request(search, { s: 'a+b+c' })).extensions?.reason).toBe('TOO_MANY_SEARCH_TERMS');
      expect(onlyError(await strict.request(search, { s: 'a OR b' })).extensions?.reason).toBe('TOO_MANY_SEARCH_ALTERNATIVES');
      expect((await strict.ok<{ customerUsers: { totalCount: number } }, unknown>(search, { s: 'doe+john' })).customerUsers.totalCount).toBe(1);
    } finally {
      await strict.close();
    }
  });
});

describe('filter patterns', () => {
  it('refuses a filter value longer than limits.maxPatternLength (the 40,001-character lastName case)', async () => {
    const error = await refused(filtered, { f: { lastName: `*${'x'.repeat(40_000)}` } });
    expect(error).toMatchObject({
      message: 'filter.lastName is 40001 characters long; at most 200 are allowed',
      extensions: { code: 'BAD_USER_INPUT', field: 'filter.lastName', reason: 'PATTERN_TOO_LONG' },
    });
    expect((await refused(filtered, { e: `${'x'.repeat(200)}@acme.test` })).extensions).toMatchObject({ field: 'email', reason: 'PATTERN_TOO_LONG' });
    const fine = await app.ok<{ customerUsers: { totalCount: number } }, unknown>(filtered, { f: { lastName: `D${'*'.repeat(199)}` } });
    expect(fine.customerUsers.totalCount).toBe(1);
  });
});

describe('list arguments', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);

  it.each(['customerIds', 'excludeLogins'])('refuses filter.%s with 65,536 entries, naming the list, not its content', async (name) => {
    const error = await refused(filtered, { f: { [name]: many(65_536) } });
    expect(error).toMatchObject({
      message: `f.${name} has 65536 entries; at most 1000 are allowed (limits.maxListEntries)`,
      extensions: { code: 'BAD_USER_INPUT', field: `f.${name}`, reason: 'LIST_TOO_LONG' },
    });
    expect(JSON.stringify(error)).not.toContain('c65535');
  });

  it('refuses a long validity list, and long lists written into the query text', async () => {
    const validity = Array(1001).fill('VALID');
    expect((await refused(filtered, { f: { validity } })).extensions).toMatchObject({ field: 'f.validity', reason: 'LIST_TOO_LONG' });
    const limited = await startTestApp({ database: app.testDatabase, overrides: { limits: { maxListEntries: 2 } } });
    try {
      const inline = onlyError(await limited.request(`{ customerUsers(filter: { customerIds: ["a", "b", "c"] }) { totalCount } }`));
      expect(inline.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.customerIds', reason: 'LIST_TOO_LONG' });
    } finally {
      await limited.close();
    }
  });

  it('accepts 1000 entries', async () => {
    const result = await app.ok<{ customerUsers: { totalCount: number } }, unknown>(filtered, { f: { customerIds: [...many(999), 'acme'] } });
    expect(result.customerUsers.totalCount).toBe(1);
  });
});

describe('rows and cost', () => {
  it('refuses 30 aliases × limit 10000 before any SQL runs, stating the estimate and the limit', async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: customerUsers(limit: 10000) { nodes { login } }`).join(' ');
    const error = await refused(`{ ${aliases} }`);
    expect(error).toMatchObject({
      message: expect.stringContaining('may fetch 300000 records, more than limits.maxRows (10000)'),
      extensions: { code: 'BAD_USER_INPUT', reason: 'TOO_MANY_ROWS', estimate: 300_000, limit: 10_000 },
    });
  });

  it('multiplies nested page sizes, with the configured default when limit is absent', async () => {
    // 250 customers (CustomerCompanySearchListLimit) × 1000 users (CustomerUserSearchListLimit).
    const error = await refused(`{ customers { nodes { users { nodes { login } } } } }`);
    expect(error.extensions).toMatchObject({ reason: 'TOO_MANY_ROWS', estimate: 250 + 250 * 1000 });
    const small = await app.ok<{ customers: { nodes: { users: { nodes: unknown[] } }[] } }, unknown>(
      `query ($n: Int) { customers(limit: 10) { nodes { users(limit: $n) { nodes { login } } } } }`,
      { n: 100 },
    );
    expect(small.customers.nodes[0]!.users.nodes).toHaveLength(1);
    const viaVariable = await refused(`query ($n: Int) { customers(limit: 100) { nodes { users(limit: $n) { nodes { login } } } } }`, { n: 100 });
    expect(viaVariable.extensions).toMatchObject({ reason: 'TOO_MANY_ROWS', estimate: 100 + 100 * 100 });
  });

  it('leaves a single too-large page to the search itself when maxRows allows it', async () => {
    const roomy = await startTestApp({ database: app.testDatabase, overrides: { limits: { maxRows: 20_000 } } });
    try {
      const error = onlyError(await roomy.request(`{ customerUsers(limit: 10001) { totalCount } }`));
      expect(error).toMatchObject({ message: 'limit must be between 0 and 10000', extensions: { code: 'BAD_USER_INPUT', field: 'limit' } });
    } finally {
      await roomy.close();
    }
  });

  it('refuses a wide selection over many rows as QUERY_TOO_EXPENSIVE', async () => {
    const cheap = await startTestApp({ database: app.testDatabase, overrides: { limits: { maxCost: 1000 } } });
    try {
      const error = onlyError(await cheap.request(`{ customerUsers(limit: 100) { nodes { login email firstName lastName phone city zip street comment country } } }`));
      // customerUsers + nodes + 100 × 10 fields
      expect(error).toMatchObject({
        message: expect.stringContaining('estimated cost of 1002 field resolutions, more than limits.maxCost (1000)'),
        extensions: { code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_EXPENSIVE', estimate: 1002, limit: 1000 },
      });
    } finally {
      await cheap.close();
    }
  });
});
