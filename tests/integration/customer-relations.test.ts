import { graphql } from '../generated';
import { addCustomer, addCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';

const UserCustomers = graphql(`
  query UserCustomers($login: String!) {
    customerUser(login: $login) { login customerIds extraCustomerIds customers { customerId name } }
  }
`);
const CustomerExtraUsers = graphql(`
  query CustomerExtraUsers($customerId: String!) {
    customer(customerId: $customerId) { customerId extraUsers { login validity } }
  }
`);
const SetUserCustomers = graphql(`
  mutation SetUserCustomers($login: String!, $customerIds: [String!]!) {
    setCustomerUserCustomers(login: $login, customerIds: $customerIds) { login customerIds }
  }
`);
const SetCustomerUsers = graphql(`
  mutation SetCustomerUsers($customerId: String!, $logins: [String!]!) {
    setCustomerCustomerUsers(customerId: $customerId, logins: $logins) { customerId extraUsers { login } }
  }
`);
const AddPair = graphql(`
  mutation AddPair($login: String!, $customerId: String!) {
    addCustomerUserCustomer(login: $login, customerId: $customerId) { login customerIds }
  }
`);
const RemovePair = graphql(`
  mutation RemovePair($login: String!, $customerId: String!) {
    removeCustomerUserCustomer(login: $login, customerId: $customerId) { login customerIds }
  }
`);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  for (const customerId of ['acme', 'beta', 'gamma', 'delta']) await addCustomer(app, { customerId });
  await addCustomerUser(app, { login: 'ann', customerId: 'acme' });
  await addCustomerUser(app, { login: 'bob', customerId: 'beta' });
  await addCustomerUser(app, { login: 'cid', customerId: 'gamma' });
});
afterAll(() => app.close());

describe('from the user side', () => {
  it('sets the whole set: primary first, then the extra customers by CustomerID, no duplicates', async () => {
    const set = await app.ok(SetUserCustomers, { login: 'ANN', customerIds: ['gamma', 'BETA', 'beta'] });
    expect(set.setCustomerUserCustomers).toEqual({ login: 'ann', customerIds: ['acme', 'beta', 'gamma'] });
    const read = (await app.ok(UserCustomers, { login: 'ann' })).customerUser!;
    expect(read.extraCustomerIds).toEqual(['beta', 'gamma']);
    expect(read.customers.map((c) => c.customerId)).toEqual(['acme', 'beta', 'gamma']);

    const replaced = await app.ok(SetUserCustomers, { login: 'ann', customerIds: ['delta'] });
    expect(replaced.setCustomerUserCustomers.customerIds).toEqual(['acme', 'delta']);
    await app.ok(SetUserCustomers, { login: 'ann', customerIds: [] });
    expect((await app.ok(UserCustomers, { login: 'ann' })).customerUser!.customerIds).toEqual(['acme']);
  });

  it('adds and removes single pairs, idempotently', async () => {
    await app.ok(AddPair, { login: 'bob', customerId: 'delta' });
    const again = await app.ok(AddPair, { login: 'bob', customerId: 'DELTA' });
    expect(again.addCustomerUserCustomer.customerIds).toEqual(['beta', 'delta']);
    const removed = await app.ok(RemovePair, { login: 'bob', customerId: 'delta' });
    expect(removed.removeCustomerUserCustomer.customerIds).toEqual(['beta']);
    const noop = await app.ok(RemovePair, { login: 'bob', customerId: 'delta' });
    expect(noop.removeCustomerUserCustomer.customerIds).toEqual(['beta']);
  });

  it('refuses the primary customer as an extra one', async () => {
    for (const result of [
      await app.request(SetUserCustomers, { login: 'ann', customerIds: ['beta', 'ACME'] }),
      await app.request(AddPair, { login: 'ann', customerId: 'acme' }),
    ]) {
      expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PRIMARY_CUSTOMER' });
    }
    expect((await app.ok(UserCustomers, { login: 'ann' })).customerUser!.extraCustomerIds).toEqual([]);
  });

  it('refuses unknown users and customers with NOT_FOUND, changing nothing', async () => {
    const unknownCustomer = onlyError(await app.request(SetUserCustomers, { login: 'ann', customerIds: ['beta', 'nowhere'] }));
    expect(unknownCustomer.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'customerIds' });
    expect(unknownCustomer.message).toContain('"nowhere"');
    expect(onlyError(await app.request(AddPair, { login: 'nobody', customerId: 'beta' })).extensions).toMatchObject({ code: 'NOT_FOUND', field: 'login' });
    expect((await app.ok(UserCustomers, { login: 'ann' })).customerUser!.extraCustomerIds).toEqual([]);
  });
});

describe('from the customer side', () => {
  it('sets the users that have the customer as an extra one, leaving their other customers alone', async () => {
    await app.ok(SetUserCustomers, { login: 'cid', customerIds: ['beta'] });
    const set = await app.ok(SetCustomerUsers, { customerId: 'delta', logins: ['cid', 'ann'] });
    expect(set.setCustomerCustomerUsers.extraUsers.map((u) => u.login)).toEqual(['ann', 'cid']);
    expect((await app.ok(UserCustomers, { login: 'cid' })).customerUser!.customerIds).toEqual(['gamma', 'beta', 'delta']);

    const narrowed = await app.ok(SetCustomerUsers, { customerId: 'delta', logins: ['ann'] });
    expect(narrowed.setCustomerCustomerUsers.extraUsers.map((u) => u.login)).toEqual(['ann']);
    expect((await app.ok(UserCustomers, { login: 'cid' })).customerUser!.customerIds).toEqual(['gamma', 'beta']);
    await app.ok(SetCustomerUsers, { customerId: 'delta', logins: [] });
    expect((await app.ok(CustomerExtraUsers, { customerId: 'delta' })).customer!.extraUsers).toEqual([]);
  });

  it("refuses a user whose primary customer it is, and unknown logins or customers", async () => {
    expect(onlyError(await app.request(SetCustomerUsers, { customerId: 'acme', logins: ['ann'] })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'PRIMARY_CUSTOMER',
    });
    expect(onlyError(await app.request(SetCustomerUsers, { customerId: 'acme', logins: ['ghost'] })).extensions).toMatchObject({
      code: 'NOT_FOUND',
      field: 'logins',
    });
    expect(onlyError(await app.request(SetCustomerUsers, { customerId: 'nowhere', logins: [] })).extensions).toMatchObject({
      code: 'NOT_FOUND',
      field: 'customerId',
    });
  });
});

it('keeps the relations of invalid users and marks them invalid in lists', async () => {
  await app.ok(SetCustomerUsers, { customerId: 'delta', logins: ['bob'] });
  const Deactivate = graphql(`mutation DeactivateBob { updateCustomerUser(login: "bob", input: { validity: INVALID }) { login } }`);
  await app.ok(Deactivate);
  expect((await app.ok(CustomerExtraUsers, { customerId: 'delta' })).customer!.extraUsers).toEqual([{ login: 'bob', validity: 'INVALID' }]);
  expect((await app.ok(UserCustomers, { login: 'bob' })).customerUser!.customerIds).toEqual(['beta', 'delta']);
  await app.ok(SetCustomerUsers, { customerId: 'delta', logins: [] });
});

it('honours CustomerUserExcludePrimaryCustomerID', async () => {
  const excluding = await startTestApp({ overrides: { CustomerUser: { CustomerUserExcludePrimaryCustomerID: 1 } } });
  try {
    await addCustomer(excluding, { customerId: 'acme' });
    await addCustomer(excluding, { customerId: 'beta' });
    await addCustomerUser(excluding, { login: 'ann', customerId: 'acme' });
    expect((await excluding.ok(UserCustomers, { login: 'ann' })).customerUser!.customerIds).toEqual([]);
    const set = await excluding.ok(SetUserCustomers, { login: 'ann', customerIds: ['beta'] });
    expect(set.setCustomerUserCustomers.customerIds).toEqual(['beta']);
  } finally {
    await excluding.close();
  }
});

it('records relation changes in the user history', async () => {
  await app.ok(SetUserCustomers, { login: 'bob', customerIds: ['gamma'] });
  const History = graphql(`
    query RelationHistory($login: String!) { customerUser(login: $login) { history(limit: 1) { actor changes { field oldValue newValue } } } }
  `);
  const history = (await app.ok(History, { login: 'bob' })).customerUser!.history;
  expect(history[0]).toEqual({ actor: 'token:test-admin', changes: [{ field: 'extraCustomerIds', oldValue: null, newValue: 'gamma' }] });
});
