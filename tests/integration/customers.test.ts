import { graphql } from '../generated';
import { addCustomer, addCustomerUser } from '../support/fixtures';
import { onlyError, startTestApp, type TestApp } from '../support/test-app';

const CustomerById = graphql(`
  query CustomerById($customerId: String!) {
    customer(customerId: $customerId) {
      customerId name street zip city country url comment validity
      createdAt changedAt createdBy { id login } changedBy { login }
      users(includeInvalid: true) { totalCount nodes { login customerId } }
    }
  }
`);

const UpdateCustomer = graphql(`
  mutation UpdateCustomer($customerId: String!, $input: CustomerUpdateInput!) {
    updateCustomer(customerId: $customerId, input: $input) { customerId name street city comment validity }
  }
`);

const SearchCustomers = graphql(`
  query SearchCustomers($search: String, $filter: CustomerFilter, $includeInvalid: Boolean, $orderBy: [CustomerOrder!], $limit: Int, $offset: Int) {
    customers(search: $search, filter: $filter, includeInvalid: $includeInvalid, orderBy: $orderBy, limit: $limit, offset: $offset) {
      totalCount hasMore limit offset nodes { customerId name validity }
    }
  }
`);

const UserWithCustomer = graphql(`
  query UserWithCustomer($login: String!) {
    customerUser(login: $login) { login customerId customer { customerId name } }
  }
`);

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('creating customers', () => {
  it('stores every Map field and reads it back, case-insensitively by CustomerID', async () => {
    await addCustomer(app, {
      customerId: 'Globex', name: 'Globex Corporation', street: 'Main St 1', zip: '12345', city: 'Springfield',
      country: 'US', url: 'https://globex.test', comment: 'key account',
    });
    const { customer } = await app.ok(CustomerById, { customerId: 'GLOBEX' });
    expect(customer).toMatchObject({
      customerId: 'Globex', name: 'Globex Corporation', street: 'Main St 1', zip: '12345', city: 'Springfield',
      country: 'US', url: 'https://globex.test', comment: 'key account', validity: 'VALID',
      createdBy: { id: 1, login: 'root@localhost' }, changedBy: { login: 'root@localhost' },
    });
    expect(customer?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('returns null for an unknown CustomerID', async () => {
    expect((await app.ok(CustomerById, { customerId: 'nobody' })).customer).toBeNull();
  });

  it('refuses a duplicate CustomerID, whatever its case', async () => {
    await addCustomer(app, { customerId: 'Initech' });
    const result = await app.request(
      graphql(`mutation DuplicateCustomer($input: CustomerCreateInput!) { createCustomer(input: $input) { customerId } }`),
      { input: { customerId: 'INITECH', name: 'Another name' } },
    );
    expect(onlyError(result).extensions).toMatchObject({ code: 'CONFLICT', field: 'customerId' });
    expect((await app.ok(SearchCustomers, { filter: { customerId: 'initech' } })).customers.totalCount).toBe(1);
  });

  it('refuses a duplicate name, whatever its case', async () => {
    await addCustomer(app, { customerId: 'umbrella', name: 'Umbrella Corp' });
    const result = await app.request(
      graphql(`mutation DuplicateName($input: CustomerCreateInput!) { createCustomer(input: $input) { customerId } }`),
      { input: { customerId: 'umbrella2', name: 'UMBRELLA CORP' } },
    );
    expect(onlyError(result).extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    expect((await app.ok(CustomerById, { customerId: 'umbrella2' })).customer).toBeNull();
  });

  it('refuses empty required fields and over-long values, writing nothing', async () => {
    const blankName = await app.request(
      graphql(`mutation BlankName($input: CustomerCreateInput!) { createCustomer(input: $input) { customerId } }`),
      { input: { customerId: 'blank', name: '   ' } },
    );
    expect(onlyError(blankName).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });

    const longCity = await app.request(
      graphql(`mutation LongCity($input: CustomerCreateInput!) { createCustomer(input: $input) { customerId } }`),
      { input: { customerId: 'long', name: 'Long', city: 'x'.repeat(201) } },
    );
    const error = onlyError(longCity);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'city' });
    expect(error.message).toContain('longer than 200 characters');
    expect((await app.ok(CustomerById, { customerId: 'long' })).customer).toBeNull();
  });

  it('counts characters, not bytes, against the column length', async () => {
    await addCustomer(app, { customerId: 'umlaut', name: 'Ümlaut', city: 'ü'.repeat(200) });
    expect((await app.ok(CustomerById, { customerId: 'umlaut' })).customer?.city).toHaveLength(200);
  });
});

describe('updating customers', () => {
  it('patches: omitted fields stay, null clears, required fields cannot be cleared', async () => {
    await addCustomer(app, { customerId: 'patchy', name: 'Patchy', street: 'Old street', city: 'Old city' });
    const { updateCustomer } = await app.ok(UpdateCustomer, { customerId: 'PATCHY', input: { city: 'New city', street: null } });
    expect(updateCustomer).toMatchObject({ customerId: 'patchy', name: 'Patchy', street: null, city: 'New city' });

    const cleared = await app.request(UpdateCustomer, { customerId: 'patchy', input: { name: null } });
    expect(onlyError(cleared).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    expect((await app.ok(CustomerById, { customerId: 'patchy' })).customer?.name).toBe('Patchy');
  });

  it('answers NOT_FOUND for an unknown customer', async () => {
    const result = await app.request(UpdateCustomer, { customerId: 'ghost', input: { city: 'x' } });
    expect(onlyError(result).extensions?.code).toBe('NOT_FOUND');
  });

  it('makes a customer invalid instead of deleting it; invalid customers leave default searches', async () => {
    await addCustomer(app, { customerId: 'fading', name: 'Fading' });
    await app.ok(UpdateCustomer, { customerId: 'fading', input: { validity: 'INVALID' } });
    expect((await app.ok(SearchCustomers, { search: 'fading' })).customers.totalCount).toBe(0);
    const all = await app.ok(SearchCustomers, { search: 'fading', includeInvalid: true });
    expect(all.customers.nodes).toEqual([{ customerId: 'fading', name: 'Fading', validity: 'INVALID' }]);
  });

  it('renames a CustomerID and moves every user whose primary customer it is (all of them)', async () => {
    await addCustomer(app, { customerId: 'oldco', name: 'Old Co' });
    await addCustomer(app, { customerId: 'bystander', name: 'Bystander' });
    for (let batch = 0; batch < 260; batch += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => addCustomerUser(app, { login: `old${batch + i}`, customerId: 'oldco' })));
    }
    await addCustomerUser(app, { login: 'other-user', customerId: 'bystander' });
    await app.ok(UpdateCustomer, { customerId: 'oldco', input: { validity: 'VALID' } });

    const { updateCustomer } = await app.ok(UpdateCustomer, { customerId: 'OLDCO', input: { customerId: 'NewCo' } });
    expect(updateCustomer.customerId).toBe('NewCo');
    const { customer } = await app.ok(CustomerById, { customerId: 'newco' });
    expect(customer?.users.totalCount).toBe(260);
    expect((await app.ok(CustomerById, { customerId: 'oldco' })).customer).toBeNull();
    expect((await app.ok(UserWithCustomer, { login: 'old259' })).customerUser).toEqual({
      login: 'old259', customerId: 'NewCo', customer: { customerId: 'NewCo', name: 'Old Co' },
    });
    expect((await app.ok(UserWithCustomer, { login: 'other-user' })).customerUser?.customerId).toBe('bystander');
  }, 90_000);

  it('refuses a rename onto an existing CustomerID', async () => {
    await addCustomer(app, { customerId: 'taken-a', name: 'Taken A' });
    await addCustomer(app, { customerId: 'taken-b', name: 'Taken B' });
    const result = await app.request(UpdateCustomer, { customerId: 'taken-a', input: { customerId: 'TAKEN-B' } });
    expect(onlyError(result).extensions).toMatchObject({ code: 'CONFLICT', field: 'customerId' });
  });

  it('allows changing only the case of a CustomerID', async () => {
    await addCustomer(app, { customerId: 'casey', name: 'Casey' });
    const { updateCustomer } = await app.ok(UpdateCustomer, { customerId: 'casey', input: { customerId: 'CASEY' } });
    expect(updateCustomer.customerId).toBe('CASEY');
  });
});

describe('searching customers', () => {
  beforeAll(async () => {
    const customers: [string, string][] = [['s-alpha', 'Searchable Alpha'], ['s-beta', 'Searchable Beta'], ['s-gamma', 'Gamma 100%']];
    for (const [customerId, name] of customers) await addCustomer(app, { customerId, name });
  });

  it('matches the free-text grammar over CustomerID and name, in a defined order', async () => {
    const result = await app.ok(SearchCustomers, { search: 'searchable', orderBy: [{ field: 'NAME', direction: 'DESC' }] });
    expect(result.customers.nodes.map((c) => c.customerId)).toEqual(['s-beta', 's-alpha']);
    expect((await app.ok(SearchCustomers, { search: 'searchable+!beta' })).customers.nodes.map((c) => c.customerId)).toEqual(['s-alpha']);
  });

  it('treats % as a literal character', async () => {
    expect((await app.ok(SearchCustomers, { search: '100%' })).customers.nodes.map((c) => c.customerId)).toEqual(['s-gamma']);
    expect((await app.ok(SearchCustomers, { search: 's-%' })).customers.totalCount).toBe(0);
  });

  it('pages with limit and offset and reports hasMore', async () => {
    const first = await app.ok(SearchCustomers, { search: 's-*', limit: 2, offset: 0 });
    expect(first.customers).toMatchObject({ totalCount: 3, hasMore: true, limit: 2, offset: 0 });
    const second = await app.ok(SearchCustomers, { search: 's-*', limit: 2, offset: 2 });
    expect(second.customers).toMatchObject({ totalCount: 3, hasMore: false });
    expect([...first.customers.nodes, ...second.customers.nodes].map((c) => c.customerId)).toEqual(['s-alpha', 's-beta', 's-gamma']);
  });

  it('defaults to the configured search list limit and refuses limits above the maximum', async () => {
    expect((await app.ok(SearchCustomers, {})).customers.limit).toBe(250);
    // Above limits.maxRows (10000, = maxSearchLimit by default) the cost estimate refuses it first.
    const result = await app.request(SearchCustomers, { limit: 10001 });
    expect(onlyError(result).extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_ROWS' });
  });
});
