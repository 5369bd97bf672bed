import type { DbCustomerUserBackend } from '../../src/backends/db/db-backend';
import { graphql } from '../generated';
import type { CustomerUserFilter, CustomerUserOrder } from '../generated/graphql';
import { addCustomer, addCustomerUser } from '../support/fixtures';
import { parseSearch } from '../../src/search/grammar';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';

const Search = graphql(`
  query SearchCustomerUsers(
    $search: String, $email: String, $filter: CustomerUserFilter, $includeInvalid: Boolean,
    $orderBy: [CustomerUserOrder!], $limit: Int, $offset: Int
  ) {
    customerUsers(search: $search, email: $email, filter: $filter, includeInvalid: $includeInvalid,
                  orderBy: $orderBy, limit: $limit, offset: $offset) {
      totalCount hasMore limit offset nodes { login }
    }
  }
`);

interface SearchVariables {
  search?: string;
  email?: string;
  filter?: CustomerUserFilter;
  includeInvalid?: boolean;
  orderBy?: CustomerUserOrder[];
  limit?: number;
  offset?: number;
}

let app: TestApp;

async function logins(variables: SearchVariables, target = app): Promise<string[]> {
  return (await target.ok(Search, variables)).customerUsers.nodes.map((n) => n.login);
}

const people = [
  { login: 'jdoe', firstName: 'John', lastName: 'Doe', customerId: 'ACME', city: 'Berlin' },
  { login: 'jane', firstName: 'Jane', lastName: 'Doe', customerId: 'ACME', city: 'Hamburg' },
  { login: 'jsmith', firstName: 'John', lastName: 'Smith', customerId: 'GLOBEX', city: 'Berlin' },
  { login: 'mmueller', firstName: 'Maria', lastName: 'Müller', customerId: 'GLOBEX', city: null },
  { login: 'Zed', firstName: 'Zed', lastName: 'Zulu', customerId: 'GLOBEX', city: 'Aachen' },
  { login: 'percent', firstName: '100%', lastName: 'Under_score', customerId: 'ACME', city: 'Köln' },
  { login: 'gone', firstName: 'John', lastName: 'Gone', customerId: 'ACME', city: 'Berlin', validity: 'INVALID' as const },
];

beforeAll(async () => {
  app = await startTestApp();
  await addCustomer(app, { customerId: 'ACME', name: 'Acme' });
  await addCustomer(app, { customerId: 'GLOBEX', name: 'Globex' });
  for (const p of people) await addCustomerUser(app, { ...p, email: `${p.login}@mail.test` });
});
afterAll(() => app.close());

describe("free-text search (OTOBO's grammar)", () => {
  it('finds substrings in login, first name, last name and CustomerID, case-insensitively, ordered by login', async () => {
    expect(await logins({ search: 'doe' })).toEqual(['jane', 'jdoe']);
    expect(await logins({ search: 'JOHN' })).toEqual(['jdoe', 'jsmith']);
    expect(await logins({ search: 'globex' })).toEqual(['jsmith', 'mmueller', 'Zed']);
    expect(await logins({ search: 'müller' })).toEqual(['mmueller']);
  });

  it('does not split on spaces: "John Doe" is one term; + and AND combine terms', async () => {
    expect(await logins({ search: 'John Doe' })).toEqual([]);
    expect(await logins({ search: 'John+Doe' })).toEqual(['jdoe']);
    expect(await logins({ search: 'john AND doe' })).toEqual(['jdoe']);
  });

  it('supports OR, negation and quotes', async () => {
    expect(await logins({ search: 'jane OR smith' })).toEqual(['jane', 'jsmith']);
    expect(await logins({ search: 'john+!doe' })).toEqual(['jsmith']);
    expect(await logins({ search: '"john and doe"' })).toEqual([]);
    expect(await logins({ search: 'jo*n' })).toEqual(['jdoe', 'jsmith']);
  });

  it('lists everybody for *, and only valid users unless asked', async () => {
    expect(await logins({ search: '*' })).toEqual(['jane', 'jdoe', 'jsmith', 'mmueller', 'percent', 'Zed']);
    expect(await logins({ search: '*', includeInvalid: true })).toContain('gone');
  });

  it('treats % and _ typed by a user as literal characters', async () => {
    expect(await logins({ search: '100%' })).toEqual(['percent']);
    expect(await logins({ search: '1%0' })).toEqual([]);
    expect(await logins({ search: 'under_score' })).toEqual(['percent']);
    expect(await logins({ search: 'j_oe' })).toEqual([]);
  });

  it('refuses an overlong search string', async () => {
    const result = await app.request(Search, { search: 'x'.repeat(1001) });
    expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search' });
  });
});

describe('email lookup', () => {
  it('is exact and case-insensitive', async () => {
    expect(await logins({ email: 'JDOE@mail.test' })).toEqual(['jdoe']);
    expect(await logins({ email: 'jdoe@mail' })).toEqual([]);
    expect(await logins({ email: 'gone@mail.test' })).toEqual([]);
    expect(await logins({ email: 'gone@mail.test', includeInvalid: true })).toEqual(['gone']);
  });
});

describe('structured search', () => {
  it('matches a field exactly and case-insensitively, with * wildcards', async () => {
    expect(await logins({ filter: { lastName: 'DOE' } })).toEqual(['jane', 'jdoe']);
    expect(await logins({ filter: { lastName: 'Do' } })).toEqual([]);
    expect(await logins({ filter: { lastName: 'Do*' } })).toEqual(['jane', 'jdoe']);
    expect(await logins({ filter: { login: 'JDOE' } })).toEqual(['jdoe']);
    expect(await logins({ filter: { customerId: 'acme', city: 'berlin' } })).toEqual(['jdoe']);
  });

  it('filters by a set of CustomerIDs, excludes logins, and selects validities', async () => {
    expect(await logins({ filter: { customerIds: ['globex'], excludeLogins: ['ZED'] } })).toEqual(['jsmith', 'mmueller']);
    expect(await logins({ filter: { validity: ['INVALID', 'INVALID_TEMPORARILY'] } })).toEqual(['gone']);
  });

  it('matches nothing for an empty validity set', async () => {
    expect((await app.ok(Search, { filter: { validity: [] } })).customerUsers).toMatchObject({ totalCount: 0, nodes: [] });
  });

  it('refuses a blank email lookup instead of matching everybody', async () => {
    expect(onlyError(await app.request(Search, { email: '  ' })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  });

  it('combines with free text (AND)', async () => {
    expect(await logins({ search: 'john', filter: { customerId: 'GLOBEX' } })).toEqual(['jsmith']);
  });
});

describe('order and paging', () => {
  it('orders by any field in either direction, empty values last, login as tie-breaker', async () => {
    expect(await logins({ orderBy: [{ field: 'CITY', direction: 'ASC' }] })).toEqual(['Zed', 'jdoe', 'jsmith', 'jane', 'percent', 'mmueller']);
    expect(await logins({ orderBy: [{ field: 'CITY', direction: 'DESC' }] })).toEqual(['percent', 'jane', 'jdoe', 'jsmith', 'Zed', 'mmueller']);
    expect(await logins({ orderBy: [{ field: 'FIRST_NAME' }, { field: 'LAST_NAME', direction: 'DESC' }] })).toEqual([
      'percent', 'jane', 'jsmith', 'jdoe', 'mmueller', 'Zed',
    ]);
  });

  it('refuses a field named twice in orderBy', async () => {
    const result = await app.request(Search, { orderBy: [{ field: 'LOGIN' }, { field: 'LOGIN', direction: 'DESC' }] });
    expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orderBy' });
  });

  it('pages through all results exactly once, with exact totals and hasMore', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 6; offset += 4) {
      const page = (await app.ok(Search, { limit: 4, offset })).customerUsers;
      expect(page.totalCount).toBe(6);
      expect(page.hasMore).toBe(offset + 4 < 6);
      seen.push(...page.nodes.map((n) => n.login));
    }
    expect(seen).toEqual(['jane', 'jdoe', 'jsmith', 'mmueller', 'percent', 'Zed']);
    const beyond = (await app.ok(Search, { limit: 4, offset: 50 })).customerUsers;
    expect(beyond).toMatchObject({ totalCount: 6, hasMore: false, nodes: [] });
  });

  it('returns only the count for limit 0', async () => {
    expect((await app.ok(Search, { search: 'doe', limit: 0 })).customerUsers).toMatchObject({ totalCount: 2, hasMore: true, nodes: [] });
  });

  it('defaults to the configured list limit (1000) and refuses limits beyond the maximum or negative paging', async () => {
    expect((await app.ok(Search, {})).customerUsers.limit).toBe(1000);
    // Above limits.maxRows (10000, = maxSearchLimit by default) the cost estimate refuses it first.
    expect(onlyError(await app.request(Search, { limit: 10001 })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_ROWS' });
    expect(onlyError(await app.request(Search, { limit: -1 })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
    expect(onlyError(await app.request(Search, { offset: -1 })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'offset' });
  });
});

describe('a search with no term', () => {
  it.each(['!', '+', ' OR ', '""', '+ OR +'])('refuses %j instead of listing everybody', async (search) => {
    const result = await app.request(Search, { search });
    expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search', reason: 'NO_SEARCH_TERM' });
  });

  it('still lists everybody for an empty or blank search, and for *', async () => {
    const everybody = await logins({});
    expect(everybody.length).toBeGreaterThan(0);
    expect(await logins({ search: '' })).toEqual(everybody);
    expect(await logins({ search: '   ' })).toEqual(everybody);
    expect(await logins({ search: '*' })).toEqual(everybody);
  });
});

describe('search configuration', () => {
  it('honours CustomerUserSearchListLimit, prefix/suffix and SearchCaseSensitive', async () => {
    const strict = await startTestApp({
      overrides: {
        CustomerUser: {
          CustomerUserSearchListLimit: 2,
          CustomerUserSearchPrefix: '',
          Params: { Table: 'customer_user', SearchCaseSensitive: 1 },
        },
      },
    });
    try {
      await addCustomer(strict, { customerId: 'ACME' });
      for (const login of ['alpha', 'alphabet', 'Alpine', 'betalpha']) await addCustomerUser(strict, { login, customerId: 'ACME' });
      expect((await strict.ok(Search, {})).customerUsers).toMatchObject({ limit: 2, totalCount: 4, hasMore: true });
      expect(await logins({ search: 'alp' }, strict)).toEqual(['alpha', 'alphabet']);
      expect(await logins({ search: 'Alp' }, strict)).toEqual(['Alpine']);

      // The login and CustomerID filters compare exactly too (OTOBO's CustomerSearch); others do not.
      await addCustomer(strict, { customerId: 'Acme-X' });
      await addCustomerUser(strict, { login: 'jdoe', customerId: 'acme-x', lastName: 'Doe' });
      expect(await logins({ filter: { customerIds: ['acme-x'] } }, strict)).toEqual([]);
      expect(await logins({ filter: { customerIds: ['Acme-X'] } }, strict)).toEqual(['jdoe']);
      expect(await logins({ filter: { customerId: 'acme-x' } }, strict)).toEqual([]);
      expect(await logins({ filter: { customerId: 'Acme-*' } }, strict)).toEqual(['jdoe']);
      expect(await logins({ filter: { login: '*JDOE*' } }, strict)).toEqual([]);
      expect(await logins({ filter: { login: '*jdo*' } }, strict)).toEqual(['jdoe']);
      expect(await logins({ filter: { lastName: 'DOE' } }, strict)).toEqual(['jdoe']);
      // Without SearchCaseSensitive the same filters ignore case.
      expect(await logins({ filter: { login: '*JDOE*' } })).toEqual(['jdoe']);
      expect(await logins({ filter: { customerIds: ['acme'] } })).toEqual(['jane', 'jdoe', 'percent']);
    } finally {
      await strict.close();
    }
  });
});

describe('customers and their users', () => {
  it('lists a customer\'s users with the same search arguments', async () => {
    const result = await app.ok(
      graphql(`query AcmeUsers { customer(customerId: "acme") { users(search: "doe", orderBy: [{ field: LOGIN, direction: DESC }]) { totalCount nodes { login } } } }`),
    );
    expect(result.customer?.users).toEqual({ totalCount: 2, nodes: [{ login: 'jdoe' }, { login: 'jane' }] });
  });

  it('applies the user filter\'s excludeLogins and customerIds there too', async () => {
    const result = await app.ok(
      graphql(`query AcmeUsersFiltered {
        customer(customerId: "acme") {
          without: users(filter: { excludeLogins: ["JDOE"] }) { nodes { login } }
          elsewhere: users(filter: { customerIds: ["GLOBEX"] }) { totalCount }
        }
      }`),
    );
    expect(result.customer?.without.nodes.map((n) => n.login)).toEqual(['jane', 'percent']);
    expect(result.customer?.elsewhere.totalCount).toBe(0);
  });
});

describe('searches per request', () => {
  it('are limited, so nested lists cannot fan out without bound', async () => {
    const limited = await startTestApp({ overrides: { limits: { maxSearchesPerRequest: 3 } } });
    try {
      for (const customerId of ['c1', 'c2', 'c3']) await addCustomer(limited, { customerId });
      const query = `{ customers { nodes { customerId users(limit: 1) { totalCount } } } }`;
      const result = await limited.request(query);
      expect(result.errors?.length).toBeGreaterThan(0);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_SEARCHES' });
      const small = await limited.ok<{ customers: { nodes: unknown[] } }, unknown>(`{ customers(limit: 2) { nodes { customerId users { totalCount } } } }`);
      expect(small.customers.nodes).toHaveLength(2);
    } finally {
      await limited.close();
    }
  });
});

describe('key-ordered pages found by walking the login index first', () => {
  const query = (text: string, limit = 1000, offset = 0, validIds: number[] | null = [1]) => ({
    text: parseSearch(text),
    filters: [],
    validIds,
    orderBy: [],
    limit,
    offset,
    withTotal: false,
  });
  const cases: [string, number, number, number[] | null][] = [
    ['j*', 1000, 0, [1]],
    ['john', 1000, 0, [1]],
    ['doe+j*', 1000, 0, [1]],
    ['j*', 1, 0, [1]],
    ['j*', 1, 1, [1]],
    ['j*', 2, 2, [1]],
    ['*o*', 1000, 0, null],
    ['j* OR m*', 1000, 1, [1]],
    ['!doe', 3, 0, [1]],
    ['zulu', 1000, 0, [1]],
    ['nobody', 1000, 0, [1]],
  ];

  it.each(cases)('%s (limit %d, offset %d) gives exactly the rows, order and hasMore of collecting', async (text, limit, offset, validIds) => {
    const store = (app.app.services.customerUsers.primary as DbCustomerUserBackend).store;
    const walked = await store.search(query(text, limit, offset, validIds), { strategy: 'walk' });
    const collected = await store.search(query(text, limit, offset, validIds), { strategy: 'collect' });
    const walkedFirst = await store.search(query(text, limit, offset, validIds));
    expect(walked).toEqual(collected);
    expect(walkedFirst).toEqual(collected);
  });

  it('is what the API answers, and the walk finds rows', async () => {
    const walked = await (app.app.services.customerUsers.primary as DbCustomerUserBackend).store.search(query('j*'), { strategy: 'walk' });
    expect(walked.records.map((r) => r.values.UserLogin)).toEqual(['jane', 'jdoe', 'jsmith']);
    expect(await logins({ search: 'j*' })).toEqual(['jane', 'jdoe', 'jsmith']);
  });
});
