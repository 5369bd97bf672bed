import { graphql } from '../generated';
import { addCustomer, addCustomerUser, CreateCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';

const SetPassword = graphql(`
  mutation HashingSetPassword($login: String!, $input: CustomerUserUpdateInput!) {
    updateCustomerUser(login: $login, input: $input) { login }
  }
`);

const UserCount = graphql(`
  query HashingUserCount { customerUsers(limit: 1) { totalCount } }
`);

describe('a write pays for the password hash only once every check has passed', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
    await addCustomer(app, { customerId: 'acme' });
    await addCustomerUser(app, { login: 'taken', customerId: 'acme', email: 'taken@acme.test' });
    await addCustomerUser(app, { login: 'other', customerId: 'acme' });
  });
  afterAll(() => app.close());

  const hashes = () => app.app.hasher.completed;
  const user = (input: { login: string; email: string; customerId?: string }) => ({ firstName: 'F', lastName: 'L', customerId: 'acme', password: 'Secret-123', ...input });

  test.each([
    ['a taken login', { login: 'TAKEN', email: 'new1@acme.test' }, 'CONFLICT'],
    ['a taken email', { login: 'new2', email: 'Taken@acme.test' }, 'CONFLICT'],
    ['an unknown customer', { login: 'new3', email: 'new3@acme.test', customerId: 'nobody' }, 'BAD_USER_INPUT'],
    ['an invalid email', { login: 'new4', email: 'not an address' }, 'BAD_USER_INPUT'],
  ])('a create refused for %s hashes nothing', async (_case, input, code) => {
    const before = hashes();
    const error = onlyError(await app.request(CreateCustomerUser, { input: user(input) }));
    expect(error.extensions?.code).toBe(code);
    expect(hashes()).toBe(before);
  });

  test.each([
    ['a taken login', 'other', { login: 'taken' }, 'CONFLICT'],
    ['a taken email', 'other', { email: 'TAKEN@acme.test' }, 'CONFLICT'],
    ['an unknown user', 'ghost', {}, 'NOT_FOUND'],
  ])('an update with a password refused for %s hashes nothing', async (_case, login, input, code) => {
    const before = hashes();
    const error = onlyError(await app.request(SetPassword, { login, input: { ...input, password: 'Changed-123' } }));
    expect(error.extensions?.code).toBe(code);
    expect(hashes()).toBe(before);
  });

  test('a create and a password change that pass hash once each', async () => {
    const before = hashes();
    await addCustomerUser(app, { login: 'fresh', customerId: 'acme' });
    await app.ok(SetPassword, { login: 'fresh', input: { password: 'Changed-123' } });
    expect(hashes()).toBe(before + 2);
  });
});

test('a burst beyond the hashing queue is answered BUSY with HTTP 503 and writes nothing', async () => {
  const app = await startTestApp({ overrides: { passwords: { bcryptCost: 10, hashThreads: 1, hashQueue: 1 } } });
  try {
    await addCustomer(app, { customerId: 'acme' });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.request(CreateCustomerUser, { input: { login: `burst${i}`, email: `burst${i}@acme.test`, firstName: 'F', lastName: 'L', customerId: 'acme' } }),
      ),
    );
    const busy = results.filter((r) => r.errors?.length);
    expect(busy.length).toBeGreaterThan(0);
    for (const result of busy) {
      expect(result.status).toBe(503);
      expect(onlyError(result).extensions).toMatchObject({ code: 'BUSY' });
    }
    // Every acknowledged create is stored, every refused one is not.
    const { customerUsers } = await app.ok(UserCount);
    expect(customerUsers.totalCount).toBe(results.length - busy.length);
  } finally {
    await app.close();
  }
});
