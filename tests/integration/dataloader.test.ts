import { graphql } from '../generated';
import { addCustomer, addCustomerUser } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  for (const customerId of ['north', 'south', 'east']) await addCustomer(app, { customerId });
  for (let i = 0; i < 55; i += 1) {
    await addCustomerUser(app, { login: `user${String(i).padStart(2, '0')}`, customerId: ['north', 'south', 'east'][i % 3]! });
  }
});
afterAll(() => app.close());

/** Runs one operation and counts the statements the database received meanwhile. */
async function measured<T>(run: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const before = app.statements.count;
  const result = await run();
  return { result, statements: app.statements.count - before };
}

it('loads a page of 50 users with their customers in at most 2 SQL statements', async () => {
  const Page = graphql(`
    query PageWithCustomers {
      customerUsers(limit: 50) { totalCount hasMore nodes { login customerId customer { customerId name validity } } }
    }
  `);
  const { result, statements } = await measured(() => app.ok(Page));
  const page = result.customerUsers;
  expect(page.nodes).toHaveLength(50);
  expect(page).toMatchObject({ totalCount: 55, hasMore: true });
  for (const node of page.nodes) expect(node.customer?.customerId).toBe(node.customerId);
  expect(statements).toBeLessThanOrEqual(2);
});

it('batches separate lookups of one request into one statement per kind, case-insensitively', async () => {
  const Lookups = graphql(`
    query BatchedLookups {
      a: customerUser(login: "USER01") { login customer { name } }
      b: customerUser(login: "user02") { login customer { name } }
      c: customerUser(login: "user03") { login customer { name } }
      missing: customerUser(login: "nobody") { login }
    }
  `);
  const { result, statements } = await measured(() => app.ok(Lookups));
  expect([result.a?.login, result.b?.login, result.c?.login]).toEqual(['user01', 'user02', 'user03']);
  expect(result.missing).toBeNull();
  expect(statements).toBe(2);
});

it('reads a user and its customer in one statement when the customer is selected', async () => {
  const WithCustomer = graphql(`
    query OneUserWithCustomer($login: String!) { customerUser(login: $login) { login customer { customerId name } } }
  `);
  const { result, statements } = await measured(() => app.ok(WithCustomer, { login: 'USER04' }));
  expect(result.customerUser).toEqual({ login: 'user04', customer: { customerId: 'south', name: 'south Ltd' } });
  expect(statements).toBe(1);
  // A single login is a plain equality (an array costs PostgreSQL an InitPlan per execution).
  expect(app.statements.recent.at(-1)).toMatchObject({ params: ['user04'] }); // normalised by the loader
  expect(app.statements.recent.at(-1)!.sql).not.toContain('unnest');
  const missing = await measured(() => app.ok(WithCustomer, { login: 'nobody' }));
  expect(missing.result.customerUser).toBeNull();
  expect(missing.statements).toBe(1);
});

it('answers a null customer, in that one statement, when the CustomerID names none', async () => {
  await app.testDatabase.rawQuery(`UPDATE customer_user SET customer_id = 'gone' WHERE login = 'user05'`);
  const Orphan = graphql(`query OrphanUser { customerUser(login: "user05") { customerId customer { name } } }`);
  const { result, statements } = await measured(() => app.ok(Orphan));
  expect(result.customerUser).toEqual({ customerId: 'gone', customer: null });
  expect(statements).toBe(1);
});

it('lists users by one statement text for any number of CustomerIDs (the values as an array parameter), and by a plain equality for one', async () => {
  const Users = graphql(`
    query UsersOfCustomers($ids: [String!]!) { customerUsers(filter: { customerIds: $ids }, limit: 5) { totalCount hasMore nodes { login } } }
  `);
  // Users 0, 3, 6, … are north's, 1, 4, 7, … south's; user05 was moved to 'gone' above.
  const loginsOf = (...remainders: number[]) =>
    Array.from({ length: 55 }, (_, i) => i)
      .filter((i) => remainders.includes(i % 3) && i !== 5)
      .map((i) => `user${String(i).padStart(2, '0')}`);
  const listed = async (ids: readonly string[], expected: readonly string[]) => {
    const { result } = await measured(() => app.ok(Users, { ids: [...ids] }));
    expect(result.customerUsers).toEqual({ totalCount: expected.length, hasMore: true, nodes: expected.slice(0, 5).map((login) => ({ login })) });
    return app.statements.recent.at(-1)!;
  };
  const one = await listed(['NORTH'], loginsOf(0));
  expect(one.params).toContain('NORTH');
  expect(one.sql).not.toContain('unnest');
  const two = await listed(['north', 'South'], loginsOf(0, 1));
  const three = await listed(['north', 'South', 'nowhere'], loginsOf(0, 1));
  expect(two.params).toContainEqual(['north', 'South']);
  expect(three.params).toContainEqual(['north', 'South', 'nowhere']);
  expect(three.sql).toBe(two.sql);
});

it("reads only the columns a page's nodes select, and the whole record when they select more", async () => {
  const Narrow = graphql(`
    query NarrowPage { customerUsers(limit: 3) { nodes { login ...Names customer { customerId } } } }
    fragment Names on CustomerUser { firstName email }
  `);
  const narrow = await measured(() => app.ok(Narrow));
  const statement = app.statements.recent.slice(-narrow.statements).find((s) => s.sql.includes('ORDER BY'))!;
  expect(statement.sql).toContain('"first_name"');
  expect(statement.sql).not.toContain('"phone"');
  expect(statement.sql).not.toContain('change_time');
  expect(narrow.result.customerUsers.nodes[0]).toEqual({ login: 'user00', firstName: 'First', email: 'user00@acme.test', customer: { customerId: 'north' } });

  const Whole = graphql(`query WholePage { customerUsers(limit: 3) { nodes { login phone createdAt } } }`);
  const { result: whole, statements } = await measured(() => app.ok(Whole));
  const wholeStatement = app.statements.recent.slice(-statements).find((s) => s.sql.includes('ORDER BY'))!;
  expect(wholeStatement.sql).toContain('change_time');
  expect(whole.customerUsers.nodes[0]).toMatchObject({ login: 'user00', phone: null });
  expect(whole.customerUsers.nodes[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
});
