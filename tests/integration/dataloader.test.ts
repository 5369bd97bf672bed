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
