import { graphql } from '../generated';
import { addCustomer, addCustomerUser, CreateCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';

const UserCustomer = graphql(`query IntegrityUser($login: String!) { customerUser(login: $login) { login customerId } }`);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await addCustomer(app, { customerId: 'ACME' });
  // Make the audit log refuse particular keys, to fail a write after its data rows were written.
  await app.testDatabase.rawQuery(
    `ALTER TABLE gql_audit_log ADD CONSTRAINT test_refuse CHECK (entity_key NOT IN ('atomic', 'atomic-co'))`,
  );
});
afterAll(() => app.close());

describe('one transaction per mutation', () => {
  it('writes no customer user when recording the change fails', async () => {
    const result = await app.request(CreateCustomerUser, {
      input: { login: 'atomic', email: 'atomic@acme.test', customerId: 'ACME', firstName: 'A', lastName: 'B' },
    });
    expect(onlyError(result).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect((await app.ok(UserCustomer, { login: 'atomic' })).customerUser).toBeNull();
  });

  it('rolls back a whole CustomerID rename cascade when its last step fails', async () => {
    await addCustomer(app, { customerId: 'cascade-co' });
    for (const login of ['c1', 'c2', 'c3']) await addCustomerUser(app, { login, customerId: 'cascade-co' });
    const result = await app.request(
      graphql(`mutation IntegrityRename { updateCustomer(customerId: "cascade-co", input: { customerId: "atomic-co" }) { customerId } }`),
    );
    expect(onlyError(result).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    for (const login of ['c1', 'c2', 'c3']) {
      expect((await app.ok(UserCustomer, { login })).customerUser?.customerId).toBe('cascade-co');
    }
  });
});

describe('concurrent writers', () => {
  it('let exactly one of several simultaneous creates of one login succeed', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.request(CreateCustomerUser, {
          input: { login: 'Racer', email: `racer${i}@acme.test`, customerId: 'ACME', firstName: 'R', lastName: String(i) },
        }),
      ),
    );
    expect(attempts.filter((a) => !a.errors).length).toBe(1);
    for (const failed of attempts.filter((a) => a.errors)) expect(onlyError(failed).extensions?.code).toBe('CONFLICT');
  });

  it('let exactly one of several simultaneous creates with one email succeed', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.request(CreateCustomerUser, {
          input: { login: `mail-racer-${i}`, email: 'Same@acme.test', customerId: 'ACME', firstName: 'R', lastName: String(i) },
        }),
      ),
    );
    expect(attempts.filter((a) => !a.errors).length).toBe(1);
    for (const failed of attempts.filter((a) => a.errors)) expect(onlyError(failed).extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
  });
});
